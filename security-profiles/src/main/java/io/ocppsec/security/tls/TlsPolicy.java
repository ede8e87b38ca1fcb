package io.ocppsec.security.tls;

import io.ocppsec.security.profile.SecurityProfile;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The TLS settings of the CSMS side for security profiles 2 and 3, and the check of a negotiated
 * session against them.
 *
 * <ul>
 *   <li>Protocols: TLS 1.3 and TLS 1.2 only (A00.FR.312/313, A00.FR.415/416); the CSMS terminates
 *       a station that only offers older TLS or SSL (A00.FR.315/418, TC_A_06_CSMS).</li>
 *   <li>TLS 1.2 suites: exactly the four of A00.FR.318 / A00.FR.421; TLS 1.3 suites: the three
 *       BoringSSL always enables (see {@link CipherSuite}). Anything else, in particular CBC, 3DES,
 *       RC4 and NULL suites, is not enabled, so a station offering only such suites fails the
 *       handshake (A00.FR.320/322, A00.FR.423/425). {@link #withForwardSecrecyOnly()} drops the two
 *       {@code TLS_RSA} suites for jurisdictions where forward secrecy is mandatory (A00.FR.319
 *       note 1).</li>
 *   <li>No TLS compression (A00.FR.321/424) and no renegotiation: both are fixed, not options. The
 *       JDK does not implement TLS compression at all and BoringSSL has removed it; renegotiation
 *       does not exist in TLS 1.3, BoringSSL refuses it on servers, and on a JDK server it should be
 *       refused with the system property {@code jdk.tls.rejectClientInitiatedRenegotiation=true}
 *       (the terminator sets it at start-up; a library must not set JVM-wide properties).</li>
 *   <li>Client certificates: {@link ClientAuth}. {@link #forProfile(SecurityProfile)} gives
 *       {@link ClientAuth#NONE} for profile 2 and {@link ClientAuth#OPTIONAL} for profile 3
 *       (requested but not required, as our shared wss listener does; the profile rules then refuse
 *       a profile-3 station without a certificate at the upgrade, with a reason and an event). A
 *       listener dedicated to profile 3 may use {@code withClientAuth(ClientAuth.REQUIRED)}.</li>
 * </ul>
 *
 * @param protocols    enabled protocols, most preferred first
 * @param cipherSuites enabled suites, most preferred first
 * @param clientAuth   whether a client certificate is requested or required
 */
public record TlsPolicy(List<TlsProtocol> protocols, List<CipherSuite> cipherSuites, ClientAuth clientAuth) {

    private static final int MAX_REPORTED_NAME = 64;

    public TlsPolicy {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        Objects.requireNonNull(clientAuth, "clientAuth");
        if (protocols.isEmpty() || cipherSuites.isEmpty()) {
            throw new IllegalArgumentException("a TLS policy needs at least one protocol and one cipher suite");
        }
        if (EnumSet.copyOf(protocols).size() != protocols.size()
                || EnumSet.copyOf(cipherSuites).size() != cipherSuites.size()) {
            throw new IllegalArgumentException("duplicate protocol or cipher suite");
        }
        for (TlsProtocol p : protocols) {
            boolean hasSuite = false;
            for (CipherSuite s : cipherSuites) {
                hasSuite |= s.protocol() == p;
            }
            if (!hasSuite) {
                throw new IllegalArgumentException("no cipher suite enabled for " + p.jsseName());
            }
        }
    }

    /**
     * TLS 1.3 and 1.2, all seven allowed suites (TLS 1.3 first, then ECDHE before RSA, AES-128
     * before AES-256), no client certificate.
     */
    public static TlsPolicy standard() {
        return new TlsPolicy(List.of(TlsProtocol.TLS_1_3, TlsProtocol.TLS_1_2),
                List.of(CipherSuite.values()), ClientAuth.NONE);
    }

    /**
     * The policy of a security profile: empty for profile 1 (plain {@code ws://}, no TLS at all),
     * {@link #standard()} for profile 2, and the same with {@link ClientAuth#OPTIONAL} for profile 3.
     */
    public static Optional<TlsPolicy> forProfile(SecurityProfile profile) {
        return switch (Objects.requireNonNull(profile, "profile")) {
            case UNSECURED_TRANSPORT_BASIC_AUTH -> Optional.empty();
            case TLS_BASIC_AUTH -> Optional.of(standard());
            case TLS_CLIENT_CERTIFICATE -> Optional.of(standard().withClientAuth(ClientAuth.OPTIONAL));
        };
    }

    /** This policy with another client-certificate setting. */
    public TlsPolicy withClientAuth(ClientAuth auth) {
        return new TlsPolicy(protocols, cipherSuites, auth);
    }

    /** This policy without the {@code TLS_RSA} suites (static RSA key exchange has no forward secrecy). */
    public TlsPolicy withForwardSecrecyOnly() {
        List<CipherSuite> kept = new ArrayList<>();
        for (CipherSuite s : cipherSuites) {
            if (s.forwardSecrecy()) {
                kept.add(s);
            }
        }
        return new TlsPolicy(protocols, kept, clientAuth);
    }

    /** Always false: TLS compression is never used (A00.FR.321 / A00.FR.424). */
    public boolean compressionAllowed() {
        return false;
    }

    /** Always false: renegotiation is never allowed. */
    public boolean renegotiationAllowed() {
        return false;
    }

    /** The protocols for {@link SSLParameters#setProtocols} / netty's {@code protocols(...)}. */
    public String[] enabledProtocols() {
        String[] out = new String[protocols.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = protocols.get(i).jsseName();
        }
        return out;
    }

    /** The suites in IANA form, for {@link SSLParameters#setCipherSuites} and netty's {@code ciphers(...)}. */
    public String[] enabledCipherSuites() {
        String[] out = new String[cipherSuites.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = cipherSuites.get(i).ianaName();
        }
        return out;
    }

    /** The TLS 1.2 suites in OpenSSL form, e.g. for an OpenSSL {@code -cipher} string (joined with ':'). */
    public List<String> openSslTls12CipherSuites() {
        List<String> out = new ArrayList<>();
        for (CipherSuite s : cipherSuites) {
            if (s.protocol() == TlsProtocol.TLS_1_2) {
                out.add(s.openSslName());
            }
        }
        return List.copyOf(out);
    }

    /** The TLS 1.3 suites, e.g. for an OpenSSL {@code -ciphersuites} string (joined with ':'). */
    public List<String> tls13CipherSuites() {
        List<String> out = new ArrayList<>();
        for (CipherSuite s : cipherSuites) {
            if (s.protocol() == TlsProtocol.TLS_1_3) {
                out.add(s.ianaName());
            }
        }
        return List.copyOf(out);
    }

    /**
     * Writes this policy into {@code params} (protocols, suites in our order with server preference,
     * client-certificate request) and returns it.
     */
    public SSLParameters apply(SSLParameters params) {
        params.setProtocols(enabledProtocols());
        params.setCipherSuites(enabledCipherSuites());
        params.setUseCipherSuitesOrder(true);
        switch (clientAuth) {
            case NONE -> params.setNeedClientAuth(false); // also clears "want"
            case OPTIONAL -> params.setWantClientAuth(true);
            case REQUIRED -> params.setNeedClientAuth(true);
        }
        return params;
    }

    /** Configures a server-side JDK engine with this policy. */
    public SSLEngine configure(SSLEngine engine) {
        engine.setSSLParameters(apply(engine.getSSLParameters()));
        return engine;
    }

    /** Checks a finished handshake: {@link #check(String, String)} on its protocol and suite. */
    public TlsCheck check(SSLSession session) {
        Objects.requireNonNull(session, "session");
        return check(session.getProtocol(), session.getCipherSuite());
    }

    /**
     * Checks a negotiated protocol and cipher suite (suite in IANA or OpenSSL form). Total: any
     * strings give a result; refusals name the security event to log ({@code InvalidTLSVersion}
     * for the protocol, {@code InvalidTLSCipherSuite} for the suite).
     */
    public TlsCheck check(String negotiatedProtocol, String negotiatedSuite) {
        Optional<TlsProtocol> protocol = TlsProtocol.fromJsseName(negotiatedProtocol);
        if (protocol.isEmpty()) {
            return refused(TlsCheck.Reason.PROTOCOL_NOT_ALLOWED, "protocol " + shown(negotiatedProtocol));
        }
        if (!protocols.contains(protocol.get())) {
            return refused(TlsCheck.Reason.PROTOCOL_NOT_ENABLED, "protocol " + shown(negotiatedProtocol));
        }
        Optional<CipherSuite> suite = CipherSuite.fromName(negotiatedSuite);
        if (suite.isEmpty()) {
            return refused(TlsCheck.Reason.CIPHER_SUITE_NOT_ALLOWED, "cipher suite " + shown(negotiatedSuite));
        }
        if (suite.get().protocol() != protocol.get()) {
            return refused(TlsCheck.Reason.CIPHER_SUITE_PROTOCOL_MISMATCH,
                    "cipher suite " + suite.get().ianaName() + " with " + protocol.get().jsseName());
        }
        if (!cipherSuites.contains(suite.get())) {
            return refused(TlsCheck.Reason.CIPHER_SUITE_NOT_ENABLED, "cipher suite " + suite.get().ianaName());
        }
        return new TlsCheck.Accepted(protocol.get(), suite.get());
    }

    private static TlsCheck.Refused refused(TlsCheck.Reason reason, String detail) {
        return new TlsCheck.Refused(reason, detail);
    }

    /** A peer-chosen name, made safe for a log line: truncated, printable ASCII only. */
    private static String shown(String name) {
        if (name == null) {
            return "<none>";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && i < MAX_REPORTED_NAME; i++) {
            char c = name.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (name.length() > MAX_REPORTED_NAME) {
            sb.append("...");
        }
        return sb.toString();
    }
}
