package io.ocppsec.terminator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.terminator.upgrade.FailureLimiter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminatorConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        TerminatorConfig c = TerminatorConfig.from(Map.of());
        assertThat(c.wssPort()).isEqualTo(8443);
        assertThat(c.wsPort()).isEqualTo(-1); // the SP1 listener is off by default
        assertThat(c.acceptBacklog()).isEqualTo(16384);
        assertThat(c.proxied()).isFalse();
        assertThat(c.interceptSecurity()).containsExactlyInAnyOrderElementsOf(TerminatorConfig.SECURITY_ACTIONS);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(180));
    }

    @Test
    void argumentsOverrideAndDurationsParse() {
        TerminatorConfig c = TerminatorConfig.fromArgs("--ws-port=9000", "--upstream", "wss://csms.example:443/ocpp",
                "--ping-interval=250ms", "--backoff-max=5m", "--intercept=SignCertificate");
        assertThat(c.wsPort()).isEqualTo(9000);
        assertThat(c.proxied()).isTrue();
        assertThat(c.pingInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.backoffMax()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.interceptSecurity()).containsExactly("SignCertificate");
        assertThat(TerminatorConfig.fromArgs("--intercept=none").interceptSecurity()).isEmpty();
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> TerminatorConfig.fromArgs("--wss-prot=1")).hasMessageContaining("unknown setting 'wss-prot'");
        assertThatThrownBy(() -> TerminatorConfig.fromArgs("--wss-port=70000")).hasMessageContaining("wss-port");
        assertThatThrownBy(() -> TerminatorConfig.fromArgs("--upstream=http://x")).hasMessageContaining("ws:// or wss://");
        assertThatThrownBy(() -> TerminatorConfig.fromArgs("--idle-timeout=soon")).hasMessageContaining("idle-timeout");
        assertThatThrownBy(() -> TerminatorConfig.fromArgs("--accept-backlog=0")).hasMessageContaining("accept-backlog must be at least 1");
        assertThatThrownBy(() -> TerminatorConfig.fromArgs("--intercept=Reset")).hasMessageContaining("unknown security action");
        assertThatThrownBy(() -> TerminatorConfig.fromArgs("--max-frame-bytes=10")).hasMessageContaining("max-frame-bytes");
        assertThatThrownBy(() -> TerminatorConfig.fromArgs("--terminator-id=a b")).hasMessageContaining("terminator-id");
        assertThatThrownBy(() -> TerminatorConfig.fromArgs("stray")).hasMessageContaining("unexpected argument");
    }

    @Test
    void failureLimiterBacksOffAndDoublesAndForgetsOnSuccess() {
        FailureLimiter l = new FailureLimiter(3, 60_000, 10);
        assertThat(l.failed("a")).isZero();
        assertThat(l.failed("a")).isZero();
        assertThat(l.failed("a")).isEqualTo(1000);
        assertThat(l.blockedFor("a")).isPositive();
        assertThat(l.failed("a")).isEqualTo(2000);
        assertThat(l.failed("a")).isEqualTo(4000);
        l.succeeded("a");
        assertThat(l.blockedFor("a")).isZero();
        for (int i = 0; i < 100; i++) {
            l.failed("k" + i);
        }
        assertThat(l.trackedKeys()).isLessThanOrEqualTo(10); // bounded
    }
}
