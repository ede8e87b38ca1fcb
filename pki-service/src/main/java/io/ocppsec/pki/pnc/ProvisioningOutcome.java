package io.ocppsec.pki.pnc;

/** What a {@link ContractProvisioner} made of a request. */
public sealed interface ProvisioningOutcome {

    /** The EXI response for the EV (Base64), and for ISO 15118-20 how many contracts remain. */
    record Accepted(String exiResponseBase64, Integer remainingContracts) implements ProvisioningOutcome {
    }

    /**
     * Failed: {@code reasonCode} (at most 20 characters, OCPP StatusInfo.reasonCode) and
     * {@code additionalInfo} for people (at most 512 characters; never a secret).
     */
    record Failed(String reasonCode, String additionalInfo) implements ProvisioningOutcome {
        public Failed {
            reasonCode = reasonCode.length() > 20 ? reasonCode.substring(0, 20) : reasonCode;
            additionalInfo = additionalInfo == null || additionalInfo.length() <= 512 ? additionalInfo : additionalInfo.substring(0, 512);
        }
    }
}
