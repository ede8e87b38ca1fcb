package io.ocppsec.pki.config;

import io.ocppsec.pki.custody.CustodyBackends;
import io.ocppsec.pki.custody.CustodyConfig;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.SecretStore;
import io.ocppsec.pki.custody.vault.VaultSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Opens the configured key custody backend and secret store. */
@Configuration
@EnableConfigurationProperties(CustodyProperties.class)
public class CustodyConfiguration {

    @Bean(destroyMethod = "close")
    public CustodyBackends.Custody custody(CustodyProperties p, DataDirectory dataDirectory) {
        return CustodyBackends.open(config(p, dataDirectory.root()));
    }

    @Bean
    public KeyCustody keyCustody(CustodyBackends.Custody custody) {
        return custody.keys();
    }

    @Bean
    public SecretStore secretStore(CustodyBackends.Custody custody) {
        return custody.secrets();
    }

    /** What {@code ca status} shows about the custody: never a password, PIN or token. */
    @Bean
    public CustodyDescription custodyDescription(CustodyProperties p, DataDirectory dataDirectory) {
        CustodyConfig c = config(p, dataDirectory.root());
        return () -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("backend", c.backend());
            m.put("secretStore", c.secretStore());
            switch (c.backend()) {
                case "pkcs12" -> {
                    Path file = c.pkcs12() != null && c.pkcs12().file() != null ? c.pkcs12().file() : c.dataDir().resolve("ca.p12");
                    m.put("keystore", file.toString());
                    m.put("keystorePassword", c.pkcs12() != null && c.pkcs12().password() != null
                            ? "from configuration (ocppsec.custody.pkcs12.password)"
                            : "secret '" + CustodyBackends.PKCS12_PASSWORD_SECRET + "' in "
                                    + ("vault".equals(c.secretStore()) ? "Vault KV" : c.dataDir().resolve("secrets").resolve(CustodyBackends.PKCS12_PASSWORD_SECRET)));
                }
                case "pkcs11" -> {
                    m.put("module", String.valueOf(c.pkcs11() == null ? null : c.pkcs11().library()));
                    m.put("token", c.pkcs11() == null ? "?" : c.pkcs11().tokenLabel() != null ? "label " + c.pkcs11().tokenLabel()
                            : c.pkcs11().slot() != null ? "slot " + c.pkcs11().slot() : "slot index " + c.pkcs11().slotListIndex());
                }
                case "vault" -> m.put("vault", String.valueOf(c.vault() == null ? null : c.vault().address()));
                default -> {
                }
            }
            return m;
        };
    }

    static CustodyConfig config(CustodyProperties p, Path dataDir) {
        CustodyConfig.Pkcs12 pkcs12 = p.pkcs12() == null ? null
                : new CustodyConfig.Pkcs12(p.pkcs12().file(), chars(p.pkcs12().password()));
        CustodyConfig.Pkcs11 pkcs11 = p.pkcs11() == null ? null
                : new CustodyConfig.Pkcs11(p.pkcs11().library(), p.pkcs11().slot(), p.pkcs11().slotListIndex(),
                        p.pkcs11().tokenLabel(), chars(p.pkcs11().pin()));
        VaultSettings vault = p.vault() == null || p.vault().address() == null ? null
                : new VaultSettings(p.vault().address(), chars(p.vault().token()), p.vault().namespace(), p.vault().transitMount(),
                        p.vault().kvMount(), p.vault().kvPrefix(), p.vault().caCertificates(), p.vault().connectTimeout(),
                        p.vault().readTimeout());
        return new CustodyConfig(p.backend(), p.secretStore(), dataDir, pkcs12, pkcs11, vault);
    }

    private static char[] chars(String s) {
        return s == null || s.isEmpty() ? null : s.toCharArray();
    }
}
