package io.ocppsec.pki.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ocppsec.pki.auth.TokenService;
import io.ocppsec.pki.store.AuditLog;
import io.ocppsec.pki.store.CaStore;
import io.ocppsec.pki.store.CertificateStore;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.StationStore;
import io.ocppsec.pki.store.TokenStore;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database and the stores on it. Embedded H2 in the data directory unless
 * {@code ocppsec.database.url} names another database; Flyway migrates either on start.
 */
@Configuration
public class StorageConfiguration {

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(OcppsecProperties properties, DataDirectory dataDirectory) {
        OcppsecProperties.Database db = properties.database();
        HikariConfig c = new HikariConfig();
        c.setPoolName("ocppsec");
        c.setMaximumPoolSize(db.poolSize());
        if (db.url() == null) {
            // WRITE_DELAY=0: a commit is written to the file before it returns, so a killed
            // process loses nothing it confirmed.
            c.setJdbcUrl("jdbc:h2:file:" + dataDirectory.root().resolve("ocppsec") + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000");
            c.setUsername("sa");
            c.setPassword("");
        } else {
            c.setJdbcUrl(db.url());
            c.setUsername(db.username());
            c.setPassword(db.password());
        }
        return new HikariDataSource(c);
    }

    @Bean(destroyMethod = "close")
    public Ledger ledger(DataSource dataSource) {
        return new Ledger(dataSource);
    }

    @Bean
    public StationStore stationStore(DataSource dataSource) {
        return new StationStore(dataSource);
    }

    @Bean
    public CertificateStore certificateStore(DataSource dataSource) {
        return new CertificateStore(dataSource);
    }

    @Bean
    public CaStore caStore(DataSource dataSource) {
        return new CaStore(dataSource);
    }

    @Bean
    public TokenStore tokenStore(DataSource dataSource) {
        return new TokenStore(dataSource);
    }

    @Bean
    public AuditLog auditLog(DataSource dataSource) {
        return new AuditLog(dataSource);
    }

    @Bean
    public TokenService tokenService(TokenStore tokenStore, Ledger ledger) {
        return new TokenService(tokenStore, ledger);
    }
}
