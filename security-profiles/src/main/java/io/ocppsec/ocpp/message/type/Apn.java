package io.ocppsec.ocpp.message.type;

/** APNType: cellular access point settings. {@link #toString()} leaves the password and PIN out. */
public record Apn(
        String apn,
        String apnUserName,
        String apnPassword,
        Integer simPin,
        String preferredNetwork,
        Boolean useOnlyPreferredNetwork,
        ApnAuthentication apnAuthentication) {

    @Override
    public String toString() {
        return "Apn[apn=" + apn + ", apnUserName=" + apnUserName
                + ", apnPassword=" + (apnPassword == null ? null : "<redacted>")
                + ", simPin=" + (simPin == null ? null : "<redacted>")
                + ", preferredNetwork=" + preferredNetwork
                + ", useOnlyPreferredNetwork=" + useOnlyPreferredNetwork
                + ", apnAuthentication=" + apnAuthentication + "]";
    }
}
