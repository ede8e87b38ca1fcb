package io.ocppsec.iso15118.exi;

import static io.ocppsec.iso15118.exi.Grammar.el;
import static io.ocppsec.iso15118.exi.Grammar.seq;

import io.ocppsec.iso15118.exi.Grammar.AttributeUse;
import io.ocppsec.iso15118.exi.Grammar.Binary;
import io.ocppsec.iso15118.exi.Grammar.Choice;
import io.ocppsec.iso15118.exi.Grammar.ElementDecl;
import io.ocppsec.iso15118.exi.Grammar.Enumeration;
import io.ocppsec.iso15118.exi.Grammar.NBit;
import io.ocppsec.iso15118.exi.Grammar.Particle;
import io.ocppsec.iso15118.exi.Grammar.QName;
import io.ocppsec.iso15118.exi.Grammar.Str;
import io.ocppsec.iso15118.exi.Grammar.Type;
import io.ocppsec.iso15118.exi.Grammar.Unsigned;
import java.util.Arrays;
import java.util.List;

/**
 * Our declaration of the ISO 15118-20 CommonMessages/CommonTypes subset for CertificateInstallationReq/Res
 * (names, types, facets and occurrences as in the ISO 15118-20 schemas; xmldsig shared with {@link V2gSchema}).
 * The -20 schemas are not in the shared folder; counts and ranks were taken from the public
 * SwitchEV/iso15118 copies of V2G_CI_CommonMessages.xsd / V2G_CI_CommonTypes.xsd / xmldsig-core-schema.xsd.
 */
final class V2g20Schema {

    private V2g20Schema() {
    }

    static final String NS_CM = "urn:iso:std:iso:15118:-20:CommonMessages";
    static final String NS_CT = "urn:iso:std:iso:15118:-20:CommonTypes";

    /** Global elements of the CommonMessages schema set, and the ranks of the two messages. */
    static final int GLOBAL_ELEMENTS = 54;
    static final int RANK_CERTIFICATE_INSTALLATION_REQ = 7;
    static final int RANK_CERTIFICATE_INSTALLATION_RES = 8;
    /** Distinct element qnames of the CommonMessages schema set (fragment grammar) and ranks of signed ones. */
    static final int FRAGMENT_ELEMENTS = 281;
    static final int RANK_FRAGMENT_CERTIFICATE_INSTALLATION_REQ = 27;
    static final int RANK_FRAGMENT_OEM_PROVISIONING_CHAIN = 128;
    static final int RANK_FRAGMENT_SIGNED_INSTALLATION_DATA = 231;

    /** DHPublicKey lengths: an X448 key (56, [V2G20-2495]) or an uncompressed secp521r1 point (133). */
    static final int DH_PUBLIC_KEY_X448 = 56;
    static final int DH_PUBLIC_KEY_SECP521 = 133;

    static final List<String> RESPONSE_CODES = Arrays.stream(Iso15118_20.ResponseCode.values()).map(Enum::name).toList();

    static final AttributeUse ID = new AttributeUse(new QName(NS_CM, "Id"), new Str(0, V2gSchema.MAX_ID), true);

    static final ElementDecl CERTIFICATE_INSTALLATION_REQ = new ElementDecl(NS_CM, "CertificateInstallationReq");
    static final ElementDecl CERTIFICATE_INSTALLATION_RES = new ElementDecl(NS_CM, "CertificateInstallationRes");
    static final ElementDecl HEADER = new ElementDecl(NS_CT, "Header");
    static final ElementDecl SESSION_ID = new ElementDecl(NS_CT, "SessionID");
    static final ElementDecl TIME_STAMP = new ElementDecl(NS_CT, "TimeStamp");
    static final ElementDecl RESPONSE_CODE = new ElementDecl(NS_CT, "ResponseCode");
    static final ElementDecl ROOT_CERTIFICATE_ID = new ElementDecl(NS_CT, "RootCertificateID");
    static final ElementDecl OEM_PROVISIONING_CHAIN = new ElementDecl(NS_CM, "OEMProvisioningCertificateChain");
    static final ElementDecl LIST_OF_ROOT_CERTIFICATE_IDS = new ElementDecl(NS_CM, "ListOfRootCertificateIDs");
    static final ElementDecl MAXIMUM_CONTRACT_CHAINS = new ElementDecl(NS_CM, "MaximumContractCertificateChains");
    static final ElementDecl PRIORITIZED_EMAIDS = new ElementDecl(NS_CM, "PrioritizedEMAIDs");
    static final ElementDecl EMAID = new ElementDecl(NS_CM, "EMAID");
    static final ElementDecl EVSE_PROCESSING = new ElementDecl(NS_CM, "EVSEProcessing");
    static final ElementDecl CPS_CHAIN = new ElementDecl(NS_CM, "CPSCertificateChain");
    static final ElementDecl SIGNED_INSTALLATION_DATA = new ElementDecl(NS_CM, "SignedInstallationData");
    static final ElementDecl REMAINING_CONTRACT_CHAINS = new ElementDecl(NS_CM, "RemainingContractCertificateChains");
    static final ElementDecl CONTRACT_CHAIN = new ElementDecl(NS_CM, "ContractCertificateChain");
    static final ElementDecl ECDH_CURVE = new ElementDecl(NS_CM, "ECDHCurve");
    static final ElementDecl DH_PUBLIC_KEY = new ElementDecl(NS_CM, "DHPublicKey");
    static final ElementDecl SECP521_KEY = new ElementDecl(NS_CM, "SECP521_EncryptedPrivateKey");
    static final ElementDecl X448_KEY = new ElementDecl(NS_CM, "X448_EncryptedPrivateKey");
    static final ElementDecl TPM_KEY = new ElementDecl(NS_CM, "TPM_EncryptedPrivateKey");
    static final ElementDecl CERTIFICATE = new ElementDecl(NS_CM, "Certificate");
    static final ElementDecl SUB_CERTIFICATES = new ElementDecl(NS_CM, "SubCertificates");

    static {
        NBit unsignedByte = new NBit(0, 255);
        HEADER.type(Type.complex(seq(el(SESSION_ID), el(TIME_STAMP), el(V2gSchema.SIGNATURE, 0, 1))));
        SESSION_ID.type(Type.simple(new Binary(8, 8)));
        TIME_STAMP.type(Type.simple(new Unsigned(10))); // unsignedLong: 64 bits fit in 10 groups
        RESPONSE_CODE.type(Type.simple(new Enumeration(RESPONSE_CODES)));
        ROOT_CERTIFICATE_ID.type(V2gSchema.ROOT_CERTIFICATE_ID.type());
        CERTIFICATE.type(Type.simple(new Binary(1600)));
        SUB_CERTIFICATES.type(Type.complex(seq(el(CERTIFICATE, 1, 3))));
        OEM_PROVISIONING_CHAIN.type(Type.complex(seq(el(CERTIFICATE), el(SUB_CERTIFICATES, 0, 1)), ID));
        CPS_CHAIN.type(Type.complex(seq(el(CERTIFICATE), el(SUB_CERTIFICATES, 0, 1))));
        CONTRACT_CHAIN.type(Type.complex(seq(el(CERTIFICATE), el(SUB_CERTIFICATES))));
        LIST_OF_ROOT_CERTIFICATE_IDS.type(Type.complex(seq(el(ROOT_CERTIFICATE_ID, 1, 20))));
        MAXIMUM_CONTRACT_CHAINS.type(Type.simple(unsignedByte));
        REMAINING_CONTRACT_CHAINS.type(Type.simple(unsignedByte));
        EMAID.type(Type.simple(new Str(0, 255)));
        PRIORITIZED_EMAIDS.type(Type.complex(seq(el(EMAID, 1, 8))));
        EVSE_PROCESSING.type(Type.simple(new Enumeration(List.of("Finished", "Ongoing",
                "Ongoing_WaitingForCustomerInteraction"))));
        ECDH_CURVE.type(Type.simple(new Enumeration(List.of("SECP521", "X448"))));
        // The schema's dhPublicKeyType is 133 bytes (a secp521r1 point), but [V2G20-2495] puts an X448 key in as
        // its 56 bytes, unpadded. EXI writes every binary with its length whatever the facets, so the bytes of a
        // 133-byte value are the same either way; we accept exactly 56 or 133 (DH_PUBLIC_KEY_LENGTHS, checked by
        // Iso15118_20Codec), and whether the length fits ECDHCurve is the envelope's check.
        DH_PUBLIC_KEY.type(Type.simple(new Binary(DH_PUBLIC_KEY_X448, DH_PUBLIC_KEY_SECP521)));
        SECP521_KEY.type(Type.simple(new Binary(94, 94)));
        X448_KEY.type(Type.simple(new Binary(84, 84)));
        TPM_KEY.type(Type.simple(new Binary(206, 206)));
        SIGNED_INSTALLATION_DATA.type(Type.complex(seq(el(CONTRACT_CHAIN), el(ECDH_CURVE), el(DH_PUBLIC_KEY),
                new Choice(List.<Particle>of(el(SECP521_KEY), el(X448_KEY), el(TPM_KEY)), 1, 1)), ID));
        CERTIFICATE_INSTALLATION_REQ.type(Type.complex(seq(el(HEADER), el(OEM_PROVISIONING_CHAIN),
                el(LIST_OF_ROOT_CERTIFICATE_IDS), el(MAXIMUM_CONTRACT_CHAINS), el(PRIORITIZED_EMAIDS, 0, 1))));
        CERTIFICATE_INSTALLATION_RES.type(Type.complex(seq(el(HEADER), el(RESPONSE_CODE), el(EVSE_PROCESSING),
                el(CPS_CHAIN), el(SIGNED_INSTALLATION_DATA), el(REMAINING_CONTRACT_CHAINS))));
        Grammar.build(CERTIFICATE_INSTALLATION_REQ, CERTIFICATE_INSTALLATION_RES);
    }
}
