package io.ocppsec.terminator.pki;

import io.ocppsec.ocpp.OcppVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * What pki-service says about a station at admission ({@code GET /api/v1/terminator/stations/{id}}).
 * {@link #toString()} leaves the password hashes out.
 */
public record StationRecord(String identity, String serialNumber, int securityProfile, int profileFloor,
                            String organization, boolean enabled, List<String> ocppVersions,
                            boolean allowExpiredClientCertificate, String passwordHash, String pendingPasswordHash,
                            long version) {

    public StationRecord {
        ocppVersions = ocppVersions == null ? List.of("ocpp2.1", "ocpp2.0.1") : List.copyOf(ocppVersions);
    }

    /** The OCPP versions this station may use, in the record's order of preference. */
    public List<OcppVersion> allowedVersions() {
        List<OcppVersion> out = new ArrayList<>();
        for (String s : ocppVersions) {
            OcppVersion.fromSubprotocol(s).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public String toString() {
        return "StationRecord[identity=" + identity + ", serialNumber=" + serialNumber + ", securityProfile="
                + securityProfile + ", profileFloor=" + profileFloor + ", organization=" + organization
                + ", enabled=" + enabled + ", ocppVersions=" + ocppVersions + ", passwordHash="
                + (passwordHash == null ? "none" : "<set>") + ", version=" + version + "]";
    }
}
