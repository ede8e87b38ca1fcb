package io.ocppsec.iso15118.provisioning;

import io.ocppsec.iso15118.envelope.Iso15118_2Envelope;
import io.ocppsec.iso15118.envelope.SealedKey;
import io.ocppsec.iso15118.exi.Body;
import io.ocppsec.iso15118.exi.CertificateChain;
import io.ocppsec.iso15118.exi.CertificateInstallationReq;
import io.ocppsec.iso15118.exi.CertificateInstallationRes;
import io.ocppsec.iso15118.exi.CertificateUpdateReq;
import io.ocppsec.iso15118.exi.CertificateUpdateRes;
import io.ocppsec.iso15118.exi.DhPublicKey;
import io.ocppsec.iso15118.exi.Emaid;
import io.ocppsec.iso15118.exi.EncryptedPrivateKey;
import io.ocppsec.iso15118.exi.ExiException;
import io.ocppsec.iso15118.exi.Header;
import io.ocppsec.iso15118.exi.Iso15118_2Codec;
import io.ocppsec.iso15118.exi.ResponseCode;
import io.ocppsec.iso15118.exi.RootCertificateId;
import io.ocppsec.iso15118.exi.V2gMessage;
import io.ocppsec.iso15118.pki.ChainValidation;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118ChainValidator;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.xmldsig.ExiSignatures;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import io.ocppsec.iso15118.xmldsig.SignatureVerification;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * ISO 15118-2 contract certificate installation and update with us in the MO and CPS roles
 * (OCPP M01/M02 answered locally): decode the EV's {@code V2G_Message}, verify its signature (the
 * OEM provisioning key for an Install, the old contract key for an Update [V2G2-891/V2G2-898]) and
 * the signer's chain, find the contract, issue a new contract certificate with a fresh secp256r1
 * key, wrap that key for the EV (ECDH + ConcatKDF + AES-128-CBC, [V2G2-814..823]), sign the four
 * referenced elements with the CPS leaf key and encode the response with the request's SessionID.
 *
 * <p>Every decodable request gets an EXI answer: a refusal is a response with a FAILED_* code
 * ({@link Outcome.Answered#code()}); only a request that cannot be decoded gets no EXI at all
 * ({@link Outcome.Unanswerable}). Thread-safe; one instance serves all stations.
 */
public final class ContractInstallation {

    /** The contracts we know, by the EV's PCID (Install) or the eMAID (Update). */
    public interface ContractDirectory {
        /** The contract to install for a PCID, or null when there is none. */
        Contract forPcid(String pcid);

        /** The contract behind an eMAID, or null when it is unknown. */
        Contract forEmaid(String emaid);
    }

    /** A contract: its eMAID and whether it is still active (a cancelled one gets FAILED_ContractCanceled). */
    public record Contract(String emaid, boolean active) {
        public Contract {
            Objects.requireNonNull(emaid, "emaid");
        }
    }

    /** Issues a contract certificate (CN = eMAID) for a public key: leaf first, then the MO Sub-CAs (no root). */
    public interface ContractIssuer {
        List<X509Certificate> issue(String emaid, ECPublicKey contractKey) throws GeneralSecurityException;
    }

    /**
     * @param cpsChain      the CPS leaf first, then its Sub-CAs, without the V2G root (SAProvisioningCertificateChain)
     * @param cpsRoot       the V2G root above the CPS chain: the EV must list it in ListOfRootCertificateIDs
     * @param cpsSigner     signs SignedInfo with the CPS leaf key (a custody backend)
     * @param validator     validates the OEM provisioning chain (OEM roots) and old contract chains (MO / V2G roots)
     * @param oemSubCas     OEM Sub-CAs known to us (the -2 request carries the OEM leaf alone)
     */
    public record Settings(List<X509Certificate> cpsChain, X509Certificate cpsRoot, ExiSigner cpsSigner,
                           Iso15118ChainValidator validator, List<X509Certificate> oemSubCas, Clock clock) {
        public Settings {
            cpsChain = List.copyOf(cpsChain);
            if (cpsChain.isEmpty()) {
                throw new IllegalArgumentException("the CPS chain is empty");
            }
            Objects.requireNonNull(cpsRoot, "cpsRoot");
            Objects.requireNonNull(cpsSigner, "cpsSigner");
            Objects.requireNonNull(validator, "validator");
            oemSubCas = List.copyOf(oemSubCas);
            Objects.requireNonNull(clock, "clock");
        }
    }

    /** What became of a request. */
    public sealed interface Outcome {
        /**
         * An EXI {@code V2G_Message} answer.
         *
         * @param exi    the whole V2G_Message (what OCPP's exiResponse carries, base64-encoded)
         * @param code   its ResponseCode: OK, or the FAILED_* code the EV sees
         * @param reason why, for statusInfo and logs (no key material)
         * @param emaid  the contract installed, or null when none was
         */
        record Answered(byte[] exi, ResponseCode code, String reason, String emaid) implements Outcome {
            public boolean ok() {
                return code == ResponseCode.OK;
            }
        }

        /** No EXI answer can be built: the request does not decode (no SessionID to answer on). */
        record Unanswerable(String reason) implements Outcome {
        }
    }

    /** Which message the OCPP request's {@code action} says the EXI holds. */
    public enum Action { INSTALL, UPDATE }

    private static final String PLACEHOLDER_EMAID = "ZZ00000000000";
    private static final String[] IDS = {"id1", "id2", "id3", "id4"};

    private final Settings settings;
    private final ContractDirectory contracts;
    private final ContractIssuer issuer;
    private final SecureRandom random = new SecureRandom();

    public ContractInstallation(Settings settings, ContractDirectory contracts, ContractIssuer issuer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.contracts = Objects.requireNonNull(contracts, "contracts");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    /** Handles one EXI request (the decoded base64 of OCPP's exiRequest). */
    public Outcome handle(byte[] exiRequest, Action action) {
        V2gMessage request;
        try {
            request = Iso15118_2Codec.decode(exiRequest);
        } catch (ExiException e) {
            return new Outcome.Unanswerable("the exiRequest is not an ISO 15118-2 certificate message: " + e.getMessage());
        }
        Body body = request.body();
        if (action == Action.INSTALL && body instanceof CertificateInstallationReq req) {
            return install(request.header(), req);
        }
        if (action == Action.UPDATE && body instanceof CertificateUpdateReq req) {
            return update(request.header(), req);
        }
        String held = body.getClass().getSimpleName();
        return failed(request.header(), action == Action.UPDATE, null, ResponseCode.FAILED_SequenceError,
                "action " + (action == Action.UPDATE ? "Update" : "Install") + " does not match the EXI body " + held);
    }

    private Outcome install(Header header, CertificateInstallationReq req) {
        X509Certificate oem;
        try {
            oem = certificate(req.oemProvisioningCert());
        } catch (CertificateException e) {
            return failed(header, false, null, ResponseCode.FAILED_CertChainError, "OEMProvisioningCert is not an X.509 certificate");
        }
        Outcome refused = verifyRequestSignature(header, false, null, req.id(), fragment(req), oem.getPublicKey());
        if (refused != null) {
            return refused;
        }
        List<X509Certificate> oemChain = withSubCas(oem, settings.oemSubCas());
        ChainValidation v = settings.validator().validate(oemChain, Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2,
                settings.clock().instant());
        if (v instanceof ChainValidation.Invalid invalid) {
            return failed(header, false, null, chainCode(invalid), "OEM provisioning certificate: " + invalid.reason());
        }
        Outcome rootRefusal = requireOurRoot(header, false, null, req.rootCertificateIds());
        if (rootRefusal != null) {
            return rootRefusal;
        }
        String pcid = commonName(oem);
        Contract contract = pcid == null ? null : contracts.forPcid(pcid);
        if (contract == null) {
            return failed(header, false, null, ResponseCode.FAILED_NoCertificateAvailable,
                    "no contract for PCID " + (pcid == null ? "(the OEM certificate has no CN)" : pcid));
        }
        if (!contract.active()) {
            return failed(header, false, contract.emaid(), ResponseCode.FAILED_ContractCanceled,
                    "the contract " + contract.emaid() + " is cancelled");
        }
        if (!(oem.getPublicKey() instanceof ECPublicKey receiver)) {
            return failed(header, false, null, ResponseCode.FAILED_CertChainError, "the OEM key is not an EC key");
        }
        return issueAndAnswer(header, false, contract.emaid(), receiver);
    }

    private Outcome update(Header header, CertificateUpdateReq req) {
        List<X509Certificate> old;
        try {
            old = chain(req.contractChain());
        } catch (CertificateException e) {
            return failed(header, true, req.emaid(), ResponseCode.FAILED_CertChainError,
                    "ContractSignatureCertChain holds something that is not an X.509 certificate");
        }
        Outcome refused = verifyRequestSignature(header, true, req.emaid(), req.id(), fragment(req), old.get(0).getPublicKey());
        if (refused != null) {
            return refused;
        }
        ChainValidation v = settings.validator().validate(old, Iso15118Role.CONTRACT, Edition.ISO_15118_2,
                settings.clock().instant());
        if (v instanceof ChainValidation.Invalid invalid) {
            return failed(header, true, req.emaid(), chainCode(invalid), "old contract certificate: " + invalid.reason());
        }
        String cn = commonName(old.get(0));
        if (cn == null || !normalize(cn).equals(normalize(req.emaid()))) {
            return failed(header, true, req.emaid(), ResponseCode.FAILED_CertChainError,
                    "the eMAID " + req.emaid() + " is not the old contract certificate's CN");
        }
        Outcome rootRefusal = requireOurRoot(header, true, req.emaid(), req.rootCertificateIds());
        if (rootRefusal != null) {
            return rootRefusal;
        }
        Contract contract = contracts.forEmaid(req.emaid());
        if (contract == null) {
            return failed(header, true, req.emaid(), ResponseCode.FAILED_NoCertificateAvailable,
                    "the contract " + req.emaid() + " is unknown");
        }
        if (!contract.active()) {
            return failed(header, true, req.emaid(), ResponseCode.FAILED_ContractCanceled,
                    "the contract " + req.emaid() + " is cancelled");
        }
        if (!(old.get(0).getPublicKey() instanceof ECPublicKey receiver)) {
            return failed(header, true, req.emaid(), ResponseCode.FAILED_CertChainError, "the old contract key is not an EC key");
        }
        return issueAndAnswer(header, true, contract.emaid(), receiver);
    }

    private Outcome issueAndAnswer(Header header, boolean update, String emaid, ECPublicKey receiver) {
        try {
            // Bouncy Castle: its fixed-point comb makes a P-256 key several times faster than SunEC on JDK 17
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", io.ocppsec.iso15118.pki.Iso15118Crypto.provider());
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair contractKey = g.generateKeyPair();
            List<X509Certificate> issued = issuer.issue(emaid, (ECPublicKey) contractKey.getPublic());
            SealedKey sealed = Iso15118_2Envelope.wrap((ECPrivateKey) contractKey.getPrivate(), receiver, random);
            List<byte[]> subs = new ArrayList<>();
            for (int i = 1; i < issued.size(); i++) {
                subs.add(issued.get(i).getEncoded());
            }
            CertificateChain contractChain = new CertificateChain(IDS[0], issued.get(0).getEncoded(), subs);
            String emaidValue = emaid.replace("-", "");
            return answer(header, update, ResponseCode.OK, contractChain,
                    new EncryptedPrivateKey(IDS[1], sealed.encryptedPrivateKey()), new DhPublicKey(IDS[2], sealed.dhPublicKey()),
                    new Emaid(IDS[3], emaidValue), "installed " + emaidValue, emaidValue);
        } catch (GeneralSecurityException | RuntimeException e) {
            return failed(header, update, emaid, ResponseCode.FAILED, "the contract certificate could not be issued: "
                    + e.getClass().getSimpleName());
        }
    }

    private Outcome verifyRequestSignature(Header header, boolean update, String emaid, String id, byte[] fragment,
                                           PublicKey key) {
        if (header.signature() == null) {
            return failed(header, update, emaid, ResponseCode.FAILED_SignatureError, "the request is not signed");
        }
        if (fragment == null) {
            return failed(header, update, emaid, ResponseCode.FAILED_SignatureError, "the signed element cannot be encoded");
        }
        SignatureVerification sv = ExiSignatures.verify(header.signature(), java.util.Map.of(id, fragment), key);
        if (sv instanceof SignatureVerification.Invalid invalid) {
            return failed(header, update, emaid, ResponseCode.FAILED_SignatureError, "request signature: " + invalid.reason());
        }
        return null;
    }

    private Outcome requireOurRoot(Header header, boolean update, String emaid, List<RootCertificateId> ids) {
        X509Certificate root = settings.cpsRoot();
        X500Name ours = X500Name.getInstance(root.getSubjectX500Principal().getEncoded());
        for (RootCertificateId id : ids) {
            if (!root.getSerialNumber().equals(id.serial())) {
                continue;
            }
            try {
                X500Name theirs = new X500Name(BCStyle.INSTANCE, id.issuerName());
                if (BCStyle.INSTANCE.areEqual(ours, theirs)) {
                    return null;
                }
            } catch (IllegalArgumentException notAName) {
                // not an RFC 4514 name: compare the CN alone below
            }
            String ourCn = commonName(root);
            if (ourCn != null && id.issuerName().contains("CN=" + ourCn)) {
                return null;
            }
        }
        return failed(header, update, emaid, ResponseCode.FAILED_NoCertificateAvailable,
                "the EV trusts none of our V2G roots (ListOfRootCertificateIDs does not name "
                        + root.getSubjectX500Principal().getName() + ")");
    }

    private Outcome failed(Header header, boolean update, String emaid, ResponseCode code, String reason) {
        String value = emaid != null && emaid.replace("-", "").length() >= 14 && emaid.replace("-", "").length() <= 15
                ? emaid.replace("-", "") : PLACEHOLDER_EMAID + "0";
        return answer(header, update, code, new CertificateChain(IDS[0], new byte[0], List.of()),
                new EncryptedPrivateKey(IDS[1], new byte[0]), new DhPublicKey(IDS[2], new byte[0]),
                new Emaid(IDS[3], value), reason, null);
    }

    private Outcome answer(Header header, boolean update, ResponseCode code, CertificateChain contractChain,
                           EncryptedPrivateKey key, DhPublicKey dh, Emaid emaid, String reason, String installed) {
        try {
            CertificateChain cps = cpsChain();
            Body body = update
                    ? new CertificateUpdateRes(code, cps, contractChain, key, dh, emaid, null)
                    : new CertificateInstallationRes(code, cps, contractChain, key, dh, emaid);
            var signature = ExiSignatures.sign(Iso15118_2Codec.signedFragments(body), settings.cpsSigner());
            byte[] exi = Iso15118_2Codec.encode(new V2gMessage(new Header(header.sessionId(), null, signature), body));
            return new Outcome.Answered(exi, code, reason, installed);
        } catch (ExiException | GeneralSecurityException | RuntimeException e) {
            return new Outcome.Unanswerable("the response could not be built (" + e.getClass().getSimpleName() + "); " + reason);
        }
    }

    private CertificateChain cpsChain() {
        try {
            List<byte[]> subs = new ArrayList<>();
            List<X509Certificate> c = settings.cpsChain();
            for (int i = 1; i < c.size(); i++) {
                subs.add(c.get(i).getEncoded());
            }
            return new CertificateChain(null, c.get(0).getEncoded(), subs);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the CPS chain cannot be encoded", e);
        }
    }

    private static byte[] fragment(CertificateInstallationReq req) {
        try {
            return Iso15118_2Codec.encodeFragment(req);
        } catch (ExiException e) {
            return null;
        }
    }

    private static byte[] fragment(CertificateUpdateReq req) {
        try {
            return Iso15118_2Codec.encodeFragment(req);
        } catch (ExiException e) {
            return null;
        }
    }

    private static ResponseCode chainCode(ChainValidation.Invalid invalid) {
        return switch (invalid.kind()) {
            case EXPIRED, NOT_YET_VALID -> ResponseCode.FAILED_CertificateExpired;
            case SIGNATURE_ERROR, CHAIN_ERROR, PROFILE_VIOLATION, UNKNOWN_ROOT -> ResponseCode.FAILED_CertChainError;
        };
    }

    /** The leaf followed by the Sub-CAs that issued it, found by name and verified key, up to two. */
    static List<X509Certificate> withSubCas(X509Certificate leaf, List<X509Certificate> subCas) {
        List<X509Certificate> out = new ArrayList<>();
        out.add(leaf);
        X509Certificate at = leaf;
        for (int depth = 0; depth < 2; depth++) {
            X500Principal issuerName = at.getIssuerX500Principal();
            X509Certificate next = null;
            for (X509Certificate ca : subCas) {
                if (ca.getSubjectX500Principal().equals(issuerName) && !out.contains(ca) && signedBy(at, ca)) {
                    next = ca;
                    break;
                }
            }
            if (next == null) {
                break;
            }
            out.add(next);
            at = next;
        }
        return out;
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
        return Iso15118ChainValidator.signedBy(cert, ca); // remembered: the OEM sub-CAs sign every car's certificate
    }

    private static List<X509Certificate> chain(CertificateChain c) throws CertificateException {
        List<X509Certificate> out = new ArrayList<>();
        out.add(certificate(c.certificate()));
        for (byte[] sub : c.subCertificates()) {
            out.add(certificate(sub));
        }
        return out;
    }

    private static X509Certificate certificate(byte[] der) throws CertificateException {
        if (der.length == 0) {
            throw new CertificateException("empty");
        }
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    static String commonName(X509Certificate c) {
        X500Name n = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
        var rdns = n.getRDNs(BCStyle.CN);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    private static String normalize(String emaid) {
        return emaid.replace("-", "").toUpperCase(Locale.ROOT);
    }
}
