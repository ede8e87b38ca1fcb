package io.ocppsec.cli;

import io.ocppsec.iso15118.envelope.Iso15118_2Envelope;
import io.ocppsec.iso15118.envelope.SealedKey;
import io.ocppsec.iso15118.envelope.Unsealed;
import io.ocppsec.iso15118.exi.Body;
import io.ocppsec.iso15118.exi.CertificateChain;
import io.ocppsec.iso15118.exi.CertificateInstallationReq;
import io.ocppsec.iso15118.exi.CertificateInstallationRes;
import io.ocppsec.iso15118.exi.CertificateUpdateReq;
import io.ocppsec.iso15118.exi.CertificateUpdateRes;
import io.ocppsec.iso15118.exi.DhPublicKey;
import io.ocppsec.iso15118.exi.EncryptedPrivateKey;
import io.ocppsec.iso15118.exi.ExiException;
import io.ocppsec.iso15118.exi.Header;
import io.ocppsec.iso15118.exi.Iso15118_2Codec;
import io.ocppsec.iso15118.exi.ResponseCode;
import io.ocppsec.iso15118.exi.RootCertificateId;
import io.ocppsec.iso15118.exi.V2gMessage;
import io.ocppsec.iso15118.pki.ChainValidation;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118Certificates;
import io.ocppsec.iso15118.pki.Iso15118ChainValidator;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.Issuer;
import io.ocppsec.iso15118.pki.KeyType;
import io.ocppsec.iso15118.pki.Leniency;
import io.ocppsec.iso15118.pki.Pcid;
import io.ocppsec.iso15118.pki.TrustAnchors;
import io.ocppsec.iso15118.pki.Urls;
import io.ocppsec.iso15118.xmldsig.ExiSignatures;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import io.ocppsec.iso15118.xmldsig.SignatureVerification;
import io.ocppsec.security.cert.PemCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./ocppsec pnc ev ...}: an EV stand-in for demos and tests, no car needed. It keeps its state
 * in a directory: a test OEM PKI and its provisioning certificate ({@code init}), the V2G roots it
 * trusts and the session of its last request ({@code request}), and the contract it was given
 * ({@code open}). ISO 15118-2 (P-256, EXI of the 2013 MsgDef schema) or, with {@code init --edition 20}, ISO 15118-20
 * ({@link PncEv20}: secp521r1 or Ed448, the -20 CommonMessages); the directory remembers its edition.
 */
final class PncEv {
    /** OEM root followed by the OEM Sub-CA 2: what 'pnc oem-root add' trusts. */
    static final String OEM_TRUST = "oem-root.pem";
    static final String OEM_ROOT_KEY = "oem-root.key";
    static final String OEM_SUB_CA_KEY = "oem-sub-ca.key";
    /** Provisioning certificate, then the OEM Sub-CA 2. */
    static final String PROV_CHAIN = "prov-chain.pem";
    static final String PROV_KEY = "prov.key";
    /** The V2G roots the EV trusts, as fetched by the last 'ev request'. */
    static final String V2G_ROOTS = "v2g-roots.pem";
    /** Hex SessionID of the last request; its answer must carry the same. */
    static final String SESSION = "session-id";
    /** The contract: certificate chain (leaf, MO Sub-CAs), key, and the eMAID element the answer carried. */
    static final String CONTRACT_CHAIN = "contract-chain.pem";
    static final String CONTRACT_KEY = "contract.key";
    static final String EMAID = "emaid";
    /** Most V2G roots listed in ListOfRootCertificateIDs. */
    static final int MAX_ROOT_IDS = 20;
    private static final int MAX_KEY_FILE_BYTES = 16 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PncEv() {
    }

    @Command(name = "ev", mixinStandardHelpOptions = true,
            description = {"An EV stand-in for demos and tests: a test OEM PKI with a provisioning certificate, signed "
                    + "CertificateInstallationReq/CertificateUpdateReq, and the answer opened (signature, chain, contract key).",
                    "ISO 15118-2 (P-256) by default; 'init --edition 20' makes an ISO 15118-20 EV (secp521r1, or Ed448 with an "
                            + "X448 key). The state lives in one directory; private keys in it are mode 0600."},
            subcommands = {Init.class, Request.class, Open.class})
    static final class Ev implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }
    }

    // ---- init --------------------------------------------------------------------------------

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Create a test OEM PKI in DIR: OEM root, OEM Sub-CA 2 and a provisioning certificate CN=PCID "
                    + "(ISO 15118-2 profiles, P-256; with --edition 20 the -20 profiles: secp521r1 root and Sub-CA 2, a "
                    + "secp521r1 or Ed448 provisioning certificate), with their private keys (mode 0600).",
                    "An Ed448 provisioning certificate also carries an X448 key (subjectAltPublicKeyInfo, 2.5.29.72) for the "
                            + "contract key; its private key is DIR/" + PncEv20.X448_KEY + ".",
                    "DIR/" + OEM_TRUST + " holds the root and the Sub-CA 2, for 'pnc oem-root add'."})
    static final class Init implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The EV's directory (created if missing).")
        Path dir;

        @Option(names = "--pcid", required = true, paramLabel = "PCID",
                description = "The provisioning certificate id: 17 or 18 letters or digits (e.g. WMIV1234567890ABCD); "
                        + "ISO 15118-20: exactly 18 upper-case letters or digits.")
        String pcid;

        @Option(names = "--edition", paramLabel = "2|20", defaultValue = "2",
                description = "ISO 15118-2 or ISO 15118-20 (default ${DEFAULT-VALUE}).")
        String edition;

        @Option(names = "--key", paramLabel = "TYPE",
                description = "The provisioning key: secp256r1 for -2 (the only one); secp521r1 (default) or ed448 for -20.")
        String key;

        @Option(names = "--oem-key", paramLabel = "TYPE",
                description = "ISO 15118-20 only: the key of the OEM root and Sub-CA 2, secp521r1 (default) or ed448 "
                        + "(pki-service trusts an Ed448 OEM PKI too [V2G20-2319]).")
        String oemKey;

        @Option(names = "--oem", paramLabel = "NAME", defaultValue = "ocppsec test OEM",
                description = "The OEM's organization name (default: ${DEFAULT-VALUE}).")
        String oem;

        @Option(names = "--force", description = "Replace an EV that exists in DIR (its keys and contract are lost).")
        boolean force;

        @Override
        public Integer call() {
            int ed = PncEv20.edition(edition);
            PncEv20.ProvisioningKey keyType = null;
            PncEv20.ProvisioningKey oemKeyType = null;
            if (ed == 20) {
                keyType = key == null ? PncEv20.ProvisioningKey.SECP521R1 : PncEv20.ProvisioningKey.of(key);
                oemKeyType = oemKey == null ? PncEv20.ProvisioningKey.SECP521R1 : PncEv20.ProvisioningKey.of(oemKey, "--oem-key");
            } else {
                if (key != null && !key.strip().equalsIgnoreCase("secp256r1")) {
                    throw new CliException("--key: an ISO 15118-2 EV has a secp256r1 key; secp521r1 and ed448 go with --edition 20");
                }
                if (oemKey != null && !oemKey.strip().equalsIgnoreCase("secp256r1")) {
                    throw new CliException("--oem-key: an ISO 15118-2 OEM PKI is secp256r1; secp521r1 and ed448 go with --edition 20");
                }
                if (!Pcid.isValid(pcid)) {
                    throw new CliException("'" + Text.oneLine(pcid) + "' is not a PCID: 17 or 18 letters or digits");
                }
            }
            Instant t0 = Instant.now().minus(Duration.ofHours(1));
            // -20: checks the PCID before anything is written
            OemPki pki = ed == 20 ? PncEv20.oemPki(pcid, oem, keyType, oemKeyType, t0) : null;
            createDir(dir);
            if (!force && Files.exists(dir.resolve(PROV_CHAIN))) {
                throw new CliException(dir.resolve(PROV_CHAIN) + " exists: DIR already holds an EV; give --force to replace it");
            }
            if (pki == null) {
                pki = oemPki2(pcid, oem, t0);
            }
            // keys first: a certificate without its key is useless
            CliFiles.writeSecret(dir.resolve(OEM_ROOT_KEY), force, keyPem(pki.rootKey().getPrivate()));
            CliFiles.writeSecret(dir.resolve(OEM_SUB_CA_KEY), force, keyPem(pki.subKey().getPrivate()));
            CliFiles.writeSecret(dir.resolve(PROV_KEY), force, keyPem(pki.provKey().getPrivate()));
            if (pki.x448() != null) {
                CliFiles.writeSecret(dir.resolve(PncEv20.X448_KEY), force, keyPem(pki.x448().getPrivate()));
            } else {
                deleteQuietly(dir.resolve(PncEv20.X448_KEY));
            }
            CliFiles.writePem(dir.resolve(OEM_TRUST), force, pem(pki.root()) + pem(pki.sub()));
            CliFiles.writePem(dir.resolve(PROV_CHAIN), force, pem(pki.prov()) + pem(pki.sub()));
            CliFiles.writePublic(dir.resolve(PncEv20.EDITION), true, os -> os.write((ed + "\n").getBytes(StandardCharsets.US_ASCII)));
            for (String stale : List.of(CONTRACT_CHAIN, CONTRACT_KEY, EMAID, SESSION, V2G_ROOTS)) {
                deleteQuietly(dir.resolve(stale));
            }
            X509Certificate prov = pki.prov();
            System.out.println("EV stand-in (ISO 15118-" + ed + ", " + (ed == 2 ? "secp256r1" : keyType == PncEv20.ProvisioningKey.ED448
                    ? "Ed448 with an X448 alternate key" : "secp521r1") + ") with PCID " + pcid + " in " + dir);
            System.out.println("  OEM root:                 " + pki.root().getSubjectX500Principal().getName()
                    + (oemKeyType == PncEv20.ProvisioningKey.ED448 ? " (Ed448)" : ""));
            System.out.println("  OEM Sub-CA 2:             " + pki.sub().getSubjectX500Principal().getName());
            System.out.println("  provisioning certificate: " + prov.getSubjectX500Principal().getName()
                    + ", valid until " + prov.getNotAfter().toInstant());
            System.out.println("next steps:");
            System.out.println("  ./ocppsec pnc oem-root add " + dir.resolve(OEM_TRUST) + "    (trusts the OEM root and its Sub-CA 2)");
            System.out.println("  ./ocppsec pnc contract add --pcid " + pcid + " --emaid DE-ABC-C123ABC56");
            System.out.println("  ./ocppsec pnc ev request --dir " + dir + " --out " + dir.resolve("install-req.b64"));
            return 0;
        }
    }

    /** A test OEM PKI: root, Sub-CA 2, provisioning certificate, their keys, and an X448 alternate key pair or null. */
    record OemPki(KeyPair rootKey, KeyPair subKey, KeyPair provKey, KeyPair x448, X509Certificate root, X509Certificate sub,
                  X509Certificate prov) {
    }

    /** The ISO 15118-2 OEM PKI: P-256 throughout. */
    static OemPki oemPki2(String pcid, String oem, Instant t0) {
        KeyPair rootKey = KeyType.SECP256R1.generate();
        KeyPair subKey = KeyType.SECP256R1.generate();
        KeyPair provKey = KeyType.SECP256R1.generate();
        X509Certificate root;
        X509Certificate sub;
        X509Certificate prov;
        try {
            root = Iso15118Certificates.issue(Iso15118Role.OEM_ROOT, Edition.ISO_15118_2,
                    Iso15118Certificates.subjectFor(Iso15118Role.OEM_ROOT, oem + " Root CA", oem, null),
                    Iso15118Certificates.subjectPublicKeyInfo(rootKey.getPublic()),
                    Issuer.selfSigned(Iso15118Certificates.signer(rootKey.getPrivate(), KeyType.SECP256R1)), serial(), t0, Urls.NONE);
            sub = Iso15118Certificates.issue(Iso15118Role.OEM_SUB_CA_2, Edition.ISO_15118_2,
                    Iso15118Certificates.subjectFor(Iso15118Role.OEM_SUB_CA_2, oem + " Sub-CA 2", oem, null),
                    Iso15118Certificates.subjectPublicKeyInfo(subKey.getPublic()),
                    Issuer.ca(root, Iso15118Certificates.signer(rootKey.getPrivate(), KeyType.SECP256R1)), serial(), t0, Urls.NONE);
            prov = Iso15118Certificates.issue(Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2,
                    Iso15118Certificates.subjectFor(Iso15118Role.OEM_PROVISIONING, pcid, oem, null),
                    Iso15118Certificates.subjectPublicKeyInfo(provKey.getPublic()),
                    Issuer.ca(sub, Iso15118Certificates.signer(subKey.getPrivate(), KeyType.SECP256R1)), serial(), t0, Urls.NONE);
        } catch (IllegalArgumentException e) {
            throw new CliException("cannot create the OEM PKI: " + Text.oneLine(e.getMessage()));
        }
        return new OemPki(rootKey, subKey, provKey, null, root, sub, prov);
    }

    // ---- request -----------------------------------------------------------------------------

    @Command(name = "request", mixinStandardHelpOptions = true,
            description = {"Build the EV's signed CertificateInstallationReq (signed with the provisioning key) or, with "
                    + "--update, CertificateUpdateReq (signed with the contract key), listing the V2G roots pki-service "
                    + "serves (GET /api/v1/pnc/roots) as ListOfRootCertificateIDs; writes it in Base64 to --out.",
                    "The roots are kept in DIR/" + V2G_ROOTS + " to check the answer against; an EV lists the V2G roots of "
                            + "its edition (-2: secp256r1; -20: secp521r1 or Ed448).",
                    "ISO 15118-20 EV: a -20 CertificateInstallationReq signed over OEMProvisioningCertificateChain "
                            + "(ecdsa-sha512 or Ed448), with --max-chains and --emaid; -20 has no CertificateUpdateReq."})
    static final class Request implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The EV's directory ('pnc ev init').")
        Path dir;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the EXI request, Base64.")
        Path out;

        @Option(names = "--update", description = "CertificateUpdateReq for the contract in DIR (or --contract) instead of an installation.")
        boolean update;

        @Option(names = "--contract", paramLabel = "FILE",
                description = "With --update: the contract certificate chain, PEM (default DIR/" + CONTRACT_CHAIN
                        + "); its key is DIR/" + CONTRACT_KEY + ".")
        Path contract;

        @Option(names = "--max-chains", paramLabel = "N",
                description = "ISO 15118-20: MaximumContractCertificateChains, 0..255 (default 1).")
        Integer maxChains;

        @Option(names = "--emaid", paramLabel = "EMAID",
                description = "ISO 15118-20: an eMAID for PrioritizedEMAIDs, most wanted first (repeatable, at most 8).")
        List<String> emaids;

        @Option(names = "--force", description = "Overwrite the --out file if it exists.")
        boolean force;

        @Override
        public Integer call() {
            if (contract != null && !update) {
                throw new CliException("--contract goes with --update");
            }
            requireDir(dir);
            int edition = PncEv20.edition(dir);
            if (edition == 20) {
                return request20();
            }
            if (maxChains != null || emaids != null) {
                throw new CliException("--max-chains and --emaid go with an ISO 15118-20 EV ('pnc ev init --edition 20'); "
                        + dir + " holds an ISO 15118-2 EV");
            }
            CliFiles.checkWritable(out, force);
            List<X509Certificate> provChain = readCertificates(dir.resolve(PROV_CHAIN), "the provisioning certificate chain");
            PrivateKey signingKey;
            Body body;
            if (update) {
                Path chainFile = contract != null ? contract : dir.resolve(CONTRACT_CHAIN);
                if (!Files.isRegularFile(dir.resolve(CONTRACT_KEY)) || !Files.isRegularFile(chainFile)) {
                    throw new CliException(dir + " holds no contract to update: install one first ('pnc ev request', "
                            + "'pnc install', 'pnc ev open')");
                }
                List<X509Certificate> chain = readCertificates(chainFile, "a contract certificate chain");
                signingKey = readKey(dir.resolve(CONTRACT_KEY));
                requireKeyOf(signingKey, chain.get(0), dir.resolve(CONTRACT_KEY), chainFile);
                String emaid = storedEmaid(chain.get(0));
                List<RootCertificateId> roots = rootIds(fetchV2gRoots(2));
                List<byte[]> subs = new ArrayList<>();
                for (X509Certificate c : chain.subList(1, chain.size())) {
                    subs.add(der(c));
                }
                body = new CertificateUpdateReq("ID1", new CertificateChain(null, der(chain.get(0)), subs), emaid, roots);
            } else {
                signingKey = readKey(dir.resolve(PROV_KEY));
                requireKeyOf(signingKey, provChain.get(0), dir.resolve(PROV_KEY), dir.resolve(PROV_CHAIN));
                body = new CertificateInstallationReq("ID1", der(provChain.get(0)), rootIds(fetchV2gRoots(2)));
            }
            byte[] session = new byte[8];
            RANDOM.nextBytes(session);
            String b64;
            try {
                var signature = ExiSignatures.sign(Iso15118_2Codec.signedFragments(body), ExiSigner.ecdsaP256(signingKey));
                b64 = Base64.getEncoder().encodeToString(Iso15118_2Codec.encode(new V2gMessage(new Header(session, null, signature), body)));
            } catch (ExiException e) {
                throw new CliException("cannot encode the request: " + Text.oneLine(e.getMessage()));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new CliException("cannot sign the request: " + Text.oneLine(e.getMessage()));
            }
            CliFiles.writePublic(dir.resolve(SESSION), true, os -> os.write((HexFormat.of().formatHex(session) + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            CliFiles.writePublic(out, force, os -> os.write((b64 + "\n").getBytes(StandardCharsets.US_ASCII)));
            String kind = update ? "CertificateUpdateReq" : "CertificateInstallationReq";
            System.out.println(kind + " (signed by " + (update ? "the contract key" : "the provisioning key") + ", SessionID "
                    + HexFormat.of().formatHex(session) + "): " + b64.length() + " Base64 characters written to " + out
                    + (b64.length() > PncExchange.MAX_EXI_REQUEST_201 ? " (more than OCPP 2.0.1's " + PncExchange.MAX_EXI_REQUEST_201
                    + ": use --ocpp 2.1)" : ""));
            System.out.println("next: ./ocppsec pnc " + (update ? "update" : "install") + " --request " + out + " --out "
                    + dir.resolve(update ? "update-res.b64" : "install-res.b64"));
            return 0;
        }

        /** An ISO 15118-20 EV: CertificateInstallationReq only. */
        private int request20() {
            if (update || contract != null) {
                throw new CliException("ISO 15118-20 has no CertificateUpdateReq: a -20 EV gets a new contract with another "
                        + "CertificateInstallationReq ('pnc ev request' without --update)");
            }
            int max = PncEv20.maxChains(maxChains == null ? 1 : maxChains);
            List<String> prioritized = PncEv20.prioritizedEmaids(emaids);
            CliFiles.checkWritable(out, force);
            List<X509Certificate> provChain = readCertificates(dir.resolve(PROV_CHAIN), "the provisioning certificate chain");
            byte[] session = new byte[8];
            RANDOM.nextBytes(session);
            PncEv20.Built built = PncEv20.request(dir, provChain, fetchV2gRoots(20), max, prioritized, session);
            String b64 = Base64.getEncoder().encodeToString(built.exi());
            CliFiles.writePublic(dir.resolve(SESSION), true, os -> os.write((HexFormat.of().formatHex(session) + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            CliFiles.writePublic(out, force, os -> os.write((b64 + "\n").getBytes(StandardCharsets.US_ASCII)));
            System.out.println("CertificateInstallationReq (ISO 15118-20, signed by the provisioning key with " + built.signatureMethod()
                    + ", SessionID " + HexFormat.of().formatHex(session) + ", MaximumContractCertificateChains " + max
                    + (prioritized.isEmpty() ? "" : ", PrioritizedEMAIDs " + String.join(" ", prioritized)) + "): " + b64.length()
                    + " Base64 characters written to " + out);
            System.out.println("next: ./ocppsec pnc install --edition 20 --request " + out + " --out " + dir.resolve("install-res.b64"));
            return 0;
        }

        /** The V2G roots pki-service serves for {@code edition}, at most {@value #MAX_ROOT_IDS}; kept in DIR. */
        private List<X509Certificate> fetchV2gRoots(int edition) {
            JsonNode roots = api.client().get(PncCommand.BASE + "/roots", "the Plug & Charge roots");
            StringBuilder pem = new StringBuilder();
            for (JsonNode r : roots) {
                if ("V2G".equals(Text.str(r, "type")) && Text.str(r, "certificate") != null) {
                    pem.append(Text.str(r, "certificate"));
                }
            }
            List<X509Certificate> certs = pem.length() == 0 ? List.of()
                    : CertCommand.parseFromApi(pem.toString(), "a V2G root").stream().filter(c -> PncEv20.ofEdition(c, edition))
                    .limit(MAX_ROOT_IDS).toList();
            if (certs.isEmpty()) {
                throw new CliException("pki-service serves no ISO 15118-" + edition + " V2G root; the EV has no root to list "
                        + "(see 'pnc root import')");
            }
            CliFiles.writePem(dir.resolve(V2G_ROOTS), true, pem(certs.toArray(X509Certificate[]::new)));
            return certs;
        }

        private String storedEmaid(X509Certificate leaf) {
            Path file = dir.resolve(EMAID);
            if (Files.isRegularFile(file)) {
                String e = new String(CliFiles.read(file, 64, "an eMAID"), StandardCharsets.US_ASCII).strip();
                if (!e.isEmpty()) {
                    return e;
                }
            }
            // the certificate's CN without the separators: ISO 15118-2 eMAID elements hold 14 or 15 characters
            String cn = commonName(leaf);
            if (cn == null) {
                throw new CliException("the contract certificate has no CN (eMAID)");
            }
            return cn.replace("-", "");
        }
    }

    // ---- open --------------------------------------------------------------------------------

    @Command(name = "open", mixinStandardHelpOptions = true,
            description = {"Open the answer to the EV's last request as the EV does: decode the EXI, check the SessionID, "
                    + "verify the CPS signature and the CPS chain up to a V2G root of DIR/" + V2G_ROOTS + ", decrypt the "
                    + "contract key (with the provisioning key, or the old contract key for an update) and check it "
                    + "belongs to the contract certificate; then keep the contract in DIR (key mode 0600).",
                    "ISO 15118-20 EV: the -20 CertificateInstallationRes, the CPS signature over SignedInstallationData, the "
                            + "contract key under ECDHCurve SECP521 (provisioning key) or X448 (DIR/" + PncEv20.X448_KEY + "); "
                            + "prints ECDHCurve and RemainingContractCertificateChains.",
                    "Exit 0 only for ResponseCode OK (OK_*) and a verified answer."})
    static final class Open implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The EV's directory.")
        Path dir;

        @Option(names = "--response", required = true, paramLabel = "FILE", description = "The EXI response, Base64 ('pnc install --out').")
        Path response;

        @Option(names = "--strict", description = "Hold the CPS chain to the ISO 15118 profiles without the known deviations of "
                + "real PKIs (pki-service's ocppsec.pnc.profile-checks=strict).")
        boolean strict;

        @Override
        public Integer call() {
            requireDir(dir);
            String b64 = PncExchange.readBase64(response, "an EXI response");
            if (b64.length() > PncExchange.MAX_EXI_RESPONSE) {
                throw new CliException(response + " holds " + b64.length() + " Base64 characters; OCPP carries at most "
                        + PncExchange.MAX_EXI_RESPONSE);
            }
            byte[] exi = PncExchange.decode(b64, response + " does not hold an EXI response in Base64");
            if (PncEv20.edition(dir) == 20) {
                return PncEv20.open(dir, exi, response, strict);
            }
            V2gMessage message;
            try {
                message = Iso15118_2Codec.decode(exi);
            } catch (ExiException e) {
                throw new CliException(response + " is no ISO 15118-2 EXI message: " + Text.oneLine(e.getMessage()));
            }
            Answer a = Answer.of(message.body());
            if (a == null) {
                throw new CliException(response + " holds a " + message.body().getClass().getSimpleName()
                        + ", not a CertificateInstallationRes or CertificateUpdateRes");
            }
            System.out.println(a.kind() + ": ResponseCode " + a.code());
            if (!a.code().name().startsWith("OK")) {
                System.out.println("the EV got no contract");
                return CliException.REFUSED;
            }
            checkSession(dir, message.header().sessionId());
            // the CPS chain up to a V2G root the EV trusts, then the signature by the CPS leaf
            List<X509Certificate> cps;
            List<X509Certificate> contract;
            try {
                cps = certificates(a.cpsChain());
                contract = certificates(a.contractChain());
            } catch (CertificateException | RuntimeException e) {
                return refuse("the answer holds a certificate that cannot be read");
            }
            ChainValidation.Valid chain = verifyCps(dir, cps, Edition.ISO_15118_2, strict, message.header().signature(),
                    () -> Iso15118_2Codec.signedFragments(message.body()), "the CPS signature");
            System.out.println("  signed by the CPS " + cps.get(0).getSubjectX500Principal().getName() + ", chain to V2G root "
                    + chain.root().getSubjectX500Principal().getName() + ": verified");
            X509Certificate leaf = contract.get(0);
            if (!(leaf.getPublicKey() instanceof ECPublicKey contractPublic)) {
                return refuse("the contract certificate has no EC key");
            }
            if (contract.size() > 1) {
                try {
                    leaf.verify(contract.get(1).getPublicKey());
                } catch (GeneralSecurityException | RuntimeException e) {
                    return refuse("the contract certificate is not issued by the MO Sub-CA that comes with it");
                }
            }
            // the key that opens the envelope: provisioning key (install), the old contract key (update)
            Path receiverFile = dir.resolve(a.update() ? CONTRACT_KEY : PROV_KEY);
            PrivateKey receiver = readKey(receiverFile);
            Unsealed opened = Iso15118_2Envelope.unwrap(new SealedKey(a.encryptedKey().value(), a.dhPublicKey().value()),
                    receiver, contractPublic);
            if (opened instanceof Unsealed.Refused refused) {
                return refuse("the contract key cannot be opened with " + receiverFile + ": " + refused.reason() + " ("
                        + Text.oneLine(refused.detail()) + ")");
            }
            PrivateKey contractKey = ((Unsealed.Opened) opened).contractKey();
            StringBuilder chainPem = new StringBuilder();
            for (X509Certificate c : contract) {
                chainPem.append(pem(c));
            }
            CliFiles.writeSecret(dir.resolve(CONTRACT_KEY), true, keyPem(contractKey));
            CliFiles.writePem(dir.resolve(CONTRACT_CHAIN), true, chainPem.toString());
            CliFiles.writePublic(dir.resolve(EMAID), true, os -> os.write((a.emaid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            System.out.println("  contract key decrypted; it belongs to the contract certificate");
            System.out.println("eMAID:      " + Text.oneLine(commonName(leaf)) + " (element: " + Text.oneLine(a.emaid()) + ")");
            System.out.println("contract:   " + leaf.getSubjectX500Principal().getName());
            System.out.println("  serial    " + leaf.getSerialNumber().toString(16));
            System.out.println("  valid     " + leaf.getNotBefore().toInstant() + " .. " + leaf.getNotAfter().toInstant());
            System.out.println("  issuer    " + leaf.getIssuerX500Principal().getName());
            System.out.println("written: " + dir.resolve(CONTRACT_CHAIN) + ", " + dir.resolve(CONTRACT_KEY) + " (0600)");
            System.out.println("next: ./ocppsec pnc authorize --emaid " + Text.oneLine(commonName(leaf)) + " --certificate "
                    + dir.resolve(CONTRACT_CHAIN));
            return 0;
        }

        private static int refuse(String why) {
            throw refused(why);
        }
    }

    /** The signed fragments of an answer, by Id. */
    interface SignedParts {
        Map<String, byte[]> encode() throws ExiException;
    }

    /**
     * The CPS chain of an answer validated against the V2G roots the EV trusts (DIR/{@value #V2G_ROOTS}) with
     * the profile of {@code edition}, and {@code signature} over {@code parts} verified with the CPS leaf's key;
     * refuses the answer (exit code REFUSED) naming what failed, {@code what} naming the signature.
     */
    static ChainValidation.Valid verifyCps(Path dir, List<X509Certificate> cps, Edition edition, boolean strict,
                                           io.ocppsec.iso15118.xmldsig.XmlSignature signature, SignedParts parts, String what) {
        List<X509Certificate> v2gRoots = readCertificates(dir.resolve(V2G_ROOTS), "the V2G roots ('pnc ev request' writes them)");
        ChainValidation chain = new Iso15118ChainValidator(new TrustAnchors(v2gRoots, List.of(), List.of()),
                strict ? Leniency.strict() : Leniency.knownDeviations()).validate(cps, Iso15118Role.CPS_LEAF, edition, Instant.now());
        if (chain instanceof ChainValidation.Invalid invalid) {
            throw refused("the CPS chain does not verify: " + invalid.kind() + ": " + Text.oneLine(invalid.reason()));
        }
        if (signature == null) {
            throw refused("the answer is not signed");
        }
        SignatureVerification sig;
        try {
            sig = ExiSignatures.verify(signature, parts.encode(), cps.get(0).getPublicKey());
        } catch (ExiException e) {
            throw refused("the signed parts cannot be encoded: " + Text.oneLine(e.getMessage()));
        }
        if (sig instanceof SignatureVerification.Invalid bad) {
            throw refused(what + " does not verify: " + Text.oneLine(bad.reason()));
        }
        return (ChainValidation.Valid) chain;
    }

    static CliException refused(String why) {
        return new CliException(CliException.REFUSED, "the answer is refused: " + why);
    }

    /** Refuses an answer whose SessionID is not the one of the EV's last request (DIR/{@value #SESSION}). */
    static void checkSession(Path dir, byte[] sessionId) {
        Path sessionFile = dir.resolve(SESSION);
        if (Files.isRegularFile(sessionFile)) {
            String expected = new String(CliFiles.read(sessionFile, 64, "a SessionID"), StandardCharsets.US_ASCII).strip();
            String got = HexFormat.of().formatHex(sessionId);
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), got.getBytes(StandardCharsets.US_ASCII))) {
                throw new CliException(CliException.REFUSED, "the answer is refused: the answer's SessionID " + got
                        + " is not the request's " + expected);
            }
        }
    }

    /** The parts of an installation or update answer the EV uses. */
    record Answer(String kind, boolean update, ResponseCode code, CertificateChain cpsChain, CertificateChain contractChain,
                  EncryptedPrivateKey encryptedKey, DhPublicKey dhPublicKey, String emaid) {
        static Answer of(Body body) {
            if (body instanceof CertificateInstallationRes r) {
                return new Answer("CertificateInstallationRes", false, r.responseCode(), r.saProvisioningChain(), r.contractChain(),
                        r.encryptedPrivateKey(), r.dhPublicKey(), r.emaid().value());
            }
            if (body instanceof CertificateUpdateRes r) {
                return new Answer("CertificateUpdateRes", true, r.responseCode(), r.saProvisioningChain(), r.contractChain(),
                        r.encryptedPrivateKey(), r.dhPublicKey(), r.emaid().value());
            }
            return null;
        }
    }

    // ---- files and certificates ----------------------------------------------------------------

    static List<RootCertificateId> rootIds(List<X509Certificate> roots) {
        return roots.stream().map(r -> new RootCertificateId(r.getSubjectX500Principal().getName(), r.getSerialNumber())).toList();
    }

    static List<X509Certificate> certificates(CertificateChain chain) throws CertificateException {
        return certificates(chain.certificate(), chain.subCertificates());
    }

    /** A certificate chain of an ISO 15118 message (-2 or -20): the leaf, then its sub-CAs, DER each. */
    static List<X509Certificate> certificates(byte[] leaf, List<byte[]> subCertificates) throws CertificateException {
        CertificateFactory f = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(leaf)));
        for (byte[] sub : subCertificates) {
            out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(sub)));
        }
        return out;
    }

    /** The certificates of a local PEM file; errors name the file. */
    static List<X509Certificate> readCertificates(Path file, String what) {
        String text = new String(CliFiles.read(file, PemCertificates.MAX_PEM_CHARS, what), StandardCharsets.US_ASCII);
        try {
            return PemCertificates.read(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(file + " does not hold " + what + ": " + Text.oneLine(e.getMessage()));
        }
    }

    /** A PKCS#8 EC private key from a PEM file ("PRIVATE KEY"); errors never show the file's content. */
    static PrivateKey readKey(Path file) {
        String text = new String(CliFiles.read(file, MAX_KEY_FILE_BYTES, "a private key"), StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new CliException(file + " does not hold a PEM private key (PKCS#8, 'BEGIN PRIVATE KEY')");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            if (!(key instanceof ECPrivateKey)) {
                throw new CliException(file + " does not hold an EC private key");
            }
            return key;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new CliException(file + " does not hold a readable EC private key (PKCS#8)");
        }
    }

    /** Fails unless {@code key} is the private key of {@code cert}: a signature with one verifies with the other. */
    static void requireKeyOf(PrivateKey key, X509Certificate cert, Path keyFile, Path certFile) {
        try {
            byte[] probe = "ocppsec key check".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature s = java.security.Signature.getInstance(key instanceof ECPrivateKey ? "SHA256withECDSA" : "Ed448",
                    io.ocppsec.iso15118.pki.Iso15118Crypto.provider());
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(probe);
            if (s.verify(sig)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // not a matching key
        }
        throw new CliException(keyFile + " is not the private key of the certificate in " + certFile);
    }

    static byte[] keyPem(PrivateKey key) {
        return ("-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    static String pem(X509Certificate... certs) {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : certs) {
            b.append("-----BEGIN CERTIFICATE-----\n").append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der(c)))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return b.toString();
    }

    static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new CliException("a certificate cannot be encoded");
        }
    }

    static String commonName(X509Certificate c) {
        var rdns = org.bouncycastle.asn1.x500.X500Name.getInstance(c.getSubjectX500Principal().getEncoded())
                .getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
        return rdns.length == 0 ? null : rdns[0].getFirst().getValue().toString();
    }

    static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    private static void createDir(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
        } catch (IOException e) {
            throw new CliException("cannot create " + dir + ": " + Text.oneLine(String.valueOf(e.getMessage())));
        }
    }

    private static void requireDir(Path dir) {
        if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve(PROV_CHAIN))) {
            throw new CliException(dir + " holds no EV stand-in; create one with 'pnc ev init --dir " + dir + " --pcid PCID'");
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stale file stays; the next command overwrites it
        }
    }
}
