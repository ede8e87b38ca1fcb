package io.ocppsec.pki.ca;

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
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.security.cert.PemCertificates;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

/**
 * Bringing a production CA in, instead of the development PKI:
 * <ul>
 *   <li>an existing issuing CA with its key: a PEM chain (the CA first, up to its root) and a
 *       PEM private key (PKCS#8, traditional, or encrypted), or a PKCS#12 file;</li>
 *   <li>an existing CA whose key is already in the HSM (or Vault), by its label, with the PEM chain;</li>
 *   <li>a new sub-CA for an offline root: the key is generated in the custody backend, a CSR is
 *       handed out, and the certificate the offline root signs is installed later.</li>
 * </ul>
 * Each checks that the certificate is a CA (basicConstraints cA:true, keyCertSign), that the key
 * is the certificate's (a test signature), that the chain links up to a self-signed root, that it
 * is valid long enough, and that the key type is one the CA supports. The imported CA becomes the
 * active station CA and its root the CSMS root; the previous ones are retired (they keep
 * answering for what they issued). Every step is audited.
 */
public final class CaAdministration {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    static final int MAX_KEY_PEM = 32 * 1024;
    static final int MAX_PKCS12 = 256 * 1024;

    private final KeyCustody custody;
    private final CaStore store;
    private final IssuerRegistry registry;
    private final Ledger ledger;

    public CaAdministration(KeyCustody custody, CaStore store, IssuerRegistry registry, Ledger ledger) {
        this.custody = custody;
        this.store = store;
        this.registry = registry;
        this.ledger = ledger;
    }

    /** The result of an import: the station CA that issues from now on. */
    public record Imported(String issuerId, String subject, String rootSubject) {
    }

    /** Imports a CA from a PEM chain and a PEM private key (optionally password-protected). */
    public Imported importPem(String chainPem, String keyPem, char[] keyPassword, String actor) {
        return audited(actor, "ca.import.pem", () -> {
            List<X509Certificate> chain = chain(chainPem);
            PrivateKey key = privateKey(keyPem, keyPassword);
            requireKeyOf(key, chain.get(0));
            return install(chain, label(chain.get(0)), l -> custody.importKey(l, key, chain), actor);
        });
    }

    /** Imports a CA from a PKCS#12 file holding one key entry and its chain. */
    public Imported importPkcs12(byte[] pkcs12, char[] password, String actor) {
        return audited(actor, "ca.import.pkcs12", () -> {
            if (pkcs12 == null || pkcs12.length == 0 || pkcs12.length > MAX_PKCS12) {
                throw Refusal.badRequest("BAD_PKCS12", "the PKCS#12 file must be 1 byte to " + MAX_PKCS12 / 1024 + " KiB");
            }
            PrivateKey key;
            List<X509Certificate> chain = new ArrayList<>();
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(new ByteArrayInputStream(pkcs12), password);
                String alias = null;
                for (Enumeration<String> e = ks.aliases(); e.hasMoreElements(); ) {
                    String a = e.nextElement();
                    if (ks.isKeyEntry(a)) {
                        if (alias != null) {
                            throw Refusal.badRequest("BAD_PKCS12", "the PKCS#12 file holds more than one key");
                        }
                        alias = a;
                    }
                }
                if (alias == null) {
                    throw Refusal.badRequest("BAD_PKCS12", "the PKCS#12 file holds no private key");
                }
                key = (PrivateKey) ks.getKey(alias, password);
                Certificate[] c = ks.getCertificateChain(alias);
                for (Certificate x : c == null ? new Certificate[0] : c) {
                    chain.add((X509Certificate) x);
                }
            } catch (Refusal r) {
                throw r;
            } catch (Exception e) {
                throw Refusal.badRequest("BAD_PKCS12", "the PKCS#12 file cannot be opened (wrong password, or not PKCS#12)");
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
            if (chain.isEmpty()) {
                throw Refusal.badRequest("BAD_PKCS12", "the key in the PKCS#12 file has no certificate chain");
            }
            List<X509Certificate> fixed = List.copyOf(chain);
            requireKeyOf(key, fixed.get(0));
            return install(fixed, label(fixed.get(0)), l -> custody.importKey(l, key, fixed), actor);
        });
    }

    /** Uses a CA key that is already in the backend (an HSM key by label), with its PEM chain. */
    public Imported importExistingKey(String label, String chainPem, String actor) {
        return audited(actor, "ca.import.existing-key", () -> {
            List<X509Certificate> chain = chain(chainPem);
            KeyHandle handle;
            try {
                handle = custody.useExisting(label);
            } catch (RuntimeException e) {
                throw Refusal.policy("KEY_UNKNOWN", "the " + custody.name() + " backend has no usable key '" + label + "': " + e.getMessage());
            }
            return install(chain, label, l -> handle, actor);
        });
    }

    /** A pending sub-CA key and the CSR to send to the offline root. */
    public record SubCaRequest(String id, String csrPem) {
    }

    /** Generates a sub-CA key in the backend and returns its CSR for an offline root to sign. */
    public SubCaRequest requestSubCa(String subject, KeyAlgorithm algorithm, String actor) {
        return audited(actor, "ca.subca.request", () -> {
            X500Name name;
            try {
                name = new X500Name(subject);
            } catch (RuntimeException e) {
                throw Refusal.badRequest("BAD_SUBJECT", "subject must be a distinguished name like 'CN=Station CA,O=Example CPO'");
            }
            String id = "station-ca-" + Instant.now().toString().substring(0, 10).replace("-", "") + "-" + hex(4);
            KeyHandle key = custody.generate(id, algorithm);
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(custody.publicKey(key).getEncoded());
            PKCS10CertificationRequest csr = new PKCS10CertificationRequestBuilder(name, spki)
                    .build(CustodyContentSigner.of(custody, key, SigningAlgorithm.forKey(algorithm)));
            String pem;
            try {
                pem = Pem.encode("CERTIFICATE REQUEST", csr.getEncoded());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            CaStore.PendingKey pending = new CaStore.PendingKey(id, Names.rfc4514(name), key, algorithm.name(), pem, Instant.now());
            ledger.write(c -> {
                CaStore.insertPending(c, pending);
                return null;
            }, List.of(AuditEntry.ok(actor, "ca.subca.request", "ca:" + id, Details.of("subject", pending.subject(),
                    "keyAlgorithm", algorithm.name(), "key", key.toString()))), null);
            return new SubCaRequest(id, pem);
        });
    }

    /** Installs the certificate an offline root signed for a pending sub-CA key (with the chain up to that root). */
    public Imported installSubCa(String pendingId, String certificateAndChainPem, String actor) {
        return audited(actor, "ca.subca.install", () -> {
            CaStore.PendingKey pending = store.pending(pendingId)
                    .orElseThrow(() -> Refusal.notFound("PENDING_KEY_UNKNOWN", "no pending sub-CA key with this id"));
            List<X509Certificate> chain = chain(certificateAndChainPem);
            return install(chain, pending.key().id(), l -> pending.key(), actor, pending.id());
        });
    }

    private interface KeySource {
        KeyHandle handle(String label);
    }

    private Imported install(List<X509Certificate> chain, String label, KeySource keys, String actor) {
        return install(chain, label, keys, actor, null);
    }

    private Imported install(List<X509Certificate> chain, String label, KeySource keys, String actor, String pendingId) {
        X509Certificate ca = chain.get(0);
        checkIsCa(ca);
        checkChain(chain);
        KeyAlgorithm alg = keyAlgorithm(ca.getPublicKey());
        KeyHandle handle;
        try {
            handle = keys.handle(label);
        } catch (io.ocppsec.pki.custody.CustodyException e) {
            throw Refusal.policy("CUSTODY_REFUSED", "the " + custody.name() + " backend refused the key: " + e.getMessage());
        }
        checkKeyMatches(handle, alg, ca.getPublicKey());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X509Certificate root = chain.get(chain.size() - 1);
        boolean selfIssued = chain.size() == 1;
        Map<String, String> known = new HashMap<>();
        for (CaCertificateRecord r : store.all()) {
            known.putIfAbsent(r.sha256(), r.id());
        }
        String knownRootId = selfIssued ? null : known.get(sha256(root));
        List<CaCertificateRecord> records = new ArrayList<>();
        String rootId = knownRootId != null ? knownRootId : id("csms-root", root);
        if (!selfIssued && knownRootId == null) {
            records.add(record(rootId, CaRole.CSMS_ROOT, root, null, null, keyAlgorithm(root.getPublicKey()), now));
        }
        String parent = rootId;
        for (int i = chain.size() - 2; i >= 1; i--) {
            X509Certificate mid = chain.get(i);
            String knownMidId = known.get(sha256(mid));
            String midId = knownMidId != null ? knownMidId : id("intermediate", mid);
            if (knownMidId == null) {
                records.add(record(midId, CaRole.STATION_CA, mid, parent, null, keyAlgorithm(mid.getPublicKey()), now));
            }
            parent = midId;
        }
        String caId = selfIssued ? rootId : id("station-ca", ca);
        CaCertificateRecord caRecord = record(caId, selfIssued ? CaRole.CSMS_ROOT : CaRole.STATION_CA, ca,
                selfIssued ? null : parent, handle, alg, now);
        records.add(caRecord);
        custody.attachCertificateChain(handle, chain);
        ledger.write(c -> {
            CaStore.retireRole(c, CaRole.STATION_CA);
            CaStore.retireRole(c, CaRole.CSMS_ROOT);
            for (CaCertificateRecord r : records) {
                CaStore.insert(c, r);
            }
            // Intermediates brought in with the chain do not issue: only the imported CA does.
            for (CaCertificateRecord r : records) {
                if (r != caRecord && r.role() == CaRole.STATION_CA) {
                    CaStore.setStatus(c, r.id(), CaStatus.RETIRED);
                }
            }
            if (knownRootId != null) {
                CaStore.setStatus(c, rootId, CaStatus.ACTIVE);
            }
            if (pendingId != null) {
                CaStore.deletePending(c, pendingId);
            }
            return null;
        }, records.stream().map(r -> AuditEntry.ok(actor, "ca.install", "ca:" + r.id(),
                Details.of("role", r.role().name(), "subject", r.subject(), "sha256", r.sha256(), "key",
                        r.key() == null ? null : r.key().toString()))).toList(), null);
        registry.refresh();
        return new Imported(caId, caRecord.subject(), Names.rfc4514(X500Name.getInstance(root.getSubjectX500Principal().getEncoded())));
    }

    private static void checkIsCa(X509Certificate ca) {
        if (ca.getBasicConstraints() < 0) {
            throw Refusal.policy("NOT_A_CA", "the first certificate is not a CA certificate (basicConstraints cA is not true)");
        }
        boolean[] ku = ca.getKeyUsage();
        if (ku != null && (ku.length < 6 || !ku[5])) {
            throw Refusal.policy("NOT_A_CA", "the CA certificate's keyUsage lacks keyCertSign");
        }
        Instant notAfter = ca.getNotAfter().toInstant();
        if (notAfter.isBefore(Instant.now().plus(java.time.Duration.ofDays(30)))) {
            throw Refusal.policy("CA_EXPIRING", "the CA certificate expires within 30 days");
        }
        if (ca.getNotBefore().toInstant().isAfter(Instant.now())) {
            throw Refusal.policy("CA_NOT_YET_VALID", "the CA certificate is not valid yet");
        }
    }

    /** Each certificate is signed by the next; the last is a self-signed root. */
    private static void checkChain(List<X509Certificate> chain) {
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            X509Certificate issuer = i + 1 < chain.size() ? chain.get(i + 1) : c;
            if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                throw Refusal.policy("CHAIN_BROKEN", i + 1 < chain.size()
                        ? "certificate " + (i + 1) + " of the chain is not issued by the next one"
                        : "the chain does not end in a self-signed root (give the whole chain up to the root)");
            }
            try {
                c.verify(issuer.getPublicKey(), BC);
            } catch (Exception e) {
                throw Refusal.policy("CHAIN_BROKEN", "the signature of certificate " + (i + 1) + " of the chain does not verify");
            }
        }
    }

    /** Checked before the key goes anywhere: an imported key must be the CA certificate's. */
    private static void requireKeyOf(PrivateKey key, X509Certificate ca) {
        KeyAlgorithm alg = keyAlgorithm(ca.getPublicKey());
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            SigningAlgorithm sa = SigningAlgorithm.forKey(alg);
            Signature s = Signature.getInstance(sa.jcaName(), BC);
            s.initSign(key);
            s.update(challenge);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(sa.jcaName(), BC);
            v.initVerify(ca.getPublicKey());
            v.update(challenge);
            if (v.verify(sig)) {
                return;
            }
        } catch (Exception e) {
            // a key of another type cannot sign for this certificate: a mismatch
        }
        throw Refusal.policy("KEY_MISMATCH", "the private key does not belong to the CA certificate");
    }

    private void checkKeyMatches(KeyHandle key, KeyAlgorithm alg, PublicKey expected) {
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            SigningAlgorithm sa = SigningAlgorithm.forKey(alg);
            byte[] sig = custody.sign(key, sa, challenge);
            Signature v = Signature.getInstance(sa.jcaName(), BC);
            v.initVerify(expected);
            v.update(challenge);
            if (!v.verify(sig)) {
                throw Refusal.policy("KEY_MISMATCH", "the private key does not belong to the CA certificate");
            }
        } catch (Refusal r) {
            throw r;
        } catch (Exception e) {
            throw Refusal.policy("KEY_MISMATCH", "the private key does not belong to the CA certificate");
        }
    }

    static KeyAlgorithm keyAlgorithm(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return switch (bits) {
                case 256 -> KeyAlgorithm.EC_P256;
                case 384 -> KeyAlgorithm.EC_P384;
                case 521 -> KeyAlgorithm.EC_P521;
                default -> throw Refusal.policy("KEY_TYPE_NOT_ALLOWED", "the CA key is on an unsupported curve");
            };
        }
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits >= 4096) {
                return KeyAlgorithm.RSA_4096;
            }
            if (bits >= 3072) {
                return KeyAlgorithm.RSA_3072;
            }
            if (bits >= 2048) {
                return KeyAlgorithm.RSA_2048;
            }
            throw Refusal.policy("KEY_TOO_SMALL", "the CA's RSA key has fewer than 2048 bits");
        }
        throw Refusal.policy("KEY_TYPE_NOT_ALLOWED", "the CA key must be RSA or EC");
    }

    private static List<X509Certificate> chain(String pem) {
        try {
            return PemCertificates.read(pem);
        } catch (IllegalArgumentException e) {
            throw Refusal.badRequest("BAD_CHAIN", "chain: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(String pem, char[] password) {
        if (pem == null || pem.isBlank() || pem.length() > MAX_KEY_PEM) {
            throw Refusal.badRequest("BAD_KEY", "a PEM private key of at most " + MAX_KEY_PEM / 1024 + " KiB is required");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BC);
            if (o instanceof PEMKeyPair kp) {
                return converter.getKeyPair(kp).getPrivate();
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                requirePassword(password);
                return converter.getPrivateKey(enc.decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(password)));
            }
            if (o instanceof PEMEncryptedKeyPair enc) {
                requirePassword(password);
                return converter.getKeyPair(enc.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BC).build(password))).getPrivate();
            }
        } catch (Refusal r) {
            throw r;
        } catch (Exception e) {
            throw Refusal.badRequest("BAD_KEY", "the private key cannot be read (wrong password, or not a PEM private key)");
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
        throw Refusal.badRequest("BAD_KEY", "no private key in the PEM text");
    }

    private static void requirePassword(char[] password) {
        if (password == null || password.length == 0) {
            throw Refusal.badRequest("KEY_PASSWORD_REQUIRED", "the private key is encrypted: give its password");
        }
    }

    private <T> T audited(String actor, String action, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (Refusal r) {
            Ledger.join(ledger.audit(AuditEntry.refused(actor, action, null, r.reason(), null)));
            throw r;
        }
    }

    private static CaCertificateRecord record(String id, CaRole role, X509Certificate c, String parent, KeyHandle key,
                                              KeyAlgorithm alg, Instant now) {
        try {
            byte[] der = c.getEncoded();
            return new CaCertificateRecord(id, role, CaStatus.ACTIVE,
                    Names.rfc4514(X500Name.getInstance(c.getSubjectX500Principal().getEncoded())),
                    SerialNumbers.hex(c.getSerialNumber()), DevelopmentPki.sha256Hex(der), parent, key, alg.name(),
                    c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), Pem.certificate(der), now);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String id(String prefix, X509Certificate c) {
        return prefix + "-" + sha256(c).substring(0, 12);
    }

    private static String label(X509Certificate c) {
        return "imported-" + sha256(c).substring(0, 16);
    }

    private static String sha256(X509Certificate c) {
        try {
            return DevelopmentPki.sha256Hex(c.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
