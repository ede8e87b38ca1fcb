package io.ocppsec.ocpp.message.type;

/** ComponentType: a device-model component, e.g. {@code SecurityCtrlr}. */
public record Component(String name, String instance, Evse evse) {

    public static Component of(String name) {
        return new Component(name, null, null);
    }
}
