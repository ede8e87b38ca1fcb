package io.ocppsec.cli;

import io.ocppsec.iso15118.envelope.Iso15118_20Envelope;
import io.ocppsec.iso15118.envelope.SealedKey;
import io.ocppsec.iso15118.envelope.Unsealed;
import io.ocppsec.iso15118.exi.ExiException;
import io.ocppsec.iso15118.exi.Iso15118_20;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateChain;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateInstallationReq;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateInstallationRes;
import io.ocppsec.iso15118.exi.Iso15118_20.Header;
import io.ocppsec.iso15118.exi.Iso15118_20.SignedInstallationData;
import io.ocppsec.iso15118.exi.Iso15118_20Codec;
import io.ocppsec.iso15118.pki.AlternatePublicKey;
import io.ocppsec.iso15118.pki.ChainValidation;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Emaid;
import io.ocppsec.iso15118.pki.Iso15118Certificates;
import io.ocppsec.iso15118.pki.Iso15118Crypto;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.Issuer;
import io.ocppsec.iso15118.pki.KeyType;
import io.ocppsec.iso15118.pki.Pcid;
import io.ocppsec.iso15118.pki.Urls;
import io.ocppsec.iso15118.xmldsig.ExiSignatures;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import io.ocppsec.iso15118.xmldsig.XmlSignature;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The ISO 15118-20 side of the EV stand-in ({@link PncEv}): a -20 test OEM PKI (secp521r1 root and Sub-CA 2; a
 * secp521r1 or Ed448 provisioning certificate, the Ed448 one with an X448 Alternate Subject Public Key), the -20
 * CertificateInstallationReq signed over OEMProvisioningCertificateChain, and the -20 CertificateInstallationRes opened.
 * -20 has no CertificateUpdateReq.
 */
final class PncEv20 {
    /** The private key of the Ed448 provisioning certificate's X448 alternate key (2.5.29.72). */
    static final String X448_KEY = "prov-x448.key";
    /** "2" or "20": the edition 'pnc ev init' made the EV for; a directory without it is an ISO 15118-2 EV. */
    static final String EDITION = "edition";
    static final String COMMON_MESSAGES = "urn:iso:std:iso:15118:-20:CommonMessages";
    /** PrioritizedEMAIDs: 1..8 entries. */
    static final int MAX_PRIORITIZED_EMAIDS = 8;
    private static final int MAX_KEY_FILE_BYTES = 16 * 1024;

    private PncEv20() {
    }

    /** A -20 key type: of the provisioning certificate (--key) or of the OEM root and Sub-CA 2 (--oem-key). */
    enum ProvisioningKey {
        SECP521R1, ED448;

        static ProvisioningKey of(String given) {
            return of(given, "--key");
        }

        /** The key type {@code option} names. */
        static ProvisioningKey of(String given, String option) {
            return switch (given.strip().toLowerCase(Locale.ROOT)) {
                case "secp521r1", "p-521", "p521" -> SECP521R1;
                case "ed448" -> ED448;
                default -> throw new CliException(option + " must be secp521r1 or ed448 for an ISO 15118-20 EV, not '"
                        + Text.oneLine(given) + "'");
            };
        }
    }

    /** The edition of the EV in {@code dir}: 2 or 20 (2 when the directory predates editions). */
    static int edition(Path dir) {
        Path f = dir.resolve(EDITION);
        if (!Files.isRegularFile(f)) {
            return 2;
        }
        String s = new String(CliFiles.read(f, 16, "the EV's edition"), StandardCharsets.US_ASCII).strip();
        return switch (s) {
            case "2" -> 2;
            case "20" -> 20;
            default -> throw new CliException(f + " holds '" + Text.oneLine(s) + "', not 2 or 20");
        };
    }

    /** The edition of a command line's {@code --edition}: "2", "20", "-2", "-20", "15118-20", ... */
    static int edition(String given) {
        String s = given.strip().toLowerCase(Locale.ROOT);
        s = s.startsWith("iso") ? s.substring(3).strip() : s;
        s = s.startsWith("15118") ? s.substring(5) : s;
        s = s.startsWith("-") ? s.substring(1) : s;
        return switch (s) {
            case "2" -> 2;
            case "20" -> 20;
            default -> throw new CliException("--edition must be 2 or 20 (ISO 15118-2 or -20), not '" + Text.oneLine(given) + "'");
        };
    }

    /** Whether a V2G root is of an edition: secp256r1 for -2, secp521r1 or Ed448 for -20 (as pki-service tells them apart). */
    static boolean ofEdition(X509Certificate root, int edition) {
        KeyType t = KeyType.of(SubjectPublicKeyInfo.getInstance(root.getPublicKey().getEncoded())).orElse(null);
        return edition == 20 ? t == KeyType.SECP521R1 || t == KeyType.ED448 : t == KeyType.SECP256R1;
    }

    // ---- init --------------------------------------------------------------------------------

    /**
     * A -20 OEM PKI: root and Sub-CA 2 on {@code oemKey} (secp521r1 signing ecdsa-with-SHA512, or Ed448 [V2G20-2319],
     * which pki-service imports as a key-less anchor); the provisioning certificate of {@code key}.
     */
    static PncEv.OemPki oemPki(String pcid, String oem, ProvisioningKey key, ProvisioningKey oemKey, Instant t0) {
        if (!Pcid.isValidForIso15118_20(pcid)) {
            throw new CliException("'" + Text.oneLine(pcid) + "' is not an ISO 15118-20 PCID: exactly 18 upper-case letters or "
                    + "digits (the contract key's envelope binds all 18 [V2G20-2492])");
        }
        Edition e = Edition.ISO_15118_20;
        KeyType caType = oemKey == ProvisioningKey.ED448 ? KeyType.ED448 : KeyType.SECP521R1;
        KeyPair rootKey = caType.generate();
        KeyPair subKey = caType.generate();
        try {
            X509Certificate root = Iso15118Certificates.issue(Iso15118Role.OEM_ROOT, e,
                    Iso15118Certificates.subjectFor(Iso15118Role.OEM_ROOT, oem + " Root CA 20", oem, null),
                    Iso15118Certificates.subjectPublicKeyInfo(rootKey.getPublic()),
                    Issuer.selfSigned(Iso15118Certificates.signer(rootKey.getPrivate(), caType)), PncEv.serial(), t0, Urls.NONE);
            X509Certificate sub = Iso15118Certificates.issue(Iso15118Role.OEM_SUB_CA_2, e,
                    Iso15118Certificates.subjectFor(Iso15118Role.OEM_SUB_CA_2, oem + " Sub-CA 2 20", oem, null),
                    Iso15118Certificates.subjectPublicKeyInfo(subKey.getPublic()),
                    Issuer.ca(root, Iso15118Certificates.signer(rootKey.getPrivate(), caType)), PncEv.serial(), t0, Urls.NONE);
            Issuer bySub = Issuer.ca(sub, Iso15118Certificates.signer(subKey.getPrivate(), caType));
            var subject = Iso15118Certificates.subjectFor(Iso15118Role.OEM_PROVISIONING, pcid, oem, null);
            if (key == ProvisioningKey.SECP521R1) {
                KeyPair provKey = KeyType.SECP521R1.generate();
                X509Certificate prov = Iso15118Certificates.issue(Iso15118Role.OEM_PROVISIONING, e, subject,
                        Iso15118Certificates.subjectPublicKeyInfo(provKey.getPublic()), bySub, PncEv.serial(), t0, Urls.NONE);
                return new PncEv.OemPki(rootKey, subKey, provKey, null, root, sub, prov);
            }
            KeyPair provKey = KeyType.ED448.generate();
            KeyPair x448 = KeyPairGenerator.getInstance("X448", Iso15118Crypto.provider()).generateKeyPair();
            X509Certificate prov = Iso15118Certificates.issueOemProvisioningWithX448(subject,
                    Iso15118Certificates.subjectPublicKeyInfo(provKey.getPublic()), Iso15118Certificates.subjectPublicKeyInfo(x448.getPublic()),
                    bySub, PncEv.serial(), t0, Urls.NONE);
            return new PncEv.OemPki(rootKey, subKey, provKey, x448, root, sub, prov);
        } catch (IllegalArgumentException | GeneralSecurityException ex) {
            throw new CliException("cannot create the OEM PKI: " + Text.oneLine(String.valueOf(ex.getMessage())));
        }
    }

    // ---- request -----------------------------------------------------------------------------

    /** The signed -20 CertificateInstallationReq and its SessionID. */
    record Built(byte[] exi, byte[] session, String signatureMethod) {
    }

    /**
     * Builds and signs the -20 CertificateInstallationReq: OEMProvisioningCertificateChain (Id id1, the provisioning
     * certificate and the OEM Sub-CA 2) signed with the provisioning key (ecdsa-sha512 or Ed448), as Josev's EVCC does.
     */
    static Built request(Path dir, List<X509Certificate> provChain, List<X509Certificate> v2gRoots, int maxChains, List<String> emaids,
                         byte[] session) {
        PrivateKey key = readKey(dir.resolve(PncEv.PROV_KEY));
        PncEv.requireKeyOf(key, provChain.get(0), dir.resolve(PncEv.PROV_KEY), dir.resolve(PncEv.PROV_CHAIN));
        List<byte[]> subs = new ArrayList<>();
        for (X509Certificate c : provChain.subList(1, provChain.size())) {
            subs.add(PncEv.der(c));
        }
        CertificateChain chain = new CertificateChain("id1", PncEv.der(provChain.get(0)), subs);
        try {
            ExiSigner signer = key instanceof ECPrivateKey ? ExiSigner.ecdsaP521(key) : ExiSigner.ed448(key);
            XmlSignature sig = ExiSignatures.sign(Map.of(chain.id(), Iso15118_20Codec.encodeOemProvisioningChainFragment(chain)), signer);
            CertificateInstallationReq req = new CertificateInstallationReq(
                    new Header(session, BigInteger.valueOf(Instant.now().getEpochSecond()), sig), chain, PncEv.rootIds(v2gRoots),
                    maxChains, emaids.isEmpty() ? null : emaids);
            return new Built(Iso15118_20Codec.encode(req), session, key instanceof ECPrivateKey ? "ecdsa-sha512" : "Ed448");
        } catch (ExiException e) {
            throw new CliException("cannot encode the request: " + Text.oneLine(e.getMessage()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CliException("cannot sign the request: " + Text.oneLine(String.valueOf(e.getMessage())));
        }
    }

    /** --emaid values for PrioritizedEMAIDs: at most 8 eMAIDs, as given (the codec bounds each to 255 characters). */
    static List<String> prioritizedEmaids(List<String> given) {
        if (given == null || given.isEmpty()) {
            return List.of();
        }
        if (given.size() > MAX_PRIORITIZED_EMAIDS) {
            throw new CliException("--emaid: at most " + MAX_PRIORITIZED_EMAIDS + " eMAIDs (PrioritizedEMAIDs), not " + given.size());
        }
        for (String e : given) {
            if (!Emaid.isValid(e)) {
                throw new CliException("--emaid: '" + Text.oneLine(e) + "' is not an eMAID (e.g. DE-ABC-C123ABC56)");
            }
        }
        return List.copyOf(given);
    }

    /** --max-chains: MaximumContractCertificateChains, 0..255. */
    static int maxChains(int n) {
        if (n < 0 || n > 255) {
            throw new CliException("--max-chains must be between 0 and 255, not " + n);
        }
        return n;
    }

    // ---- open --------------------------------------------------------------------------------

    /** Opens a -20 CertificateInstallationRes as the EV does; see {@link PncEv.Open}. */
    static int open(Path dir, byte[] exi, Path response, boolean strict) {
        Iso15118_20.Message message;
        try {
            message = Iso15118_20Codec.decode(exi);
        } catch (ExiException e) {
            throw new CliException(response + " is no ISO 15118-20 EXI message: " + Text.oneLine(e.getMessage()));
        }
        if (!(message instanceof CertificateInstallationRes res)) {
            throw new CliException(response + " holds a " + message.getClass().getSimpleName() + ", not a CertificateInstallationRes");
        }
        System.out.println("CertificateInstallationRes (ISO 15118-20): ResponseCode " + res.responseCode());
        if (!res.responseCode().name().startsWith("OK")) {
            System.out.println("RemainingContractCertificateChains: " + res.remainingContractCertificateChains());
            System.out.println("the EV got no contract");
            return CliException.REFUSED;
        }
        PncEv.checkSession(dir, res.header().sessionId());
        SignedInstallationData d = res.signedInstallationData();
        List<X509Certificate> cps;
        List<X509Certificate> contract;
        try {
            cps = certificates(res.cpsChain());
            contract = certificates(d.contractChain());
        } catch (CertificateException | RuntimeException e) {
            return refuse("the answer holds a certificate that cannot be read");
        }
        ChainValidation.Valid chain = PncEv.verifyCps(dir, cps, Edition.ISO_15118_20, strict, res.header().signature(),
                () -> Map.of(d.id(), Iso15118_20Codec.encodeFragment(d)), "the CPS signature over SignedInstallationData");
        System.out.println("  signed by the CPS " + cps.get(0).getSubjectX500Principal().getName() + ", chain to V2G root "
                + chain.root().getSubjectX500Principal().getName() + ": verified");
        X509Certificate leaf = contract.get(0);
        if (contract.size() > 1) {
            try {
                leaf.verify(contract.get(1).getPublicKey(), Iso15118Crypto.provider());
            } catch (GeneralSecurityException | RuntimeException e) {
                return refuse("the contract certificate is not issued by the MO Sub-CA that comes with it");
            }
        }
        Iso15118_20Envelope.ContractKey type = switch (d.encryptedKeyType()) {
            case SECP521 -> Iso15118_20Envelope.ContractKey.SECP521;
            case X448 -> Iso15118_20Envelope.ContractKey.X448;
            case TPM -> null;
        };
        if (type == null) {
            return refuse("the contract key comes as TPM_EncryptedPrivateKey; this EV has no TPM");
        }
        // the receiver: the OEM provisioning key (SECP521) or the private key of its X448 alternate key (X448)
        List<X509Certificate> provChain = PncEv.readCertificates(dir.resolve(PncEv.PROV_CHAIN), "the provisioning certificate chain");
        Path receiverFile;
        Iso15118_20Envelope.Ecdh ecdh;
        if (d.ecdhCurve() == Iso15118_20.EcdhCurve.X448) {
            ecdh = Iso15118_20Envelope.Ecdh.X448;
            receiverFile = dir.resolve(X448_KEY);
            if (!Files.isRegularFile(receiverFile)) {
                return refuse("ECDHCurve is X448 but this EV has no X448 key (" + receiverFile + "; 'pnc ev init --edition 20 --key ed448')");
            }
        } else {
            ecdh = Iso15118_20Envelope.Ecdh.SECP521;
            receiverFile = dir.resolve(PncEv.PROV_KEY);
        }
        PrivateKey receiver = readKey(receiverFile);
        if (ecdh == Iso15118_20Envelope.Ecdh.X448) {
            requireX448KeyOf(receiver, provChain.get(0), receiverFile, dir.resolve(PncEv.PROV_CHAIN));
        }
        byte[] ski = ski(leaf);
        if (ski == null) {
            return refuse("the contract certificate has no SubjectKeyIdentifier (the envelope's AAD needs it)");
        }
        String pcid = PncEv.commonName(provChain.get(0));
        Unsealed opened = Iso15118_20Envelope.unwrap(ecdh, type, new SealedKey(d.encryptedPrivateKey(), d.dhPublicKey()), receiver,
                leaf.getPublicKey(), pcid, ski);
        if (opened instanceof Unsealed.Refused refused) {
            return refuse("the contract key cannot be opened with " + receiverFile + ": " + refused.reason() + " ("
                    + Text.oneLine(refused.detail()) + ")");
        }
        PrivateKey contractKey = ((Unsealed.Opened) opened).contractKey();
        StringBuilder chainPem = new StringBuilder();
        for (X509Certificate c : contract) {
            chainPem.append(PncEv.pem(c));
        }
        String emaid = PncEv.commonName(leaf);
        CliFiles.writeSecret(dir.resolve(PncEv.CONTRACT_KEY), true, PncEv.keyPem(contractKey));
        CliFiles.writePem(dir.resolve(PncEv.CONTRACT_CHAIN), true, chainPem.toString());
        CliFiles.writePublic(dir.resolve(PncEv.EMAID), true,
                os -> os.write((String.valueOf(emaid) + "\n").getBytes(StandardCharsets.US_ASCII)));
        System.out.println("  contract key decrypted (" + d.encryptedKeyType() + "_EncryptedPrivateKey); it belongs to the contract certificate");
        System.out.println("eMAID:      " + Text.oneLine(String.valueOf(emaid)));
        System.out.println("ECDHCurve:  " + d.ecdhCurve() + (ecdh == Iso15118_20Envelope.Ecdh.X448
                ? " (with the X448 alternate key of the Ed448 provisioning certificate)" : " (with the provisioning key)"));
        System.out.println("RemainingContractCertificateChains: " + res.remainingContractCertificateChains());
        System.out.println("contract:   " + leaf.getSubjectX500Principal().getName());
        System.out.println("  serial    " + leaf.getSerialNumber().toString(16));
        System.out.println("  valid     " + leaf.getNotBefore().toInstant() + " .. " + leaf.getNotAfter().toInstant());
        System.out.println("  issuer    " + leaf.getIssuerX500Principal().getName());
        System.out.println("written: " + dir.resolve(PncEv.CONTRACT_CHAIN) + ", " + dir.resolve(PncEv.CONTRACT_KEY) + " (0600)");
        System.out.println("next: ./ocppsec pnc authorize --ocpp 2.1 --emaid " + Text.oneLine(String.valueOf(emaid)) + " --certificate "
                + dir.resolve(PncEv.CONTRACT_CHAIN));
        if (res.remainingContractCertificateChains() > 0) {
            System.out.println("      (" + res.remainingContractCertificateChains() + " more contract(s) to fetch: 'pnc ev request' again)");
        }
        return 0;
    }

    private static int refuse(String why) {
        throw PncEv.refused(why);
    }

    static List<X509Certificate> certificates(CertificateChain chain) throws CertificateException {
        return PncEv.certificates(chain.certificate(), chain.subCertificates());
    }

    static byte[] ski(X509Certificate c) {
        byte[] ext = c.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext == null) {
            return null;
        }
        try {
            return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---- keys --------------------------------------------------------------------------------

    /**
     * A PKCS#8 private key from a PEM file: EC (secp521r1), Ed448 or X448, read with Bouncy Castle; errors never show
     * the file's content.
     */
    static PrivateKey readKey(Path file) {
        String text = new String(CliFiles.read(file, MAX_KEY_FILE_BYTES, "a private key"), StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new CliException(file + " does not hold a PEM private key (PKCS#8, 'BEGIN PRIVATE KEY')");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
        } catch (IllegalArgumentException e) {
            throw new CliException(file + " does not hold a readable private key (PKCS#8)");
        }
        for (String alg : List.of("EC", "Ed448", "X448")) {
            try {
                return KeyFactory.getInstance(alg, Iso15118Crypto.provider()).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // another algorithm
            }
        }
        throw new CliException(file + " does not hold a readable EC, Ed448 or X448 private key (PKCS#8)");
    }

    /** Fails unless {@code key} is the private key of the X448 alternate key of {@code cert}. */
    static void requireX448KeyOf(PrivateKey key, X509Certificate cert, Path keyFile, Path certFile) {
        if (AlternatePublicKey.x448(cert) instanceof AlternatePublicKey.Found found
                && key instanceof org.bouncycastle.jcajce.interfaces.XDHPrivateKey x
                && MessageDigest.isEqual(x.getPublicKey().getEncoded(), found.key().getEncoded())) {
            return;
        }
        throw new CliException(keyFile + " is not the private key of the X448 alternate key of the certificate in " + certFile);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
