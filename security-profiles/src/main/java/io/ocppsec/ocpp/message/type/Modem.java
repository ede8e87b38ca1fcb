package io.ocppsec.ocpp.message.type;

/** ModemType: the station's cellular modem identifiers. */
public record Modem(String iccid, String imsi) {
}
