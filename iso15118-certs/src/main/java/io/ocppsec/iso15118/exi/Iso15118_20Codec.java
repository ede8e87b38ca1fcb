package io.ocppsec.iso15118.exi;

import static io.ocppsec.iso15118.exi.V2g20Schema.*;

import io.ocppsec.iso15118.exi.ExiException.Reason;
import io.ocppsec.iso15118.exi.Grammar.ElementDecl;
import io.ocppsec.iso15118.exi.Grammar.Kind;
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
import io.ocppsec.iso15118.xmldsig.XmlSignature;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Schema-informed EXI codec for the ISO 15118-20 CertificateInstallationReq/Res
 * ({@code urn:iso:std:iso:15118:-20:CommonMessages}), same EXI options as {@link Iso15118_2Codec}. The whole
 * message is the document root (-20 has no V2G_Message wrapper). {@code Iso15118_20Test} compares it with
 * EXIficient on 10,000 random messages when the -20 schemas are at hand (environment variable
 * OCPPSEC_ISO15118_20_XSD; they are not in ../shared, so CI skips that comparison; run with the public -20
 * schemas it finds no difference, docs/iso15118-certs.md); no public -20 byte vector was available.
 */
public final class Iso15118_20Codec {

    private static final int DOC_WIDTH = Grammar.codingLength(GLOBAL_ELEMENTS + 1);
    private static final int FRAGMENT_WIDTH = Grammar.codingLength(FRAGMENT_ELEMENTS + 2);
    private static final int FRAGMENT_ED = FRAGMENT_ELEMENTS + 1;

    private Iso15118_20Codec() {
    }

    public static byte[] encode(Message message) throws ExiException {
        ExiEncoder e = new ExiEncoder(4096);
        if (message instanceof CertificateInstallationReq r) {
            e.out.bits(RANK_CERTIFICATE_INSTALLATION_REQ, DOC_WIDTH);
            e.root(CERTIFICATE_INSTALLATION_REQ);
            writeReq(e, r);
        } else {
            CertificateInstallationRes r = (CertificateInstallationRes) message;
            e.out.bits(RANK_CERTIFICATE_INSTALLATION_RES, DOC_WIDTH);
            e.root(CERTIFICATE_INSTALLATION_RES);
            writeHeader(e, r.header());
            e.simple(RESPONSE_CODE, r.responseCode().ordinal());
            e.simple(EVSE_PROCESSING, r.evseProcessing().ordinal());
            e.start(CPS_CHAIN);
            writeChain(e, r.cpsChain(), false);
            e.start(SIGNED_INSTALLATION_DATA);
            writeSignedInstallationData(e, r.signedInstallationData());
            e.simple(REMAINING_CONTRACT_CHAINS, r.remainingContractCertificateChains());
            e.end();
        }
        return e.finish();
    }

    /** Fragment of {@code SignedInstallationData} (what the CPS signs in a -20 CertificateInstallationRes). */
    public static byte[] encodeFragment(SignedInstallationData data) throws ExiException {
        ExiEncoder e = fragment(RANK_FRAGMENT_SIGNED_INSTALLATION_DATA, SIGNED_INSTALLATION_DATA);
        writeSignedInstallationData(e, data);
        return endFragment(e);
    }

    /** Fragment of {@code OEMProvisioningCertificateChain} (one reading of what the EV signs, see the report). */
    public static byte[] encodeOemProvisioningChainFragment(CertificateChain chain) throws ExiException {
        ExiEncoder e = fragment(RANK_FRAGMENT_OEM_PROVISIONING_CHAIN, OEM_PROVISIONING_CHAIN);
        writeChain(e, chain, true);
        return endFragment(e);
    }

    /** Fragment of the whole {@code CertificateInstallationReq} (the other reading, [V2G20-1548]). */
    public static byte[] encodeFragment(CertificateInstallationReq req) throws ExiException {
        ExiEncoder e = fragment(RANK_FRAGMENT_CERTIFICATE_INSTALLATION_REQ, CERTIFICATE_INSTALLATION_REQ);
        writeReq(e, req);
        return endFragment(e);
    }

    private static ExiEncoder fragment(int rank, ElementDecl root) {
        ExiEncoder e = new ExiEncoder(2048);
        e.out.bits(rank, FRAGMENT_WIDTH);
        e.root(root);
        return e;
    }

    private static byte[] endFragment(ExiEncoder e) {
        e.out.bits(FRAGMENT_ED, FRAGMENT_WIDTH);
        return e.finish();
    }

    private static void writeReq(ExiEncoder e, CertificateInstallationReq r) throws ExiException {
        writeHeader(e, r.header());
        if (r.oemProvisioningChain().id() == null) {
            throw new ExiException(Reason.INVALID, "OEMProvisioningCertificateChain needs an Id");
        }
        e.start(OEM_PROVISIONING_CHAIN);
        writeChain(e, r.oemProvisioningChain(), true);
        if (r.rootCertificateIds().isEmpty() || r.rootCertificateIds().size() > 20) {
            throw new ExiException(Reason.LIMIT_EXCEEDED, "ListOfRootCertificateIDs needs 1..20 entries");
        }
        e.start(LIST_OF_ROOT_CERTIFICATE_IDS);
        for (RootCertificateId id : r.rootCertificateIds()) {
            e.start(ROOT_CERTIFICATE_ID);
            e.simple(V2gSchema.X509_ISSUER_NAME, id.issuerName());
            e.simple(V2gSchema.X509_SERIAL_NUMBER, id.serial());
            e.end();
        }
        e.end();
        e.simple(MAXIMUM_CONTRACT_CHAINS, r.maximumContractCertificateChains());
        if (r.prioritizedEmaids() != null) {
            if (r.prioritizedEmaids().isEmpty() || r.prioritizedEmaids().size() > 8) {
                throw new ExiException(Reason.LIMIT_EXCEEDED, "PrioritizedEMAIDs needs 1..8 entries");
            }
            e.start(PRIORITIZED_EMAIDS);
            for (String emaid : r.prioritizedEmaids()) {
                e.simple(EMAID, emaid);
            }
            e.end();
        }
        e.end();
    }

    private static void writeHeader(ExiEncoder e, Header h) throws ExiException {
        e.start(HEADER);
        e.simple(SESSION_ID, h.sessionId());
        e.simple(TIME_STAMP, h.timeStamp());
        if (h.signature() != null) {
            Iso15118_2Codec.writeSignature(e, h.signature());
        }
        e.end();
    }

    private static void writeChain(ExiEncoder e, CertificateChain c, boolean withId) throws ExiException {
        if (withId) {
            e.attribute(ID, c.id());
        } else if (c.id() != null) {
            throw new ExiException(Reason.INVALID, "this certificate chain has no Id attribute");
        }
        e.simple(CERTIFICATE, c.certificate());
        List<byte[]> subs = c.subCertificates();
        if (!subs.isEmpty()) {
            if (subs.size() > 3) {
                throw new ExiException(Reason.LIMIT_EXCEEDED, "SubCertificates holds at most 3 certificates");
            }
            e.start(SUB_CERTIFICATES);
            for (byte[] s : subs) {
                e.simple(CERTIFICATE, s);
            }
            e.end();
        }
        e.end();
    }

    private static void writeSignedInstallationData(ExiEncoder e, SignedInstallationData d) throws ExiException {
        e.attribute(ID, d.id());
        e.start(CONTRACT_CHAIN);
        if (d.contractChain().subCertificates().isEmpty()) {
            throw new ExiException(Reason.INVALID, "ContractCertificateChain needs SubCertificates");
        }
        writeChain(e, d.contractChain(), false);
        e.simple(ECDH_CURVE, d.ecdhCurve().ordinal());
        e.simple(DH_PUBLIC_KEY, checkDhPublicKey(d.dhPublicKey()));
        e.simple(switch (d.encryptedKeyType()) {
            case SECP521 -> SECP521_KEY;
            case X448 -> X448_KEY;
            case TPM -> TPM_KEY;
        }, d.encryptedPrivateKey());
        e.end();
    }

    /** DHPublicKey is 56 (X448) or 133 (secp521r1) bytes, nothing in between (see V2g20Schema). */
    private static byte[] checkDhPublicKey(byte[] dh) throws ExiException {
        if (dh.length != DH_PUBLIC_KEY_X448 && dh.length != DH_PUBLIC_KEY_SECP521) {
            throw new ExiException(Reason.INVALID, "DHPublicKey is " + dh.length + " bytes, not " + DH_PUBLIC_KEY_X448
                    + " (X448) or " + DH_PUBLIC_KEY_SECP521 + " (secp521r1) [V2G20-2495]");
        }
        return dh;
    }

    // =================================================================== decode

    public static Message decode(byte[] exi) throws ExiException {
        if (exi == null || exi.length == 0) {
            throw new ExiException(Reason.TRUNCATED, "empty EXI stream");
        }
        if (exi.length > Iso15118_2Codec.MAX_STREAM_BYTES) {
            throw new ExiException(Reason.LIMIT_EXCEEDED, "EXI stream of " + exi.length + " bytes exceeds "
                    + Iso15118_2Codec.MAX_STREAM_BYTES);
        }
        ExiDecoder d = new ExiDecoder(exi);
        int code = d.in.bits(DOC_WIDTH);
        Message m;
        if (code == RANK_CERTIFICATE_INSTALLATION_REQ) {
            d.root(CERTIFICATE_INSTALLATION_REQ);
            m = readReq(d);
        } else if (code == RANK_CERTIFICATE_INSTALLATION_RES) {
            d.root(CERTIFICATE_INSTALLATION_RES);
            m = readRes(d);
        } else {
            throw new ExiException(Reason.UNSUPPORTED, "unsupported -20 root element (code " + code + ")");
        }
        d.in.expectEnd();
        return m;
    }

    private static Header readHeader(ExiDecoder d) throws ExiException {
        d.expectStart(HEADER);
        byte[] sid = (byte[]) d.simple(SESSION_ID);
        BigInteger ts = (BigInteger) d.simple(TIME_STAMP);
        XmlSignature sig = null;
        d.next();
        if (d.isStart(V2gSchema.SIGNATURE)) {
            sig = Iso15118_2Codec.readSignature(d);
            d.next();
        }
        if (d.event.kind != Kind.EE) {
            throw d.unexpected("end of Header");
        }
        return new Header(sid, ts, sig);
    }

    private static CertificateInstallationReq readReq(ExiDecoder d) throws ExiException {
        Header h = readHeader(d);
        d.expectStart(OEM_PROVISIONING_CHAIN);
        CertificateChain oem = readChain(d, true);
        d.expectStart(LIST_OF_ROOT_CERTIFICATE_IDS);
        List<RootCertificateId> roots = Iso15118_2Codec.readRoots(d);
        int max = (Integer) d.simple(MAXIMUM_CONTRACT_CHAINS);
        List<String> emaids = null;
        d.next();
        if (d.isStart(PRIORITIZED_EMAIDS)) {
            emaids = new ArrayList<>();
            while (d.next() == Kind.SE) { // at most 8 by the grammar
                emaids.add((String) d.characters());
                d.expectEnd();
            }
            d.next();
        }
        if (d.event.kind != Kind.EE) {
            throw d.unexpected("end of CertificateInstallationReq");
        }
        return new CertificateInstallationReq(h, oem, roots, max, emaids);
    }

    private static CertificateInstallationRes readRes(ExiDecoder d) throws ExiException {
        Header h = readHeader(d);
        ResponseCode rc = ResponseCode.values()[(Integer) d.simple(RESPONSE_CODE)];
        Processing p = Processing.values()[(Integer) d.simple(EVSE_PROCESSING)];
        d.expectStart(CPS_CHAIN);
        CertificateChain cps = readChain(d, false);
        d.expectStart(SIGNED_INSTALLATION_DATA);
        d.next();
        if (!d.isAttribute(ID)) {
            throw d.unexpected("Id");
        }
        String id = (String) d.value;
        d.expectStart(CONTRACT_CHAIN);
        CertificateChain contract = readChain(d, false);
        EcdhCurve curve = EcdhCurve.values()[(Integer) d.simple(ECDH_CURVE)];
        byte[] dh = checkDhPublicKey((byte[]) d.simple(DH_PUBLIC_KEY));
        d.next();
        EncryptedKeyType type;
        if (d.isStart(SECP521_KEY)) {
            type = EncryptedKeyType.SECP521;
        } else if (d.isStart(X448_KEY)) {
            type = EncryptedKeyType.X448;
        } else if (d.isStart(TPM_KEY)) {
            type = EncryptedKeyType.TPM;
        } else {
            throw d.unexpected("encrypted private key");
        }
        byte[] key = (byte[]) d.characters();
        d.expectEnd();
        d.expectEnd(); // SignedInstallationData
        int remaining = (Integer) d.simple(REMAINING_CONTRACT_CHAINS);
        d.expectEnd();
        return new CertificateInstallationRes(h, rc, p, cps,
                new SignedInstallationData(id, contract, curve, dh, type, key), remaining);
    }

    private static CertificateChain readChain(ExiDecoder d, boolean withId) throws ExiException {
        String id = null;
        d.next();
        if (withId) {
            if (!d.isAttribute(ID)) {
                throw d.unexpected("Id");
            }
            id = (String) d.value;
            d.next();
        }
        if (!d.isStart(CERTIFICATE)) {
            throw d.unexpected("Certificate");
        }
        byte[] cert = (byte[]) d.characters();
        d.expectEnd();
        List<byte[]> subs = new ArrayList<>();
        d.next();
        if (d.isStart(SUB_CERTIFICATES)) {
            while (d.next() == Kind.SE) { // at most 3 by the grammar
                subs.add((byte[]) d.characters());
                d.expectEnd();
            }
            d.expectEnd();
        } else if (d.event.kind != Kind.EE) {
            throw d.unexpected("SubCertificates or end of chain");
        }
        return new CertificateChain(id, cert, subs);
    }
}
