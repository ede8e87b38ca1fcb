package io.ocppsec.iso15118.exi;

import java.util.Objects;

/**
 * {@code CertificateInstallationRes}: ResponseCode, SAProvisioningCertificateChain (CPS chain),
 * ContractSignatureCertChain, ContractSignatureEncryptedPrivateKey, DHpublickey, eMAID.
 */
public record CertificateInstallationRes(ResponseCode responseCode, CertificateChain saProvisioningChain,
        CertificateChain contractChain, EncryptedPrivateKey encryptedPrivateKey, DhPublicKey dhPublicKey, Emaid emaid)
        implements Body {
    public CertificateInstallationRes {
        Objects.requireNonNull(responseCode, "responseCode");
        Objects.requireNonNull(saProvisioningChain, "saProvisioningChain");
        Objects.requireNonNull(contractChain, "contractChain");
        Objects.requireNonNull(encryptedPrivateKey, "encryptedPrivateKey");
        Objects.requireNonNull(dhPublicKey, "dhPublicKey");
        Objects.requireNonNull(emaid, "emaid");
    }
}
