package io.ocppsec.ocpp.message.type;

/**
 * MessageFormatEnumType: Format of a MessageContent. QRCODE is new in OCPP 2.1.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum MessageFormat {
    ASCII,
    HTML,
    URI,
    UTF8,
    QRCODE
}
