package io.ocppsec.pki.pnc;

/**
 * Gets the EXI response to an EV's CertificateInstallationReq / CertificateUpdateReq
 * (Get15118EVCertificate, M02): locally (we act as MO and CPS) or from an external
 * contract-certificate pool ({@link RemoteContractPool}). Never throws for a failed provisioning:
 * the outcome says why.
 */
public interface ContractProvisioner {
    ProvisioningOutcome provision(ProvisioningRequest request);
}
