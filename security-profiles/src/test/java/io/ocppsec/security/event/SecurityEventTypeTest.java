package io.ocppsec.security.event;

import io.ocppsec.security.SpecEdition;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityEventTypeTest {

    /** The appendix table (security_events.csv, 2.0.1 v1.4): wire name -> critical. */
    private static Map<String, Boolean> appendix201() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        m.put("FirmwareUpdated", true);
        m.put("FailedToAuthenticateAtCsms", false);
        m.put("CsmsFailedToAuthenticate", false);
        m.put("SettingSystemTime", true);
        m.put("StartupOfTheDevice", true);
        m.put("ResetOrReboot", true);
        m.put("SecurityLogWasCleared", true);
        m.put("ReconfigurationOfSecurityParameters", false);
        m.put("MemoryExhaustion", true);
        m.put("InvalidMessages", false);
        m.put("AttemptedReplayAttacks", false);
        m.put("TamperDetectionActivated", true);
        m.put("InvalidFirmwareSignature", true);
        m.put("InvalidFirmwareSigningCertificate", true);
        m.put("InvalidCsmsCertificate", true);
        m.put("InvalidChargingStationCertificate", true);
        m.put("InvalidTLSVersion", true);
        m.put("InvalidTLSCipherSuite", true);
        m.put("MaintenanceLoginAccepted", true);
        m.put("MaintenanceLoginFailed", true);
        return m;
    }

    private static Map<String, Boolean> tableOf(SpecEdition edition) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (SecurityEventType t : SecurityEventType.definedFor(edition)) {
            m.put(t.wireName(), t.critical());
        }
        return m;
    }

    // A04 / appendix security_events.csv v1.4: the twenty events of OCPP 2.0.1 Edition 3.
    @Test
    void A04_appendix201_listsTwentyEventsWithTheirCriticality() {
        assertThat(tableOf(SpecEdition.OCPP_201_EDITION_3)).containsExactlyEntriesOf(appendix201());
        assertThat(SecurityEventType.definedFor(SpecEdition.OCPP_201_EDITION_3)).hasSize(20);
    }

    // A04 / appendix security_events.csv v2.0 (2.1): the twenty plus DiscardedRenewedClientCertificate.
    @Test
    void A04_appendix21_listsTwentyOneEventsWithTheirCriticality() {
        Map<String, Boolean> expected = appendix201();
        expected.put("DiscardedRenewedClientCertificate", true);
        assertThat(tableOf(SpecEdition.OCPP_21_EDITION_1)).containsExactlyEntriesOf(expected);
        assertThat(SecurityEventType.definedFor(SpecEdition.OCPP_21_EDITION_1)).hasSize(21);
    }

    // A02.FR.29 / A03.FR.25 (errata 2025-09): DiscardedRenewedClientCertificate is added to 2.0.1.
    @Test
    void A02_FR_29_discardedRenewedClientCertificateComesWithThe201Errata() {
        SecurityEventType t = SecurityEventType.DISCARDED_RENEWED_CLIENT_CERTIFICATE;
        assertThat(t.wireName()).isEqualTo("DiscardedRenewedClientCertificate");
        assertThat(t.critical()).isTrue();
        assertThat(t.introducedIn()).isEqualTo(SpecEdition.OCPP_201_ERRATA_2025_09);
        assertThat(t.definedIn(SpecEdition.OCPP_201_EDITION_3)).isFalse();
        assertThat(t.definedIn(SpecEdition.OCPP_201_ERRATA_2025_09)).isTrue();
        assertThat(t.definedIn(SpecEdition.OCPP_21_EDITION_1)).isTrue();
        assertThat(SecurityEventType.definedFor(SpecEdition.OCPP_201_ERRATA_2025_09)).hasSize(21);
    }

    // A04: SecurityEventNotificationRequest.type is a case-sensitive free string; only exact names are known.
    @Test
    void A04_fromWireIsExactAndTotal() {
        for (SecurityEventType t : SecurityEventType.values()) {
            assertThat(SecurityEventType.fromWire(t.wireName())).contains(t);
            assertThat(t.description()).isNotBlank();
        }
        assertThat(SecurityEventType.fromWire("invalidtlsversion")).isEmpty();
        assertThat(SecurityEventType.fromWire("InvalidTLSVersion ")).isEmpty();
        assertThat(SecurityEventType.fromWire("")).isEmpty();
        assertThat(SecurityEventType.fromWire(null)).isEmpty();
        assertThat(SecurityEventType.fromWire("x".repeat(10_000))).isEmpty();
    }

    // A04.FR.03: the CSMS accepts any type (<= 50 chars) and records it; known ones carry criticality.
    @Test
    void A04_FR_03_receivedEventKeepsTheRawTypeAndKnowsItsCriticality() {
        OffsetDateTime at = OffsetDateTime.parse("2025-01-02T03:04:05Z");
        ReceivedSecurityEvent known = new ReceivedSecurityEvent("TamperDetectionActivated", at, "door");
        assertThat(known.isKnown()).isTrue();
        assertThat(known.isCritical()).isTrue();
        assertThat(known.knownType()).contains(SecurityEventType.TAMPER_DETECTION_ACTIVATED);
        assertThat(known.techInfoIfPresent()).contains("door");

        ReceivedSecurityEvent nonCritical = new ReceivedSecurityEvent("InvalidMessages", at, null);
        assertThat(nonCritical.isKnown()).isTrue();
        assertThat(nonCritical.isCritical()).isFalse();
        assertThat(nonCritical.techInfoIfPresent()).isEmpty();

        ReceivedSecurityEvent vendor = new ReceivedSecurityEvent("VendorSpecificThing", at, null);
        assertThat(vendor.isKnown()).isFalse();
        assertThat(vendor.isCritical()).isFalse();
        assertThat(vendor.type()).isEqualTo("VendorSpecificThing");
    }
}
