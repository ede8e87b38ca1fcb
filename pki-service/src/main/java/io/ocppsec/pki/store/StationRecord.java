package io.ocppsec.pki.store;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A registered charging station. {@code identityKey} is the case-folded identity (the OCPP
 * identifierString is case-insensitive); {@code identity} keeps the registered spelling.
 * {@code ocppVersions} are the OCPP-J subprotocols it may negotiate, in order of preference;
 * {@code allowExpiredClientCertificate} is OCPP A00.FR.429's per-station exception (accepted with
 * an expired client certificate, then renewed at once). {@link #toString()} leaves the password
 * hashes out.
 */
public record StationRecord(
        String identityKey,
        String identity,
        String serialNumber,
        int securityProfile,
        int profileFloor,
        String organization,
        Set<String> certificateTypes,
        List<String> seccIds,
        List<String> ocppVersions,
        boolean allowExpiredClientCertificate,
        String passwordHash,
        String pendingPasswordHash,
        Instant pendingSince,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public StationRecord {
        certificateTypes = Set.copyOf(certificateTypes);
        seccIds = seccIds == null ? List.of() : List.copyOf(seccIds);
        ocppVersions = ocppVersions == null || ocppVersions.isEmpty() ? DEFAULT_OCPP_VERSIONS : List.copyOf(ocppVersions);
    }

    /** The subprotocols a station may use unless it is registered with others. */
    public static final List<String> DEFAULT_OCPP_VERSIONS = List.of("ocpp2.1", "ocpp2.0.1");

    /** The next revision of this station (version + 1) with these password hashes. */
    public StationRecord withPasswords(String current, String pending, Instant pendingSince, Instant now) {
        return new StationRecord(identityKey, identity, serialNumber, securityProfile, profileFloor, organization,
                certificateTypes, seccIds, ocppVersions, allowExpiredClientCertificate, current, pending, pendingSince, enabled, createdAt, now, version + 1);
    }

    @Override
    public String toString() {
        return "StationRecord[identity=" + identity + ", serialNumber=" + serialNumber + ", securityProfile="
                + securityProfile + ", organization=" + organization + ", certificateTypes=" + certificateTypes
                + ", ocppVersions=" + ocppVersions + ", allowExpiredClientCertificate=" + allowExpiredClientCertificate
                + ", enabled=" + enabled + ", passwordHash=" + (passwordHash == null ? "none" : "<set>")
                + ", pendingPassword=" + (pendingPasswordHash == null ? "none" : "<set>") + "]";
    }
}
