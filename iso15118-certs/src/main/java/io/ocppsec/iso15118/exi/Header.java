package io.ocppsec.iso15118.exi;

import io.ocppsec.iso15118.xmldsig.XmlSignature;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code MessageHeaderType}: SessionID (hexBinary, at most 8 bytes), optional Notification, optional
 * ds:Signature. Absent optionals are {@code null}.
 */
public record Header(byte[] sessionId, Notification notification, XmlSignature signature) {
    public Header {
        sessionId = Bytes.copy(sessionId, "sessionId");
    }

    @Override
    public byte[] sessionId() {
        return sessionId.clone();
    }

    /** The SessionID without a copy (package use). */
    byte[] sessionIdUnsafe() {
        return sessionId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && Arrays.equals(sessionId, h.sessionId)
                && Objects.equals(notification, h.notification) && Objects.equals(signature, h.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(sessionId), notification, signature);
    }

    @Override
    public String toString() {
        return "Header[sessionId=" + Bytes.hex(sessionId) + ", notification=" + notification + ", signature="
                + signature + "]";
    }
}
