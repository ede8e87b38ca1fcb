package io.ocppsec.pki.auth;

/**
 * What an API token may do. Each role includes the ones before it.
 * <ul>
 *   <li>{@link #CSMS}: a CSMS backend or the terminator: sign CSRs for stations, read stations,
 *       certificates and CA information, verify station credentials, the OCPP tools;</li>
 *   <li>{@link #OPERATOR}: a person running the fleet: also add, change and remove stations,
 *       rotate passwords, list and export the inventory;</li>
 *   <li>{@link #ADMIN}: a security officer: also manage tokens, import or create CAs, verify the
 *       audit log.</li>
 * </ul>
 */
public enum Role {
    CSMS, OPERATOR, ADMIN;

    /** Whether a token of this role may do what {@code required} allows. */
    public boolean includes(Role required) {
        return ordinal() >= required.ordinal();
    }
}
