package io.ocppsec.ocpp.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** OCPP-J §4.1.1: one outstanding CALL per direction per connection. */
class CallTrackerTest {
    private static final long S = 1_000_000_000L;

    @Test
    void ocppj_4_1_1_secondCallWaitsUntilTheFirstIsAnswered() {
        CallTracker t = new CallTracker(Duration.ofSeconds(30));
        t.sent("a", "CertificateSigned", 0);
        assertThat(t.canSend(S)).isFalse();
        assertThatThrownBy(() -> t.sent("b", "TriggerMessage", S)).isInstanceOf(IllegalStateException.class);
        assertThat(t.answered("a")).isInstanceOf(CallTracker.Completion.Matched.class);
        assertThat(t.canSend(2 * S)).isTrue();
        t.sent("b", "TriggerMessage", 2 * S);
    }

    @Test
    void ocppj_4_1_1_callThatTimedOutNoLongerBlocks() {
        CallTracker t = new CallTracker(Duration.ofSeconds(30));
        t.sent("a", "InstallCertificate", 0);
        assertThat(t.canSend(29 * S)).isFalse();
        assertThat(t.expire(29 * S)).isEmpty();
        assertThat(t.expire(30 * S)).get().extracting(CallTracker.Outstanding::messageId).isEqualTo("a");
        // A late answer belongs to nothing.
        assertThat(t.answered("a")).isInstanceOf(CallTracker.Completion.Unexpected.class);
    }

    @Test
    void ocppj_4_1_4_answerWithAnotherIdDoesNotComplete() {
        CallTracker t = new CallTracker(Duration.ofSeconds(30));
        t.sent("a", "DeleteCertificate", 0);
        assertThat(t.answered("z")).isInstanceOf(CallTracker.Completion.Unexpected.class);
        assertThat(t.outstanding()).isPresent();
    }

    @Test
    void generatedIdsAreValidAndDistinct() {
        MessageIds.Generator g = new MessageIds.Generator();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = g.next();
            assertThat(MessageIds.isValid(id)).isTrue();
            assertThat(id).hasSize(36).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(seen.add(id)).isTrue();
        }
    }
}
