package io.ocppsec.iso15118.exi;

/** {@code faultCodeType}, in schema order (the EXI enumeration index is the ordinal). */
public enum FaultCode {
    ParsingError, NoTLSRootCertificatAvailable, UnknownError
}
