package io.ocppsec.pki.ca;

import io.ocppsec.pki.config.DataDirectory;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.SigningAlgorithm;
import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.CaCertificateRecord;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import io.ocppsec.pki.store.CaCertificateRecord.CaStatus;
import io.ocppsec.pki.store.CaStore;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.security.cert.CertificateFingerprint;
import io.ocppsec.security.cert.PemCertificates;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development PKI ocppsec creates on first start, through the custody backend:
 * <ul>
 *   <li>a CSMS root (EC P-384, 20 years): what stations install as CSMSRootCertificate;</li>
 *   <li>a station-issuing sub-CA (EC P-256, 10 years, pathLen 0);</li>
 *   <li>an OCSP signer for the station CA (EC P-256, id-kp-OCSPSigning, ocsp-nocheck);</li>
 *   <li>two TLS server certificates for localhost, ECDSA P-256 and RSA-2048, so that all four
 *       OCPP TLS 1.2 suites (A00.FR.318) can be served; their keys are TLS keys of the
 *       terminator, written as PEM files (mode 0600) under {@code <data-dir>/tls/}.</li>
 * </ul>
 * Production deployments import their own CA instead (see the CA import API).
 */
public final class DevelopmentPki {
    private static final Logger log = LoggerFactory.getLogger(DevelopmentPki.class);
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private final KeyCustody custody;
    private final CertificateSigner signer;
    private final CertificateProfiles profiles;
    private final CaStore store;
    private final IssuerRegistry registry;
    private final Ledger ledger;
    private final SerialNumbers serials = new SerialNumbers();

    public DevelopmentPki(KeyCustody custody, CertificateSigner signer, CertificateProfiles profiles, CaStore store,
                          IssuerRegistry registry, Ledger ledger) {
        this.custody = custody;
        this.signer = signer;
        this.profiles = profiles;
        this.store = store;
        this.registry = registry;
        this.ledger = ledger;
    }

    /** What was created. */
    public record Created(X509Certificate root, String rootFingerprint, Path tlsDirectory) {
    }

    /** Creates the development PKI unless a CSMS root exists already. */
    public java.util.Optional<Created> createIfAbsent(String organization, DataDirectory dataDirectory) {
        if (store.active(CaRole.CSMS_ROOT).isPresent()) {
            return java.util.Optional.empty();
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String tag = now.toString().substring(0, 10).replace("-", "") + "-" + HexFormat.of().formatHex(randomBytes(3));
        List<CaCertificateRecord> records = new ArrayList<>();

        // The root: self-signed.
        KeyHandle rootKey = custody.generate("csms-root-" + tag, KeyAlgorithm.EC_P384);
        SubjectPublicKeyInfo rootSpki = spki(rootKey);
        X500Name rootName = name(organization, organization + " CSMS Root CA (development)");
        BigInteger rootSerial = serials.next();
        X509CertificateHolder root = signer.sign(rootName, rootKey, SigningAlgorithm.SHA384_WITH_ECDSA, rootSerial,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365L * 20)), rootName, rootSpki, profiles.root(rootSpki));
        CaCertificateRecord rootRecord = record("csms-root-" + tag, CaRole.CSMS_ROOT, root, null, rootKey, KeyAlgorithm.EC_P384, now);
        records.add(rootRecord);
        Issuer rootIssuer = issuer(rootRecord, root, null);

        // The station CA, under the root.
        KeyHandle caKey = custody.generate("station-ca-" + tag, KeyAlgorithm.EC_P256);
        SubjectPublicKeyInfo caSpki = spki(caKey);
        X509CertificateHolder ca = signer.sign(rootIssuer, serials.next(), now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(365L * 10)), name(organization, organization + " Station CA (development)"),
                caSpki, profiles.subCa(caSpki, rootIssuer));
        CaCertificateRecord caRecord = record("station-ca-" + tag, CaRole.STATION_CA, ca, rootRecord.id(), caKey, KeyAlgorithm.EC_P256, now);
        records.add(caRecord);
        Issuer caIssuer = issuer(caRecord, ca, List.of(root));

        // The station CA's OCSP signer.
        KeyHandle ocspKey = custody.generate("station-ca-ocsp-" + tag, KeyAlgorithm.EC_P256);
        SubjectPublicKeyInfo ocspSpki = spki(ocspKey);
        X509CertificateHolder ocsp = signer.sign(caIssuer, serials.next(), now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(365)), name(organization, organization + " Station CA OCSP Signer (development)"),
                ocspSpki, profiles.ocspSigner(ocspSpki, caIssuer));
        records.add(record("station-ca-ocsp-" + tag, CaRole.OCSP_SIGNER, ocsp, caRecord.id(), ocspKey, KeyAlgorithm.EC_P256, now));

        custody.attachCertificateChain(rootKey, List.of(certificate(root)));
        custody.attachCertificateChain(caKey, List.of(certificate(ca), certificate(root)));
        custody.attachCertificateChain(ocspKey, List.of(certificate(ocsp), certificate(ca), certificate(root)));

        // The TLS server certificates of the terminator, issued by the root.
        Path tls = dataDirectory.directory("tls");
        records.add(serverCertificate("server-ec-" + tag, KeyAlgorithm.EC_P256, rootIssuer, organization, now, tls.resolve("server-ec")));
        records.add(serverCertificate("server-rsa-" + tag, KeyAlgorithm.RSA_2048, rootIssuer, organization, now, tls.resolve("server-rsa")));
        DataDirectory.writePublic(tls.resolve("csms-root.pem"), Pem.certificate(der(root)));

        String fingerprint = CertificateFingerprint.sha256(der(root));
        ledger.write(c -> {
            for (CaCertificateRecord r : records) {
                CaStore.insert(c, r);
            }
            return null;
        }, records.stream().map(r -> AuditEntry.ok("system", "ca.create", "ca:" + r.id(),
                Details.of("role", r.role().name(), "subject", r.subject(), "sha256", r.sha256(), "dev", true))).toList(), null);
        registry.refresh();
        log.info("development PKI created; CSMS root SHA-256 fingerprint {}", fingerprint);
        return java.util.Optional.of(new Created(certificate(root), fingerprint, tls));
    }

    private CaCertificateRecord serverCertificate(String id, KeyAlgorithm alg, Issuer root, String organization,
                                                  Instant now, Path base) {
        KeyPair kp = generate(alg);
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded());
        List<GeneralName> names = List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1"));
        X509CertificateHolder cert = signer.sign(root, serials.next(), now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(397)), name(organization, "localhost"), spki,
                profiles.server(spki, !alg.isEc(), root, names));
        DataDirectory.writePublic(base.resolveSibling(base.getFileName() + ".pem"), Pem.certificate(der(cert)));
        DataDirectory.writePrivate(base.resolveSibling(base.getFileName() + ".key"), Pem.encode("PRIVATE KEY", kp.getPrivate().getEncoded()));
        return record(id, CaRole.SERVER, cert, root.id(), null, alg, now);
    }

    private Issuer issuer(CaCertificateRecord r, X509CertificateHolder cert, List<X509CertificateHolder> parents) {
        X509Certificate x = certificate(cert);
        List<X509Certificate> chain = new ArrayList<>();
        X509Certificate root = x;
        if (parents != null) {
            chain.add(x);
            root = certificate(parents.get(parents.size() - 1));
        }
        return Issuer.of(r, x, chain, root);
    }

    private CaCertificateRecord record(String id, CaRole role, X509CertificateHolder cert, String parent, KeyHandle key,
                                       KeyAlgorithm alg, Instant now) {
        byte[] der = der(cert);
        return new CaCertificateRecord(id, role, CaStatus.ACTIVE, Names.rfc4514(cert.getSubject()),
                SerialNumbers.hex(cert.getSerialNumber()), sha256Hex(der), parent, key, alg.name(),
                cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), Pem.certificate(der), now);
    }

    private SubjectPublicKeyInfo spki(KeyHandle key) {
        return SubjectPublicKeyInfo.getInstance(custody.publicKey(key).getEncoded());
    }

    static X500Name name(String organization, String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organization).addRDN(BCStyle.CN, commonName).build();
    }

    static KeyPair generate(KeyAlgorithm alg) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg.family(), BC);
            if (alg.isEc()) {
                g.initialize(new ECGenParameterSpec(alg.curve()), new SecureRandom());
            } else {
                g.initialize(alg.bits(), new SecureRandom());
            }
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate certificate(X509CertificateHolder h) {
        return PemCertificates.read(Pem.certificate(der(h))).get(0);
    }

    static byte[] der(X509CertificateHolder h) {
        try {
            return h.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(byte[] der) {
        return HexFormat.of().formatHex(sha256(der));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
