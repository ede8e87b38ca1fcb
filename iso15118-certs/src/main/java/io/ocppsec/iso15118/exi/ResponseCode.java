package io.ocppsec.iso15118.exi;

/** {@code responseCodeType} of ISO 15118-2, in schema order (the EXI enumeration index is the ordinal). */
public enum ResponseCode {
    OK, OK_NewSessionEstablished, OK_OldSessionJoined, OK_CertificateExpiresSoon,
    FAILED, FAILED_SequenceError, FAILED_ServiceIDInvalid, FAILED_UnknownSession,
    FAILED_ServiceSelectionInvalid, FAILED_PaymentSelectionInvalid, FAILED_CertificateExpired, FAILED_SignatureError,
    FAILED_NoCertificateAvailable, FAILED_CertChainError, FAILED_ChallengeInvalid, FAILED_ContractCanceled,
    FAILED_WrongChargeParameter, FAILED_PowerDeliveryNotApplied, FAILED_TariffSelectionInvalid, FAILED_ChargingProfileInvalid,
    FAILED_MeteringSignatureNotValid, FAILED_NoChargeServiceSelected, FAILED_WrongEnergyTransferMode, FAILED_ContactorError,
    FAILED_CertificateNotAllowedAtThisEVSE, FAILED_CertificateRevoked
}
