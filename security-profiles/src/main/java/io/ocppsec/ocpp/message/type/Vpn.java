package io.ocppsec.ocpp.message.type;

/** VPNType: VPN settings. {@link #toString()} leaves the password and the shared key out. */
public record Vpn(
        String server,
        String user,
        String group,
        String password,
        String key,
        VpnEnum type) {

    @Override
    public String toString() {
        return "Vpn[server=" + server + ", user=" + user + ", group=" + group
                + ", password=" + (password == null ? null : "<redacted>")
                + ", key=" + (key == null ? null : "<redacted>") + ", type=" + type + "]";
    }
}
