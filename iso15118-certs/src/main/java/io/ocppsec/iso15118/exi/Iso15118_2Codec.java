package io.ocppsec.iso15118.exi;

import static io.ocppsec.iso15118.exi.V2gSchema.*;

import io.ocppsec.iso15118.exi.ExiException.Reason;
import io.ocppsec.iso15118.exi.Grammar.ElementDecl;
import io.ocppsec.iso15118.exi.Grammar.Kind;
import io.ocppsec.iso15118.xmldsig.Reference;
import io.ocppsec.iso15118.xmldsig.SignedInfo;
import io.ocppsec.iso15118.xmldsig.XmlSignature;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Schema-informed EXI codec for the ISO 15118-2 certificate messages ({@code urn:iso:15118:2:2013:MsgDef}):
 * bit-packed, default (non-strict) fidelity options, valuePartitionCapacity 0, no built-in grammar
 * learning, no cookie, no options in the header — the settings ISO 15118-2 peers (and EXIficient with
 * them) use. Whole {@code V2G_Message}s (fragment=false) and the signed fragments (fragment=true, MsgDef
 * grammar), plus {@code ds:SignedInfo} with a grammar of xmldsig-core-schema alone.
 *
 * <p>Stateless and thread-safe; the grammar tables are built once.
 */
public final class Iso15118_2Codec {

    /** Largest stream accepted by {@link #decode}: OCPP 2.1 exiResponse (17000 base64 chars) fits. */
    public static final int MAX_STREAM_BYTES = 16 * 1024;

    private static final int DOC_WIDTH = Grammar.codingLength(MSGDEF_GLOBAL_ELEMENTS + 1);
    private static final int FRAGMENT_WIDTH = Grammar.codingLength(MSGDEF_FRAGMENT_ELEMENTS + 2);
    private static final int FRAGMENT_ED = MSGDEF_FRAGMENT_ELEMENTS + 1;
    private static final int DS_FRAGMENT_WIDTH = Grammar.codingLength(XMLDSIG_FRAGMENT_ELEMENTS + 2);
    private static final int DS_FRAGMENT_ED = XMLDSIG_FRAGMENT_ELEMENTS + 1;
    // ElementFragment grammar (EXI 8.5.3) for the MsgBody eMAID fragment
    private static final int EF0_EVENTS = MSGDEF_ATTRIBUTE_QNAMES + 1 + MSGDEF_FRAGMENT_ELEMENTS + 3;
    private static final int EF0_WIDTH = Grammar.codingLength(EF0_EVENTS + 1);
    private static final int EF0_CH = EF0_EVENTS - 1;
    private static final int EF2_EVENTS = MSGDEF_FRAGMENT_ELEMENTS + 3;
    private static final int EF2_WIDTH = Grammar.codingLength(EF2_EVENTS + 1);
    private static final int EF2_EE = MSGDEF_FRAGMENT_ELEMENTS + 1;

    private Iso15118_2Codec() {
    }

    // =================================================================== encode

    /** Encodes a whole {@code V2G_Message} (the OCPP exiRequest/exiResponse payload). */
    public static byte[] encode(V2gMessage message) throws ExiException {
        ExiEncoder e = new ExiEncoder(4096);
        e.out.bits(V2G_MESSAGE_RANK, DOC_WIDTH);
        e.root(V2G_MESSAGE);
        e.start(HEADER);
        writeHeader(e, message.header());
        e.end();
        e.start(BODY);
        writeBody(e, message.body());
        e.end();
        e.end();
        return e.finish(); // DocEnd: ED has a 0-bit code
    }

    /** Fragment (MsgDef grammar) of {@code ContractSignatureCertChain} — the element signed as its Id. */
    public static byte[] encodeContractChainFragment(CertificateChain contractChain) throws ExiException {
        ExiEncoder e = fragment(RANK_CONTRACT_SIGNATURE_CERT_CHAIN, CONTRACT_SIGNATURE_CERT_CHAIN);
        writeChain(e, contractChain);
        return endFragment(e);
    }

    /** Fragment of {@code ContractSignatureEncryptedPrivateKey}. */
    public static byte[] encodeFragment(EncryptedPrivateKey key) throws ExiException {
        ExiEncoder e = fragment(RANK_CONTRACT_SIGNATURE_ENCRYPTED_PRIVATE_KEY, CONTRACT_SIGNATURE_ENCRYPTED_PRIVATE_KEY);
        e.attribute(ID_TYPES_REQUIRED, key.id());
        e.characters(key.valueUnsafe(), "ContractSignatureEncryptedPrivateKey");
        e.end();
        return endFragment(e);
    }

    /** Fragment of {@code DHpublickey}. */
    public static byte[] encodeFragment(DhPublicKey key) throws ExiException {
        ExiEncoder e = fragment(RANK_DH_PUBLIC_KEY, DH_PUBLIC_KEY);
        e.attribute(ID_TYPES_REQUIRED, key.id());
        e.characters(key.valueUnsafe(), "DHpublickey");
        e.end();
        return endFragment(e);
    }

    /**
     * Fragment of the MsgBody {@code eMAID}. That qname has two types in the schema, so EXI uses the relaxed
     * ElementFragment grammar: AT(Id) and untyped characters.
     */
    public static byte[] encodeFragment(Emaid emaid) throws ExiException {
        String id = emaid.id();
        String v = emaid.value();
        checkLength(id, 0, MAX_ID, "eMAID Id");
        checkLength(v, 14, 15, "eMAID");
        ExiEncoder e = new ExiEncoder(64);
        BitWriter w = e.out;
        w.bits(RANK_EMAID_BODY, FRAGMENT_WIDTH);
        w.bits(RANK_ATTRIBUTE_ID_TYPES, EF0_WIDTH);
        w.stringLiteral(id, id.codePointCount(0, id.length()));
        w.bits(EF0_CH, EF0_WIDTH);
        w.stringLiteral(v, v.codePointCount(0, v.length()));
        w.bits(EF2_EE, EF2_WIDTH);
        w.bits(FRAGMENT_ED, FRAGMENT_WIDTH);
        return w.toByteArray();
    }

    /** Fragment of a {@code CertificateInstallationReq} (the element the OEM provisioning key signs). */
    public static byte[] encodeFragment(CertificateInstallationReq req) throws ExiException {
        ExiEncoder e = fragment(RANK_CERTIFICATE_INSTALLATION_REQ, CERTIFICATE_INSTALLATION_REQ);
        writeInstallationReq(e, req);
        return endFragment(e);
    }

    /** Fragment of a {@code CertificateUpdateReq} (the element the old contract key signs). */
    public static byte[] encodeFragment(CertificateUpdateReq req) throws ExiException {
        ExiEncoder e = fragment(RANK_CERTIFICATE_UPDATE_REQ, CERTIFICATE_UPDATE_REQ);
        writeUpdateReq(e, req);
        return endFragment(e);
    }

    /**
     * The EXI fragments a body's signature references, by Id, in document order: the request element
     * itself for the requests; ContractSignatureCertChain, ContractSignatureEncryptedPrivateKey, DHpublickey
     * and eMAID for the responses (SAProvisioningCertificateChain is not signed).
     */
    public static Map<String, byte[]> signedFragments(Body body) throws ExiException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (body instanceof CertificateInstallationReq r) {
            out.put(r.id(), encodeFragment(r));
        } else if (body instanceof CertificateUpdateReq r) {
            out.put(r.id(), encodeFragment(r));
        } else if (body instanceof CertificateInstallationRes r) {
            responseFragments(out, r.contractChain(), r.encryptedPrivateKey(), r.dhPublicKey(), r.emaid());
        } else if (body instanceof CertificateUpdateRes r) {
            responseFragments(out, r.contractChain(), r.encryptedPrivateKey(), r.dhPublicKey(), r.emaid());
        }
        return out;
    }

    private static void responseFragments(Map<String, byte[]> out, CertificateChain chain, EncryptedPrivateKey key,
            DhPublicKey dh, Emaid emaid) throws ExiException {
        if (chain.id() == null) {
            throw new ExiException(Reason.INVALID, "ContractSignatureCertChain has no Id, it cannot be referenced");
        }
        put(out, chain.id(), encodeContractChainFragment(chain));
        put(out, key.id(), encodeFragment(key));
        put(out, dh.id(), encodeFragment(dh));
        put(out, emaid.id(), encodeFragment(emaid));
    }

    private static void put(Map<String, byte[]> out, String id, byte[] fragment) throws ExiException {
        if (out.putIfAbsent(id, fragment) != null) {
            throw new ExiException(Reason.INVALID, "duplicate Id " + id);
        }
    }

    /** {@code ds:SignedInfo} encoded with a grammar of xmldsig-core-schema alone, fragment=true. */
    public static byte[] encodeSignedInfo(SignedInfo signedInfo) throws ExiException {
        ExiEncoder e = new ExiEncoder(512);
        e.out.bits(RANK_SIGNED_INFO, DS_FRAGMENT_WIDTH);
        e.root(SIGNED_INFO);
        writeSignedInfo(e, signedInfo);
        e.out.bits(DS_FRAGMENT_ED, DS_FRAGMENT_WIDTH);
        return e.finish();
    }

    private static ExiEncoder fragment(int rank, ElementDecl root) {
        ExiEncoder e = new ExiEncoder(1024);
        e.out.bits(rank, FRAGMENT_WIDTH);
        e.root(root);
        return e;
    }

    private static byte[] endFragment(ExiEncoder e) {
        e.out.bits(FRAGMENT_ED, FRAGMENT_WIDTH);
        return e.finish();
    }

    private static void checkLength(String s, int min, int max, String what) throws ExiException {
        int n = s.codePointCount(0, s.length());
        if (n < min || n > max) {
            throw new ExiException(Reason.LIMIT_EXCEEDED, what + ": length " + n + " outside " + min + ".." + max);
        }
    }

    private static void writeHeader(ExiEncoder e, Header h) throws ExiException {
        e.simple(SESSION_ID, h.sessionIdUnsafe());
        Notification n = h.notification();
        if (n != null) {
            e.start(NOTIFICATION);
            e.simple(FAULT_CODE, n.faultCode().ordinal());
            if (n.faultMsg() != null) {
                e.simple(FAULT_MSG, n.faultMsg());
            }
            e.end();
        }
        if (h.signature() != null) {
            writeSignature(e, h.signature());
        }
    }

    /** SE(ds:Signature) ... EE. */
    static void writeSignature(ExiEncoder e, XmlSignature s) throws ExiException {
        e.start(SIGNATURE);
        if (s.id() != null) {
            e.attribute(DS_ID, s.id());
        }
        e.start(SIGNED_INFO);
        writeSignedInfo(e, s.signedInfo());
        e.start(SIGNATURE_VALUE);
        if (s.signatureValueId() != null) {
            e.attribute(DS_ID, s.signatureValueId());
        }
        e.characters(s.signatureValue(), "SignatureValue");
        e.end();
        e.end();
    }

    /** SignedInfo content and end (its SE already written). */
    private static void writeSignedInfo(ExiEncoder e, SignedInfo si) throws ExiException {
        if (si.id() != null) {
            e.attribute(DS_ID, si.id());
        }
        e.start(CANONICALIZATION_METHOD);
        e.attribute(DS_ALGORITHM, si.canonicalizationMethod());
        e.end();
        e.start(SIGNATURE_METHOD);
        e.attribute(DS_ALGORITHM, si.signatureMethod());
        e.end();
        if (si.references().isEmpty() || si.references().size() > MAX_REFERENCES) {
            throw new ExiException(Reason.LIMIT_EXCEEDED, "SignedInfo needs 1.." + MAX_REFERENCES + " references");
        }
        for (Reference r : si.references()) {
            e.start(REFERENCE);
            if (r.id() != null) {
                e.attribute(DS_ID, r.id());
            }
            if (r.type() != null) {
                e.attribute(DS_TYPE, r.type());
            }
            if (r.uri() != null) {
                e.attribute(DS_URI, r.uri());
            }
            if (!r.transforms().isEmpty()) {
                if (r.transforms().size() > MAX_TRANSFORMS) {
                    throw new ExiException(Reason.LIMIT_EXCEEDED, "more than " + MAX_TRANSFORMS + " transforms");
                }
                e.start(TRANSFORMS);
                for (String t : r.transforms()) {
                    e.start(TRANSFORM);
                    e.attribute(DS_ALGORITHM, t);
                    e.end();
                }
                e.end();
            }
            e.start(DIGEST_METHOD);
            e.attribute(DS_ALGORITHM, r.digestMethod());
            e.end();
            e.simple(DIGEST_VALUE, r.digestValue());
            e.end();
        }
        e.end();
    }

    private static void writeBody(ExiEncoder e, Body body) throws ExiException {
        if (body instanceof CertificateInstallationReq r) {
            e.start(CERTIFICATE_INSTALLATION_REQ);
            writeInstallationReq(e, r);
        } else if (body instanceof CertificateUpdateReq r) {
            e.start(CERTIFICATE_UPDATE_REQ);
            writeUpdateReq(e, r);
        } else if (body instanceof CertificateInstallationRes r) {
            e.start(CERTIFICATE_INSTALLATION_RES);
            writeResponse(e, r.responseCode(), r.saProvisioningChain(), r.contractChain(), r.encryptedPrivateKey(),
                    r.dhPublicKey(), r.emaid());
            e.end();
        } else if (body instanceof CertificateUpdateRes r) {
            e.start(CERTIFICATE_UPDATE_RES);
            writeResponse(e, r.responseCode(), r.saProvisioningChain(), r.contractChain(), r.encryptedPrivateKey(),
                    r.dhPublicKey(), r.emaid());
            if (r.retryCounter() != null) {
                e.simple(RETRY_COUNTER, BigInteger.valueOf(r.retryCounter()));
            }
            e.end();
        }
    }

    private static void writeInstallationReq(ExiEncoder e, CertificateInstallationReq r) throws ExiException {
        e.attribute(ID_BODY, r.id());
        e.simple(OEM_PROVISIONING_CERT, r.oemProvisioningCertUnsafe());
        writeRoots(e, r.rootCertificateIds());
        e.end();
    }

    private static void writeUpdateReq(ExiEncoder e, CertificateUpdateReq r) throws ExiException {
        e.attribute(ID_BODY, r.id());
        e.start(CONTRACT_SIGNATURE_CERT_CHAIN);
        writeChain(e, r.contractChain());
        e.simple(EMAID_PLAIN, r.emaid());
        writeRoots(e, r.rootCertificateIds());
        e.end();
    }

    private static void writeRoots(ExiEncoder e, List<RootCertificateId> roots) throws ExiException {
        if (roots.isEmpty() || roots.size() > 20) {
            throw new ExiException(Reason.LIMIT_EXCEEDED, "ListOfRootCertificateIDs needs 1..20 entries, got " + roots.size());
        }
        e.start(LIST_OF_ROOT_CERTIFICATE_IDS);
        for (RootCertificateId id : roots) {
            e.start(ROOT_CERTIFICATE_ID);
            e.simple(X509_ISSUER_NAME, id.issuerName());
            e.simple(X509_SERIAL_NUMBER, id.serial());
            e.end();
        }
        e.end();
    }

    private static void writeResponse(ExiEncoder e, ResponseCode rc, CertificateChain sa, CertificateChain contract,
            EncryptedPrivateKey key, DhPublicKey dh, Emaid emaid) throws ExiException {
        e.simple(RESPONSE_CODE, rc.ordinal());
        e.start(SA_PROVISIONING_CERTIFICATE_CHAIN);
        writeChain(e, sa);
        e.start(CONTRACT_SIGNATURE_CERT_CHAIN);
        writeChain(e, contract);
        e.start(CONTRACT_SIGNATURE_ENCRYPTED_PRIVATE_KEY);
        e.attribute(ID_TYPES_REQUIRED, key.id());
        e.characters(key.valueUnsafe(), "ContractSignatureEncryptedPrivateKey");
        e.end();
        e.start(DH_PUBLIC_KEY);
        e.attribute(ID_TYPES_REQUIRED, dh.id());
        e.characters(dh.valueUnsafe(), "DHpublickey");
        e.end();
        e.start(EMAID_WITH_ID);
        e.attribute(ID_TYPES_REQUIRED, emaid.id());
        e.characters(emaid.value(), "eMAID");
        e.end();
    }

    /** Chain content and end (its SE already written). */
    private static void writeChain(ExiEncoder e, CertificateChain c) throws ExiException {
        if (c.id() != null) {
            e.attribute(ID_TYPES_OPTIONAL, c.id());
        }
        e.simple(CERTIFICATE, c.certificateUnsafe());
        List<byte[]> subs = c.subCertificatesUnsafe();
        if (!subs.isEmpty()) {
            if (subs.size() > 4) {
                throw new ExiException(Reason.LIMIT_EXCEEDED, "SubCertificates holds at most 4 certificates");
            }
            e.start(SUB_CERTIFICATES);
            for (byte[] s : subs) {
                e.simple(CERTIFICATE, s);
            }
            e.end();
        }
        e.end();
    }

    // =================================================================== decode

    /** Decodes a whole {@code V2G_Message}; refuses anything but the four certificate messages. */
    public static V2gMessage decode(byte[] exi) throws ExiException {
        if (exi == null || exi.length == 0) {
            throw new ExiException(Reason.TRUNCATED, "empty EXI stream");
        }
        if (exi.length > MAX_STREAM_BYTES) {
            throw new ExiException(Reason.LIMIT_EXCEEDED, "EXI stream of " + exi.length + " bytes exceeds "
                    + MAX_STREAM_BYTES);
        }
        ExiDecoder d = new ExiDecoder(exi);
        int code = d.in.bits(DOC_WIDTH);
        if (code != V2G_MESSAGE_RANK) {
            throw new ExiException(Reason.UNSUPPORTED, "root element is not V2G_Message (code " + code + ")");
        }
        d.root(V2G_MESSAGE);
        d.expectStart(HEADER);
        Header header = readHeader(d);
        d.expectStart(BODY);
        Body body = readBody(d);
        d.expectEnd();
        d.in.expectEnd();
        return new V2gMessage(header, body);
    }

    private static Header readHeader(ExiDecoder d) throws ExiException {
        byte[] sessionId = (byte[]) d.simple(SESSION_ID);
        Notification notification = null;
        XmlSignature signature = null;
        d.next();
        if (d.isStart(NOTIFICATION)) {
            FaultCode fc = FaultCode.values()[(Integer) d.simple(FAULT_CODE)];
            String msg = null;
            d.next();
            if (d.isStart(FAULT_MSG)) {
                msg = (String) d.characters();
                d.expectEnd();
                d.expectEnd();
            }
            notification = new Notification(fc, msg);
            d.next();
        }
        if (d.isStart(SIGNATURE)) {
            signature = readSignature(d);
            d.next();
        }
        if (d.event.kind != Kind.EE) {
            throw d.unexpected("end of Header");
        }
        return new Header(sessionId, notification, signature);
    }

    /** After SE(ds:Signature): its content and EE. */
    static XmlSignature readSignature(ExiDecoder d) throws ExiException {
        String id = null;
        d.next();
        if (d.isAttribute(DS_ID)) {
            id = (String) d.value;
            d.next();
        }
        if (!d.isStart(SIGNED_INFO)) {
            throw d.unexpected("SignedInfo");
        }
        SignedInfo si = readSignedInfo(d);
        d.expectStart(SIGNATURE_VALUE);
        String valueId = null;
        d.next();
        if (d.isAttribute(DS_ID)) {
            valueId = (String) d.value;
            d.next();
        }
        if (d.event.kind != Kind.CH) {
            throw d.unexpected("SignatureValue");
        }
        byte[] value = (byte[]) d.value;
        d.expectEnd();
        d.expectEnd(); // KeyInfo / Object are refused by the decoder
        return new XmlSignature(id, si, value, valueId);
    }

    private static SignedInfo readSignedInfo(ExiDecoder d) throws ExiException {
        String id = null;
        d.next();
        if (d.isAttribute(DS_ID)) {
            id = (String) d.value;
            d.next();
        }
        if (!d.isStart(CANONICALIZATION_METHOD)) {
            throw d.unexpected("CanonicalizationMethod");
        }
        String c14n = algorithm(d);
        d.expectStart(SIGNATURE_METHOD);
        String sigMethod = algorithm(d);
        List<Reference> refs = new ArrayList<>();
        while (d.next() == Kind.SE) {
            if (refs.size() == MAX_REFERENCES) {
                throw new ExiException(Reason.LIMIT_EXCEEDED, "more than " + MAX_REFERENCES + " references");
            }
            refs.add(readReference(d));
        }
        return new SignedInfo(id, c14n, sigMethod, refs);
    }

    /** Algorithm attribute and end of an (empty) algorithm element. */
    private static String algorithm(ExiDecoder d) throws ExiException {
        d.next();
        if (!d.isAttribute(DS_ALGORITHM)) {
            throw d.unexpected("Algorithm");
        }
        String alg = (String) d.value;
        d.expectEnd();
        return alg;
    }

    private static Reference readReference(ExiDecoder d) throws ExiException {
        String id = null;
        String type = null;
        String uri = null;
        d.next();
        if (d.isAttribute(DS_ID)) {
            id = (String) d.value;
            d.next();
        }
        if (d.isAttribute(DS_TYPE)) {
            type = (String) d.value;
            d.next();
        }
        if (d.isAttribute(DS_URI)) {
            uri = (String) d.value;
            d.next();
        }
        List<String> transforms = new ArrayList<>();
        if (d.isStart(TRANSFORMS)) {
            while (d.next() == Kind.SE) {
                if (transforms.size() == MAX_TRANSFORMS) {
                    throw new ExiException(Reason.LIMIT_EXCEEDED, "more than " + MAX_TRANSFORMS + " transforms");
                }
                transforms.add(algorithm(d));
            }
            d.next();
        }
        if (!d.isStart(DIGEST_METHOD)) {
            throw d.unexpected("DigestMethod");
        }
        String digestMethod = algorithm(d);
        byte[] digest = (byte[]) d.simple(DIGEST_VALUE);
        d.expectEnd();
        return new Reference(id, uri, type, transforms, digestMethod, digest);
    }

    private static Body readBody(ExiDecoder d) throws ExiException {
        if (d.next() != Kind.SE) {
            throw new ExiException(Reason.UNSUPPORTED, "empty Body");
        }
        ElementDecl which = d.event.element;
        Body body;
        if (which == CERTIFICATE_INSTALLATION_REQ) {
            String id = requiredId(d, ID_BODY);
            byte[] oem = (byte[]) d.simple(OEM_PROVISIONING_CERT);
            d.expectStart(LIST_OF_ROOT_CERTIFICATE_IDS);
            List<RootCertificateId> roots = readRoots(d);
            d.expectEnd();
            body = new CertificateInstallationReq(id, oem, roots);
        } else if (which == CERTIFICATE_UPDATE_REQ) {
            String id = requiredId(d, ID_BODY);
            d.expectStart(CONTRACT_SIGNATURE_CERT_CHAIN);
            CertificateChain chain = readChain(d);
            String emaid = (String) d.simple(EMAID_PLAIN);
            d.expectStart(LIST_OF_ROOT_CERTIFICATE_IDS);
            List<RootCertificateId> roots = readRoots(d);
            d.expectEnd();
            body = new CertificateUpdateReq(id, chain, emaid, roots);
        } else {
            ResponseCode rc = ResponseCode.values()[(Integer) d.simple(RESPONSE_CODE)];
            d.expectStart(SA_PROVISIONING_CERTIFICATE_CHAIN);
            CertificateChain sa = readChain(d);
            d.expectStart(CONTRACT_SIGNATURE_CERT_CHAIN);
            CertificateChain contract = readChain(d);
            d.expectStart(CONTRACT_SIGNATURE_ENCRYPTED_PRIVATE_KEY);
            String keyId = requiredId(d, ID_TYPES_REQUIRED);
            EncryptedPrivateKey key = new EncryptedPrivateKey(keyId, (byte[]) d.characters());
            d.expectEnd();
            d.expectStart(DH_PUBLIC_KEY);
            String dhId = requiredId(d, ID_TYPES_REQUIRED);
            DhPublicKey dh = new DhPublicKey(dhId, (byte[]) d.characters());
            d.expectEnd();
            d.expectStart(EMAID_WITH_ID);
            String emaidId = requiredId(d, ID_TYPES_REQUIRED);
            Emaid emaid = new Emaid(emaidId, (String) d.characters());
            d.expectEnd();
            if (which == CERTIFICATE_INSTALLATION_RES) {
                d.expectEnd();
                body = new CertificateInstallationRes(rc, sa, contract, key, dh, emaid);
            } else {
                Short retry = null;
                d.next();
                if (d.isStart(RETRY_COUNTER)) {
                    retry = ((BigInteger) d.characters()).shortValueExact();
                    d.expectEnd();
                    d.next();
                }
                if (d.event.kind != Kind.EE) {
                    throw d.unexpected("end of CertificateUpdateRes");
                }
                body = new CertificateUpdateRes(rc, sa, contract, key, dh, emaid, retry);
            }
        }
        d.expectEnd(); // Body
        return body;
    }

    private static String requiredId(ExiDecoder d, Grammar.AttributeUse id) throws ExiException {
        d.next();
        if (!d.isAttribute(id)) {
            throw d.unexpected("Id");
        }
        return (String) d.value;
    }

    static List<RootCertificateId> readRoots(ExiDecoder d) throws ExiException {
        List<RootCertificateId> roots = new ArrayList<>();
        while (d.next() == Kind.SE) { // at most 20: the grammar has no production for a 21st
            String issuer = (String) d.simple(X509_ISSUER_NAME);
            BigInteger serial = (BigInteger) d.simple(X509_SERIAL_NUMBER);
            d.expectEnd();
            roots.add(new RootCertificateId(issuer, serial));
        }
        return roots;
    }

    private static CertificateChain readChain(ExiDecoder d) throws ExiException {
        String id = null;
        d.next();
        if (d.isAttribute(ID_TYPES_OPTIONAL)) {
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
            while (d.next() == Kind.SE) { // at most 4 by the grammar
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
