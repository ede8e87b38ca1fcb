package io.ocppsec.ocpp.message.type;

/** VariableType: a device-model variable, e.g. {@code BasicAuthPassword}. */
public record Variable(String name, String instance) {

    public static Variable of(String name) {
        return new Variable(name, null);
    }
}
