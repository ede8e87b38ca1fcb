package io.ocppsec.iso15118.exi;

import com.siemens.ct.exi.core.EXIFactory;
import com.siemens.ct.exi.core.grammars.Grammars;
import com.siemens.ct.exi.core.helpers.DefaultEXIFactory;
import com.siemens.ct.exi.grammars.GrammarFactory;
import com.siemens.ct.exi.main.api.sax.EXIResult;
import io.ocppsec.iso15118.xmldsig.Reference;
import io.ocppsec.iso15118.xmldsig.SignedInfo;
import io.ocppsec.iso15118.xmldsig.XmlSignature;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.xml.sax.ContentHandler;
import org.xml.sax.helpers.AttributesImpl;

/**
 * EXIficient (test oracle only) with the ISO 15118-2 settings, fed SAX events built from our records (no XML
 * text in between). Grammars are built once from the shared XSDs.
 */
final class Exificient {
    static final String DEF = "urn:iso:15118:2:2013:MsgDef";
    static final String HDR = "urn:iso:15118:2:2013:MsgHeader";
    static final String BODY = "urn:iso:15118:2:2013:MsgBody";
    static final String DT = "urn:iso:15118:2:2013:MsgDataTypes";
    static final String DS = "http://www.w3.org/2000/09/xmldsig#";
    static final String CM = "urn:iso:std:iso:15118:-20:CommonMessages";
    static final String CT = "urn:iso:std:iso:15118:-20:CommonTypes";

    private final EXIFactory document;
    private final EXIFactory fragment;
    private final EXIFactory xmldsigFragment;

    Exificient(Path xsdDir) throws Exception {
        this(xsdDir, "V2G_CI_MsgDef.xsd");
    }

    /** With {@code root} as the message schema (ISO 15118-20: V2G_CI_CommonMessages.xsd). */
    Exificient(Path xsdDir, String root) throws Exception {
        Grammars msgDef = grammars(xsdDir.resolve(root));
        Grammars xmldsig = grammars(xsdDir.resolve("xmldsig-core-schema.xsd"));
        document = factory(msgDef, false);
        fragment = factory(msgDef, true);
        xmldsigFragment = factory(xmldsig, true);
    }

    /**
     * EXIficient's content-model builder recurses once per state: the -20 CommonMessages schema (every -20
     * message type) can exhaust a default thread stack, depending on how much of it the JIT has compiled by
     * then (a StackOverflowError seen once in two runs). Built on a thread with a 512 MB stack.
     */
    private static Grammars grammars(Path xsd) throws Exception {
        Grammars[] out = new Grammars[1];
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                out[0] = GrammarFactory.newInstance().createGrammars(xsd.toString());
            } catch (Throwable e) {
                failed[0] = e;
            }
        }, "exificient-grammars", 512L << 20);
        t.start();
        t.join();
        if (failed[0] instanceof Exception e) {
            throw e;
        }
        if (failed[0] != null) {
            throw new IllegalStateException("EXIficient could not build the grammars of " + xsd, failed[0]);
        }
        if (out[0] == null) {
            throw new IllegalStateException("EXIficient could not build the grammars of " + xsd);
        }
        return out[0];
    }

    private static EXIFactory factory(Grammars g, boolean fragment) {
        EXIFactory f = DefaultEXIFactory.newInstance();
        f.setGrammars(g);
        f.setFragment(fragment);
        f.setValuePartitionCapacity(0);
        f.setMaximumNumberOfBuiltInElementGrammars(0);
        f.setMaximumNumberOfBuiltInProductions(0);
        return f;
    }

    interface Events {
        void write(Sax s) throws Exception;
    }

    /** Minimal SAX writer over EXIficient's handler. */
    static final class Sax {
        private final ContentHandler h;

        Sax(ContentHandler h) {
            this.h = h;
        }

        Sax start(String uri, String local, String... attrs) throws Exception {
            AttributesImpl a = new AttributesImpl();
            for (int i = 0; i < attrs.length; i += 3) {
                if (attrs[i + 2] != null) {
                    String p = prefix(attrs[i]);
                    a.addAttribute(attrs[i], attrs[i + 1], p.isEmpty() ? attrs[i + 1] : p + ":" + attrs[i + 1],
                            "CDATA", attrs[i + 2]);
                }
            }
            h.startElement(uri, local, prefix(uri) + ":" + local, a);
            return this;
        }

        Sax text(String s) throws Exception {
            h.characters(s.toCharArray(), 0, s.length());
            return this;
        }

        Sax end(String uri, String local) throws Exception {
            h.endElement(uri, local, prefix(uri) + ":" + local);
            return this;
        }

        Sax simple(String uri, String local, String text) throws Exception {
            return start(uri, local).text(text).end(uri, local);
        }

        Sax b64(String uri, String local, byte[] b) throws Exception {
            return simple(uri, local, Base64.getEncoder().encodeToString(b));
        }

        private static String prefix(String uri) {
            return switch (uri) {
                case DEF -> "v2g";
                case HDR -> "h";
                case BODY -> "b";
                case DT -> "t";
                case DS -> "ds";
                case CM -> "cm";
                case CT -> "ct";
                default -> "";
            };
        }
    }

    private static byte[] run(EXIFactory f, Events events) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EXIResult r = new EXIResult(f);
        r.setOutputStream(out);
        ContentHandler h = r.getHandler();
        h.startDocument();
        for (String[] ns : new String[][] {{"v2g", DEF}, {"h", HDR}, {"b", BODY}, {"t", DT}, {"ds", DS}, {"cm", CM},
                {"ct", CT}}) {
            h.startPrefixMapping(ns[0], ns[1]);
        }
        events.write(new Sax(h));
        h.endDocument();
        return out.toByteArray();
    }

    byte[] encode(V2gMessage m) throws Exception {
        return run(document, s -> {
            s.start(DEF, "V2G_Message").start(DEF, "Header");
            Header h = m.header();
            s.simple(HDR, "SessionID", HexFormat.of().withUpperCase().formatHex(h.sessionId()));
            if (h.notification() != null) {
                s.start(HDR, "Notification").simple(DT, "FaultCode", h.notification().faultCode().name());
                if (h.notification().faultMsg() != null) {
                    s.simple(DT, "FaultMsg", h.notification().faultMsg());
                }
                s.end(HDR, "Notification");
            }
            if (h.signature() != null) {
                signature(s, h.signature());
            }
            s.end(DEF, "Header").start(DEF, "Body");
            body(s, m.body());
            s.end(DEF, "Body").end(DEF, "V2G_Message");
        });
    }

    byte[] document(Events e) throws Exception {
        return run(document, e);
    }

    byte[] fragment(Events e) throws Exception {
        return run(fragment, e);
    }

    byte[] signedInfo(SignedInfo si) throws Exception {
        return run(xmldsigFragment, s -> signedInfo(s, si));
    }

    static void signature(Sax s, XmlSignature sig) throws Exception {
        s.start(DS, "Signature", "", "Id", sig.id());
        signedInfo(s, sig.signedInfo());
        s.start(DS, "SignatureValue", "", "Id", sig.signatureValueId())
                .text(Base64.getEncoder().encodeToString(sig.signatureValue())).end(DS, "SignatureValue");
        s.end(DS, "Signature");
    }

    static void signedInfo(Sax s, SignedInfo si) throws Exception {
        s.start(DS, "SignedInfo", "", "Id", si.id());
        s.start(DS, "CanonicalizationMethod", "", "Algorithm", si.canonicalizationMethod()).end(DS, "CanonicalizationMethod");
        s.start(DS, "SignatureMethod", "", "Algorithm", si.signatureMethod()).end(DS, "SignatureMethod");
        for (Reference r : si.references()) {
            s.start(DS, "Reference", "", "Id", r.id(), "", "URI", r.uri(), "", "Type", r.type());
            if (!r.transforms().isEmpty()) {
                s.start(DS, "Transforms");
                for (String t : r.transforms()) {
                    s.start(DS, "Transform", "", "Algorithm", t).end(DS, "Transform");
                }
                s.end(DS, "Transforms");
            }
            s.start(DS, "DigestMethod", "", "Algorithm", r.digestMethod()).end(DS, "DigestMethod");
            s.b64(DS, "DigestValue", r.digestValue());
            s.end(DS, "Reference");
        }
        s.end(DS, "SignedInfo");
    }

    static void body(Sax s, Body body) throws Exception {
        if (body instanceof CertificateInstallationReq r) {
            installationReq(s, r);
        } else if (body instanceof CertificateUpdateReq r) {
            updateReq(s, r);
        } else if (body instanceof CertificateInstallationRes r) {
            s.start(BODY, "CertificateInstallationRes");
            response(s, r.responseCode(), r.saProvisioningChain(), r.contractChain(), r.encryptedPrivateKey(),
                    r.dhPublicKey(), r.emaid());
            s.end(BODY, "CertificateInstallationRes");
        } else if (body instanceof CertificateUpdateRes r) {
            s.start(BODY, "CertificateUpdateRes");
            response(s, r.responseCode(), r.saProvisioningChain(), r.contractChain(), r.encryptedPrivateKey(),
                    r.dhPublicKey(), r.emaid());
            if (r.retryCounter() != null) {
                s.simple(BODY, "RetryCounter", r.retryCounter().toString());
            }
            s.end(BODY, "CertificateUpdateRes");
        }
    }

    static void installationReq(Sax s, CertificateInstallationReq r) throws Exception {
        s.start(BODY, "CertificateInstallationReq", BODY, "Id", r.id());
        s.b64(BODY, "OEMProvisioningCert", r.oemProvisioningCert());
        roots(s, r.rootCertificateIds());
        s.end(BODY, "CertificateInstallationReq");
    }

    static void updateReq(Sax s, CertificateUpdateReq r) throws Exception {
        s.start(BODY, "CertificateUpdateReq", BODY, "Id", r.id());
        chain(s, "ContractSignatureCertChain", r.contractChain());
        s.simple(BODY, "eMAID", r.emaid());
        roots(s, r.rootCertificateIds());
        s.end(BODY, "CertificateUpdateReq");
    }

    static void roots(Sax s, List<RootCertificateId> roots) throws Exception {
        s.start(BODY, "ListOfRootCertificateIDs");
        for (RootCertificateId id : roots) {
            s.start(DT, "RootCertificateID").simple(DS, "X509IssuerName", id.issuerName())
                    .simple(DS, "X509SerialNumber", id.serial().toString()).end(DT, "RootCertificateID");
        }
        s.end(BODY, "ListOfRootCertificateIDs");
    }

    static void chain(Sax s, String local, CertificateChain c) throws Exception {
        s.start(BODY, local, DT, "Id", c.id());
        s.b64(DT, "Certificate", c.certificate());
        if (!c.subCertificates().isEmpty()) {
            s.start(DT, "SubCertificates");
            for (byte[] sub : c.subCertificates()) {
                s.b64(DT, "Certificate", sub);
            }
            s.end(DT, "SubCertificates");
        }
        s.end(BODY, local);
    }

    static void idValue(Sax s, String local, String id, String text) throws Exception {
        s.start(BODY, local, DT, "Id", id).text(text).end(BODY, local);
    }

    static void response(Sax s, ResponseCode rc, CertificateChain sa, CertificateChain contract,
            EncryptedPrivateKey key, DhPublicKey dh, Emaid emaid) throws Exception {
        s.simple(BODY, "ResponseCode", rc.name());
        chain(s, "SAProvisioningCertificateChain", sa);
        chain(s, "ContractSignatureCertChain", contract);
        idValue(s, "ContractSignatureEncryptedPrivateKey", key.id(), Base64.getEncoder().encodeToString(key.value()));
        idValue(s, "DHpublickey", dh.id(), Base64.getEncoder().encodeToString(dh.value()));
        idValue(s, "eMAID", emaid.id(), emaid.value());
    }
}
