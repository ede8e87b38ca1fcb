package io.ocppsec.pki.firmware;

import io.ocppsec.pki.ca.AnchorChecks;
import io.ocppsec.pki.ca.CaRecords;
import io.ocppsec.pki.ca.CertificateProfiles;
import io.ocppsec.pki.ca.CertificateSigner;
import io.ocppsec.pki.ca.Issuer;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.ca.Pem;
import io.ocppsec.pki.ca.SerialNumbers;
import io.ocppsec.pki.custody.CustodyException;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.KeyFacts;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.SigningAlgorithm;
import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.CaCertificateRecord;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import io.ocppsec.pki.store.CaCertificateRecord.CaStatus;
import io.ocppsec.pki.store.CaStore;
import io.ocppsec.pki.store.CertificateStore;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.IssuedCertificateRecord;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.security.cert.CertificateFingerprint;
import io.ocppsec.security.cert.PemCertificates;
import io.ocppsec.security.firmware.FirmwareSignatureAlgorithm;
import io.ocppsec.security.firmware.FirmwareVerification;
import io.ocppsec.security.firmware.FirmwareVerifier;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signed-firmware PKI (L01): the manufacturer roots firmware is checked against, and the
 * firmware signing certificates whose keys sit in the custody backend.
 *
 * <ul>
 *   <li>Manufacturer roots ({@link CaRole#MANUFACTURER_ROOT}): imported (a trust anchor, no key),
 *       or created here with a key in custody (then it issues our firmware signing certificates,
 *       and our OCSP responder and CRL answer for them). Stations are given the same roots as
 *       ManufacturerRootCertificate.</li>
 *   <li>Firmware signing certificates ({@link CaRole#FIRMWARE_SIGNER}): issued here under a
 *       manufacturer root we hold the key of, with a new key in custody; or brought in for a key
 *       that is already in the HSM or Vault (the manufacturer's own certificate for it). Each is
 *       also in the certificate inventory (type {@code FirmwareSigningCertificate}), so it can be
 *       revoked by serial like any certificate.</li>
 * </ul>
 * Every change is audited; refusals are {@link Refusal}s with stable reason codes.
 */
public final class FirmwarePki {
    private static final Logger log = LoggerFactory.getLogger(FirmwarePki.class);
    /** The certificate type firmware signing certificates have in the inventory. */
    public static final String CERTIFICATE_TYPE = "FirmwareSigningCertificate";
    /** UpdateFirmware.signingCertificate maxLength (OCPP 2.0.1 and 2.1). */
    public static final int MAX_SIGNING_CERTIFICATE_CHARS = 5500;

    /** A manufacturer root as the API shows it. */
    public record Root(String id, String subject, String sha256Fingerprint, boolean hasKey, boolean developmentKey,
                       Instant notBefore, Instant notAfter, String certificate) {
    }

    /** A firmware signing certificate as the API shows it. */
    public record Signer(String id, String subject, String serial, String algorithm, String keyAlgorithm, String rootId,
                         String status, Instant notBefore, Instant notAfter, String certificate) {
    }

    private final KeyCustody custody;
    private final CertificateProfiles profiles;
    private final CaStore store;
    private final CertificateStore certificates;
    private final IssuerRegistry registry;
    private final Ledger ledger;
    private final Duration signerValidity;
    private final String defaultOrganization;
    private final SecureRandom random = new SecureRandom();
    private final SerialNumbers serials = new SerialNumbers();

    public FirmwarePki(KeyCustody custody, CertificateProfiles profiles, CaStore store, CertificateStore certificates,
                       IssuerRegistry registry, Ledger ledger, Duration signerValidity, String defaultOrganization) {
        this.custody = custody;
        this.profiles = profiles;
        this.store = store;
        this.certificates = certificates;
        this.registry = registry;
        this.ledger = ledger;
        this.signerValidity = signerValidity;
        this.defaultOrganization = defaultOrganization == null || defaultOrganization.isBlank() ? "ocppsec" : defaultOrganization;
    }

    // ---- manufacturer roots

    /** The active manufacturer roots, newest first. */
    public List<Root> roots() {
        return active(CaRole.MANUFACTURER_ROOT).stream().map(FirmwarePki::root).toList();
    }

    /** The certificates of the active, unexpired manufacturer roots: what firmware is checked against. */
    public List<X509Certificate> trustedRoots() {
        Instant now = Instant.now();
        return active(CaRole.MANUFACTURER_ROOT).stream().filter(i -> i.notAfter().isAfter(now)).map(Issuer::certificate).toList();
    }

    /**
     * Trusts a manufacturer root (PEM, one self-signed CA certificate, not expired, of a key type the
     * CA knows). Importing one that is already trusted returns it unchanged.
     */
    public Root addRoot(String pem, String actor) {
        String action = "firmware.root.add";
        try {
            List<X509Certificate> certs = read(pem);
            if (certs.size() != 1) {
                throw Refusal.badRequest("ONE_CERTIFICATE", "give exactly one manufacturer root certificate");
            }
            X509Certificate root = certs.get(0);
            AnchorChecks.checkSelfSignedCa(root);
            String sha256 = sha256Hex(root);
            Optional<Issuer> existing = active(CaRole.MANUFACTURER_ROOT).stream()
                    .filter(i -> i.record().sha256().equalsIgnoreCase(sha256)).findFirst();
            if (existing.isPresent()) {
                return root(existing.get());
            }
            if (store.all().stream().anyMatch(r -> r.sha256().equalsIgnoreCase(sha256))) {
                throw Refusal.conflict("CERTIFICATE_IN_USE", "this certificate is already held by the CA in another role");
            }
            String id = "manufacturer-root-" + tag();
            CaCertificateRecord record = CaRecords.record(id, CaRole.MANUFACTURER_ROOT, holder(root), null, null,
                    KeyFacts.algorithmOf(root.getPublicKey()), Instant.now().truncatedTo(ChronoUnit.MICROS));
            ledger.write(c -> {
                CaStore.insert(c, record);
                return null;
            }, List.of(AuditEntry.ok(actor, action, "ca:" + id, Details.of("subject", record.subject(), "sha256", record.sha256()))), null);
            registry.refresh();
            log.info("manufacturer root trusted: {} SHA-256 {}", record.subject(), sha256);
            return root(registry.byId(id).orElseThrow());
        } catch (Refusal r) {
            Ledger.join(ledger.audit(AuditEntry.refused(actor, action, "firmware-root", r.reason(), null)));
            throw r;
        }
    }

    /**
     * Creates a manufacturer root with its key in the custody backend (EC P-384 unless asked
     * otherwise), to issue firmware signing certificates under.
     */
    public Root createRoot(String commonName, String organization, KeyAlgorithm algorithm, Duration validity, String actor) {
        String cn = commonName == null || commonName.isBlank() ? "Manufacturer Root CA" : commonName.trim();
        String org = organization == null || organization.isBlank() ? defaultOrganization : organization.trim();
        checkName(cn, org);
        Made root = makeRoot(cn, org, algorithm == null ? KeyAlgorithm.EC_P384 : algorithm,
                validity == null ? Duration.ofDays(20 * 365) : validity, Instant.now().truncatedTo(ChronoUnit.SECONDS), tag());
        write(List.of(root), List.of(), actor, "firmware.root.create");
        return root(registry.byId(root.record().id()).orElseThrow());
    }

    /**
     * Stops trusting a manufacturer root (by SHA-256 fingerprint, hex, ':' optional). Firmware signed
     * under it no longer validates; signing certificates it issued are retired.
     */
    public void removeRoot(String fingerprint, String actor) {
        String fp = fingerprint == null ? "" : fingerprint.replace(":", "").toLowerCase(Locale.ROOT);
        Optional<Issuer> root = active(CaRole.MANUFACTURER_ROOT).stream()
                .filter(i -> i.record().sha256().equalsIgnoreCase(fp)).findFirst();
        if (root.isEmpty()) {
            Ledger.join(ledger.audit(AuditEntry.refused(actor, "firmware.root.remove", "firmware-root", "ROOT_UNKNOWN",
                    Details.of("sha256", fp.length() > 64 ? fp.substring(0, 64) : fp))));
            throw Refusal.notFound("ROOT_UNKNOWN", "no trusted manufacturer root with this SHA-256 fingerprint");
        }
        List<Issuer> signers = active(CaRole.FIRMWARE_SIGNER).stream()
                .filter(s -> root.get().id().equals(s.record().parentId())).toList();
        List<AuditEntry> audit = new ArrayList<>();
        audit.add(AuditEntry.ok(actor, "firmware.root.remove", "ca:" + root.get().id(), Details.of("sha256", root.get().record().sha256())));
        signers.forEach(s -> audit.add(AuditEntry.ok(actor, "firmware.signer.retire", "ca:" + s.id(), Details.of("reason", "root removed"))));
        ledger.write(c -> {
            CaStore.setStatus(c, root.get().id(), CaStatus.RETIRED);
            for (Issuer s : signers) {
                CaStore.setStatus(c, s.id(), CaStatus.RETIRED);
            }
            return null;
        }, audit, null);
        registry.refresh();
    }

    // ---- firmware signing certificates

    /** The active firmware signing certificates, newest first. */
    public List<Signer> signers() {
        return active(CaRole.FIRMWARE_SIGNER).stream().map(this::signer).toList();
    }

    /**
     * Issues a firmware signing certificate with a new key in custody, under the manufacturer root
     * {@code rootId} (or the newest one we hold the key of).
     */
    public Signer createSigner(KeyAlgorithm algorithm, String commonName, String organization, String rootId, String actor) {
        String action = "firmware.signer.create";
        try {
            KeyAlgorithm alg = algorithm == null ? KeyAlgorithm.EC_P256 : algorithm;
            if (alg == KeyAlgorithm.EC_P521) {
                throw Refusal.badRequest("UNSUPPORTED_ALGORITHM", "firmware is signed with ECDSA P-256 or P-384 (SHA-256) or RSA-PSS;"
                        + " P-521 is not used for firmware");
            }
            Issuer root = (rootId == null || rootId.isBlank()
                    ? active(CaRole.MANUFACTURER_ROOT).stream().filter(i -> i.key() != null).findFirst()
                    : registry.byId(rootId).filter(i -> i.record().role() == CaRole.MANUFACTURER_ROOT
                    && i.record().status() == CaStatus.ACTIVE))
                    .orElseThrow(() -> Refusal.notFound("ROOT_UNKNOWN", "no active manufacturer root"
                            + (rootId == null || rootId.isBlank() ? " with a key in custody; create one first" : " with this id")));
            if (root.key() == null) {
                throw Refusal.policy("ROOT_WITHOUT_KEY", "the manufacturer root " + root.id() + " is a trust anchor only;"
                        + " its key is not in custody, so it cannot issue signing certificates here");
            }
            String cn = commonName == null || commonName.isBlank() ? "Firmware Signing " + label(alg) : commonName.trim();
            String org = organization == null || organization.isBlank() ? organizationOf(root.certificate()) : organization.trim();
            checkName(cn, org);
            Made signer = makeSigner(root, cn, org, alg, Instant.now().truncatedTo(ChronoUnit.SECONDS), tag());
            write(List.of(signer), List.of(signer), actor, action);
            return signer(registry.byId(signer.record().id()).orElseThrow());
        } catch (Refusal r) {
            Ledger.join(ledger.audit(AuditEntry.refused(actor, action, "firmware-signer", r.reason(), null)));
            throw r;
        }
    }

    /**
     * Brings in a signing key that is already in the custody backend (made with the HSM's own tools
     * or imported into Vault) together with its certificate (PEM, the signing certificate first,
     * optionally followed by intermediates): the certificate must carry that key, be a code-signing
     * certificate, and chain to a trusted manufacturer root.
     */
    public Signer importSigner(String keyLabel, String pem, String actor) {
        String action = "firmware.signer.import";
        try {
            if (keyLabel == null || keyLabel.isBlank() || keyLabel.length() > 128) {
                throw Refusal.badRequest("MISSING_FIELD", "keyLabel (1 to 128 characters) is required");
            }
            List<X509Certificate> chain = read(pem);
            if (chain.size() > 4) {
                throw Refusal.badRequest("CHAIN_TOO_LONG", "give the signing certificate and at most three intermediates");
            }
            X509Certificate leaf = chain.get(0);
            // the same certificate checks as a station's (and our pre-flight check): path to a trusted
            // manufacturer root, validity, digitalSignature, codeSigning, not a CA, key type
            FirmwareVerification checked = new FirmwareVerifier(trustedRoots(), null, FirmwareVerifier.RevocationPolicy.OFF)
                    .checkCertificate(pem, Instant.now());
            if (!checked.valid()) {
                throw Refusal.policy(checked.reason(), checked.message());
            }
            if (AnchorChecks.keyAlgorithm(leaf.getPublicKey()) == KeyAlgorithm.EC_P521) {
                throw Refusal.policy("UNSUPPORTED_KEY", "firmware is signed with ECDSA P-256 or P-384, or RSA; not P-521");
            }
            X509Certificate rootCertificate = checked.path().get(checked.path().size() - 1);
            Issuer root = active(CaRole.MANUFACTURER_ROOT).stream().filter(i -> i.certificate().equals(rootCertificate)).findFirst()
                    .orElseThrow(() -> Refusal.policy("UNTRUSTED", "the manufacturer root of this certificate is no longer trusted"));
            KeyHandle key;
            try {
                key = custody.useExisting(keyLabel);
            } catch (CustodyException e) {
                throw Refusal.policy("KEY_UNKNOWN", "the custody backend has no usable key " + keyLabel + ": " + e.getMessage());
            }
            PublicKey held = custody.publicKey(key);
            if (!KeyFacts.sameKey(held, leaf.getPublicKey())) {
                throw Refusal.policy("KEY_MISMATCH", "the certificate does not carry the public key of " + keyLabel);
            }
            String sha256 = sha256Hex(leaf);
            if (store.all().stream().anyMatch(r -> r.sha256().equalsIgnoreCase(sha256))) {
                throw Refusal.conflict("CERTIFICATE_IN_USE", "this signing certificate is already held");
            }
            String id = "firmware-signer-" + tag();
            CaCertificateRecord record = CaRecords.record(id, CaRole.FIRMWARE_SIGNER, holder(leaf), root.id(), key,
                    KeyFacts.algorithmOf(leaf.getPublicKey()), Instant.now().truncatedTo(ChronoUnit.MICROS));
            IssuedCertificateRecord inventory = inventory(record, leaf, root, actor);
            ledger.write(c -> {
                CaStore.insert(c, record);
                if (certificates.bySerial(inventory.serial()).isEmpty()) {
                    io.ocppsec.pki.store.CertificateStore.insert(c, inventory);
                }
                return null;
            }, List.of(AuditEntry.ok(actor, action, "ca:" + id, Details.of("subject", record.subject(), "sha256", record.sha256(),
                    "key", key.toString(), "root", root.id()))), null);
            registry.refresh();
            return signer(registry.byId(id).orElseThrow());
        } catch (Refusal r) {
            Ledger.join(ledger.audit(AuditEntry.refused(actor, action, "firmware-signer", r.reason(), null)));
            throw r;
        }
    }

    /** Stops signing with a firmware signing certificate (its key stays in custody; revoke it to stop stations trusting it). */
    public void retireSigner(String id, String actor) {
        Issuer s = registry.byId(id == null ? "" : id)
                .filter(i -> i.record().role() == CaRole.FIRMWARE_SIGNER && i.record().status() == CaStatus.ACTIVE)
                .orElseThrow(() -> Refusal.notFound("SIGNER_UNKNOWN", "no active firmware signing certificate with this id"));
        ledger.write(c -> {
            CaStore.setStatus(c, s.id(), CaStatus.RETIRED);
            return null;
        }, List.of(AuditEntry.ok(actor, "firmware.signer.retire", "ca:" + s.id(), Details.of("subject", s.record().subject()))), null);
        registry.refresh();
    }

    /** A signing key and what goes with it into UpdateFirmware. */
    public record SigningKey(Issuer issuer, FirmwareSignatureAlgorithm algorithm, SigningAlgorithm custodyAlgorithm,
                             String signingCertificatePem) {
    }

    /**
     * The signing certificate to sign with: {@code id} if given, else the newest active, unexpired,
     * unrevoked one of the wanted algorithm (null: ECDSA). Refused when none fits.
     */
    public SigningKey signingKey(String id, FirmwareSignatureAlgorithm wanted) {
        Instant now = Instant.now();
        List<Issuer> candidates = active(CaRole.FIRMWARE_SIGNER).stream()
                .filter(i -> id == null || id.isBlank() || i.id().equals(id)).toList();
        if (candidates.isEmpty()) {
            throw id == null || id.isBlank()
                    ? Refusal.notFound("NO_SIGNER", "no firmware signing certificate; create one (firmware signer create) or import one")
                    : Refusal.notFound("SIGNER_UNKNOWN", "no active firmware signing certificate with this id");
        }
        Refusal last = null;
        for (Issuer i : candidates) {
            FirmwareSignatureAlgorithm alg = i.certificate().getPublicKey().getAlgorithm().equals("RSA")
                    ? FirmwareSignatureAlgorithm.RSA_PSS_SHA256 : FirmwareSignatureAlgorithm.ECDSA_SHA256;
            if (wanted != null && alg != wanted) {
                last = Refusal.notFound("NO_SIGNER", "no firmware signing certificate for " + wanted
                        + (id == null || id.isBlank() ? "; create one with that algorithm" : ""));
                continue;
            }
            if (i.key() == null) {
                last = Refusal.policy("SIGNER_WITHOUT_KEY", "the signing certificate " + i.id() + " has no key in custody");
                continue;
            }
            if (!i.notAfter().isAfter(now) || i.notBefore().isAfter(now)) {
                last = Refusal.policy("SIGNER_EXPIRED", "the signing certificate " + i.id() + " is not valid now (" + i.notBefore()
                        + " to " + i.notAfter() + ")");
                continue;
            }
            Optional<IssuedCertificateRecord> inv = certificates.bySerial(i.record().serial());
            if (inv.isPresent() && IssuedCertificateRecord.REVOKED.equals(inv.get().status())) {
                last = Refusal.policy("SIGNER_REVOKED", "the signing certificate " + i.id() + " is revoked");
                continue;
            }
            SigningAlgorithm custodyAlg = alg == FirmwareSignatureAlgorithm.RSA_PSS_SHA256
                    ? SigningAlgorithm.SHA256_WITH_RSA_PSS : SigningAlgorithm.SHA256_WITH_ECDSA;
            return new SigningKey(i, alg, custodyAlg, signingCertificatePem(i));
        }
        throw last;
    }

    /** What UpdateFirmware carries as signingCertificate: the signing certificate and its intermediates, without the root. */
    static String signingCertificatePem(Issuer signer) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(signer.certificate());
        for (X509Certificate c : signer.chainWithoutRoot()) {
            if (!c.equals(signer.certificate())) {
                chain.add(c);
            }
        }
        return Pem.certificates(chain);
    }

    // ---- the development PKI

    /** What the development firmware PKI is: the root and the two signers. */
    public record Created(String rootFingerprint, String ecdsaSignerId, String rsaSignerId) {
    }

    /**
     * Creates a development manufacturer root (EC P-384) with an ECDSA P-256 and an RSA 3072
     * (RSA-PSS) firmware signing certificate under it when {@code setting} says so ({@code auto}:
     * when the development CSMS PKI is in use) and no manufacturer root with a key exists yet.
     */
    public Optional<Created> createDevelopmentIfAbsent(String setting, String organization) {
        if ("false".equals(setting)) {
            return Optional.empty();
        }
        if (store.all().stream().anyMatch(r -> r.role() == CaRole.MANUFACTURER_ROOT && r.key() != null)) {
            return Optional.empty();
        }
        if ("auto".equals(setting) && store.active(CaRole.CSMS_ROOT).map(r -> !r.subject().contains("(development)")).orElse(true)) {
            log.info("signed firmware: no development manufacturer root (the CSMS CA is not the development one); add manufacturer "
                    + "roots with POST /api/v1/firmware/roots, or set ocppsec.firmware.development-pki=true");
            return Optional.empty();
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String tag = tag();
        String org = organization == null || organization.isBlank() ? defaultOrganization : organization;
        Made root = makeRoot("Manufacturer Root CA (development)", org, KeyAlgorithm.EC_P384, Duration.ofDays(20 * 365), now, tag);
        Made ecdsa = makeSigner(root.issuer(), "Firmware Signing ECDSA (development)", org, KeyAlgorithm.EC_P256, now, tag + "-ec");
        Made rsa = makeSigner(root.issuer(), "Firmware Signing RSA-PSS (development)", org, KeyAlgorithm.RSA_3072, now, tag + "-rsa");
        write(List.of(root, ecdsa, rsa), List.of(ecdsa, rsa), "system", "ca.create");
        Created created = new Created(CertificateFingerprint.sha256(root.certificate()), ecdsa.record().id(), rsa.record().id());
        log.info("development firmware signing PKI created (DEVELOPMENT ONLY): manufacturer root SHA-256 {}, signers {} (ECDSA P-256)"
                + " and {} (RSA-PSS 3072)", created.rootFingerprint(), created.ecdsaSignerId(), created.rsaSignerId());
        return Optional.of(created);
    }

    // ---- making certificates

    private record Made(CaCertificateRecord record, X509Certificate certificate, Issuer issuer, Issuer parent) {
    }

    private Made makeRoot(String cn, String organization, KeyAlgorithm algorithm, Duration validity, Instant now, String tag) {
        String id = "manufacturer-root-" + tag;
        KeyHandle key = custody.generate(id, algorithm);
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(custody.publicKey(key).getEncoded());
        X500Name name = CaRecords.name(organization, cn);
        BigInteger serial = serial();
        SigningAlgorithm sig = SigningAlgorithm.forKey(algorithm);
        X509CertificateHolder holder = new CertificateSigner(custody).sign(name, key, sig, serial, now.minus(Duration.ofHours(1)),
                now.plus(validity), name, spki, profiles.root(spki));
        X509Certificate cert = CaRecords.x509(holder);
        custody.attachCertificateChain(key, List.of(cert));
        CaCertificateRecord record = CaRecords.record(id, CaRole.MANUFACTURER_ROOT, holder, null, key, algorithm, now);
        return new Made(record, cert, CaRecords.issuer(record, cert, List.of()), null);
    }

    private Made makeSigner(Issuer root, String cn, String organization, KeyAlgorithm algorithm, Instant now, String tag) {
        String id = "firmware-signer-" + tag;
        KeyHandle key = custody.generate(id, algorithm);
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(custody.publicKey(key).getEncoded());
        Instant notBefore = now.minus(Duration.ofMinutes(5));
        Instant notAfter = now.plus(signerValidity);
        if (notAfter.isAfter(root.notAfter())) {
            notAfter = root.notAfter();
        }
        X509CertificateHolder holder = new CertificateSigner(custody).sign(root, serial(), notBefore, notAfter,
                CaRecords.name(organization, cn), spki, profiles.firmwareSigner(spki, root));
        X509Certificate cert = CaRecords.x509(holder);
        custody.attachCertificateChain(key, List.of(cert, root.certificate()));
        CaCertificateRecord record = CaRecords.record(id, CaRole.FIRMWARE_SIGNER, holder, root.id(), key, algorithm, now);
        return new Made(record, cert, CaRecords.issuer(record, cert, List.of(root.certificate())), root);
    }

    private void write(List<Made> cas, List<Made> signers, String actor, String action) {
        List<AuditEntry> audit = new ArrayList<>();
        for (Made m : cas) {
            audit.add(AuditEntry.ok(actor, action, "ca:" + m.record().id(), Details.of("role", m.record().role().name(),
                    "subject", m.record().subject(), "sha256", m.record().sha256())));
        }
        ledger.write(c -> {
            for (Made m : cas) {
                CaStore.insert(c, m.record());
            }
            for (Made s : signers) {
                CertificateStore.insert(c, inventory(s.record(), s.certificate(), s.parent(), actor));
            }
            return null;
        }, audit, null);
        registry.refresh();
    }

    private static IssuedCertificateRecord inventory(CaCertificateRecord record, X509Certificate cert, Issuer root, String actor) {
        // No CSR: the key's SHA-256 (over its SubjectPublicKeyInfo) stands in the csr_sha256 column, as for contract certificates.
        String keyHash = CaRecords.sha256Hex(cert.getPublicKey().getEncoded());
        return new IssuedCertificateRecord(record.serial(), root.id(), null, null, CERTIFICATE_TYPE, record.subject(),
                cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), IssuedCertificateRecord.VALID, null, null,
                keyHash, null, actor, record.certificatePem(), Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    // ---- checks and views

    private static void checkName(String cn, String organization) {
        if (cn.length() > 64 || organization != null && organization.length() > 64) {
            throw Refusal.badRequest("NAME_TOO_LONG", "commonName and organization are at most 64 characters");
        }
    }

    private List<Issuer> active(CaRole role) {
        return registry.all().stream().filter(i -> i.record().role() == role && i.record().status() == CaStatus.ACTIVE)
                .sorted(Comparator.comparing((Issuer i) -> i.record().createdAt()).reversed()).toList();
    }

    private static Root root(Issuer i) {
        CaCertificateRecord r = i.record();
        return new Root(r.id(), r.subject(), r.sha256(), r.key() != null, r.subject().contains("(development)"),
                r.notBefore(), r.notAfter(), r.certificatePem());
    }

    private Signer signer(Issuer i) {
        CaCertificateRecord r = i.record();
        String status = certificates.bySerial(r.serial()).map(IssuedCertificateRecord::status).orElse(IssuedCertificateRecord.VALID);
        String alg = i.certificate().getPublicKey().getAlgorithm().equals("RSA") ? "rsa-pss" : "ecdsa";
        return new Signer(r.id(), r.subject(), r.serial(), alg, r.keyAlgorithm(), r.parentId(), status, r.notBefore(), r.notAfter(),
                signingCertificatePem(i));
    }

    /** The O of a certificate's subject, else the configured organization. */
    private String organizationOf(X509Certificate c) {
        X500Name n = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
        var o = n.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.O);
        return o.length == 0 ? defaultOrganization
                : org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(o[0].getFirst().getValue());
    }

    private static String label(KeyAlgorithm alg) {
        return alg.isEc() ? "ECDSA P-" + alg.bits() : "RSA-PSS " + alg.bits();
    }

    private static List<X509Certificate> read(String pem) {
        if (pem == null || pem.isBlank()) {
            throw Refusal.badRequest("MISSING_FIELD", "certificate (PEM) is required");
        }
        if (pem.length() > 64_000) {
            throw Refusal.badRequest("TOO_LARGE", "the PEM is over 64,000 characters");
        }
        List<X509Certificate> certs;
        try {
            certs = PemCertificates.read(pem);
        } catch (RuntimeException e) {
            throw Refusal.badRequest("BAD_CERTIFICATE", "certificate must be PEM X.509 certificates");
        }
        if (certs.isEmpty()) {
            throw Refusal.badRequest("BAD_CERTIFICATE", "no PEM certificate found");
        }
        return certs;
    }

    private BigInteger serial() {
        return serials.next();
    }

    private String tag() {
        byte[] b = new byte[3];
        random.nextBytes(b);
        return Instant.now().toString().substring(0, 10).replace("-", "") + "-" + HexFormat.of().formatHex(b);
    }

    /** The SHA-256 of a certificate as the CA store keeps it (lower-case hex, no colons). */
    private static String sha256Hex(X509Certificate c) {
        try {
            return CaRecords.sha256Hex(c.getEncoded());
        } catch (CertificateEncodingException e) {
            throw Refusal.badRequest("BAD_CERTIFICATE", "the certificate cannot be encoded");
        }
    }

    private static X509CertificateHolder holder(X509Certificate c) {
        try {
            return new X509CertificateHolder(c.getEncoded());
        } catch (IOException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
