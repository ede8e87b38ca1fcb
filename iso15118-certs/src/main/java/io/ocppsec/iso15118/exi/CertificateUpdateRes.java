package io.ocppsec.iso15118.exi;

import java.util.Objects;

/** {@code CertificateUpdateRes}: as {@link CertificateInstallationRes} plus an optional RetryCounter (null when absent). */
public record CertificateUpdateRes(ResponseCode responseCode, CertificateChain saProvisioningChain,
        CertificateChain contractChain, EncryptedPrivateKey encryptedPrivateKey, DhPublicKey dhPublicKey, Emaid emaid,
        Short retryCounter) implements Body {
    public CertificateUpdateRes {
        Objects.requireNonNull(responseCode, "responseCode");
        Objects.requireNonNull(saProvisioningChain, "saProvisioningChain");
        Objects.requireNonNull(contractChain, "contractChain");
        Objects.requireNonNull(encryptedPrivateKey, "encryptedPrivateKey");
        Objects.requireNonNull(dhPublicKey, "dhPublicKey");
        Objects.requireNonNull(emaid, "emaid");
    }
}
