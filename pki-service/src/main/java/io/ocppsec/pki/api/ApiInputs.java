package io.ocppsec.pki.api;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.Action;
import tools.jackson.databind.JsonNode;

/** Reading request fields with clear errors. */
public final class ApiInputs {
    private ApiInputs() {
    }

    static OcppVersion ocppVersion(JsonNode node) {
        String v = text(node, "ocppVersion");
        String token = v.startsWith("ocpp") ? v : "ocpp" + v;
        return OcppVersion.fromSubprotocol(token).orElseThrow(() ->
                new BadRequestException("unsupported-version", "ocppVersion must be one of 2.0.1, 2.1"));
    }

    /**
     * The {@code ocppVersion} of a delegated OCPP request (the terminator's and a CSMS's bodies):
     * ocpp2.0.1 or ocpp2.1 (with or without the "ocpp" prefix), the versions with typed messages.
     */
    public static OcppVersion typedOcppVersion(JsonNode v) {
        if (v == null || !v.isString()) {
            throw new BadRequestException("missing-field", "ocppVersion is required: ocpp2.0.1 or ocpp2.1");
        }
        return typedOcppVersion(v.stringValue());
    }

    /** {@link #typedOcppVersion(JsonNode)} of a field already read as text. */
    public static OcppVersion typedOcppVersion(String v) {
        String token = v.startsWith("ocpp") ? v : "ocpp" + v;
        return OcppVersion.fromSubprotocol(token).filter(OcppVersion::hasTypedMessages).orElseThrow(() ->
                new BadRequestException("unsupported-version", "ocppVersion must be ocpp2.0.1 or ocpp2.1"));
    }

    /**
     * The {@code request} field of a delegated body as a typed OCPP request of {@code version}; a
     * missing request or one its schema refuses is a 400 problem saying why.
     */
    public static <T extends io.ocppsec.ocpp.message.OcppRequest> T ocppRequest(OcppVersion version, Class<T> type,
                                                                             JsonNode body) {
        JsonNode request = body.get("request");
        if (request == null || !request.isObject()) {
            throw new BadRequestException("missing-field", "request is required: the OCPP request payload");
        }
        io.ocppsec.ocpp.message.Decoded<T> d = io.ocppsec.ocpp.message.OcppCodec.of(version).decodeRequest(type, request);
        if (d instanceof io.ocppsec.ocpp.message.Decoded.Invalid<T> invalid) {
            throw new BadRequestException("invalid-ocpp-request", "the request breaks the " + version.subprotocol()
                    + " schema: " + invalid.violation().describe() + " (" + invalid.violation().code().name() + ")");
        }
        return ((io.ocppsec.ocpp.message.Decoded.Valid<T>) d).message();
    }

    static Action action(JsonNode node, OcppVersion version) {
        return action(text(node, "action"), version);
    }

    static Action action(String name, OcppVersion version) {
        return Action.fromWire(name).filter(a -> a.existsIn(version)).orElseThrow(() ->
                new BadRequestException("unknown-action", "action is not a security action of " + version
                        + " known to ocppsec"));
    }

    static String text(JsonNode node, String field) {
        if (node == null || !node.isString() || node.stringValue().isBlank()) {
            throw new BadRequestException("missing-field", field + " is required and must be a string");
        }
        return node.stringValue();
    }

    static String optionalText(JsonNode node) {
        return node != null && node.isString() ? node.stringValue() : null;
    }
}
