package io.ocppsec.pki.broker;

/**
 * Why the broker could not produce a verified answer: {@code reasonCode} goes to the station as
 * {@code statusInfo.reasonCode} (at most 20 characters), the message as {@code additionalInfo}.
 * Never carries secrets; URLs are reported without their query.
 */
public final class BrokerFailure extends Exception {
    private final String reasonCode;

    public BrokerFailure(String reasonCode, String detail) {
        super(detail, null, false, false);
        if (reasonCode.length() > 20) {
            throw new IllegalArgumentException("reason code over 20 characters: " + reasonCode);
        }
        this.reasonCode = reasonCode;
    }

    public String reasonCode() {
        return reasonCode;
    }
}
