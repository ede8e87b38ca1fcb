package io.ocppsec.pki.auth;

/**
 * What an API token may do. Each role includes the ones before it.
 * <ul>
 *   <li>{@link #CSMS}: a CSMS backend: sign CSRs for stations, read stations, certificates, CA
 *       information, station sessions and security events, verify station credentials, the OCPP
 *       tools;</li>
 *   <li>{@link #TERMINATOR}: the TLS terminator: also the admission facts of a station (the only
 *       answer that carries password hashes), registering itself, reporting station sessions,
 *       security events and CertificateSigned outcomes ({@code /api/v1/terminator/...});</li>
 *   <li>{@link #OPERATOR}: a person running the fleet: also add, change and remove stations,
 *       rotate passwords, send calls to stations through the terminator, list and export the
 *       inventory;</li>
 *   <li>{@link #ADMIN}: a security officer: also manage tokens, import or create CAs, verify the
 *       audit log.</li>
 * </ul>
 */
public enum Role {
    CSMS, TERMINATOR, OPERATOR, ADMIN;

    /** Whether a token of this role may do what {@code required} allows. */
    public boolean includes(Role required) {
        return ordinal() >= required.ordinal();
    }
}
