package io.ocppsec.terminator.upgrade;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.rpc.Subprotocols;
import io.ocppsec.security.auth.BasicAuthDecision;
import io.ocppsec.security.auth.BasicAuthHeader;
import io.ocppsec.security.auth.BasicAuthResult;
import io.ocppsec.security.auth.BasicCredentials;
import io.ocppsec.security.auth.PasswordHasher;
import io.ocppsec.security.auth.StationIdentity;
import io.ocppsec.security.cert.CertificateFingerprint;
import io.ocppsec.security.cert.ClientCertificateIdentityPolicy;
import io.ocppsec.security.cert.StationFacts;
import io.ocppsec.security.profile.Admission;
import io.ocppsec.security.profile.ConnectionEvidence;
import io.ocppsec.security.profile.ProfilePolicy;
import io.ocppsec.security.profile.SecurityProfile;
import io.ocppsec.security.profile.StationSecurityState;
import io.ocppsec.terminator.pki.PkiClient;
import io.ocppsec.terminator.pki.StationRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The station's policy at the WebSocket upgrade (design §3, OCPP A00): the station must be known and
 * enabled; its connection must show its configured profile and not one below its floor (A00.FR.002,
 * A05.FR.07, no downgrade); profiles 1 and 2 need Basic credentials whose user-id is the identity
 * (A00.FR.204/303) and whose password matches, compared in constant time (A00.FR.207/324); profile 3
 * needs a client certificate (the TLS handshake already checked that it chains to a station CA)
 * that is within its validity unless the station has the A00.FR.429 exception, is not revoked, and
 * whose CN and O match the record (A00.FR.404/405). Then the subprotocol: the first of the record's
 * versions the station offered (OCPP-J §3.3).
 *
 * <p>Nothing here blocks an event loop: the record and the revocation status come from caches or
 * from pki-service asynchronously, and password hashing runs on a small bounded pool, after which a
 * verified password is remembered (keyed by a per-process HMAC, compared in constant time) so a
 * reconnecting station does not cost another Argon2id run.
 */
public final class StationAdmission {
    private static final long CREDENTIAL_TTL_MILLIS = 10 * 60_000L;

    private final PkiClient pki;
    private final ExecutorService hashing;
    private final PasswordHasher hasher = new PasswordHasher();
    private final ClientCertificateIdentityPolicy identityPolicy = ClientCertificateIdentityPolicy.defaults();
    private final TtlCache<String, Optional<StationRecord>> stations = new TtlCache<>(5_000, 3_600_000, 200_000);
    /**
     * Revocation answers from pki-service's OCSP broker, fresh for 30 s: with the broker's own cache
     * dropped at revocation, a revoked certificate is refused within a minute everywhere.
     */
    private final TtlCache<String, String> revocation = new TtlCache<>(30_000, 86_400_000, 200_000);
    private final java.util.function.Function<X509Certificate, X509Certificate> issuerOf;
    private final TtlCache<String, byte[]> verifiedPasswords = new TtlCache<>(CREDENTIAL_TTL_MILLIS, CREDENTIAL_TTL_MILLIS, 200_000);
    private final byte[] macKey = new byte[32];
    private final boolean allowOcpp16;

    /** {@code issuerOf}: the station CA that issued a client certificate (from the trust anchors), or null. */
    public StationAdmission(PkiClient pki, ExecutorService hashing, boolean allowOcpp16,
                            java.util.function.Function<X509Certificate, X509Certificate> issuerOf) {
        this.issuerOf = issuerOf;
        this.pki = pki;
        this.hashing = hashing;
        this.allowOcpp16 = allowOcpp16;
        new SecureRandom().nextBytes(macKey);
    }

    /** What the connection showed. {@code clientChain} is null without a client certificate. */
    public record Request(StationIdentity identity, boolean tls, X509Certificate[] clientChain,
                          String authorization, List<String> offeredSubprotocols) {
    }

    public CompletableFuture<Decision> decide(Request r) {
        return stations.get(r.identity().canonicalKey(), k -> pki.station(r.identity().value()))
                .thenCompose(found -> {
                    if (found.isEmpty()) {
                        return done(Decision.Refuse.of(404, "UNKNOWN_STATION", null, "UnknownChargingStation",
                                "no station with this identity is registered"));
                    }
                    StationRecord s = found.get();
                    if (!s.enabled()) {
                        return done(Decision.Refuse.of(403, "STATION_DISABLED", null, "DisabledChargingStation",
                                "the station is disabled"));
                    }
                    return admit(r, s);
                })
                .exceptionally(err -> {
                    Throwable c = err.getCause() != null ? err.getCause() : err;
                    if (c instanceof RejectedExecutionException) {
                        return new Decision.Refuse(503, "OVERLOADED", null, "TerminatorOverloaded",
                                "too many authentications in progress", 5, false);
                    }
                    return new Decision.Refuse(503, "PKI_UNAVAILABLE", null, "TerminatorOverloaded",
                            "pki-service could not be asked: " + c.getMessage(), 10, false);
                });
    }

    private CompletableFuture<Decision> admit(Request r, StationRecord s) {
        SecurityProfile configured;
        SecurityProfile floor;
        try {
            configured = SecurityProfile.fromNumber(s.securityProfile()).orElseThrow();
            floor = SecurityProfile.fromNumber(Math.max(1, Math.min(s.profileFloor(), s.securityProfile()))).orElseThrow();
        } catch (RuntimeException e) {
            return done(Decision.Refuse.of(403, "PROFILE_UNKNOWN", null, "ProfileViolation", "the station record has no valid profile"));
        }
        boolean cert = r.clientChain() != null && r.clientChain().length > 0;
        boolean basic = r.authorization() != null && !r.authorization().isBlank();
        ConnectionEvidence evidence = new ConnectionEvidence(r.tls(), cert && r.tls(), basic);
        // An upgrade in progress (A05): the record is raised to the new profile and the floor stays at
        // the old one until the station has connected with the new profile (pki-service then raises
        // it, A05.FR.06/07). Until then either profile in between is the station's own.
        SecurityProfile shown = evidence.shownProfile();
        if (!shown.lowerThan(floor) && shown.lowerThan(configured)) {
            configured = shown;
        }
        Admission a = ProfilePolicy.admit(new StationSecurityState(configured, floor, false), evidence);
        if (a instanceof Admission.Refuse refuse) {
            int status = refuse.reason() == Admission.Reason.BASIC_AUTH_REQUIRED ? 401 : 403;
            return done(Decision.Refuse.of(status, refuse.reason().name(), refuse.reason().requirement(),
                    "ProfileViolation", "station configured for profile " + refuse.expected().number()
                            + ", connection shows profile " + refuse.shown().number()));
        }
        Optional<OcppVersion> version = Subprotocols.select(r.offeredSubprotocols(), allowedVersions(s));
        if (configured.usesClientCertificate()) {
            return clientCertificate(r, s, version.orElse(null));
        }
        int admitted = configured.number();
        return basic(r, s).thenApply(refusal -> refusal != null ? refusal
                : new Decision.Admit(s, admitted, version.orElse(null), null, null, false));
    }

    private List<OcppVersion> allowedVersions(StationRecord s) {
        List<OcppVersion> out = new ArrayList<>();
        for (OcppVersion v : s.allowedVersions()) {
            if (v.hasTypedMessages() || allowOcpp16) {
                out.add(v);
            }
        }
        return out;
    }

    // --- profile 1 and 2: Basic -------------------------------------------------------------------

    private CompletableFuture<Decision.Refuse> basic(Request r, StationRecord s) {
        BasicAuthResult parsed = BasicAuthHeader.parse(r.authorization());
        if (parsed instanceof BasicAuthResult.Refused bad) {
            return done(Decision.Refuse.of(401, "BASIC_AUTH_MALFORMED", "A00.FR.207", "InvalidBasicAuthentication",
                    "the Authorization header is not valid Basic credentials: " + bad.detail()));
        }
        BasicCredentials credentials = (BasicCredentials) parsed;
        if (!credentials.usernameEquals(r.identity())) {
            credentials.clear();
            return done(Decision.Refuse.of(401, "USERNAME_MISMATCH", "A00.FR.204", "InvalidBasicAuthentication",
                    "the Basic user-id is not the station identity"));
        }
        if (s.passwordHash() == null && s.pendingPasswordHash() == null) {
            credentials.clear();
            return done(Decision.Refuse.of(401, "NO_PASSWORD_ON_RECORD", "A00.FR.207", "InvalidBasicAuthentication",
                    "the station has no password on record"));
        }
        char[] password = credentials.password();
        credentials.clear();
        String key = s.identity().toLowerCase(java.util.Locale.ROOT) + "\n" + s.version();
        byte[] tag = mac(key, password);
        byte[] remembered = verifiedPasswords.fresh(key);
        if (remembered != null && MessageDigest.isEqual(remembered, tag)) {
            java.util.Arrays.fill(password, '\0');
            return done(null);
        }
        CompletableFuture<Decision.Refuse> out = new CompletableFuture<>();
        hashing.execute(() -> {
            try {
                boolean current = verify(password, s.passwordHash());
                boolean pending = !current && verify(password, s.pendingPasswordHash());
                if (current || pending) {
                    if (pending) {
                        // A01.FR.03: the station uses the new password, so it becomes the current one;
                        // pki-service decides that from the password itself.
                        pki.confirmPendingPassword(s.identity(), password.clone());
                    } else {
                        verifiedPasswords.put(key, tag);
                    }
                    out.complete(null);
                } else {
                    out.complete(Decision.Refuse.of(401, BasicAuthDecision.Reason.WRONG_PASSWORD.name(), "A00.FR.207",
                            "InvalidBasicAuthentication", "the password does not match"));
                }
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            } finally {
                java.util.Arrays.fill(password, '\0');
            }
        });
        return out;
    }

    private boolean verify(char[] password, String hash) {
        return hash != null && hasher.verify(password, hash);
    }

    private byte[] mac(String key, char[] password) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(macKey, "HmacSHA256"));
            m.update(key.getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            java.nio.ByteBuffer bb = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
            byte[] pw = new byte[bb.remaining()];
            bb.get(pw);
            m.update(pw);
            java.util.Arrays.fill(pw, (byte) 0);
            if (bb.hasArray()) {
                java.util.Arrays.fill(bb.array(), (byte) 0);
            }
            return m.doFinal();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- profile 3: the client certificate ---------------------------------------------------------

    private CompletableFuture<Decision> clientCertificate(Request r, StationRecord s, OcppVersion version) {
        X509Certificate leaf = r.clientChain()[0];
        long now = System.currentTimeMillis();
        boolean expired = now > leaf.getNotAfter().getTime();
        if (now < leaf.getNotBefore().getTime()) {
            return done(Decision.Refuse.of(403, "CERTIFICATE_NOT_YET_VALID", "A00.FR.407",
                    "InvalidChargingStationCertificate", "the client certificate is not valid yet"));
        }
        if (expired && !s.allowExpiredClientCertificate()) {
            return done(Decision.Refuse.of(403, "CERTIFICATE_EXPIRED", "A00.FR.407",
                    "InvalidChargingStationCertificate", "the client certificate has expired"));
        }
        ClientCertificateIdentityPolicy.Binding binding = identityPolicy.bind(leaf,
                new StationFacts(s.identity(), s.serialNumber(), s.organization()));
        if (binding instanceof ClientCertificateIdentityPolicy.Refused refused) {
            return done(Decision.Refuse.of(403, refused.reason().name(), refused.reason().requirement(),
                    "InvalidChargingStationCertificate", refused.detail()));
        }
        String serial = leaf.getSerialNumber().toString(16);
        String fingerprint = CertificateFingerprint.sha256(leaf).replace(":", "").toLowerCase(java.util.Locale.ROOT); // plain hex
        X509Certificate[] chain = r.clientChain();
        // The broker's answer by CertID (the issuer CA's name and key, the serial); the issuer is looked
        // up only when the cache has no fresh answer.
        CompletableFuture<String> lookup = revocation.get(serial + "/" + leaf.getIssuerX500Principal().getName(), k -> {
            X509Certificate issuer = chain.length > 1 && chain[1].getSubjectX500Principal().equals(leaf.getIssuerX500Principal())
                    ? chain[1] : issuerOf.apply(leaf);
            // without the issuer's certificate at hand: pki-service's inventory by serial
            return issuer == null ? pki.certificateStatus(serial) : pki.ocspStatus(s.identity(), leaf, issuer);
        });
        return lookup.thenApply(status -> {
            if ("REVOKED".equals(status)) {
                return Decision.Refuse.of(403, "CERTIFICATE_REVOKED", "A00.FR.407", "InvalidChargingStationCertificate",
                        "the client certificate is revoked");
            }
            return new Decision.Admit(s, 3, version, ((ClientCertificateIdentityPolicy.Bound) binding).commonName(), fingerprint,
                    expired);
        });
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
