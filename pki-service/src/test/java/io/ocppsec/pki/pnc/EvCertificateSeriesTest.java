package io.ocppsec.pki.pnc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The per (station, PCID) record of ISO 15118-20 installation series (OCPP 2.1 M01.FR.04/06/07) in the
 * database, on a migrated H2: counted per station and EV, continued by a new instance (a restart, a second
 * pki-service), forgotten after its time to live, deleted when the series ends, written only by the request
 * that read it as it stands, and expired rows cleaned a bounded batch at a time. PncApiContract runs the same
 * on PostgreSQL.
 */
class EvCertificateSeriesTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static final Duration TTL = Duration.ofMinutes(10);

    DataSource ds;
    ManualClock clock = new ManualClock();
    InstallSeries s;

    @BeforeEach
    void database() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:series-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds = h2;
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", "classpath:db/migration/h2").load().migrate();
        s = new InstallSeries(ds, TTL, clock);
    }

    static InstallSeries.Key key(String station, String pcid) {
        return new InstallSeries.Key(station, pcid);
    }

    int rows() {
        return JdbcClient.create(ds).sql("select count(*) from pnc_install_series").query(Integer.class).single();
    }

    /** What the provisioner does after a delivery: record the next count where it read the series. */
    void deliver(InstallSeries series, InstallSeries.Key k, int count) {
        assertThat(series.advance(k, series.read(k), count)).isTrue();
    }

    @Test
    void countsPerStationAndPcid_andZeroEndsTheSeriesAndDeletesItsRow() {
        assertThat(s.delivered(key("CS1", "PCID1"))).isZero();
        deliver(s, key("CS1", "PCID1"), 1);
        assertThat(s.delivered(key("CS1", "PCID1"))).isEqualTo(1);
        assertThat(s.delivered(key("CS2", "PCID1"))).as("another station").isZero();
        assertThat(s.delivered(key("CS1", "PCID2"))).as("another EV").isZero();
        deliver(s, key("CS1", "PCID1"), 2);
        assertThat(s.delivered(key("CS1", "PCID1"))).isEqualTo(2);
        assertThat(rows()).isEqualTo(1);
        deliver(s, key("CS1", "PCID1"), 0);
        assertThat(s.delivered(key("CS1", "PCID1"))).isZero();
        assertThat(rows()).as("the end of the series deletes its row").isZero();
        // a one-contract series stores nothing
        deliver(s, key("CS1", "PCID1"), 0);
        assertThat(rows()).isZero();
    }

    @Test
    void aNewInstanceOnTheSameDatabaseContinuesTheSeries_restartOrSecondInstance() {
        deliver(s, key("CS1", "PCID1"), 2);
        InstallSeries restarted = new InstallSeries(ds, TTL, clock);
        assertThat(restarted.delivered(key("CS1", "PCID1"))).isEqualTo(2);
        deliver(restarted, key("CS1", "PCID1"), 3);
        assertThat(s.delivered(key("CS1", "PCID1"))).isEqualTo(3);
    }

    @Test
    void aSeriesIsForgottenAfterItsTimeToLiveSinceTheLastDelivery() {
        deliver(s, key("CS1", "PCID1"), 1);
        clock.now = clock.now.plus(Duration.ofMinutes(9));
        deliver(s, key("CS1", "PCID1"), 2); // the time to live counts from here
        clock.now = clock.now.plus(Duration.ofMinutes(9));
        assertThat(s.delivered(key("CS1", "PCID1"))).isEqualTo(2);
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        InstallSeries.Position expired = s.read(key("CS1", "PCID1"));
        assertThat(expired.delivered()).isZero();
        assertThat(rows()).as("read only: the row stays until replaced or cleaned").isEqualTo(1);
        // the EV starts again: its first contract replaces the expired row
        assertThat(s.advance(key("CS1", "PCID1"), expired, 1)).isTrue();
        assertThat(s.delivered(key("CS1", "PCID1"))).isEqualTo(1);
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void twoRequestsThatReadTheSamePosition_onlyTheFirstRecords() {
        InstallSeries other = new InstallSeries(ds, TTL, clock); // another pki-service instance
        // both read "none delivered": the insert of the second is a duplicate
        InstallSeries.Position a = s.read(key("CS1", "PCID1"));
        InstallSeries.Position b = other.read(key("CS1", "PCID1"));
        assertThat(s.advance(key("CS1", "PCID1"), a, 1)).isTrue();
        assertThat(other.advance(key("CS1", "PCID1"), b, 1)).as("position 1 was taken").isFalse();
        // both read 1: the update of the second finds the row changed
        clock.now = clock.now.plusSeconds(1);
        a = s.read(key("CS1", "PCID1"));
        b = other.read(key("CS1", "PCID1"));
        assertThat(a.delivered()).isEqualTo(1);
        assertThat(other.advance(key("CS1", "PCID1"), b, 2)).isTrue();
        assertThat(s.advance(key("CS1", "PCID1"), a, 2)).isFalse();
        assertThat(s.advance(key("CS1", "PCID1"), a, 0)).as("nor may it end a series it did not read").isFalse();
        // the loser reads again and goes on from the new count
        a = s.read(key("CS1", "PCID1"));
        assertThat(a.delivered()).isEqualTo(2);
        assertThat(s.advance(key("CS1", "PCID1"), a, 0)).isTrue();
        assertThat(rows()).isZero();
    }

    @Test
    void expiredRowsAreDeletedABoundedBatchAtATimeWhenASeriesStarts() {
        for (int i = 0; i < InstallSeries.CLEAN_BATCH + 50; i++) {
            deliver(s, key("CS" + i, "PCID1"), 1);
        }
        deliver(s, key("CS-LIVE", "PCID1"), 1);
        clock.now = clock.now.plus(TTL).plusSeconds(1);
        deliver(s, key("CS-LATE", "PCID1"), 1);
        deliver(s, key("CS-LATE", "PCID1"), 2); // a series going on cleans nothing
        assertThat(rows()).as("100 of the 151 expired rows went").isEqualTo(51 + 1);
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        deliver(s, key("CS-NEXT", "PCID1"), 1);
        assertThat(rows()).as("the other 51 went; CS-LATE and CS-NEXT stay").isEqualTo(2);
        assertThat(s.delivered(key("CS-LATE", "PCID1"))).isEqualTo(2);
        assertThat(s.delivered(key("CS-NEXT", "PCID1"))).isEqualTo(1);
    }

    @Test
    void theTimeToLiveIsASetting_tenMinutesByDefault() {
        assertThat(PncProperties.defaults().installSeriesTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(PncPropertiesTest.bind(java.util.Map.of("ocppsec.pnc.install-series-ttl", "30m")).installSeriesTtl())
                .isEqualTo(Duration.ofMinutes(30));
        assertThatThrownBy(() -> PncPropertiesTest.bind(java.util.Map.of("ocppsec.pnc.install-series-ttl", "0s")))
                .rootCause().hasMessageContaining("install-series-ttl");
        assertThatThrownBy(() -> PncPropertiesTest.bind(java.util.Map.of("ocppsec.pnc.install-series-ttl", "25h")))
                .rootCause().hasMessageContaining("install-series-ttl");
        assertThatThrownBy(() -> new InstallSeries(ds, Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reasonCodesFitStatusInfo() {
        for (var r : io.ocppsec.iso15118.provisioning.ContractInstallation20.Refusal.values()) {
            assertThat(LocalContractProvisioner.reasonCode20(r).length()).as(r.name()).isBetween(1, 20);
        }
    }
}
