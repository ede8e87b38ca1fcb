package io.ocppsec.pki.api;

import io.ocppsec.pki.auth.Caller;
import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.pki.station.StationService;
import io.ocppsec.pki.store.StationRecord;
import io.ocppsec.pki.terminator.SecurityEvents;
import io.ocppsec.pki.terminator.TerminatorService;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * What the TLS terminator asks and tells pki-service: {@code /api/v1/terminator} (role
 * terminator). The admission facts of a station are the only answer of the API that carries
 * password hashes.
 */
@RestController
@RequestMapping("/api/v1/terminator")
@RequiresRole(Role.TERMINATOR)
public class TerminatorController {
    private final StationService stations;
    private final TerminatorService terminators;
    private final SecurityEvents securityEvents;

    public TerminatorController(StationService stations, TerminatorService terminators, SecurityEvents securityEvents) {
        this.stations = stations;
        this.terminators = terminators;
        this.securityEvents = securityEvents;
    }

    /**
     * Everything the terminator needs to admit a station: its profile and floor, the subprotocols
     * it may use, A00.FR.429's expired-certificate exception and the Argon2id PHC strings of its
     * Basic-auth passwords (current and pending). {@code version} changes with every change to the
     * station, so a cache can tell a stale entry.
     */
    public record AdmissionFacts(String identity, String serialNumber, int securityProfile, int profileFloor,
                                 String organization, boolean enabled, List<String> ocppVersions,
                                 boolean allowExpiredClientCertificate, String passwordHash, String pendingPasswordHash,
                                 long version) {
        static AdmissionFacts of(StationRecord s) {
            return new AdmissionFacts(s.identity(), s.serialNumber(), s.securityProfile(), s.profileFloor(), s.organization(),
                    s.enabled(), s.ocppVersions(), s.allowExpiredClientCertificate(), s.passwordHash(),
                    s.pendingPasswordHash(), s.version());
        }

        @Override
        public String toString() {
            return "AdmissionFacts[identity=" + identity + ", securityProfile=" + securityProfile + ", profileFloor="
                    + profileFloor + ", enabled=" + enabled + ", ocppVersions=" + ocppVersions
                    + ", allowExpiredClientCertificate=" + allowExpiredClientCertificate + ", passwordHash="
                    + (passwordHash == null ? "none" : "<redacted>") + ", pendingPasswordHash="
                    + (pendingPasswordHash == null ? "none" : "<redacted>") + ", version=" + version + "]";
        }
    }

    /** A terminator's control API: where it listens and the bearer token it wants (a secret). */
    public record InstanceBody(String controlUrl, String controlToken) {
        @Override
        public String toString() {
            return "InstanceBody[controlUrl=" + controlUrl + ", controlToken=<redacted>]";
        }
    }

    /** A terminator's report that it holds a station now. */
    public record SessionBody(String terminatorId, Integer securityProfile, String subprotocol,
                              String clientCertificateSha256, String remoteAddress) {
    }

    /** The station's CertificateSignedResponse: status Accepted or Rejected, statusInfo optional. */
    public record CertificateSignedBody(String station, String serialNumber, String status, JsonNode statusInfo) {
    }

    /** How many security events were stored. */
    public record Stored(int stored) {
    }

    @GetMapping("/stations/{identity}")
    public AdmissionFacts admission(@PathVariable("identity") String identity) {
        return AdmissionFacts.of(stations.require(identity));
    }

    @PutMapping("/instances/{terminatorId}")
    public ResponseEntity<Void> register(@PathVariable("terminatorId") String terminatorId, @RequestBody InstanceBody body,
                                         HttpServletRequest request) {
        terminators.register(terminatorId, new TerminatorService.Registration(body.controlUrl(), body.controlToken()),
                Caller.of(request).actor());
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/sessions/{identity}")
    public ResponseEntity<Void> open(@PathVariable("identity") String identity, @RequestBody SessionBody body,
                                     HttpServletRequest request) {
        terminators.open(identity, new TerminatorService.SessionReport(body.terminatorId(), body.securityProfile(),
                body.subprotocol(), body.clientCertificateSha256(), body.remoteAddress()), Caller.of(request).actor());
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/sessions/{identity}")
    public ResponseEntity<Void> close(@PathVariable("identity") String identity,
                                      @RequestParam(name = "terminatorId", required = false) String terminatorId,
                                      HttpServletRequest request) {
        terminators.close(identity, terminatorId, Caller.of(request).actor());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/security-events")
    public ResponseEntity<Stored> securityEvents(@RequestBody JsonNode body, HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Stored(securityEvents.report(body, Caller.of(request).actor())));
    }

    @PostMapping("/certificate-signed")
    public ResponseEntity<Void> certificateSigned(@RequestBody CertificateSignedBody body, HttpServletRequest request) {
        terminators.certificateSigned(new TerminatorService.CertificateSignedReport(body.station(), body.serialNumber(),
                body.status(), body.statusInfo()), Caller.of(request).actor());
        return ResponseEntity.noContent().build();
    }
}
