package io.ocppsec.simulator;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.security.auth.IdentityCheck;
import io.ocppsec.security.auth.StationIdentity;
import io.ocppsec.security.cert.PemCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one simulated Charging Station is: where it connects, who it is, how it authenticates, and
 * its bounds. Build it with {@link #builder(String, String)}.
 *
 * <p>The {@linkplain #stateDirectory() state directory} is the station's memory and wins over the
 * factory settings given here: a password the CSMS changed with SetVariables and a certificate the
 * station enrolled are used instead of {@link #password()} and {@link #clientKey()}/{@link
 * #clientChain()}, which only seed an empty state.
 *
 * @param csmsUrl             the CSMS endpoint without the identity, {@code ws://} (profile 1) or
 *                            {@code wss://} (profiles 2 and 3), e.g. {@code wss://localhost:8443/ocpp};
 *                            the percent-encoded identity is appended as the last path segment
 * @param identity            the station identity (URL segment and Basic-auth user-id)
 * @param serialNumber        BootNotification's {@code chargingStation.serialNumber} and the CN of the
 *                            certificate requested (at most 25 characters)
 * @param securityProfile     the profile to connect with first: 1, 2 or 3
 * @param upgradeToProfile3   with profile 1 or 2: enroll a certificate (unless the state holds one)
 *                            and then reconnect with profile 3
 * @param password            the Basic-auth password for profiles 1 and 2, or null
 * @param trustAnchors        the CSMS root certificates trusted for {@code wss://} (required for it)
 * @param clientKey           a client key for profile 3 given from outside, or null
 * @param clientChain         its certificate chain, leaf first (empty when no key is given)
 * @param subprotocols        the OCPP versions offered, in order of preference
 * @param heartbeatInterval   the heartbeat interval to use instead of the CSMS's, or null
 * @param stateDirectory      where key.pem, chain.pem, the changed password and installed roots are
 *                            kept; null keeps them in memory (load generators)
 * @param organization        the O of the certificate requested, or null
 * @param model               BootNotification's {@code chargingStation.model}
 * @param vendorName          BootNotification's {@code chargingStation.vendorName}
 * @param firmwareVersion     BootNotification's {@code chargingStation.firmwareVersion}, or null
 * @param callTimeout         how long the station waits for the answer to each of its CALLs
 * @param connectTimeout      how long TCP connect, TLS and the WebSocket upgrade may take
 * @param enrollmentTimeout   how long the station waits for CertificateSigned after its CSR was accepted
 * @param maxFrameBytes       the largest WebSocket message accepted from the CSMS (also after
 *                            permessage-deflate); larger ones close the connection with 1009
 * @param verifyHostname      whether the CSMS certificate must name the host of {@link #csmsUrl}
 * @param compression         whether permessage-deflate (RFC 7692) is offered
 * @param reconnect           whether connection failures and drops are retried with back-off
 *                            (false: the first failure ends {@link SimulatedStation#start()})
 * @param reconnectMinDelay   the first back-off delay
 * @param reconnectMaxDelay   the largest back-off delay
 */
public record SimulatorConfig(
        URI csmsUrl,
        String identity,
        String serialNumber,
        int securityProfile,
        boolean upgradeToProfile3,
        char[] password,
        List<X509Certificate> trustAnchors,
        PrivateKey clientKey,
        List<X509Certificate> clientChain,
        List<OcppVersion> subprotocols,
        Duration heartbeatInterval,
        Path stateDirectory,
        String organization,
        String model,
        String vendorName,
        String firmwareVersion,
        Duration callTimeout,
        Duration connectTimeout,
        Duration enrollmentTimeout,
        int maxFrameBytes,
        boolean verifyHostname,
        boolean compression,
        boolean reconnect,
        Duration reconnectMinDelay,
        Duration reconnectMaxDelay) {

    /** The versions offered by default: 2.1 first, then 2.0.1. */
    public static final List<OcppVersion> DEFAULT_SUBPROTOCOLS = List.of(OcppVersion.OCPP_2_1, OcppVersion.OCPP_2_0_1);
    /** Default bound on an incoming WebSocket message: 1 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
    /** Default CALL timeout. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    private static final int MAX_SERIAL = 25;
    private static final int MAX_MODEL = 20;
    private static final int MAX_VENDOR = 50;
    private static final int MAX_FIRMWARE = 50;
    private static final int MAX_ORGANIZATION = 64;

    public SimulatorConfig {
        Objects.requireNonNull(csmsUrl, "csmsUrl");
        String scheme = csmsUrl.getScheme() == null ? "" : csmsUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("the CSMS URL must start with ws:// or wss://: " + csmsUrl);
        }
        if (csmsUrl.getHost() == null || csmsUrl.getRawQuery() != null || csmsUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("the CSMS URL needs a host and no query or fragment: " + csmsUrl);
        }
        if (StationIdentity.parse(identity) instanceof IdentityCheck.Invalid invalid) {
            throw new IllegalArgumentException("not a station identity: " + invalid.detail());
        }
        requireText(serialNumber, "serialNumber", MAX_SERIAL);
        requireText(model, "model", MAX_MODEL);
        requireText(vendorName, "vendorName", MAX_VENDOR);
        if (firmwareVersion != null) {
            requireText(firmwareVersion, "firmwareVersion", MAX_FIRMWARE);
        }
        if (organization != null) {
            requireText(organization, "organization", MAX_ORGANIZATION);
        }
        if (securityProfile < 1 || securityProfile > 3) {
            throw new IllegalArgumentException("securityProfile must be 1, 2 or 3");
        }
        if (securityProfile == 1 && !scheme.equals("ws")) {
            throw new IllegalArgumentException("security profile 1 is plain ws://; the URL is " + csmsUrl);
        }
        if (securityProfile > 1 && !scheme.equals("wss")) {
            throw new IllegalArgumentException("security profile " + securityProfile + " needs a wss:// URL; the URL is "
                    + csmsUrl);
        }
        if (upgradeToProfile3 && securityProfile == 1) {
            throw new IllegalArgumentException("profile 3 needs wss://: a profile-1 (ws://) station cannot move to it "
                    + "on the same URL");
        }
        password = password == null ? null : password.clone();
        trustAnchors = trustAnchors == null ? List.of() : List.copyOf(trustAnchors);
        if (scheme.equals("wss") && trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("wss:// needs the CSMS root certificates to trust (trust anchors)");
        }
        clientChain = clientChain == null ? List.of() : List.copyOf(clientChain);
        if ((clientKey == null) != clientChain.isEmpty()) {
            throw new IllegalArgumentException("give a client key together with its certificate chain, or neither");
        }
        subprotocols = subprotocols == null || subprotocols.isEmpty() ? DEFAULT_SUBPROTOCOLS : List.copyOf(subprotocols);
        for (OcppVersion v : subprotocols) {
            if (!v.hasTypedMessages()) {
                throw new IllegalArgumentException("the simulator speaks OCPP 2.0.1 and 2.1, not " + v);
            }
        }
        if (subprotocols.stream().distinct().count() != subprotocols.size()) {
            throw new IllegalArgumentException("a subprotocol is offered twice");
        }
        if (heartbeatInterval != null) {
            requirePositive(heartbeatInterval, "heartbeatInterval");
        }
        requirePositive(callTimeout, "callTimeout");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(enrollmentTimeout, "enrollmentTimeout");
        requirePositive(reconnectMinDelay, "reconnectMinDelay");
        requirePositive(reconnectMaxDelay, "reconnectMaxDelay");
        if (reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
            throw new IllegalArgumentException("reconnectMaxDelay is shorter than reconnectMinDelay");
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 1024");
        }
    }

    /** A builder with the defaults: profile 2, enroll and move to 3, 30 s CALL timeout, 1 MiB frames. */
    public static Builder builder(String csmsUrl, String identity) {
        return new Builder(URI.create(csmsUrl), identity);
    }

    /** A builder with the defaults. */
    public static Builder builder(URI csmsUrl, String identity) {
        return new Builder(csmsUrl, identity);
    }

    /** A builder holding this configuration, to change a few settings. */
    public Builder toBuilder() {
        Builder b = new Builder(csmsUrl, identity);
        b.serialNumber = serialNumber;
        b.securityProfile = securityProfile;
        b.upgradeToProfile3 = upgradeToProfile3;
        b.password = password;
        b.trustAnchors = trustAnchors;
        b.clientKey = clientKey;
        b.clientChain = clientChain;
        b.subprotocols = subprotocols;
        b.heartbeatInterval = heartbeatInterval;
        b.stateDirectory = stateDirectory;
        b.organization = organization;
        b.model = model;
        b.vendorName = vendorName;
        b.firmwareVersion = firmwareVersion;
        b.callTimeout = callTimeout;
        b.connectTimeout = connectTimeout;
        b.enrollmentTimeout = enrollmentTimeout;
        b.maxFrameBytes = maxFrameBytes;
        b.verifyHostname = verifyHostname;
        b.compression = compression;
        b.reconnect = reconnect;
        b.reconnectMinDelay = reconnectMinDelay;
        b.reconnectMaxDelay = reconnectMaxDelay;
        return b;
    }

    /** A copy of the configured password (null when none); the caller should clear it after use. */
    @Override
    public char[] password() {
        return password == null ? null : password.clone();
    }

    /** The connection URL: the CSMS URL with the percent-encoded identity as its last segment. */
    public URI stationUrl() {
        return stationUrl(csmsUrl, identity);
    }

    /** {@code base} with the percent-encoded {@code identity} appended as the last path segment (OCPP-J §3.1.1). */
    public static URI stationUrl(URI base, String identity) {
        String s = base.toString();
        return URI.create((s.endsWith("/") ? s : s + "/") + percentEncode(identity));
    }

    /**
     * Percent-encodes a path segment: everything but RFC 3986 unreserved characters (letters,
     * digits, {@code - . _ ~}) is written as {@code %XX} of its UTF-8 bytes, e.g. {@code CS|01} →
     * {@code CS%7C01}.
     */
    public static String percentEncode(String segment) {
        StringBuilder out = new StringBuilder(segment.length() * 3);
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        // the password never appears, nor the key
        return "SimulatorConfig[" + stationUrl() + ", serial " + serialNumber + ", profile " + securityProfile
                + (upgradeToProfile3 ? " then 3" : "") + ", state " + (stateDirectory == null ? "in memory" : stateDirectory)
                + "]";
    }

    private static void requireText(String value, String name, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(name + " is longer than " + max + " characters");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** Builds a {@link SimulatorConfig}. */
    public static final class Builder {
        private final URI csmsUrl;
        private final String identity;
        private String serialNumber;
        private int securityProfile = 2;
        private boolean upgradeToProfile3 = true;
        private char[] password;
        private List<X509Certificate> trustAnchors = List.of();
        private PrivateKey clientKey;
        private List<X509Certificate> clientChain = List.of();
        private List<OcppVersion> subprotocols = DEFAULT_SUBPROTOCOLS;
        private Duration heartbeatInterval;
        private Path stateDirectory;
        private String organization;
        private String model = "ocppsec-sim";
        private String vendorName = "ocppsec";
        private String firmwareVersion;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private Duration connectTimeout = Duration.ofSeconds(15);
        private Duration enrollmentTimeout = Duration.ofSeconds(60);
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private boolean verifyHostname = true;
        private boolean compression = true;
        private boolean reconnect = true;
        private Duration reconnectMinDelay = Duration.ofSeconds(1);
        private Duration reconnectMaxDelay = Duration.ofSeconds(60);

        private Builder(URI csmsUrl, String identity) {
            this.csmsUrl = csmsUrl;
            this.identity = identity;
        }

        /** The serial number (default: the identity, cut to 25 characters). */
        public Builder serialNumber(String v) {
            serialNumber = v;
            return this;
        }

        /**
         * Connect with {@code profile} and stay on it: no enrollment, no move to profile 3. Use
         * {@link #enrollAndUpgrade()} for the default 2-then-3 plan.
         */
        public Builder securityProfile(int profile) {
            securityProfile = profile;
            upgradeToProfile3 = false;
            return this;
        }

        /** Connect with profile 2, enroll if there is no certificate yet, then move to profile 3 (the default). */
        public Builder enrollAndUpgrade() {
            securityProfile = 2;
            upgradeToProfile3 = true;
            return this;
        }

        /** The Basic-auth password (copied). */
        public Builder password(char[] v) {
            password = v == null ? null : v.clone();
            return this;
        }

        public Builder password(String v) {
            return password(v == null ? null : v.toCharArray());
        }

        public Builder trustAnchors(List<X509Certificate> v) {
            trustAnchors = v;
            return this;
        }

        /** The CSMS roots to trust, read from a PEM file. */
        public Builder trustAnchors(Path pemFile) {
            trustAnchors = readCertificates(pemFile);
            return this;
        }

        /** A client key and chain (leaf first) for profile 3, used while the state holds none. */
        public Builder clientCredentials(PrivateKey key, List<X509Certificate> chain) {
            clientKey = key;
            clientChain = chain;
            return this;
        }

        /** A client key and chain from PEM files (PKCS#8, SEC1 or PKCS#1 key). */
        public Builder clientCredentials(Path keyPem, Path chainPem) {
            try {
                clientKey = StationKeys.readPrivateKey(Files.readString(keyPem, StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + keyPem, e);
            }
            clientChain = readCertificates(chainPem);
            return this;
        }

        public Builder subprotocols(List<OcppVersion> v) {
            subprotocols = v;
            return this;
        }

        public Builder subprotocols(OcppVersion... v) {
            subprotocols = Arrays.asList(v);
            return this;
        }

        public Builder heartbeatInterval(Duration v) {
            heartbeatInterval = v;
            return this;
        }

        public Builder stateDirectory(Path v) {
            stateDirectory = v;
            return this;
        }

        public Builder organization(String v) {
            organization = v;
            return this;
        }

        public Builder model(String v) {
            model = v;
            return this;
        }

        public Builder vendorName(String v) {
            vendorName = v;
            return this;
        }

        public Builder firmwareVersion(String v) {
            firmwareVersion = v;
            return this;
        }

        public Builder callTimeout(Duration v) {
            callTimeout = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder enrollmentTimeout(Duration v) {
            enrollmentTimeout = v;
            return this;
        }

        public Builder maxFrameBytes(int v) {
            maxFrameBytes = v;
            return this;
        }

        public Builder verifyHostname(boolean v) {
            verifyHostname = v;
            return this;
        }

        public Builder compression(boolean v) {
            compression = v;
            return this;
        }

        public Builder reconnect(boolean v) {
            reconnect = v;
            return this;
        }

        public Builder reconnectDelays(Duration min, Duration max) {
            reconnectMinDelay = min;
            reconnectMaxDelay = max;
            return this;
        }

        public SimulatorConfig build() {
            String serial = serialNumber != null ? serialNumber
                    : identity == null ? null : identity.length() > MAX_SERIAL ? identity.substring(0, MAX_SERIAL) : identity;
            return new SimulatorConfig(csmsUrl, identity, serial, securityProfile, upgradeToProfile3, password,
                    trustAnchors, clientKey, clientChain, subprotocols, heartbeatInterval, stateDirectory, organization,
                    model, vendorName, firmwareVersion, callTimeout, connectTimeout, enrollmentTimeout, maxFrameBytes,
                    verifyHostname, compression, reconnect, reconnectMinDelay, reconnectMaxDelay);
        }

        private static List<X509Certificate> readCertificates(Path pemFile) {
            String text;
            try {
                if (Files.size(pemFile) > PemCertificates.MAX_PEM_CHARS) {
                    throw new IllegalArgumentException(pemFile + " is larger than " + PemCertificates.MAX_PEM_CHARS
                            + " bytes; that is not a PEM certificate file");
                }
                text = Files.readString(pemFile, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + pemFile, e);
            }
            try {
                return new ArrayList<>(PemCertificates.read(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(pemFile + ": " + e.getMessage(), e);
            }
        }
    }
}
