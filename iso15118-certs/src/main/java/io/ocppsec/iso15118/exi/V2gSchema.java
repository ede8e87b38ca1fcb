package io.ocppsec.iso15118.exi;

import static io.ocppsec.iso15118.exi.Grammar.UNBOUNDED;
import static io.ocppsec.iso15118.exi.Grammar.el;
import static io.ocppsec.iso15118.exi.Grammar.seq;

import io.ocppsec.iso15118.exi.Grammar.Any;
import io.ocppsec.iso15118.exi.Grammar.AttributeUse;
import io.ocppsec.iso15118.exi.Grammar.Binary;
import io.ocppsec.iso15118.exi.Grammar.Choice;
import io.ocppsec.iso15118.exi.Grammar.ElementDecl;
import io.ocppsec.iso15118.exi.Grammar.Enumeration;
import io.ocppsec.iso15118.exi.Grammar.Int;
import io.ocppsec.iso15118.exi.Grammar.Particle;
import io.ocppsec.iso15118.exi.Grammar.QName;
import io.ocppsec.iso15118.exi.Grammar.Seq;
import io.ocppsec.iso15118.exi.Grammar.Str;
import io.ocppsec.iso15118.exi.Grammar.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Our declaration of the ISO 15118-2 (MsgDef, MsgHeader, MsgBody, MsgDataTypes) and xmldsig-core schema
 * subset that the certificate messages use. Element and attribute names, types, facets and occurrences
 * follow the ISO 15118-2:2014 schemas; everything else of those schemas is represented only where it
 * changes event codes (the other body elements, KeyInfo/Object, the global/fragment element counts).
 * Bounds where the schema has none are ours (documented per constant).
 */
final class V2gSchema {

    private V2gSchema() {
    }

    static final String NS_DEF = "urn:iso:15118:2:2013:MsgDef";
    static final String NS_HEADER = "urn:iso:15118:2:2013:MsgHeader";
    static final String NS_BODY = "urn:iso:15118:2:2013:MsgBody";
    static final String NS_TYPES = "urn:iso:15118:2:2013:MsgDataTypes";
    static final String NS_DS = "http://www.w3.org/2000/09/xmldsig#";

    // ---- document / fragment grammars (EXI §8.5.1, §8.5.2): counts of the schema set's element qnames
    /** Global elements of the MsgDef schema set (all five schemas); V2G_Message's rank in qname order. */
    static final int MSGDEF_GLOBAL_ELEMENTS = 80;
    static final int V2G_MESSAGE_RANK = 76;
    /** Distinct element qnames (global and local) of the MsgDef schema set, for fragment grammars. */
    static final int MSGDEF_FRAGMENT_ELEMENTS = 243;
    static final int RANK_CERTIFICATE_INSTALLATION_REQ = 15;
    static final int RANK_CERTIFICATE_UPDATE_REQ = 17;
    static final int RANK_CONTRACT_SIGNATURE_CERT_CHAIN = 33;
    static final int RANK_CONTRACT_SIGNATURE_ENCRYPTED_PRIVATE_KEY = 34;
    static final int RANK_DH_PUBLIC_KEY = 45;
    static final int RANK_EMAID_BODY = 236;
    /**
     * MsgBody eMAID is declared with two types (eMAIDType, EMAIDType), so its fragment uses the relaxed
     * ElementFragment grammar (EXI §8.5.3): all attribute qnames of the schema set (10) sorted, AT(*),
     * SE(all 243 element qnames), SE(*), EE, CH.
     */
    static final int MSGDEF_ATTRIBUTE_QNAMES = 10;
    static final int RANK_ATTRIBUTE_ID_TYPES = 4;
    /** Distinct element qnames of xmldsig-core-schema alone, and SignedInfo's rank. */
    static final int XMLDSIG_FRAGMENT_ELEMENTS = 45;
    static final int RANK_SIGNED_INFO = 32;

    // ---- our bounds where the schema has none
    static final int MAX_ID = 64;           // xs:ID
    static final int MAX_URI = 256;         // Algorithm / URI / Type (anyURI)
    static final int MAX_ISSUER_NAME = 1024; // X509IssuerName (string)
    static final int MAX_DIGEST = 64;       // DigestValue (SHA-512)
    static final int MAX_SIGNATURE = 132;   // SignatureValue: raw r||s up to P-521 (66+66)
    static final int MAX_REFERENCES = 16;   // Reference maxOccurs unbounded
    static final int MAX_TRANSFORMS = 4;    // Transform maxOccurs unbounded
    static final int SERIAL_GROUPS = 24;    // X509SerialNumber: 20-octet serials (RFC 5280) fit in 23 groups

    static final List<String> RESPONSE_CODES = List.of("OK", "OK_NewSessionEstablished", "OK_OldSessionJoined",
            "OK_CertificateExpiresSoon", "FAILED", "FAILED_SequenceError", "FAILED_ServiceIDInvalid",
            "FAILED_UnknownSession", "FAILED_ServiceSelectionInvalid", "FAILED_PaymentSelectionInvalid",
            "FAILED_CertificateExpired", "FAILED_SignatureError", "FAILED_NoCertificateAvailable",
            "FAILED_CertChainError", "FAILED_ChallengeInvalid", "FAILED_ContractCanceled",
            "FAILED_WrongChargeParameter", "FAILED_PowerDeliveryNotApplied", "FAILED_TariffSelectionInvalid",
            "FAILED_ChargingProfileInvalid", "FAILED_MeteringSignatureNotValid", "FAILED_NoChargeServiceSelected",
            "FAILED_WrongEnergyTransferMode", "FAILED_ContactorError", "FAILED_CertificateNotAllowedAtThisEVSE",
            "FAILED_CertificateRevoked");
    static final List<String> FAULT_CODES = List.of("ParsingError", "NoTLSRootCertificatAvailable", "UnknownError");

    /** Members of the BodyElement substitution group (the ISO 15118-2 messages). */
    static final List<String> BODY_MESSAGES = List.of("AuthorizationReq", "AuthorizationRes", "CableCheckReq",
            "CableCheckRes", "CertificateInstallationReq", "CertificateInstallationRes", "CertificateUpdateReq",
            "CertificateUpdateRes", "ChargeParameterDiscoveryReq", "ChargeParameterDiscoveryRes",
            "ChargingStatusReq", "ChargingStatusRes", "CurrentDemandReq", "CurrentDemandRes", "MeteringReceiptReq",
            "MeteringReceiptRes", "PaymentDetailsReq", "PaymentDetailsRes", "PaymentServiceSelectionReq",
            "PaymentServiceSelectionRes", "PowerDeliveryReq", "PowerDeliveryRes", "PreChargeReq", "PreChargeRes",
            "ServiceDetailReq", "ServiceDetailRes", "ServiceDiscoveryReq", "ServiceDiscoveryRes", "SessionSetupReq",
            "SessionSetupRes", "SessionStopReq", "SessionStopRes", "WeldingDetectionReq", "WeldingDetectionRes");

    private static final Str ID = new Str(0, MAX_ID);
    private static final Str ANY_URI = new Str(0, MAX_URI);

    private static AttributeUse attr(String uri, String local, Grammar.Datatype t, boolean required) {
        return new AttributeUse(new QName(uri, local), t, required);
    }

    // ---- attributes
    static final AttributeUse ID_BODY = attr(NS_BODY, "Id", ID, true);
    static final AttributeUse ID_TYPES_REQUIRED = attr(NS_TYPES, "Id", ID, true);
    static final AttributeUse ID_TYPES_OPTIONAL = attr(NS_TYPES, "Id", ID, false);
    static final AttributeUse DS_ID = attr("", "Id", ID, false);
    static final AttributeUse DS_ALGORITHM = attr("", "Algorithm", ANY_URI, true);
    static final AttributeUse DS_URI = attr("", "URI", ANY_URI, false);
    static final AttributeUse DS_TYPE = attr("", "Type", ANY_URI, false);

    // ---- xmldsig elements
    static final ElementDecl SIGNATURE = new ElementDecl(NS_DS, "Signature");
    static final ElementDecl SIGNED_INFO = new ElementDecl(NS_DS, "SignedInfo");
    static final ElementDecl SIGNATURE_VALUE = new ElementDecl(NS_DS, "SignatureValue");
    static final ElementDecl KEY_INFO = new ElementDecl(NS_DS, "KeyInfo")
            .type(Type.unsupported("forbidden element (V2G2-771)"));
    static final ElementDecl OBJECT = new ElementDecl(NS_DS, "Object")
            .type(Type.unsupported("forbidden element (V2G2-771)"));
    static final ElementDecl CANONICALIZATION_METHOD = new ElementDecl(NS_DS, "CanonicalizationMethod");
    static final ElementDecl SIGNATURE_METHOD = new ElementDecl(NS_DS, "SignatureMethod");
    static final ElementDecl HMAC_OUTPUT_LENGTH = new ElementDecl(NS_DS, "HMACOutputLength")
            .type(Type.unsupported("forbidden element (V2G2-771)"));
    static final ElementDecl REFERENCE = new ElementDecl(NS_DS, "Reference");
    static final ElementDecl TRANSFORMS = new ElementDecl(NS_DS, "Transforms");
    static final ElementDecl TRANSFORM = new ElementDecl(NS_DS, "Transform");
    static final ElementDecl XPATH = new ElementDecl(NS_DS, "XPath")
            .type(Type.unsupported("forbidden element (V2G2-771)"));
    static final ElementDecl DIGEST_METHOD = new ElementDecl(NS_DS, "DigestMethod");
    static final ElementDecl DIGEST_VALUE = new ElementDecl(NS_DS, "DigestValue");
    static final ElementDecl X509_ISSUER_NAME = new ElementDecl(NS_DS, "X509IssuerName");
    static final ElementDecl X509_SERIAL_NUMBER = new ElementDecl(NS_DS, "X509SerialNumber");

    // ---- MsgDef / MsgHeader / MsgDataTypes
    static final ElementDecl V2G_MESSAGE = new ElementDecl(NS_DEF, "V2G_Message");
    static final ElementDecl HEADER = new ElementDecl(NS_DEF, "Header");
    static final ElementDecl BODY = new ElementDecl(NS_DEF, "Body");
    static final ElementDecl SESSION_ID = new ElementDecl(NS_HEADER, "SessionID");
    static final ElementDecl NOTIFICATION = new ElementDecl(NS_HEADER, "Notification");
    static final ElementDecl FAULT_CODE = new ElementDecl(NS_TYPES, "FaultCode");
    static final ElementDecl FAULT_MSG = new ElementDecl(NS_TYPES, "FaultMsg");
    static final ElementDecl CERTIFICATE = new ElementDecl(NS_TYPES, "Certificate");
    static final ElementDecl SUB_CERTIFICATES = new ElementDecl(NS_TYPES, "SubCertificates");
    static final ElementDecl ROOT_CERTIFICATE_ID = new ElementDecl(NS_TYPES, "RootCertificateID");

    // ---- MsgBody
    static final ElementDecl OEM_PROVISIONING_CERT = new ElementDecl(NS_BODY, "OEMProvisioningCert");
    static final ElementDecl LIST_OF_ROOT_CERTIFICATE_IDS = new ElementDecl(NS_BODY, "ListOfRootCertificateIDs");
    static final ElementDecl RESPONSE_CODE = new ElementDecl(NS_BODY, "ResponseCode");
    static final ElementDecl SA_PROVISIONING_CERTIFICATE_CHAIN = new ElementDecl(NS_BODY, "SAProvisioningCertificateChain");
    static final ElementDecl CONTRACT_SIGNATURE_CERT_CHAIN = new ElementDecl(NS_BODY, "ContractSignatureCertChain");
    static final ElementDecl CONTRACT_SIGNATURE_ENCRYPTED_PRIVATE_KEY =
            new ElementDecl(NS_BODY, "ContractSignatureEncryptedPrivateKey");
    static final ElementDecl DH_PUBLIC_KEY = new ElementDecl(NS_BODY, "DHpublickey");
    /** MsgBody eMAID of EMAIDType (with Id), in the responses. */
    static final ElementDecl EMAID_WITH_ID = new ElementDecl(NS_BODY, "eMAID");
    /** MsgBody eMAID of eMAIDType (plain string), in CertificateUpdateReq. */
    static final ElementDecl EMAID_PLAIN = new ElementDecl(NS_BODY, "eMAID");
    static final ElementDecl RETRY_COUNTER = new ElementDecl(NS_BODY, "RetryCounter");

    static final ElementDecl CERTIFICATE_INSTALLATION_REQ = new ElementDecl(NS_BODY, "CertificateInstallationReq");
    static final ElementDecl CERTIFICATE_INSTALLATION_RES = new ElementDecl(NS_BODY, "CertificateInstallationRes");
    static final ElementDecl CERTIFICATE_UPDATE_REQ = new ElementDecl(NS_BODY, "CertificateUpdateReq");
    static final ElementDecl CERTIFICATE_UPDATE_RES = new ElementDecl(NS_BODY, "CertificateUpdateRes");

    static {
        Str eMaid = new Str(14, 15);
        Binary certificate = new Binary(800);

        // xmldsig-core-schema
        SIGNATURE.type(Type.complex(seq(el(SIGNED_INFO), el(SIGNATURE_VALUE), el(KEY_INFO, 0, 1),
                el(OBJECT, 0, UNBOUNDED)), DS_ID));
        SIGNATURE_VALUE.type(Type.simpleContent(new Binary(MAX_SIGNATURE), DS_ID));
        SIGNED_INFO.type(Type.complex(seq(el(CANONICALIZATION_METHOD), el(SIGNATURE_METHOD),
                el(REFERENCE, 1, UNBOUNDED)), DS_ID));
        CANONICALIZATION_METHOD.type(Type.mixed(new Seq(List.of(new Any(0, UNBOUNDED)), 1, 1), DS_ALGORITHM));
        SIGNATURE_METHOD.type(Type.mixed(seq(el(HMAC_OUTPUT_LENGTH, 0, 1), new Any(0, UNBOUNDED)), DS_ALGORITHM));
        REFERENCE.type(Type.complex(seq(el(TRANSFORMS, 0, 1), el(DIGEST_METHOD), el(DIGEST_VALUE)),
                DS_ID, DS_URI, DS_TYPE));
        TRANSFORMS.type(Type.complex(seq(el(TRANSFORM, 1, UNBOUNDED))));
        TRANSFORM.type(Type.mixed(new Choice(List.<Particle>of(new Any(1, 1), el(XPATH)), 0, UNBOUNDED),
                DS_ALGORITHM));
        DIGEST_METHOD.type(Type.mixed(new Seq(List.of(new Any(0, UNBOUNDED)), 1, 1), DS_ALGORITHM));
        DIGEST_VALUE.type(Type.simple(new Binary(MAX_DIGEST)));
        X509_ISSUER_NAME.type(Type.simple(new Str(0, MAX_ISSUER_NAME)));
        X509_SERIAL_NUMBER.type(Type.simple(new Int(SERIAL_GROUPS, null, null)));

        // MsgDef, MsgHeader, MsgDataTypes
        V2G_MESSAGE.type(Type.complex(seq(el(HEADER), el(BODY))));
        HEADER.type(Type.complex(seq(el(SESSION_ID), el(NOTIFICATION, 0, 1), el(SIGNATURE, 0, 1))));
        SESSION_ID.type(Type.simple(new Binary(8)));
        NOTIFICATION.type(Type.complex(seq(el(FAULT_CODE), el(FAULT_MSG, 0, 1))));
        FAULT_CODE.type(Type.simple(new Enumeration(FAULT_CODES)));
        FAULT_MSG.type(Type.simple(new Str(0, 64)));
        Type chain = Type.complex(seq(el(CERTIFICATE), el(SUB_CERTIFICATES, 0, 1)), ID_TYPES_OPTIONAL);
        CERTIFICATE.type(Type.simple(certificate));
        SUB_CERTIFICATES.type(Type.complex(seq(el(CERTIFICATE, 1, 4))));
        ROOT_CERTIFICATE_ID.type(Type.complex(seq(el(X509_ISSUER_NAME), el(X509_SERIAL_NUMBER))));

        // MsgBody
        LIST_OF_ROOT_CERTIFICATE_IDS.type(Type.complex(seq(el(ROOT_CERTIFICATE_ID, 1, 20))));
        OEM_PROVISIONING_CERT.type(Type.simple(certificate));
        RESPONSE_CODE.type(Type.simple(new Enumeration(RESPONSE_CODES)));
        SA_PROVISIONING_CERTIFICATE_CHAIN.type(chain);
        CONTRACT_SIGNATURE_CERT_CHAIN.type(chain);
        CONTRACT_SIGNATURE_ENCRYPTED_PRIVATE_KEY.type(Type.simpleContent(new Binary(48), ID_TYPES_REQUIRED));
        DH_PUBLIC_KEY.type(Type.simpleContent(new Binary(65), ID_TYPES_REQUIRED));
        EMAID_WITH_ID.type(Type.simpleContent(eMaid, ID_TYPES_REQUIRED));
        EMAID_PLAIN.type(Type.simple(eMaid));
        RETRY_COUNTER.type(Type.simple(new Int(3, BigInteger.valueOf(Short.MIN_VALUE),
                BigInteger.valueOf(Short.MAX_VALUE))));

        CERTIFICATE_INSTALLATION_REQ.type(Type.complex(seq(el(OEM_PROVISIONING_CERT),
                el(LIST_OF_ROOT_CERTIFICATE_IDS)), ID_BODY));
        CERTIFICATE_UPDATE_REQ.type(Type.complex(seq(el(CONTRACT_SIGNATURE_CERT_CHAIN), el(EMAID_PLAIN),
                el(LIST_OF_ROOT_CERTIFICATE_IDS)), ID_BODY));
        CERTIFICATE_INSTALLATION_RES.type(Type.complex(seq(el(RESPONSE_CODE), el(SA_PROVISIONING_CERTIFICATE_CHAIN),
                el(CONTRACT_SIGNATURE_CERT_CHAIN), el(CONTRACT_SIGNATURE_ENCRYPTED_PRIVATE_KEY), el(DH_PUBLIC_KEY),
                el(EMAID_WITH_ID))));
        CERTIFICATE_UPDATE_RES.type(Type.complex(seq(el(RESPONSE_CODE), el(SA_PROVISIONING_CERTIFICATE_CHAIN),
                el(CONTRACT_SIGNATURE_CERT_CHAIN), el(CONTRACT_SIGNATURE_ENCRYPTED_PRIVATE_KEY), el(DH_PUBLIC_KEY),
                el(EMAID_WITH_ID), el(RETRY_COUNTER, 0, 1))));

        // Body: BodyElement minOccurs 0 -> SE(member) for every member of the substitution group, sorted by
        // qname. EXIficient (the reference encoder ISO 15118 stacks use) also lists the abstract head itself,
        // so we do (verified byte-exact against the RISE vector).
        List<ElementDecl> members = new ArrayList<>();
        members.add(new ElementDecl(NS_BODY, "BodyElement").type(Type.unsupported("abstract body element")));
        for (String m : BODY_MESSAGES) {
            members.add(switch (m) {
                case "CertificateInstallationReq" -> CERTIFICATE_INSTALLATION_REQ;
                case "CertificateInstallationRes" -> CERTIFICATE_INSTALLATION_RES;
                case "CertificateUpdateReq" -> CERTIFICATE_UPDATE_REQ;
                case "CertificateUpdateRes" -> CERTIFICATE_UPDATE_RES;
                default -> new ElementDecl(NS_BODY, m).type(Type.unsupported("unsupported body element"));
            });
        }
        members.sort(Comparator.comparing(d -> d.name, QName.EXI_ORDER));
        Particle[] choice = members.stream().map(Grammar::el).toArray(Particle[]::new);
        BODY.type(Type.complex(new Choice(Arrays.asList(choice), 0, 1)));

        Grammar.build(V2G_MESSAGE, SIGNED_INFO, CONTRACT_SIGNATURE_CERT_CHAIN,
                CONTRACT_SIGNATURE_ENCRYPTED_PRIVATE_KEY, DH_PUBLIC_KEY, CERTIFICATE_INSTALLATION_REQ,
                CERTIFICATE_UPDATE_REQ);
    }
}
