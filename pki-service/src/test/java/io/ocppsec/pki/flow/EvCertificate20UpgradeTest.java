package io.ocppsec.pki.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.pnc.PncDevelopmentPki;
import io.ocppsec.pki.pnc.PncPki;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import io.ocppsec.pki.store.CaStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A data directory whose development Plug & Charge PKI was made before the ISO 15118-20 edition existed: the
 * next start ({@link PncDevelopmentPki#createIfAbsent}) adds the -20 part beside the -2 one and leaves the -2
 * one as it was; the start after that makes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class EvCertificate20UpgradeTest {
    static final List<CaRole> MINUS_20 = List.of(CaRole.V2G_ROOT_20, CaRole.CPS_SUB_CA_1_20, CaRole.CPS_SUB_CA_2_20, CaRole.CPS_LEAF_20,
            CaRole.MO_ROOT_20, CaRole.MO_SUB_CA_1_20, CaRole.MO_SUB_CA_2_20, CaRole.OEM_ROOT_20, CaRole.OEM_SUB_CA_20,
            CaRole.CPO_SUB_CA_1_20, CaRole.CPO_SUB_CA_2_20);

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
    }

    @Autowired
    PncDevelopmentPki developmentPki;

    @Autowired
    PncPki pki;

    @Autowired
    CaStore store;

    @Autowired
    IssuerRegistry registry;

    @Autowired
    DataSource dataSource;

    long minus20Rows() {
        return store.all().stream().filter(r -> MINUS_20.contains(r.role())).count();
    }

    @Test
    void aRestartOfAMinus2OnlyDevelopmentPkiAddsTheMinus20Edition_once() throws Exception {
        assertThat(minus20Rows()).as("the first start made both editions").isEqualTo(MINUS_20.size());
        X509Certificate cps2 = pki.cpsChain().orElseThrow().leaf();
        X509Certificate mo2 = pki.contractIssuerChain().orElseThrow().leaf();

        // back to a -2-only data directory (what an earlier version left; children first for the parent references)
        String roles = MINUS_20.stream().map(r -> "'" + r.name() + "'").collect(Collectors.joining(", "));
        // one transaction; the CRL publisher runs concurrently and may still hand a -20 CA a CRL number
        // (a crl_state row) between our two deletes: then the foreign key refuses, and we try again
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("delete from crl_state where issuer_id in (select id from ca_certificate where role in (" + roles + "))");
                    for (CaRole r : List.of(CaRole.CPO_SUB_CA_2_20, CaRole.CPO_SUB_CA_1_20,
                            CaRole.CPS_LEAF_20, CaRole.CPS_SUB_CA_2_20, CaRole.CPS_SUB_CA_1_20, CaRole.V2G_ROOT_20,
                            CaRole.MO_SUB_CA_2_20, CaRole.MO_SUB_CA_1_20, CaRole.MO_ROOT_20, CaRole.OEM_SUB_CA_20, CaRole.OEM_ROOT_20)) {
                        st.executeUpdate("delete from ca_certificate where role = '" + r.name() + "'");
                    }
                    c.commit();
                    break;
                } catch (java.sql.SQLIntegrityConstraintViolationException raced) {
                    c.rollback();
                    if (attempt >= 20) {
                        throw raced;
                    }
                    Thread.sleep(50);
                }
            }
        }
        registry.refresh();
        assertThat(minus20Rows()).isZero();
        assertThat(pki.cpsChain20()).isEmpty();

        // the next start: the -2 PKI exists, so nothing of it is made again; the -20 edition is added
        assertThat(developmentPki.createIfAbsent("true", "ocppsec")).isEmpty();
        assertThat(minus20Rows()).isEqualTo(MINUS_20.size());
        PncPki.SigningChain cps20 = pki.cpsChain20().orElseThrow();
        assertThat(cps20.leaf().getSigAlgName()).isEqualTo("SHA512withECDSA");
        assertThat(pki.contractIssuer20()).isPresent();
        assertThat(pki.cpsChain().orElseThrow().leaf()).isEqualTo(cps2);
        assertThat(pki.contractIssuerChain().orElseThrow().leaf()).isEqualTo(mo2);

        // and the start after that makes nothing
        assertThat(developmentPki.createIfAbsent("true", "ocppsec")).isEmpty();
        assertThat(developmentPki.createMinus20IfAbsent("ocppsec")).isEmpty();
        assertThat(minus20Rows()).isEqualTo(MINUS_20.size());
        assertThat(pki.cpsChain20().orElseThrow().leaf()).isEqualTo(cps20.leaf());

        // the -20 CPS leaf (90 days) is renewed like the -2 one, under the same CPS Sub-CA 2 -20; the -2 leaf stays
        assertThat(developmentPki.renewCpsLeaf20IfDue("ocppsec", java.time.Duration.ofDays(30))).as("a fresh leaf is not due").isFalse();
        assertThat(developmentPki.renewCpsLeaf20IfDue("ocppsec", java.time.Duration.ofDays(100))).as("90-day leaf, 100 days ahead").isTrue();
        PncPki.SigningChain renewed = pki.cpsChain20().orElseThrow();
        assertThat(renewed.leaf()).isNotEqualTo(cps20.leaf());
        renewed.leaf().verify(cps20.subCas().get(0).getPublicKey());
        assertThat(renewed.leaf().getSigAlgName()).isEqualTo("SHA512withECDSA");
        assertThat(pki.cpsChain().orElseThrow().leaf()).isEqualTo(cps2);
        assertThat(store.all().stream().filter(r -> r.role() == CaRole.CPS_LEAF_20 && r.status()
                == io.ocppsec.pki.store.CaCertificateRecord.CaStatus.ACTIVE).count()).isEqualTo(1);
    }

    /** A data directory whose -20 edition was made before the -20 CPO chain existed: the next start adds it, once. */
    @Test
    void aRestartAddsTheMinus20CpoChain_once() throws Exception {
        String roles = "'CPO_SUB_CA_1_20', 'CPO_SUB_CA_2_20'";
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("delete from crl_state where issuer_id in (select id from ca_certificate where role in (" + roles + "))");
                    st.executeUpdate("delete from ca_certificate where role = 'CPO_SUB_CA_2_20'");
                    st.executeUpdate("delete from ca_certificate where role = 'CPO_SUB_CA_1_20'");
                    c.commit();
                    break;
                } catch (java.sql.SQLIntegrityConstraintViolationException raced) {
                    c.rollback();
                    if (attempt >= 20) {
                        throw raced;
                    }
                    Thread.sleep(50);
                }
            }
        }
        registry.refresh();
        assertThat(registry.stationIssuer(io.ocppsec.pki.ca.CertificateType.V2G20Certificate).orElseThrow().record().role())
                .as("without the -20 CPO chain V2G20Certificate falls back to the station CA").isEqualTo(CaRole.STATION_CA);

        assertThat(developmentPki.createIfAbsent("true", "ocppsec")).isEmpty();
        var issuer = registry.stationIssuer(io.ocppsec.pki.ca.CertificateType.V2G20Certificate).orElseThrow();
        assertThat(issuer.record().role()).isEqualTo(CaRole.CPO_SUB_CA_2_20);
        assertThat(issuer.certificate().getSigAlgName()).isEqualTo("SHA512withECDSA");
        issuer.root().verify(issuer.root().getPublicKey());
        assertThat(pki.v2gRoots20()).contains(issuer.root());
        assertThat(developmentPki.createCpo20IfAbsent("ocppsec")).as("the start after that makes nothing").isFalse();
        assertThat(store.all().stream().filter(r -> r.role() == CaRole.CPO_SUB_CA_2_20).count()).isEqualTo(1);
    }
}
