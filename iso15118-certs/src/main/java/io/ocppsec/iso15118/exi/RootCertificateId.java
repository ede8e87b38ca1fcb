package io.ocppsec.iso15118.exi;

import java.math.BigInteger;
import java.util.Objects;

/** {@code ds:X509IssuerSerialType} as used in ListOfRootCertificateIDs. */
public record RootCertificateId(String issuerName, BigInteger serial) {
    public RootCertificateId {
        Objects.requireNonNull(issuerName, "issuerName");
        Objects.requireNonNull(serial, "serial");
    }
}
