package io.ocppsec.ocpp.message.type;

/** EVSEType: an EVSE, optionally one connector of it. */
public record Evse(Integer id, Integer connectorId) {

    public static Evse of(int id) {
        return new Evse(id, null);
    }
}
