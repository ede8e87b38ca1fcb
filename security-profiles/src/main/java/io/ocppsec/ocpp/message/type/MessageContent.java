package io.ocppsec.ocpp.message.type;

/** MessageContentType: text for the station's display. */
public record MessageContent(MessageFormat format, String language, String content) {
}
