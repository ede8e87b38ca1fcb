package io.ocppsec.iso15118.exi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocppsec.iso15118.exi.Exificient.Sax;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateChain;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateInstallationReq;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateInstallationRes;
import io.ocppsec.iso15118.exi.Iso15118_20.EcdhCurve;
import io.ocppsec.iso15118.exi.Iso15118_20.EncryptedKeyType;
import io.ocppsec.iso15118.exi.Iso15118_20.Header;
import io.ocppsec.iso15118.exi.Iso15118_20.Message;
import io.ocppsec.iso15118.exi.Iso15118_20.Processing;
import io.ocppsec.iso15118.exi.Iso15118_20.ResponseCode;
import io.ocppsec.iso15118.exi.Iso15118_20.SignedInstallationData;
import io.ocppsec.iso15118.xmldsig.ExiSignatures;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ISO 15118-20 CertificateInstallationReq/Res. Round trips always run; the differential part against
 * EXIficient runs only when the public -20 schemas (V2G_CI_CommonMessages.xsd, V2G_CI_CommonTypes.xsd,
 * xmldsig-core-schema.xsd) are in the folder named by the environment variable OCPPSEC_ISO15118_20_XSD (they are
 * not in the shared folder and are never copied into the project). EcoG-io/SwitchEV iso15118 publishes the -20
 * ones under iso15118/shared/schemas/iso15118_20/; its xmldsig-core-schema.xsd names W3C's XMLSchema.dtd in a
 * DOCTYPE, which the schema loader fetches, so offline use a copy without the DOCTYPE (such as
 * ../shared/iso15118/xsd/xmldsig-core-schema.xsd). See docs/iso15118-certs.md.
 */
class Iso15118_20Test {
    private static final String XSD_ENV = "OCPPSEC_ISO15118_20_XSD";
    /** As many as the -2 differential ({@code ExificientDifferentialTest}): the issue asks for 10,000. */
    private static final int DIFFERENTIAL_MESSAGES = 10_000;

    private static final class Gen {
        private final Random rnd;
        private int ids;

        Gen(long seed) {
            rnd = new Random(seed);
        }

        byte[] bytes(int min, int max) {
            byte[] b = new byte[min + rnd.nextInt(max - min + 1)];
            rnd.nextBytes(b);
            return b;
        }

        String id() {
            return "id" + (ids++);
        }

        CertificateChain chain(String id, int minSubs) {
            List<byte[]> subs = new ArrayList<>();
            int n = minSubs + rnd.nextInt(4 - minSubs);
            for (int i = 0; i < n; i++) {
                subs.add(bytes(1, 1600));
            }
            return new CertificateChain(id, bytes(1, 1600), subs);
        }

        Header header() {
            return new Header(bytes(8, 8), new BigInteger(64, rnd),
                    rnd.nextBoolean() ? new RandomMessages(rnd.nextLong()).signature() : null);
        }

        Message message() {
            if (rnd.nextBoolean()) {
                List<RootCertificateId> roots = new ArrayList<>();
                for (int i = 0, n = 1 + rnd.nextInt(20); i < n; i++) {
                    roots.add(new RootCertificateId("CN=Root " + i, new BigInteger(1 + rnd.nextInt(150), rnd)));
                }
                List<String> emaids = null;
                if (rnd.nextBoolean()) {
                    emaids = new ArrayList<>();
                    for (int i = 0, n = 1 + rnd.nextInt(8); i < n; i++) {
                        emaids.add("DEABC" + rnd.nextInt(1_000_000));
                    }
                }
                return new CertificateInstallationReq(header(), chain(id(), 0), roots, rnd.nextInt(256), emaids);
            }
            EncryptedKeyType t = EncryptedKeyType.values()[rnd.nextInt(3)];
            EcdhCurve curve = EcdhCurve.values()[rnd.nextInt(2)];
            int dh = curve == EcdhCurve.X448 ? 56 : 133; // an X448 key unpadded [V2G20-2495]
            SignedInstallationData d = new SignedInstallationData(id(), chain(null, 1), curve, bytes(dh, dh), t,
                    bytes(t.length(), t.length()));
            return new CertificateInstallationRes(header(), ResponseCode.values()[rnd.nextInt(ResponseCode.values().length)],
                    Processing.values()[rnd.nextInt(3)], chain(null, 0), d, rnd.nextInt(256));
        }
    }

    @Test
    void randomMessagesRoundTrip() throws Exception {
        Gen g = new Gen(20);
        for (int i = 0; i < 2_000; i++) {
            Message m = g.message();
            assertThat(Iso15118_20Codec.decode(Iso15118_20Codec.encode(m))).as("message %d", i).isEqualTo(m);
        }
    }

    @Test
    void facetsAreEnforced() {
        Gen g = new Gen(1);
        CertificateInstallationRes r;
        do {
            r = g.message() instanceof CertificateInstallationRes res ? res : null;
        } while (r == null);
        SignedInstallationData d = r.signedInstallationData();
        SignedInstallationData shortKey = new SignedInstallationData(d.id(), d.contractChain(), d.ecdhCurve(),
                new byte[132], d.encryptedKeyType(), d.encryptedPrivateKey());
        CertificateInstallationRes bad = new CertificateInstallationRes(r.header(), r.responseCode(), r.evseProcessing(),
                r.cpsChain(), shortKey, r.remainingContractCertificateChains());
        assertThatThrownBy(() -> Iso15118_20Codec.encode(bad)).isInstanceOf(ExiException.class);
        // DHPublicKey: 56 (X448) or 133 (secp521r1) bytes, nothing else
        for (int n : new int[] {0, 55, 57, 100, 132, 134}) {
            SignedInstallationData other = new SignedInstallationData(d.id(), d.contractChain(), EcdhCurve.X448, new byte[n],
                    d.encryptedKeyType(), d.encryptedPrivateKey());
            CertificateInstallationRes withOther = new CertificateInstallationRes(r.header(), r.responseCode(),
                    r.evseProcessing(), r.cpsChain(), other, r.remainingContractCertificateChains());
            assertThatThrownBy(() -> Iso15118_20Codec.encode(withOther)).as("%d bytes", n).isInstanceOf(ExiException.class);
        }
    }

    @Test
    void anX448DhPublicKeyOf56BytesEncodesAndDecodes_V2G20_2495() throws Exception {
        Gen g = new Gen(448);
        CertificateInstallationRes r;
        do {
            r = g.message() instanceof CertificateInstallationRes res ? res : null;
        } while (r == null);
        SignedInstallationData d = r.signedInstallationData();
        byte[] dh = g.bytes(56, 56);
        byte[] enc = g.bytes(94, 94);
        // X448 ECDH (the OEM certificate's alternate key), secp521r1 contract key [V2G20-2534], [V2G20-2500]
        SignedInstallationData x448 = new SignedInstallationData(d.id(), d.contractChain(), EcdhCurve.X448, dh,
                EncryptedKeyType.SECP521, enc);
        CertificateInstallationRes res = new CertificateInstallationRes(r.header(), ResponseCode.OK, Processing.Finished,
                r.cpsChain(), x448, 0);
        Message back = Iso15118_20Codec.decode(Iso15118_20Codec.encode(res));
        assertThat(back).isEqualTo(res);
        SignedInstallationData decoded = ((CertificateInstallationRes) back).signedInstallationData();
        assertThat(decoded.ecdhCurve()).isEqualTo(EcdhCurve.X448);
        assertThat(decoded.dhPublicKey()).isEqualTo(dh).hasSize(56);
        assertThat(decoded.encryptedKeyType()).isEqualTo(EncryptedKeyType.SECP521);
        assertThat(decoded.encryptedPrivateKey()).hasSize(94);
    }

    @Test
    void signedInstallationDataSignsAndVerifiesWithEcdsaSha512() throws Exception {
        Gen g = new Gen(5);
        Message m;
        do {
            m = g.message();
        } while (!(m instanceof CertificateInstallationRes));
        SignedInstallationData d = ((CertificateInstallationRes) m).signedInstallationData();
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(new ECGenParameterSpec("secp521r1"));
        KeyPair cps = kpg.generateKeyPair();
        Map<String, byte[]> f = Map.of(d.id(), Iso15118_20Codec.encodeFragment(d));
        var sig = ExiSignatures.sign(f, ExiSigner.ecdsaP521(cps.getPrivate()));
        assertThat(ExiSignatures.verify(sig, f, cps.getPublic()).isValid()).isTrue();
    }

    @Test
    void encodesLikeExificientWithThePublicIso15118_20Schemas() throws Exception {
        String dir = System.getenv(XSD_ENV);
        assumeTrue(dir != null && Files.exists(Path.of(dir, "V2G_CI_CommonMessages.xsd")),
                XSD_ENV + " not set to a folder with the ISO 15118-20 schemas; skipping the -20 differential test");
        Exificient x = new Exificient(Path.of(dir), "V2G_CI_CommonMessages.xsd");
        Gen g = new Gen(2020);
        for (int i = 0; i < DIFFERENTIAL_MESSAGES; i++) {
            Message m = g.message();
            byte[] theirs = x.document(s -> message(s, m));
            same(Iso15118_20Codec.encode(m), theirs, m);
            assertThat(Iso15118_20Codec.decode(theirs)).isEqualTo(m);
            if (m instanceof CertificateInstallationRes r) {
                same(Iso15118_20Codec.encodeFragment(r.signedInstallationData()),
                        x.fragment(s -> signedInstallationData(s, r.signedInstallationData())), r);
            } else {
                CertificateInstallationReq r = (CertificateInstallationReq) m;
                same(Iso15118_20Codec.encodeOemProvisioningChainFragment(r.oemProvisioningChain()),
                        x.fragment(s -> chain(s, "OEMProvisioningCertificateChain", r.oemProvisioningChain())), r);
                same(Iso15118_20Codec.encodeFragment(r), x.fragment(s -> message(s, r)), r);
            }
        }
    }

    private static void same(byte[] ours, byte[] theirs, Object what) {
        assertThat(HexFormat.of().formatHex(ours)).as("%s", what).isEqualTo(HexFormat.of().formatHex(theirs));
    }

    private static final String CM = Exificient.CM;
    private static final String CT = Exificient.CT;

    private static void message(Sax s, Message m) throws Exception {
        if (m instanceof CertificateInstallationReq r) {
            s.start(CM, "CertificateInstallationReq");
            header(s, r.header());
            chain(s, "OEMProvisioningCertificateChain", r.oemProvisioningChain());
            s.start(CM, "ListOfRootCertificateIDs");
            for (RootCertificateId id : r.rootCertificateIds()) {
                s.start(CT, "RootCertificateID").simple(Exificient.DS, "X509IssuerName", id.issuerName())
                        .simple(Exificient.DS, "X509SerialNumber", id.serial().toString()).end(CT, "RootCertificateID");
            }
            s.end(CM, "ListOfRootCertificateIDs");
            s.simple(CM, "MaximumContractCertificateChains", Integer.toString(r.maximumContractCertificateChains()));
            if (r.prioritizedEmaids() != null) {
                s.start(CM, "PrioritizedEMAIDs");
                for (String e : r.prioritizedEmaids()) {
                    s.simple(CM, "EMAID", e);
                }
                s.end(CM, "PrioritizedEMAIDs");
            }
            s.end(CM, "CertificateInstallationReq");
        } else {
            CertificateInstallationRes r = (CertificateInstallationRes) m;
            s.start(CM, "CertificateInstallationRes");
            header(s, r.header());
            s.simple(CT, "ResponseCode", r.responseCode().name());
            s.simple(CM, "EVSEProcessing", r.evseProcessing().name());
            chain(s, "CPSCertificateChain", r.cpsChain());
            signedInstallationData(s, r.signedInstallationData());
            s.simple(CM, "RemainingContractCertificateChains", Integer.toString(r.remainingContractCertificateChains()));
            s.end(CM, "CertificateInstallationRes");
        }
    }

    private static void header(Sax s, Header h) throws Exception {
        s.start(CT, "Header").simple(CT, "SessionID", HexFormat.of().formatHex(h.sessionId()))
                .simple(CT, "TimeStamp", h.timeStamp().toString());
        if (h.signature() != null) {
            Exificient.signature(s, h.signature());
        }
        s.end(CT, "Header");
    }

    private static void chain(Sax s, String local, CertificateChain c) throws Exception {
        s.start(CM, local, CM, "Id", c.id());
        s.b64(CM, "Certificate", c.certificate());
        if (!c.subCertificates().isEmpty()) {
            s.start(CM, "SubCertificates");
            for (byte[] sub : c.subCertificates()) {
                s.b64(CM, "Certificate", sub);
            }
            s.end(CM, "SubCertificates");
        }
        s.end(CM, local);
    }

    private static void signedInstallationData(Sax s, SignedInstallationData d) throws Exception {
        s.start(CM, "SignedInstallationData", CM, "Id", d.id());
        chain(s, "ContractCertificateChain", d.contractChain());
        s.simple(CM, "ECDHCurve", d.ecdhCurve().name());
        s.b64(CM, "DHPublicKey", d.dhPublicKey());
        s.simple(CM, switch (d.encryptedKeyType()) {
            case SECP521 -> "SECP521_EncryptedPrivateKey";
            case X448 -> "X448_EncryptedPrivateKey";
            case TPM -> "TPM_EncryptedPrivateKey";
        }, Base64.getEncoder().encodeToString(d.encryptedPrivateKey()));
        s.end(CM, "SignedInstallationData");
    }
}
