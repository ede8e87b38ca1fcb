package io.ocppsec.iso15118.pki;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

import java.io.OutputStream;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Validates an ISO 15118 certificate chain (leaf first, Sub-CAs in any order, the root optional)
 * for an expected use against {@link TrustAnchors}, at an instant:
 * <ol>
 *   <li>structure: 1..5 certificates (the schema's Certificate + 4 SubCertificates), one path from
 *       the leaf to a root with no surplus certificate, at most 3 non-self-signed certificates
 *       [V2G2-009], at least one Sub-CA (a root never issues a leaf [V2G2-867]) — else
 *       {@code CHAIN_ERROR};</li>
 *   <li>the root: a trusted anchor of a kind the use accepts [V2G2-925] — else {@code UNKNOWN_ROOT};</li>
 *   <li>every signature, the root's own included — else {@code SIGNATURE_ERROR};</li>
 *   <li>every certificate against the profile of its position ({@link Iso15118Profile}: algorithm and
 *       curve per edition [V2G2-006/007], DER size [V2G2-010], BasicConstraints/KeyUsage critical,
 *       pathLen, DC, CN) — else {@code PROFILE_VIOLATION};</li>
 *   <li>validity of every certificate of the path at the instant — else {@code EXPIRED} or
 *       {@code NOT_YET_VALID}.</li>
 * </ol>
 * The order makes {@code EXPIRED} mean "otherwise valid, but expired", which is what the C07 table
 * distinguishes. Roles by position: the certificate above the leaf is the Sub-CA 2, the next one
 * the Sub-CA 1. Immutable and thread-safe.
 */
public final class Iso15118ChainValidator {

    /** Most certificates accepted in one chain: Certificate + 4 SubCertificates (CertificateChainType). */
    public static final int MAX_CHAIN_CERTIFICATES = 5;
    /** At most 3 certificates that are not self-signed [V2G2-009]. */
    public static final int MAX_PATH_WITHOUT_ROOT = 3;

    private final TrustAnchors anchors;
    private final Leniency leniency;

    public Iso15118ChainValidator(TrustAnchors anchors, Leniency leniency) {
        this.anchors = Objects.requireNonNull(anchors, "anchors");
        this.leniency = Objects.requireNonNull(leniency, "leniency");
    }

    public TrustAnchors anchors() {
        return anchors;
    }

    public Leniency leniency() {
        return leniency;
    }

    /**
     * Validates {@code chain} for a leaf of role {@code use}.
     *
     * @param chain   leaf first, then Sub-CAs in any order (a trusted root may be included)
     * @param use     the leaf role expected: {@code SECC}, {@code CPS_LEAF}, {@code CONTRACT} or
     *                {@code OEM_PROVISIONING}
     * @param edition the profile edition
     * @param at      the instant at which validity is checked
     */
    public ChainValidation validate(List<X509Certificate> chain, Iso15118Role use, Edition edition, Instant at) {
        Objects.requireNonNull(use, "use");
        Objects.requireNonNull(edition, "edition");
        Objects.requireNonNull(at, "at");
        if (!use.isLeaf()) {
            throw new IllegalArgumentException(use + " is not a leaf role");
        }
        if (chain == null || chain.isEmpty()) {
            return new ChainValidation.Invalid(ChainValidation.Kind.CHAIN_ERROR, "no certificate");
        }
        if (chain.size() > MAX_CHAIN_CERTIFICATES) {
            return new ChainValidation.Invalid(ChainValidation.Kind.CHAIN_ERROR,
                    chain.size() + " certificates, at most " + MAX_CHAIN_CERTIFICATES);
        }
        for (X509Certificate c : chain) {
            if (c == null) {
                return new ChainValidation.Invalid(ChainValidation.Kind.CHAIN_ERROR, "null certificate");
            }
        }
        try {
            return doValidate(chain, use, edition, at);
        } catch (RuntimeException e) {
            // malformed extensions or encodings that BC refuses while we read them
            return new ChainValidation.Invalid(ChainValidation.Kind.CHAIN_ERROR, "malformed certificate");
        }
    }

    private ChainValidation doValidate(List<X509Certificate> chain, Iso15118Role use, Edition edition, Instant at) {
        List<X509Certificate> remaining = new ArrayList<>(chain.subList(1, chain.size()));
        List<X509Certificate> path = new ArrayList<>();
        X509Certificate current = chain.get(0);
        path.add(current);
        if (selfSigned(current)) {
            return new ChainValidation.Invalid(ChainValidation.Kind.CHAIN_ERROR, "the leaf is self-signed");
        }
        X509Certificate root = null;
        Iso15118Role rootRole = null;
        while (root == null) {
            X509Certificate next = pick(current, remaining);
            if (next != null && !selfSigned(next)) {
                remaining.remove(next);
                path.add(next);
                if (path.size() > MAX_PATH_WITHOUT_ROOT) {
                    return new ChainValidation.Invalid(ChainValidation.Kind.CHAIN_ERROR,
                            "more than " + MAX_PATH_WITHOUT_ROOT + " certificates below the root [V2G2-009]");
                }
                current = next;
                continue;
            }
            // the issuer is a root: a trusted anchor of an accepted kind, whether sent or not
            for (Iso15118Role kind : use.acceptedRoots()) {
                X509Certificate anchor = pick(current, anchors.of(kind));
                if (anchor != null) {
                    root = anchor;
                    rootRole = kind;
                    break;
                }
            }
            if (root == null && next == null && !remaining.isEmpty()) {
                return new ChainValidation.Invalid(ChainValidation.Kind.CHAIN_ERROR, "the issuer of "
                        + current.getSubjectX500Principal().getName() + " is missing; " + remaining.size()
                        + " certificate(s) left off the path");
            }
            if (root == null) {
                String why = next != null ? "the chain's root is not trusted" : "no trusted root issued "
                        + current.getIssuerX500Principal().getName();
                for (Iso15118Role kind : List.of(Iso15118Role.V2G_ROOT, Iso15118Role.MO_ROOT, Iso15118Role.OEM_ROOT)) {
                    if (!use.acceptedRoots().contains(kind) && pick(current, anchors.of(kind)) != null) {
                        why = "the chain ends at a trusted " + kind + ", which " + use + " does not accept [V2G2-925]";
                    }
                }
                return new ChainValidation.Invalid(ChainValidation.Kind.UNKNOWN_ROOT, why);
            }
            if (next != null) {
                if (!Arrays.equals(encoded(next), encoded(root))) {
                    return new ChainValidation.Invalid(ChainValidation.Kind.UNKNOWN_ROOT,
                            "the chain includes a root that is not the trusted one");
                }
                remaining.remove(next);
            }
        }
        if (!remaining.isEmpty()) {
            return new ChainValidation.Invalid(ChainValidation.Kind.CHAIN_ERROR,
                    remaining.size() + " certificate(s) not on the path from the leaf to the root");
        }
        if (path.size() < 2) {
            return new ChainValidation.Invalid(ChainValidation.Kind.CHAIN_ERROR,
                    "the root issued the leaf directly; a root never issues a leaf [V2G2-867]");
        }
        path.add(root);

        List<Iso15118Role> roles = new ArrayList<>();
        roles.add(use);
        roles.add(use.subCa2());
        if (path.size() == 4) {
            roles.add(use.subCa1());
        }
        roles.add(rootRole);

        for (int i = 0; i < path.size(); i++) {
            X509Certificate issuer = path.get(Math.min(i + 1, path.size() - 1));
            if (!signedBy(path.get(i), issuer)) {
                return new ChainValidation.Invalid(ChainValidation.Kind.SIGNATURE_ERROR,
                        "the signature of the " + roles.get(i) + " certificate does not verify");
            }
        }
        List<ProfileViolation> violations = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            violations.addAll(Iso15118Profile.check(path.get(i), roles.get(i), edition, leniency));
        }
        if (!violations.isEmpty()) {
            return new ChainValidation.Invalid(ChainValidation.Kind.PROFILE_VIOLATION, violations.get(0).toString()
                    + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : ""), violations);
        }
        for (int i = 0; i < path.size(); i++) {
            X509Certificate c = path.get(i);
            if (at.isBefore(c.getNotBefore().toInstant())) {
                return new ChainValidation.Invalid(ChainValidation.Kind.NOT_YET_VALID,
                        "the " + roles.get(i) + " certificate is valid from " + c.getNotBefore().toInstant());
            }
            if (at.isAfter(c.getNotAfter().toInstant())) {
                return new ChainValidation.Invalid(ChainValidation.Kind.EXPIRED,
                        "the " + roles.get(i) + " certificate expired at " + c.getNotAfter().toInstant());
            }
        }
        return new ChainValidation.Valid(path, roles);
    }

    /**
     * The candidate that issued {@code cert}: subject = cert's issuer, SKI = cert's AKI when both are
     * present; among several, the one whose key verifies cert's signature.
     */
    private static X509Certificate pick(X509Certificate cert, List<X509Certificate> candidates) {
        byte[] aki = authorityKeyId(cert);
        List<X509Certificate> matches = new ArrayList<>();
        for (X509Certificate c : candidates) {
            if (!c.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                continue;
            }
            byte[] ski = subjectKeyId(c);
            if (aki != null && ski != null && !MessageDigest.isEqual(aki, ski)) {
                continue;
            }
            matches.add(c);
        }
        if (matches.size() <= 1) {
            return matches.isEmpty() ? null : matches.get(0);
        }
        for (X509Certificate c : matches) {
            if (signedBy(cert, c)) {
                return c;
            }
        }
        return matches.get(0);
    }

    static boolean selfSigned(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    /**
     * Whether {@code issuer}'s key signed {@code cert}: over the TBSCertificate bytes <em>as
     * received</em>. (BC's {@code X509CertificateHolder.isSignatureValid} re-encodes the TBS in DER,
     * so a certificate altered into a BER variant — e.g. a critical flag 0x7F instead of 0xFF —
     * would still verify although its bytes, and so its fingerprint and hash data, differ.)
     */
    public static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        String link = VerifiedLinks.key(cert, issuer);
        if (link != null && VerifiedLinks.contains(link)) {
            return true;
        }
        boolean ok = verifySignature(cert, issuer);
        if (ok && link != null) {
            VerifiedLinks.add(link);
        }
        return ok;
    }

    /**
     * Signatures already verified, by SHA-256 of the certificate's bytes and of the issuer's public
     * key: the same OEM sub-CA and root are checked for every EV, and a signature over identical
     * bytes with an identical key does not change. Positive results only; bounded (least recently
     * added dropped first).
     */
    static final class VerifiedLinks {
        private static final int MAX = 8192;
        private static final java.util.Map<String, Boolean> LINKS = java.util.Collections.synchronizedMap(
                new java.util.LinkedHashMap<>(256, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                        return size() > MAX;
                    }
                });

        private VerifiedLinks() {
        }

        static String key(X509Certificate cert, X509Certificate issuer) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] c = sha.digest(cert.getEncoded());
                byte[] k = sha.digest(issuer.getPublicKey().getEncoded());
                return java.util.HexFormat.of().formatHex(c) + java.util.HexFormat.of().formatHex(k);
            } catch (Exception e) {
                return null;
            }
        }

        static boolean contains(String key) {
            return LINKS.containsKey(key);
        }

        static void add(String key) {
            LINKS.put(key, Boolean.TRUE);
        }
    }

    private static boolean verifySignature(X509Certificate cert, X509Certificate issuer) {
        try {
            X509CertificateHolder h = new X509CertificateHolder(cert.getEncoded());
            if (!h.getSignatureAlgorithm().equals(h.toASN1Structure().getTBSCertificate().getSignature())) {
                return false;
            }
            // ECDSA under an EC issuer key: BC lightweight, the issuer's point (and its precomputation) remembered
            Boolean ec = EcIssuerKeys.verify(h.getSignatureAlgorithm(), cert.getTBSCertificate(), cert.getSignature(),
                    issuer.getPublicKey().getEncoded());
            if (ec != null) {
                return ec;
            }
            ContentVerifier verifier = new JcaContentVerifierProviderBuilder()
                    .setProvider(Iso15118Crypto.provider()).build(issuer).get(h.getSignatureAlgorithm());
            try (OutputStream os = verifier.getOutputStream()) {
                os.write(cert.getTBSCertificate());
            }
            return verifier.verify(cert.getSignature());
        } catch (Exception e) {
            return false;
        }
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    private static byte[] subjectKeyId(X509Certificate c) {
        byte[] v = c.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (v == null) {
            return null;
        }
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(v).getOctets()).getKeyIdentifier();
    }

    private static byte[] authorityKeyId(X509Certificate c) {
        byte[] v = c.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        if (v == null) {
            return null;
        }
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(v).getOctets()).getKeyIdentifierOctets();
    }
}
