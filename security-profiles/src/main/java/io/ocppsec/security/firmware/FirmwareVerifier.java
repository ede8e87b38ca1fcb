package io.ocppsec.security.firmware;

import io.ocppsec.security.cert.PemCertificates;
import io.ocppsec.security.firmware.FirmwareVerification.Outcome;
import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Checks an UpdateFirmware {@code signingCertificate} and {@code signature} against an image
 * digest, as a station would (L01.FR.21/22, L01.FR.03; A00.FR.707): the path from the signing
 * certificate to one of the manufacturer roots, validity, key usage (digitalSignature) and EKU
 * (codeSigning), revocation, then the signature over the whole image's SHA-256.
 *
 * <p>The checks run in this order and the first that fails decides (reason codes in brackets):
 * <ol>
 *   <li>the PEM: at most {@value #MAX_PEM_CHARS} characters and {@value #MAX_CERTIFICATES}
 *       certificates, the first being the signing certificate and the others intermediates in any
 *       order (NO_CERTIFICATE, CERTIFICATE_UNREADABLE, CHAIN_TOO_LONG);</li>
 *   <li>a path from the signing certificate through the intermediates to a manufacturer root, at
 *       most {@value #MAX_PATH} certificates: issuer name, then the issuer's signature, then the
 *       issuer being a CA allowed to sign certificates, then its path length constraint (UNTRUSTED,
 *       CHAIN_LOOP, BAD_CHAIN_SIGNATURE, ISSUER_NOT_CA, PATH_LENGTH, CHAIN_TOO_LONG; a signing
 *       certificate that is itself a root: SIGNER_IS_CA or SIGNER_IS_ROOT);</li>
 *   <li>the validity of every certificate of the path (EXPIRED, NOT_YET_VALID);</li>
 *   <li>the signing certificate: digitalSignature if it has a key usage, codeSigning in its extended
 *       key usage, not a CA, a key firmware can be signed with (NO_DIGITAL_SIGNATURE,
 *       NOT_CODE_SIGNING, SIGNER_IS_CA, UNSUPPORTED_KEY); and no certificate below the root with a
 *       critical extension that is not processed here (UNSUPPORTED_CRITICAL_EXTENSION);</li>
 *   <li>revocation of the signing certificate and the intermediates, unless the policy is
 *       {@link RevocationPolicy#OFF} (REVOKED; with {@link RevocationPolicy#REQUIRE} also
 *       REVOCATION_UNKNOWN, REVOCATION_UNAVAILABLE);</li>
 *   <li>the signature (SIGNATURE_EMPTY, SIGNATURE_TOO_LONG, SIGNATURE_NOT_BASE64,
 *       SIGNATURE_MISMATCH), else VALID.</li>
 * </ol>
 * Steps 1 to 4 answer InvalidCertificate, a revoked certificate RevokedCertificate, step 6
 * InvalidSignature. Messages name certificates by subject and never repeat the signature.
 *
 * <p>Immutable and thread-safe: one verifier per set of manufacturer roots, shared by all callers.
 */
public final class FirmwareVerifier {
    /** Longest {@code signingCertificate} PEM text read. */
    public static final int MAX_PEM_CHARS = 10_000;
    /** Most certificates in the PEM: the signing certificate and up to three intermediates. */
    public static final int MAX_CERTIFICATES = 4;
    /** Most certificates in a path, signing certificate and root included. */
    public static final int MAX_PATH = 5;

    private static final String CODE_SIGNING = KeyPurposeId.id_kp_codeSigning.getId();
    /** ecdsa-with-SHA256/384/512 (RFC 5758) and the JDK digest each uses. */
    private static final Map<String, String> ECDSA_DIGESTS = Map.of(X9ObjectIdentifiers.ecdsa_with_SHA256.getId(), "SHA-256",
            X9ObjectIdentifiers.ecdsa_with_SHA384.getId(), "SHA-384", X9ObjectIdentifiers.ecdsa_with_SHA512.getId(), "SHA-512");
    private static final Set<String> UNDERSTOOD_CRITICAL = Set.of(Extension.basicConstraints.getId(),
            Extension.keyUsage.getId(), Extension.extendedKeyUsage.getId(), Extension.subjectAlternativeName.getId(),
            Extension.certificatePolicies.getId());
    private static final String BEGIN_CERTIFICATE = "-----BEGIN CERTIFICATE-----";
    private static final String NOT_CHECKED = "NOT_CHECKED";
    private static final int MAX_NAME_CHARS = 200;

    /** What to do when revocation status cannot be had. */
    public enum RevocationPolicy {
        /** UNKNOWN or UNAVAILABLE → InvalidCertificate. */
        REQUIRE,
        /** UNKNOWN or UNAVAILABLE pass (reported in {@link FirmwareVerification#revocation()}). */
        SOFT_FAIL,
        /** Revocation is not asked. */
        OFF
    }

    private final List<Root> roots;
    private final Map<X500Principal, List<Root>> rootsBySubject;
    private final RevocationCheck revocation;
    private final RevocationPolicy policy;

    /**
     * @param manufacturerRoots the trusted roots (may be empty: then nothing is trusted)
     * @param revocation        asked for each certificate below the root; may be null only with {@link RevocationPolicy#OFF}
     * @param policy            what an UNKNOWN or UNAVAILABLE status means
     */
    public FirmwareVerifier(List<X509Certificate> manufacturerRoots, RevocationCheck revocation, RevocationPolicy policy) {
        Objects.requireNonNull(manufacturerRoots, "manufacturerRoots");
        this.policy = Objects.requireNonNull(policy, "policy");
        if (revocation == null && policy != RevocationPolicy.OFF) {
            throw new IllegalArgumentException("a RevocationCheck is needed unless the revocation policy is OFF");
        }
        this.revocation = revocation;
        List<Root> list = new ArrayList<>();
        Map<X500Principal, List<Root>> bySubject = new HashMap<>();
        for (X509Certificate c : manufacturerRoots) {
            Root r = new Root(Objects.requireNonNull(c, "a manufacturer root is null"), encoded(c), ecKey(c));
            list.add(r);
            bySubject.computeIfAbsent(c.getSubjectX500Principal(), k -> new ArrayList<>()).add(r);
        }
        this.roots = List.copyOf(list);
        bySubject.replaceAll((k, v) -> List.copyOf(v));
        this.rootsBySubject = Map.copyOf(bySubject);
    }

    /**
     * @param sha256                the SHA-256 of the whole image (32 bytes; see {@link ImageDigests})
     * @param signatureBase64       the UpdateFirmware {@code signature}
     * @param signingCertificatePem the PEM as UpdateFirmware carries it (the signing certificate, optionally followed by intermediates)
     * @param now                   the time at which the certificates must be valid
     * @throws IllegalArgumentException when {@code sha256} is not 32 bytes
     */
    public FirmwareVerification verify(byte[] sha256, String signatureBase64, String signingCertificatePem, Instant now) {
        if (sha256 == null || sha256.length != ImageDigest.LENGTH) {
            throw new IllegalArgumentException("a SHA-256 digest is " + ImageDigest.LENGTH + " bytes, got "
                    + (sha256 == null ? "none" : sha256.length));
        }
        byte[] digest = sha256.clone();
        FirmwareVerification certificate = checkCertificate(signingCertificatePem, now);
        if (!certificate.valid()) {
            return certificate;
        }
        List<X509Certificate> path = certificate.path();
        X509Certificate signer = path.get(0);
        String status = certificate.revocation();

        // 6. The signature over the image digest.
        byte[] signature;
        try {
            signature = FirmwareSignatures.decode(signatureBase64);
        } catch (FirmwareSignatureException e) {
            return new FirmwareVerification(Outcome.InvalidSignature, e.reason(), e.getMessage(), path, status);
        }
        if (!FirmwareSignatures.verify(signer.getPublicKey(), digest, signature)) {
            return new FirmwareVerification(Outcome.InvalidSignature, "SIGNATURE_MISMATCH",
                    "The signature is not a valid signature of the image's SHA-256 by the signing certificate "
                            + name(signer) + ".", path, status);
        }
        return new FirmwareVerification(Outcome.Valid, "VALID", "The firmware signature and the signing certificate "
                + name(signer) + " are valid.", path, status);
    }

    /**
     * Steps 1 to 5 alone: the signing certificate (PEM as UpdateFirmware carries it), its path to a
     * manufacturer root, validity, key usage and EKU, revocation. Valid (reason CERTIFICATE_VALID,
     * with the path) when a signature by it would be checked next; otherwise the outcome {@link #verify}
     * would give. For bringing in a signing certificate as for checking an image.
     */
    public FirmwareVerification checkCertificate(String signingCertificatePem, Instant now) {
        Objects.requireNonNull(now, "now");
        List<X509Certificate> given;
        try {
            given = readPem(signingCertificatePem);
        } catch (Refusal r) {
            return invalidCertificate(r, List.of());
        }
        X509Certificate signer = given.get(0);

        // 2. The path to a manufacturer root.
        List<X509Certificate> path;
        try {
            path = buildPath(signer, given.subList(1, given.size()));
        } catch (Refusal r) {
            return invalidCertificate(r, List.of());
        }

        // 3. Validity of the whole path.
        Date at = Date.from(now);
        for (int i = 0; i < path.size(); i++) {
            X509Certificate c = path.get(i);
            try {
                c.checkValidity(at);
            } catch (CertificateExpiredException e) {
                return invalidCertificate(new Refusal("EXPIRED", capital(role(i, path.size())) + " " + name(c)
                        + " expired at " + c.getNotAfter().toInstant() + "."), path);
            } catch (CertificateNotYetValidException e) {
                return invalidCertificate(new Refusal("NOT_YET_VALID", capital(role(i, path.size())) + " " + name(c)
                        + " is not valid before " + c.getNotBefore().toInstant() + "."), path);
            }
        }

        // 4. The signing certificate itself, and no critical extension this check does not understand.
        try {
            checkSigner(signer);
            checkCriticalExtensions(path);
        } catch (Refusal r) {
            return invalidCertificate(r, path);
        }

        // 5. Revocation.
        String status = NOT_CHECKED;
        if (policy != RevocationPolicy.OFF) {
            Revocation found = checkRevocation(path);
            status = found.summary.name();
            if (found.summary == RevocationCheck.Status.REVOKED) {
                return new FirmwareVerification(Outcome.RevokedCertificate, "REVOKED",
                        capital(role(found.index, path.size())) + " " + name(path.get(found.index)) + " is revoked.",
                        path, status);
            }
            if (policy == RevocationPolicy.REQUIRE && found.summary != RevocationCheck.Status.GOOD) {
                boolean unknown = found.summary == RevocationCheck.Status.UNKNOWN;
                String what = unknown ? "is not known to its revocation service" : "could not be checked for revocation";
                return new FirmwareVerification(Outcome.InvalidCertificate,
                        unknown ? "REVOCATION_UNKNOWN" : "REVOCATION_UNAVAILABLE",
                        capital(role(found.index, path.size())) + " " + name(path.get(found.index)) + " " + what
                                + ", and the revocation policy requires a status.", path, status);
            }
        }

        return new FirmwareVerification(Outcome.Valid, "CERTIFICATE_VALID", "The signing certificate " + name(signer)
                + " is valid.", path, status);
    }

    private FirmwareVerification invalidCertificate(Refusal r, List<X509Certificate> path) {
        return new FirmwareVerification(Outcome.InvalidCertificate, r.reason, r.getMessage(), path, NOT_CHECKED);
    }

    private static List<X509Certificate> readPem(String pem) {
        if (pem != null && pem.length() > MAX_PEM_CHARS) {
            throw new Refusal("CERTIFICATE_UNREADABLE", "The signing certificate PEM is longer than "
                    + MAX_PEM_CHARS + " characters.");
        }
        if (pem == null || pem.isBlank()) {
            throw new Refusal("NO_CERTIFICATE", "No signing certificate was given.");
        }
        int blocks = count(pem, BEGIN_CERTIFICATE);
        if (blocks == 0) {
            if (pem.contains("-----BEGIN ")) {
                throw new Refusal("NO_CERTIFICATE", "The PEM text holds no certificate.");
            }
            throw new Refusal("CERTIFICATE_UNREADABLE", "The signing certificate is not PEM text.");
        }
        if (blocks > MAX_CERTIFICATES) {
            throw new Refusal("CHAIN_TOO_LONG", "The PEM text holds " + blocks + " certificates; at most "
                    + MAX_CERTIFICATES + " (the signing certificate and its intermediates) are accepted.");
        }
        try {
            return PemCertificates.read(pem);
        } catch (IllegalArgumentException e) {
            throw new Refusal("CERTIFICATE_UNREADABLE", "The signing certificate PEM cannot be read: " + e.getMessage() + ".");
        }
    }

    // ---------------------------------------------------------------- path building

    /**
     * The path from {@code signer} to a manufacturer root (signer first, root last), trying every
     * issuer whose subject is the issuer name (the one whose subject key identifier matches the
     * authority key identifier first). Depth-first over at most {@value #MAX_CERTIFICATES} - 1
     * intermediates; a certificate already on the path is never added again, so loops end.
     */
    private List<X509Certificate> buildPath(X509Certificate signer, List<X509Certificate> intermediates) {
        if (rootFor(signer) != null) {
            if (signer.getBasicConstraints() >= 0) {
                throw new Refusal("SIGNER_IS_CA", "The signing certificate " + name(signer)
                        + " is a manufacturer root (a CA); firmware must be signed by a certificate it issued.");
            }
            throw new Refusal("SIGNER_IS_ROOT", "The signing certificate " + name(signer)
                    + " is itself one of the manufacturer roots; firmware must be signed by a certificate a root issued.");
        }
        // A PEM copy of a trusted root is that root; duplicates are dropped.
        List<Candidate> pool = new ArrayList<>();
        for (X509Certificate c : intermediates) {
            byte[] der = encoded(c);
            boolean seen = rootFor(c) != null || Arrays.equals(der, encoded(signer));
            for (Candidate p : pool) {
                seen |= Arrays.equals(der, p.der);
            }
            if (!seen) {
                pool.add(new Candidate(c, der, false, ecKey(c)));
            }
        }
        if (roots.isEmpty()) {
            throw new Refusal("UNTRUSTED", "No manufacturer root is configured, so the signing certificate "
                    + name(signer) + " cannot be trusted.");
        }
        Search search = new Search();
        List<X509Certificate> path = new ArrayList<>();
        path.add(signer);
        List<byte[]> onPath = new ArrayList<>();
        onPath.add(encoded(signer));
        if (extend(path, onPath, pool, search)) {
            return List.copyOf(path);
        }
        throw search.worst != null ? search.worst
                : new Refusal("UNTRUSTED", "No path leads from " + name(signer) + " to a manufacturer root.");
    }

    private boolean extend(List<X509Certificate> path, List<byte[]> onPath, List<Candidate> pool, Search search) {
        X509Certificate child = path.get(path.size() - 1);
        List<Candidate> issuers = issuersOf(child, pool);
        if (issuers.isEmpty()) {
            search.note(new Refusal("UNTRUSTED", "No manufacturer root or given intermediate is the issuer "
                    + name(child.getIssuerX500Principal()) + " of " + name(child) + "."), 1);
            return false;
        }
        for (Candidate issuer : issuers) {
            if (contains(onPath, issuer.der)) {
                if (Arrays.equals(issuer.der, onPath.get(onPath.size() - 1)) && signedBy(child, issuer)) {
                    search.note(new Refusal("UNTRUSTED", "The path ends at the self-signed certificate " + name(child)
                            + ", which is not one of the manufacturer roots."), 1);
                } else {
                    search.note(new Refusal("CHAIN_LOOP", "The certificates loop: " + name(issuer.certificate)
                            + " appears twice on the path from the signing certificate."), 2);
                }
                continue;
            }
            if (!signedBy(child, issuer)) {
                search.note(new Refusal("BAD_CHAIN_SIGNATURE", "The signature of " + name(child)
                        + " does not verify with the key of " + name(issuer.certificate) + "."), 3);
                continue;
            }
            boolean[] keyUsage = issuer.certificate.getKeyUsage();
            if (issuer.certificate.getBasicConstraints() < 0 || keyUsage != null && (keyUsage.length < 6 || !keyUsage[5])) {
                search.note(new Refusal("ISSUER_NOT_CA", capital(issuer.root ? "the manufacturer root" : "the intermediate")
                        + " " + name(issuer.certificate) + " is not a CA allowed to sign certificates"
                        + " (basicConstraints cA and keyCertSign)."), 4);
                continue;
            }
            int below = intermediatesBelow(path);
            if (issuer.certificate.getBasicConstraints() < below) {
                search.note(new Refusal("PATH_LENGTH", capital(issuer.root ? "the manufacturer root" : "the intermediate")
                        + " " + name(issuer.certificate) + " allows " + issuer.certificate.getBasicConstraints()
                        + " intermediate certificate(s) below it, the path has " + below + "."), 4);
                continue;
            }
            if (issuer.root) {
                path.add(issuer.certificate);
                return true;
            }
            if (path.size() + 1 >= MAX_PATH) {
                search.note(new Refusal("CHAIN_TOO_LONG", "The path from " + name(path.get(0)) + " to a manufacturer root"
                        + " would be longer than " + MAX_PATH + " certificates."), 2);
                continue;
            }
            path.add(issuer.certificate);
            onPath.add(issuer.der);
            if (extend(path, onPath, pool, search)) {
                return true;
            }
            path.remove(path.size() - 1);
            onPath.remove(onPath.size() - 1);
        }
        return false;
    }

    /** Roots then given intermediates whose subject is the child's issuer; those whose SKI matches the child's AKI first. */
    private List<Candidate> issuersOf(X509Certificate child, List<Candidate> pool) {
        X500Principal issuerName = child.getIssuerX500Principal();
        List<Candidate> out = new ArrayList<>();
        for (Root r : rootsBySubject.getOrDefault(issuerName, List.of())) {
            out.add(new Candidate(r.certificate, r.der, true, r.ecKey));
        }
        for (Candidate c : pool) {
            if (c.certificate.getSubjectX500Principal().equals(issuerName)) {
                out.add(c);
            }
        }
        // The child itself, when it names itself as its issuer (the signing certificate is not in the pool).
        if (child.getSubjectX500Principal().equals(issuerName)) {
            byte[] der = encoded(child);
            boolean listed = false;
            for (Candidate c : out) {
                listed |= Arrays.equals(c.der, der);
            }
            if (!listed) {
                out.add(new Candidate(child, der, false, ecKey(child)));
            }
        }
        byte[] aki = authorityKeyId(child);
        if (aki != null && out.size() > 1) {
            List<Candidate> sorted = new ArrayList<>(out.size());
            for (int pass = 0; pass < 3; pass++) {
                for (Candidate c : out) {
                    byte[] ski = subjectKeyId(c.certificate);
                    int rank = ski == null ? 1 : Arrays.equals(ski, aki) ? 0 : 2;
                    if (rank == pass) {
                        sorted.add(c);
                    }
                }
            }
            return sorted;
        }
        return out;
    }

    /** Intermediates already on the path (not the signer), self-issued ones not counted (RFC 5280 §6.1.4 (l)). */
    private static int intermediatesBelow(List<X509Certificate> path) {
        int n = 0;
        for (int i = 1; i < path.size(); i++) {
            X509Certificate c = path.get(i);
            if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                n++;
            }
        }
        return n;
    }

    private Root rootFor(X509Certificate c) {
        byte[] der = encoded(c);
        for (Root r : rootsBySubject.getOrDefault(c.getSubjectX500Principal(), List.of())) {
            if (Arrays.equals(r.der, der)) {
                return r;
            }
        }
        return null;
    }

    /**
     * Whether {@code issuer}'s key signed {@code child}. ECDSA (what manufacturer PKIs use) with
     * Bouncy Castle's lightweight verifier over the JDK's digest of the TBS certificate, the issuer
     * key decoded once per root: several times faster than the JDK's SunEC on Java 17. Other
     * algorithms (RSA PKCS#1 v1.5, RSASSA-PSS, EdDSA) through the JDK.
     */
    private static boolean signedBy(X509Certificate child, Candidate issuer) {
        try {
            String digest = ECDSA_DIGESTS.get(child.getSigAlgOID());
            if (digest != null && issuer.ecKey != null) {
                if (child.getSigAlgParams() != null) {
                    return false; // RFC 5758 §3.2: the ECDSA algorithm identifiers have no parameters
                }
                ECPublicKeyParameters key = issuer.ecKey;
                byte[] hash = MessageDigest.getInstance(digest).digest(child.getTBSCertificate());
                BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(key.getParameters().getN(), child.getSignature());
                ECDSASigner verifier = new ECDSASigner();
                verifier.init(false, key);
                return verifier.verifySignature(hash, rs[0], rs[1]);
            }
            child.verify(issuer.certificate.getPublicKey());
            return true;
        } catch (Exception e) {
            // Wrong key, unsupported or malformed signature: not signed by this issuer.
            return false;
        }
    }

    /** The certificate's EC public key for Bouncy Castle, or null when it is not EC (or cannot be read). */
    private static ECPublicKeyParameters ecKey(X509Certificate c) {
        try {
            AsymmetricKeyParameter k = PublicKeyFactory.createKey(SubjectPublicKeyInfo.getInstance(c.getPublicKey().getEncoded()));
            return k instanceof ECPublicKeyParameters ? (ECPublicKeyParameters) k : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- the signing certificate

    private static void checkSigner(X509Certificate signer) {
        boolean[] keyUsage = signer.getKeyUsage();
        if (keyUsage != null && (keyUsage.length == 0 || !keyUsage[0])) {
            throw new Refusal("NO_DIGITAL_SIGNATURE", "The signing certificate " + name(signer)
                    + " has a key usage without digitalSignature.");
        }
        List<String> eku;
        try {
            eku = signer.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new Refusal("NOT_CODE_SIGNING", "The extended key usage of the signing certificate " + name(signer)
                    + " cannot be read.");
        }
        if (eku == null) {
            throw new Refusal("NOT_CODE_SIGNING", "The signing certificate " + name(signer)
                    + " has no extended key usage; codeSigning is required.");
        }
        if (!eku.contains(CODE_SIGNING)) {
            throw new Refusal("NOT_CODE_SIGNING", "The extended key usage of the signing certificate " + name(signer)
                    + " does not include codeSigning.");
        }
        if (signer.getBasicConstraints() >= 0) {
            throw new Refusal("SIGNER_IS_CA", "The signing certificate " + name(signer)
                    + " is a CA certificate; firmware must be signed by an end-entity certificate.");
        }
        try {
            FirmwareSignatures.algorithmFor(signer.getPublicKey());
        } catch (FirmwareSignatureException e) {
            throw new Refusal("UNSUPPORTED_KEY", "The key of the signing certificate " + name(signer)
                    + " cannot sign firmware: " + e.getMessage());
        }
    }

    /**
     * RFC 5280 §4.2: a certificate with a critical extension the verifier does not process must be
     * refused. Processed here: basicConstraints, keyUsage, extendedKeyUsage; subjectAltName and
     * certificatePolicies (any policy is acceptable) need no processing. Roots are trust anchors
     * and not checked; a critical nameConstraints on an intermediate, for example, is refused.
     */
    private static void checkCriticalExtensions(List<X509Certificate> path) {
        for (int i = 0; i + 1 < path.size(); i++) {
            X509Certificate c = path.get(i);
            Set<String> critical = c.getCriticalExtensionOIDs();
            if (critical == null) {
                continue;
            }
            for (String oid : critical) {
                if (!UNDERSTOOD_CRITICAL.contains(oid)) {
                    throw new Refusal("UNSUPPORTED_CRITICAL_EXTENSION", capital(role(i, path.size())) + " " + name(c)
                            + " has a critical extension (" + oid + ") that firmware verification does not process.");
                }
            }
        }
    }

    // ---------------------------------------------------------------- revocation

    /** The worst status on the path (REVOKED, UNKNOWN, UNAVAILABLE, GOOD) and where it was first found. */
    private Revocation checkRevocation(List<X509Certificate> path) {
        RevocationCheck.Status worst = RevocationCheck.Status.GOOD;
        int at = 0;
        for (int i = 0; i + 1 < path.size(); i++) {
            RevocationCheck.Status s;
            try {
                s = revocation.status(path.get(i), path.get(i + 1));
            } catch (RuntimeException e) {
                s = RevocationCheck.Status.UNAVAILABLE;
            }
            if (s == null) {
                s = RevocationCheck.Status.UNAVAILABLE;
            }
            if (severity(s) > severity(worst)) {
                worst = s;
                at = i;
            }
            if (s == RevocationCheck.Status.REVOKED) {
                break;
            }
        }
        return new Revocation(worst, at);
    }

    private static int severity(RevocationCheck.Status s) {
        return switch (s) {
            case REVOKED -> 3;
            case UNKNOWN -> 2;
            case UNAVAILABLE -> 1;
            case GOOD -> 0;
        };
    }

    // ---------------------------------------------------------------- helpers

    private static String role(int index, int pathSize) {
        if (index == 0) {
            return "the signing certificate";
        }
        return index == pathSize - 1 ? "the manufacturer root" : "the intermediate certificate";
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A certificate's subject for messages, quoted, printable, at most {@value #MAX_NAME_CHARS} characters. */
    static String name(X509Certificate c) {
        String n = name(c.getSubjectX500Principal());
        return "\"\"".equals(n) ? "with an empty subject (serial " + c.getSerialNumber().toString(16) + ")" : n;
    }

    private static String name(X500Principal p) {
        String dn = p.getName(X500Principal.RFC2253);
        StringBuilder b = new StringBuilder(Math.min(dn.length(), MAX_NAME_CHARS) + 2).append('"');
        for (int i = 0; i < dn.length() && i < MAX_NAME_CHARS; i++) {
            char ch = dn.charAt(i);
            b.append(Character.isISOControl(ch) ? '?' : ch);
        }
        if (dn.length() > MAX_NAME_CHARS) {
            b.append("...");
        }
        return b.append('"').toString();
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static boolean contains(List<byte[]> list, byte[] der) {
        for (byte[] b : list) {
            if (Arrays.equals(b, der)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("a certificate cannot be encoded", e);
        }
    }

    private static byte[] authorityKeyId(X509Certificate c) {
        try {
            byte[] ext = c.getExtensionValue(Extension.authorityKeyIdentifier.getId());
            return ext == null ? null
                    : AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] subjectKeyId(X509Certificate c) {
        try {
            byte[] ext = c.getExtensionValue(Extension.subjectKeyIdentifier.getId());
            return ext == null ? null
                    : SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private record Root(X509Certificate certificate, byte[] der, ECPublicKeyParameters ecKey) {
    }

    /** A possible issuer: a root, a given intermediate, or the child itself when it names itself as its issuer. */
    private record Candidate(X509Certificate certificate, byte[] der, boolean root, ECPublicKeyParameters ecKey) {
    }

    private record Revocation(RevocationCheck.Status summary, int index) {
    }

    /** The most telling failure of a path search: a real issuer that fails beats a loop, a loop beats no issuer. */
    private static final class Search {
        Refusal worst;
        int rank;

        void note(Refusal r, int rank) {
            if (worst == null || rank > this.rank) {
                worst = r;
                this.rank = rank;
            }
        }
    }

    /** A check that failed: a reason code and a sentence. Internal control flow only, no stack trace. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String reason;

        Refusal(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
