package io.ocppsec.iso15118.exi;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the EXI decoders, which read EV-supplied bytes (OCPP exiRequest).
 * Invariants: bad input only ever raises {@link ExiException}; whatever decodes re-encodes and decodes to the
 * same record. The seed inputs ({@code ExiFuzzTestInputs/}) are streams our own encoder produced from random
 * records; a normal test run replays only them, the {@code fuzz} execution (module pom) mutates.
 */
class ExiFuzzTest {

    @FuzzTest(maxExecutions = 100_000, maxDuration = "5m")
    void decodersAreTotalAndConsistent(byte[] data) throws Exception {
        try {
            V2gMessage m = Iso15118_2Codec.decode(data);
            assertThat(Iso15118_2Codec.decode(Iso15118_2Codec.encode(m))).isEqualTo(m);
            Iso15118_2Codec.signedFragments(m.body());
        } catch (ExiException expected) {
            assertThat(expected.reason()).isNotNull();
        }
        try {
            Iso15118_20.Message m = Iso15118_20Codec.decode(data);
            assertThat(Iso15118_20Codec.decode(Iso15118_20Codec.encode(m))).isEqualTo(m);
        } catch (ExiException expected) {
            assertThat(expected.reason()).isNotNull();
        }
    }
}
