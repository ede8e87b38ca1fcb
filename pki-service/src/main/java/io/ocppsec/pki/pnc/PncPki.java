package io.ocppsec.pki.pnc;

import io.ocppsec.iso15118.pki.Urls;
import io.ocppsec.pki.ca.CertificateProfiles;
import io.ocppsec.pki.ca.CustodyContentSigner;
import io.ocppsec.pki.ca.Issuer;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.SigningAlgorithm;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.ocppsec.iso15118.xmldsig.ExiSignatureAlgorithm;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.operator.ContentSigner;

/**
 * What Plug & Charge code (Get15118EVCertificate with local provisioning, C07) needs of the PKI,
 * with the keys staying in the custody backend:
 * <ul>
 *   <li>the CPS signing chain (leaf, CPS Sub-CA 2, CPS Sub-CA 1; V2G root) and a signer for the
 *       CPS leaf key: a Bouncy Castle {@link ContentSigner} or raw ECDSA r‖s for XML signatures
 *       over EXI (ISO 15118-2 §2.3: SHA256withECDSA, 32+32 bytes);</li>
 *   <li>the MO Sub-CA 2 as an iso15118-certs {@link io.ocppsec.iso15118.pki.Issuer} for contract
 *       certificates, its chain (MO Sub-CA 2, MO Sub-CA 1) and the revocation URLs to write;</li>
 *   <li>trust anchors: V2G roots, MO roots, OEM roots and OEM sub-CAs.</li>
 * </ul>
 * Everything is read from the {@link IssuerRegistry} on each call, so a CA change is seen at once.
 *
 * <p>The methods without a suffix are ISO 15118-2 (P-256); the {@code …20} ones are the ISO 15118-20
 * edition (secp521r1, ecdsa-with-SHA512: roles {@code V2G_ROOT_20}, {@code CPS_LEAF_20},
 * {@code MO_SUB_CA_2_20} …).
 */
public final class PncPki {
    private static final BigInteger P256_ORDER = ECNamedCurveTable.getByName("secp256r1").getN();
    private static final BigInteger P521_ORDER = ECNamedCurveTable.getByName("secp521r1").getN();

    private final IssuerRegistry registry;
    private final KeyCustody custody;
    private final CertificateProfiles profiles;
    private final PncTrust trust;

    public PncPki(IssuerRegistry registry, KeyCustody custody, CertificateProfiles profiles, PncTrust trust) {
        this.registry = registry;
        this.custody = custody;
        this.profiles = profiles;
        this.trust = trust;
    }

    /** A signing certificate, its sub-CAs (nearest first, the root not included) and its root. */
    public record SigningChain(X509Certificate leaf, List<X509Certificate> subCas, X509Certificate root) {
        public SigningChain {
            subCas = List.copyOf(subCas);
        }

        /** Leaf then sub-CAs: what goes on the wire (SAProvisioningCertificateChain, ContractSignatureCertChain). */
        public List<X509Certificate> withoutRoot() {
            List<X509Certificate> out = new ArrayList<>();
            out.add(leaf);
            out.addAll(subCas);
            return out;
        }
    }

    /** The active CPS leaf whose key we hold, with its chain; empty without a Plug & Charge PKI. */
    public Optional<SigningChain> cpsChain() {
        return cpsLeaf().map(this::chain);
    }

    /** A fresh (single-use) ContentSigner for the CPS leaf key, ecdsa-with-SHA256, DER signatures. */
    public ContentSigner cpsContentSigner() {
        Issuer leaf = cpsLeaf().orElseThrow(PncPki::noCps);
        return CustodyContentSigner.of(custody, leaf.key(), SigningAlgorithm.SHA256_WITH_ECDSA);
    }

    /**
     * SHA256withECDSA over {@code data} with the CPS leaf key, as raw r‖s (64 bytes, each half
     * left-padded): the ISO 15118-2 SignatureValue. The data is hashed once, here or in the backend.
     */
    public byte[] cpsSignRaw(byte[] data) {
        Issuer leaf = cpsLeaf().orElseThrow(PncPki::noCps);
        byte[] der = custody.sign(leaf.key(), SigningAlgorithm.SHA256_WITH_ECDSA, data);
        return rawSignature(der);
    }

    /** The active ISO 15118-20 CPS leaf whose key we hold, with its chain up to the -20 V2G root; empty without one. */
    public Optional<SigningChain> cpsChain20() {
        return usable(CaRole.CPS_LEAF_20).map(this::chain);
    }

    /**
     * ecdsa-sha512 over {@code data} with the -20 CPS leaf key, as raw r‖s (66+66 bytes): the ISO 15118-20
     * SignatureValue [V2G20-2474]. The custody backend signs (SHA512withECDSA, DER), converted here.
     */
    public byte[] cpsSignRaw20(byte[] data) {
        Issuer leaf = usable(CaRole.CPS_LEAF_20).orElseThrow(PncPki::noCps);
        byte[] der = custody.sign(leaf.key(), SigningAlgorithm.SHA512_WITH_ECDSA, data);
        return rawSignature(der, P521_ORDER);
    }

    /** The -20 CPS leaf as an iso15118-certs {@link ExiSigner} (ecdsa-sha512, custody key), or empty. */
    public Optional<ExiSigner> cpsExiSigner20() {
        return usable(CaRole.CPS_LEAF_20).map(leaf -> ExiSigner.fromDerEcdsa(ExiSignatureAlgorithm.ECDSA_SHA512, P521_ORDER,
                data -> custody.sign(leaf.key(), SigningAlgorithm.SHA512_WITH_ECDSA, data)));
    }

    /** The active MO Sub-CA 2 -20 whose key we hold, with its chain (-20 contract certificates hang below it). */
    public Optional<SigningChain> contractIssuerChain20() {
        return usable(CaRole.MO_SUB_CA_2_20).map(this::chain);
    }

    /** MO Sub-CA 2 -20 as an issuer for -20 contract certificates (ecdsa-with-SHA512); a fresh signer each call. */
    public Optional<io.ocppsec.iso15118.pki.Issuer.Ca> contractIssuer20() {
        return usable(CaRole.MO_SUB_CA_2_20).map(i -> new io.ocppsec.iso15118.pki.Issuer.Ca(i.certificate(),
                CustodyContentSigner.of(custody, i.key(), SigningAlgorithm.SHA512_WITH_ECDSA)));
    }

    /** The registry entry of the active MO Sub-CA 2 -20 with a key (its id and validity, for the inventory). */
    Optional<Issuer> contractIssuerRecord20() {
        return usable(CaRole.MO_SUB_CA_2_20);
    }

    /** The active -20 V2G roots (ours with a key; the trust anchor above {@link #cpsChain20()}). */
    public List<X509Certificate> v2gRoots20() {
        return active(CaRole.V2G_ROOT_20);
    }

    /** The development -20 OEM root and sub-CA (trusted beside the imported OEM roots, which serve both editions). */
    public List<X509Certificate> oemRoots20() {
        return active(CaRole.OEM_ROOT_20);
    }

    /** The development -20 OEM sub-CAs. */
    public List<X509Certificate> oemSubCas20() {
        return active(CaRole.OEM_SUB_CA_20);
    }

    /** The active -20 MO roots. */
    public List<X509Certificate> moRoots20() {
        return active(CaRole.MO_ROOT_20);
    }

    /** The active MO Sub-CA 2 whose key we hold, with its chain (contract certificates hang below it). */
    public Optional<SigningChain> contractIssuerChain() {
        return moSubCa2().map(this::chain);
    }

    /** MO Sub-CA 2 as an issuer for {@link io.ocppsec.iso15118.pki.Iso15118Certificates#issue}; a fresh signer each call. */
    public Optional<io.ocppsec.iso15118.pki.Issuer.Ca> contractIssuer() {
        return moSubCa2().map(i -> new io.ocppsec.iso15118.pki.Issuer.Ca(i.certificate(),
                CustodyContentSigner.of(custody, i.key(), SigningAlgorithm.SHA256_WITH_ECDSA)));
    }

    /** The CRL and OCSP URLs to write into contract certificates (MO Sub-CA 2's CRL, our responder). */
    public Urls contractUrls() {
        return moSubCa2().map(i -> new Urls(profiles.crlUrl(i.id()), profiles.ocspUrl())).orElse(Urls.ocsp(profiles.ocspUrl()));
    }

    /** Where our OCSP responder answers. */
    public String ocspUrl() {
        return profiles.ocspUrl();
    }

    /** The CRL URL of one of our CAs, by its certificate; empty for a CA we do not run. */
    public Optional<String> crlUrl(X509Certificate ca) {
        return registry.all().stream().filter(i -> i.key() != null && i.certificate().equals(ca)).findFirst()
                .map(i -> profiles.crlUrl(i.id()));
    }

    public List<X509Certificate> v2gRoots() {
        return trust.v2gRoots();
    }

    public List<X509Certificate> moRoots() {
        return trust.moRoots();
    }

    public List<X509Certificate> oemRoots() {
        return trust.oemRoots();
    }

    public List<X509Certificate> oemSubCas() {
        return trust.oemSubCas();
    }

    /** The trust anchors as iso15118-certs' chain validator takes them (V2G, MO and OEM roots, unexpired). */
    public io.ocppsec.iso15118.pki.TrustAnchors trustAnchors() {
        return new io.ocppsec.iso15118.pki.TrustAnchors(v2gRoots(), moRoots(), oemRoots());
    }

    private Optional<Issuer> cpsLeaf() {
        Instant now = Instant.now();
        return registry.active(CaRole.CPS_LEAF).filter(i -> i.key() != null && i.notAfter().isAfter(now));
    }

    private Optional<Issuer> usable(CaRole role) {
        Instant now = Instant.now();
        return registry.active(role).filter(i -> i.key() != null && i.notAfter().isAfter(now));
    }

    private List<X509Certificate> active(CaRole role) {
        Instant now = Instant.now();
        return registry.all().stream().filter(i -> i.record().role() == role
                && i.record().status() == io.ocppsec.pki.store.CaCertificateRecord.CaStatus.ACTIVE && i.notAfter().isAfter(now))
                .map(Issuer::certificate).toList();
    }

    private Optional<Issuer> moSubCa2() {
        Instant now = Instant.now();
        return registry.active(CaRole.MO_SUB_CA_2).filter(i -> i.key() != null && i.notAfter().isAfter(now));
    }

    private SigningChain chain(Issuer i) {
        List<X509Certificate> subs = new ArrayList<>();
        if (!i.chainWithoutRoot().isEmpty()) {
            i.chainWithoutRoot().stream()
                    .filter(c -> !c.equals(i.certificate())).forEach(subs::add);
        }
        return new SigningChain(i.certificate(), subs, i.root());
    }

    /** DER ECDSA-Sig-Value to raw r‖s on P-256. */
    static byte[] rawSignature(byte[] der) {
        return rawSignature(der, P256_ORDER);
    }

    /** DER ECDSA-Sig-Value to raw r‖s for a curve order (each half left-padded to the order's length). */
    static byte[] rawSignature(byte[] der, BigInteger order) {
        try {
            BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(order, der);
            return PlainDSAEncoding.INSTANCE.encode(order, rs[0], rs[1]);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the custody backend returned a malformed ECDSA signature", e);
        }
    }

    private static IllegalStateException noCps() {
        return new IllegalStateException("no CPS leaf with a key: the Plug & Charge PKI is not set up (development PKI off, nothing imported)");
    }
}
