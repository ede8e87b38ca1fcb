package io.ocppsec.ocpp.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.ocpp.OcppVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubprotocolsTest {
    private static final List<OcppVersion> SERVER = List.of(OcppVersion.OCPP_2_1, OcppVersion.OCPP_2_0_1);

    @Test
    void TC_B_58_CSMS_supportedVersionIsChosenWhenAnUnsupportedOneIsAlsoOffered() {
        List<String> offered = Subprotocols.parse(List.of("ocpp9.9, ocpp2.0.1"));
        assertThat(Subprotocols.select(offered, SERVER)).contains(OcppVersion.OCPP_2_0_1);
    }

    @Test
    void bestVersionBothSidesAllowWins() {
        assertThat(Subprotocols.select(Subprotocols.parse(List.of("ocpp2.0.1", "ocpp2.1")), SERVER))
                .contains(OcppVersion.OCPP_2_1);
        assertThat(Subprotocols.select(List.of("ocpp1.6", "ocpp2.1"), List.of(OcppVersion.OCPP_2_0_1))).isEmpty();
    }

    @Test
    void ocppj_3_3_noCommonVersionSelectsNothing() {
        assertThat(Subprotocols.select(Subprotocols.parse(List.of("ocpp1.6")), SERVER)).isEmpty();
        assertThat(Subprotocols.select(Subprotocols.parse(null), SERVER)).isEmpty();
    }

    @Test
    void subprotocolNamesAreCaseSensitiveAndHeaderIsBounded() {
        assertThat(Subprotocols.select(List.of("OCPP2.0.1"), SERVER)).isEmpty();
        String huge = "x,".repeat(5000) + "ocpp2.0.1";
        assertThat(Subprotocols.parse(List.of(huge))).hasSizeLessThanOrEqualTo(Subprotocols.MAX_TOKENS);
    }
}
