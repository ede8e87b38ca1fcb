package io.ocppsec.pki.ca;

import io.ocppsec.pki.store.Refusal;
import java.util.Set;

/**
 * The certificate types stations enroll for (OCPP CertificateSigningUseEnumType) and the key
 * types each accepts: the CSMS connection certificate takes RSA (at least 2048 bits) or EC P-256
 * or P-384 (A00.FR.502/503; the four TLS 1.2 suites need ECDSA or RSA keys); the ISO 15118-2 SECC
 * certificate takes secp256r1 only [V2G2-007]; the ISO 15118-20 one secp521r1 [V2G20-2674].
 */
public enum CertificateType {
    ChargingStationCertificate(Set.of(KeyType.RSA, KeyType.P256, KeyType.P384)),
    V2GCertificate(Set.of(KeyType.P256)),
    V2G20Certificate(Set.of(KeyType.P521));

    /** Key types seen in CSRs. */
    public enum KeyType { RSA, P256, P384, P521 }

    private final Set<KeyType> allowedKeys;

    CertificateType(Set<KeyType> allowedKeys) {
        this.allowedKeys = allowedKeys;
    }

    public Set<KeyType> allowedKeys() {
        return allowedKeys;
    }

    /** Whether certificates of this type are ISO 15118 SECC certificates. */
    public boolean isV2g() {
        return this != ChargingStationCertificate;
    }

    /**
     * The type named in a request; none means ChargingStationCertificate (OCPP: without a type the
     * certificate serves the CSMS connection, and ISO 15118 where the station uses one certificate
     * for both).
     */
    public static CertificateType parse(String name) {
        if (name == null || name.isBlank()) {
            return ChargingStationCertificate;
        }
        for (CertificateType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw Refusal.badRequest("CERTIFICATE_TYPE_UNKNOWN",
                "certificateType must be ChargingStationCertificate, V2GCertificate or V2G20Certificate");
    }
}
