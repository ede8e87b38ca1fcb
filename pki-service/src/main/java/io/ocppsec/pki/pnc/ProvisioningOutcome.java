package io.ocppsec.pki.pnc;

/** What a {@link ContractProvisioner} made of a request. */
public sealed interface ProvisioningOutcome {

    /** The EXI response for the EV (Base64), and for ISO 15118-20 how many contracts remain. */
    record Accepted(String exiResponseBase64, Integer remainingContracts) implements ProvisioningOutcome {
    }

    /**
     * Failed: {@code reasonCode} (at most 20 characters, OCPP StatusInfo.reasonCode) and
     * {@code additionalInfo} for people (at most 512 characters; never a secret); and, when one
     * could be built, the EXI response carrying the FAILED_* ResponseCode for the EV (Base64), else
     * null.
     */
    record Failed(String reasonCode, String additionalInfo, String exiResponseBase64) implements ProvisioningOutcome {
        public Failed {
            reasonCode = reasonCode.length() > 20 ? reasonCode.substring(0, 20) : reasonCode;
            additionalInfo = additionalInfo == null || additionalInfo.length() <= 512 ? additionalInfo : additionalInfo.substring(0, 512);
        }

        public Failed(String reasonCode, String additionalInfo) {
            this(reasonCode, additionalInfo, null);
        }
    }
}
