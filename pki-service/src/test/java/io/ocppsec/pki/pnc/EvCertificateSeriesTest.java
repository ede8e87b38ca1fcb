package io.ocppsec.pki.pnc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The per (station, PCID) record of ISO 15118-20 installation series (OCPP 2.1 M01.FR.04/06/07): bounded,
 * least recently used first out, forgotten after its time to live, reset when the series ends.
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

    static LocalContractProvisioner.Series.Key key(String station, String pcid) {
        return new LocalContractProvisioner.Series.Key(station, pcid);
    }

    @Test
    void countsPerStationAndPcid_andZeroEndsTheSeries() {
        var s = new LocalContractProvisioner.Series(10, Duration.ofMinutes(10), new ManualClock());
        assertThat(s.delivered(key("CS1", "PCID1"))).isZero();
        s.delivered(key("CS1", "PCID1"), 1);
        assertThat(s.delivered(key("CS1", "PCID1"))).isEqualTo(1);
        assertThat(s.delivered(key("CS2", "PCID1"))).as("another station").isZero();
        assertThat(s.delivered(key("CS1", "PCID2"))).as("another EV").isZero();
        s.delivered(key("CS1", "PCID1"), 0);
        assertThat(s.delivered(key("CS1", "PCID1"))).isZero();
        assertThat(s.size()).isZero();
    }

    @Test
    void anEntryIsForgottenAfterItsTimeToLive() {
        ManualClock clock = new ManualClock();
        var s = new LocalContractProvisioner.Series(10, Duration.ofMinutes(10), clock);
        s.delivered(key("CS1", "PCID1"), 2);
        clock.now = clock.now.plus(Duration.ofMinutes(9));
        assertThat(s.delivered(key("CS1", "PCID1"))).isEqualTo(2);
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(s.delivered(key("CS1", "PCID1"))).isZero();
        assertThat(s.size()).isZero();
    }

    @Test
    void atMostMaxEntries_theLeastRecentlyUsedGoesFirst() {
        var s = new LocalContractProvisioner.Series(3, Duration.ofMinutes(10), new ManualClock());
        s.delivered(key("CS", "A"), 1);
        s.delivered(key("CS", "B"), 1);
        s.delivered(key("CS", "C"), 1);
        assertThat(s.delivered(key("CS", "A"))).isEqualTo(1); // A used: B is now the least recently used
        s.delivered(key("CS", "D"), 1);
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.delivered(key("CS", "B"))).isZero();
        assertThat(s.delivered(key("CS", "A"))).isEqualTo(1);
        assertThat(s.delivered(key("CS", "D"))).isEqualTo(1);
        // the production bound
        assertThat(LocalContractProvisioner.Series.MAX_ENTRIES).isEqualTo(10_000);
        assertThat(LocalContractProvisioner.Series.TTL).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void reasonCodesFitStatusInfo() {
        for (var r : io.ocppsec.iso15118.provisioning.ContractInstallation20.Refusal.values()) {
            assertThat(LocalContractProvisioner.reasonCode20(r).length()).as(r.name()).isBetween(1, 20);
        }
    }
}
