package io.ocppsec.iso15118.exi;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.iso15118.exi.Grammar.QName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Our schema declarations (counts, ranks, enumerations, substitution group) checked against the ISO 15118-2
 * XSDs in the shared folder, so the constants in {@link V2gSchema} are derived facts, not guesses.
 */
class SchemaDeclarationsTest {
    private static final String XS = "http://www.w3.org/2001/XMLSchema";
    private static final List<String> MSGDEF = List.of("V2G_CI_MsgDef.xsd", "V2G_CI_MsgHeader.xsd",
            "V2G_CI_MsgBody.xsd", "V2G_CI_MsgDataTypes.xsd", "xmldsig-core-schema.xsd");

    private record Names(TreeSet<QName> global, TreeSet<QName> all, TreeSet<QName> attributes,
            List<String> bodyGroup, List<String> responseCodes, List<String> faultCodes) {
    }

    private static Names scan(List<String> files) throws Exception {
        Path dir = Vectors.iso("xsd");
        Names n = new Names(new TreeSet<>(QName.EXI_ORDER), new TreeSet<>(QName.EXI_ORDER),
                new TreeSet<>(QName.EXI_ORDER), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        for (String file : files) {
            Element schema = f.newDocumentBuilder().parse(dir.resolve(file).toFile()).getDocumentElement();
            String tns = schema.getAttribute("targetNamespace");
            boolean elemQualified = "qualified".equals(schema.getAttribute("elementFormDefault"));
            boolean attrQualified = "qualified".equals(schema.getAttribute("attributeFormDefault"));
            NodeList els = schema.getElementsByTagNameNS(XS, "element");
            for (int i = 0; i < els.getLength(); i++) {
                Element e = (Element) els.item(i);
                if (!e.hasAttribute("name")) {
                    continue;
                }
                boolean global = e.getParentNode() == schema;
                QName q = new QName(global || elemQualified ? tns : "", e.getAttribute("name"));
                n.all.add(q);
                if (global) {
                    n.global.add(q);
                }
                if (e.getAttribute("substitutionGroup").equals("BodyElement")) {
                    n.bodyGroup.add(e.getAttribute("name"));
                }
            }
            NodeList ats = schema.getElementsByTagNameNS(XS, "attribute");
            for (int i = 0; i < ats.getLength(); i++) {
                Element a = (Element) ats.item(i);
                if (a.hasAttribute("name")) {
                    boolean global = a.getParentNode() == schema;
                    n.attributes.add(new QName(global || attrQualified ? tns : "", a.getAttribute("name")));
                }
            }
            NodeList types = schema.getElementsByTagNameNS(XS, "simpleType");
            for (int i = 0; i < types.getLength(); i++) {
                Element t = (Element) types.item(i);
                List<String> target = switch (t.getAttribute("name")) {
                    case "responseCodeType" -> n.responseCodes;
                    case "faultCodeType" -> n.faultCodes;
                    default -> null;
                };
                if (target != null) {
                    NodeList en = t.getElementsByTagNameNS(XS, "enumeration");
                    for (int j = 0; j < en.getLength(); j++) {
                        target.add(((Element) en.item(j)).getAttribute("value"));
                    }
                }
            }
        }
        return n;
    }

    private static int rank(TreeSet<QName> set, String uri, String local) {
        return set.headSet(new QName(uri, local)).size();
    }

    @Test
    void documentAndFragmentGrammarConstantsMatchTheMsgDefSchemaSet() throws Exception {
        Names n = scan(MSGDEF);
        assertThat(n.global).hasSize(V2gSchema.MSGDEF_GLOBAL_ELEMENTS);
        assertThat(rank(n.global, V2gSchema.NS_DEF, "V2G_Message")).isEqualTo(V2gSchema.V2G_MESSAGE_RANK);
        assertThat(n.all).hasSize(V2gSchema.MSGDEF_FRAGMENT_ELEMENTS);
        String b = V2gSchema.NS_BODY;
        assertThat(rank(n.all, b, "CertificateInstallationReq")).isEqualTo(V2gSchema.RANK_CERTIFICATE_INSTALLATION_REQ);
        assertThat(rank(n.all, b, "CertificateUpdateReq")).isEqualTo(V2gSchema.RANK_CERTIFICATE_UPDATE_REQ);
        assertThat(rank(n.all, b, "ContractSignatureCertChain")).isEqualTo(V2gSchema.RANK_CONTRACT_SIGNATURE_CERT_CHAIN);
        assertThat(rank(n.all, b, "ContractSignatureEncryptedPrivateKey"))
                .isEqualTo(V2gSchema.RANK_CONTRACT_SIGNATURE_ENCRYPTED_PRIVATE_KEY);
        assertThat(rank(n.all, b, "DHpublickey")).isEqualTo(V2gSchema.RANK_DH_PUBLIC_KEY);
        assertThat(rank(n.all, b, "eMAID")).isEqualTo(V2gSchema.RANK_EMAID_BODY);
        assertThat(n.attributes).hasSize(V2gSchema.MSGDEF_ATTRIBUTE_QNAMES);
        assertThat(rank(n.attributes, V2gSchema.NS_TYPES, "Id")).isEqualTo(V2gSchema.RANK_ATTRIBUTE_ID_TYPES);
    }

    @Test
    void xmldsigFragmentConstantsMatchXmldsigCoreSchemaAlone() throws Exception {
        Names n = scan(List.of("xmldsig-core-schema.xsd"));
        assertThat(n.all).hasSize(V2gSchema.XMLDSIG_FRAGMENT_ELEMENTS);
        assertThat(rank(n.all, V2gSchema.NS_DS, "SignedInfo")).isEqualTo(V2gSchema.RANK_SIGNED_INFO);
    }

    @Test
    void enumerationsAndBodyElementsMatchTheSchema() throws Exception {
        Names n = scan(MSGDEF);
        assertThat(V2gSchema.RESPONSE_CODES).containsExactlyElementsOf(n.responseCodes);
        assertThat(java.util.Arrays.stream(ResponseCode.values()).map(Enum::name).toList())
                .containsExactlyElementsOf(n.responseCodes);
        assertThat(java.util.Arrays.stream(FaultCode.values()).map(Enum::name).toList())
                .containsExactlyElementsOf(n.faultCodes);
        assertThat(V2gSchema.BODY_MESSAGES).containsExactlyInAnyOrderElementsOf(n.bodyGroup);
    }
}
