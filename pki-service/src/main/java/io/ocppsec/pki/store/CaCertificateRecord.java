package io.ocppsec.pki.store;

import io.ocppsec.pki.custody.KeyHandle;
import java.time.Instant;

/**
 * One of the CA's own certificates (a root, an issuing sub-CA, an OCSP signer, a TLS server
 * certificate) and the custody handle of its key, if the CA holds the key.
 */
public record CaCertificateRecord(
        String id,
        CaRole role,
        CaStatus status,
        String subject,
        String serial,
        String sha256,
        String parentId,
        KeyHandle key,
        String keyAlgorithm,
        Instant notBefore,
        Instant notAfter,
        String certificatePem,
        Instant createdAt) {

    /** What a CA certificate is for. */
    public enum CaRole {
        /** The CSMS root stations trust (installed as CSMSRootCertificate). */
        CSMS_ROOT,
        /** The sub-CA that issues station certificates. */
        STATION_CA,
        /** A delegated OCSP responder certificate. */
        OCSP_SIGNER,
        /** A TLS server certificate of the CSMS endpoint (the terminator's). */
        SERVER,
        /**
         * ISO 15118-2 Plug & Charge: a V2G root (self-signed, DC=V2G). With a key: the development
         * one this CA made; without: one imported from a PKI operator (trust anchor only).
         */
        V2G_ROOT,
        /** CPO Sub-CA 1 (pathLen 1) under the V2G root. */
        CPO_SUB_CA_1,
        /** CPO Sub-CA 2 (pathLen 0): issues SECC certificates (V2GCertificate). */
        CPO_SUB_CA_2,
        /** Certificate Provisioning Service Sub-CA 1 (pathLen 1) under the V2G root. */
        CPS_SUB_CA_1,
        /** CPS Sub-CA 2 (pathLen 0): issues the CPS leaf. */
        CPS_SUB_CA_2,
        /** The CPS leaf: signs CertificateInstallationRes/UpdateRes. */
        CPS_LEAF,
        /** A mobility operator (eMSP) root; with a key the development one, without an imported one. */
        MO_ROOT,
        /** MO Sub-CA 1 (pathLen 1). */
        MO_SUB_CA_1,
        /** MO Sub-CA 2 (pathLen 0): issues contract certificates. */
        MO_SUB_CA_2,
        /** A trusted OEM root (EV provisioning certificates); the development one has a key. */
        OEM_ROOT,
        /** An OEM sub-CA, trusted with its root; the development one has a key. */
        OEM_SUB_CA,
        /**
         * ISO 15118-20 (secp521r1, ecdsa-with-SHA512) editions of the roles above, apart from the -2 ones so
         * that the -2 lookups (newest active of a role) never pick a -20 certificate. Imported -20 OEM roots
         * keep OEM_ROOT / OEM_SUB_CA (OEM trust anchors serve both editions); the development -20 OEM CAs,
         * which have keys, are OEM_ROOT_20 / OEM_SUB_CA_20.
         */
        V2G_ROOT_20,
        /** CPS Sub-CA 1 (-20) under the -20 V2G root. */
        CPS_SUB_CA_1_20,
        /** CPS Sub-CA 2 (-20). */
        CPS_SUB_CA_2_20,
        /** The -20 CPS leaf: signs -20 CertificateInstallationRes. */
        CPS_LEAF_20,
        /** CPO Sub-CA 1 (-20, pathLen 1) under the -20 V2G root. */
        CPO_SUB_CA_1_20,
        /** CPO Sub-CA 2 (-20, pathLen 0): issues ISO 15118-20 SECC certificates (V2G20Certificate). */
        CPO_SUB_CA_2_20,
        /** MO root (-20). */
        MO_ROOT_20,
        /** MO Sub-CA 1 (-20). */
        MO_SUB_CA_1_20,
        /** MO Sub-CA 2 (-20): issues -20 contract certificates. */
        MO_SUB_CA_2_20,
        /** The development -20 OEM root (EV provisioning certificates for demos and tests). */
        OEM_ROOT_20,
        /** The development -20 OEM sub-CA. */
        OEM_SUB_CA_20,
        /**
         * A manufacturer root for signed firmware (L01): stations hold it as ManufacturerRootCertificate
         * and check firmware signing certificates against it. With a key: one this CA made (the
         * development one, or created through the API) that issues our firmware signing certificates;
         * without: an imported trust anchor.
         */
        MANUFACTURER_ROOT,
        /**
         * A firmware signing certificate (digitalSignature, EKU codeSigning) whose key is in the
         * custody backend: it signs images' SHA-256 (L01.FR.04). Also in the certificate inventory, so
         * it can be revoked by serial.
         */
        FIRMWARE_SIGNER;

        /** Whether this is one of the ISO 15118 Plug & Charge roles. */
        public boolean isPlugAndCharge() {
            return ordinal() >= V2G_ROOT.ordinal() && ordinal() <= OEM_SUB_CA_20.ordinal();
        }

        /** Whether this is one of the signed-firmware roles. */
        public boolean isFirmware() {
            return this == MANUFACTURER_ROOT || this == FIRMWARE_SIGNER;
        }
    }

    /** Lifecycle of a CA certificate. */
    public enum CaStatus {
        /** In use. */
        ACTIVE,
        /** No longer issuing; still answers for what it issued. */
        RETIRED
    }
}
