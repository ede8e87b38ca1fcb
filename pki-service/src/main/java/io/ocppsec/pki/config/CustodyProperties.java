package io.ocppsec.pki.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the CA keys live, under {@code ocppsec.custody.*}.
 *
 * @param backend     {@code pkcs12} (default: a PKCS#12 file in the data directory),
 *                    {@code pkcs11} (an HSM through its PKCS#11 module) or {@code vault}
 *                    (HashiCorp Vault Transit; keys never leave Vault)
 * @param secretStore where small secrets (the keystore password, the HSM PIN) are kept:
 *                    {@code file} (default: {@code <data-dir>/secrets}, mode 0600) or
 *                    {@code vault} (KV version 2)
 */
@ConfigurationProperties("ocppsec.custody")
public record CustodyProperties(String backend, String secretStore, Pkcs12 pkcs12, Pkcs11 pkcs11, Vault vault) {

    /** {@code ocppsec.custody.pkcs12.*}: the keystore file and its password (env {@code OCPPSEC_CUSTODY_PKCS12_PASSWORD}). */
    public record Pkcs12(Path file, String password) {
        @Override
        public String toString() {
            return "Pkcs12[file=" + file + ", password=" + (password == null ? null : "<redacted>") + "]";
        }
    }

    /**
     * {@code ocppsec.custody.pkcs11.*}: the module, the token (one of slot, slot-list-index or
     * token-label) and the user PIN (env {@code OCPPSEC_CUSTODY_PKCS11_PIN}, or the secret store).
     */
    public record Pkcs11(Path library, Long slot, Integer slotListIndex, String tokenLabel, String pin) {
        @Override
        public String toString() {
            return "Pkcs11[library=" + library + ", tokenLabel=" + tokenLabel + ", pin=" + (pin == null ? null : "<redacted>") + "]";
        }
    }

    /** {@code ocppsec.custody.vault.*}; the token through env {@code OCPPSEC_CUSTODY_VAULT_TOKEN}. */
    public record Vault(URI address, String token, String namespace, String transitMount, String kvMount, String kvPrefix,
                        Path caCertificates, Duration connectTimeout, Duration readTimeout) {
        @Override
        public String toString() {
            return "Vault[address=" + address + ", token=" + (token == null ? null : "<redacted>") + "]";
        }
    }
}
