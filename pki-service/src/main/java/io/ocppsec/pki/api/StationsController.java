package io.ocppsec.pki.api;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.OcppCodec;
import io.ocppsec.ocpp.message.SetVariablesRequest;
import io.ocppsec.pki.auth.Caller;
import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.pki.station.StationService;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.pki.store.StationRecord;
import io.ocppsec.pki.store.TerminatorStore;
import io.ocppsec.pki.terminator.ControlClient;
import io.ocppsec.pki.terminator.StationCalls;
import io.ocppsec.pki.terminator.TerminatorService;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The station registry over HTTP: {@code /api/v1/stations}. */
@RestController
@RequestMapping("/api/v1/stations")
public class StationsController {
    private final StationService stations;
    private final TerminatorService terminators;
    private final StationCalls calls;

    public StationsController(StationService stations, TerminatorService terminators, StationCalls calls) {
        this.stations = stations;
        this.terminators = terminators;
        this.calls = calls;
    }

    /**
     * A station as the API shows it: never a password hash. {@code ocppVersions}: the OCPP-J
     * subprotocols it may use, in order of preference; {@code allowExpiredClientCertificate}:
     * A00.FR.429's exception for a station whose clock may be wrong.
     */
    public record StationView(String identity, String serialNumber, int securityProfile, int profileFloor,
                              String organization, List<String> certificateTypes, List<String> seccIds,
                              List<String> ocppVersions, boolean allowExpiredClientCertificate,
                              boolean enabled, boolean passwordRotationPending, Instant createdAt, Instant updatedAt) {
        static StationView of(StationRecord s) {
            return new StationView(s.identity(), s.serialNumber(), s.securityProfile(), s.profileFloor(), s.organization(),
                    List.copyOf(s.certificateTypes()), s.seccIds(), s.ocppVersions(), s.allowExpiredClientCertificate(),
                    s.enabled(), s.pendingPasswordHash() != null, s.createdAt(), s.updatedAt());
        }
    }

    /** Registering a station; without {@code password} one is generated and returned once. */
    public record NewStationBody(String identity, String serialNumber, Integer securityProfile, String organization,
                                 List<String> certificateTypes, List<String> seccIds, String password,
                                 List<String> ocppVersions, Boolean allowExpiredClientCertificate) {
        @Override
        public String toString() {
            return "NewStationBody[identity=" + identity + ", password=" + (password == null ? null : "<redacted>") + "]";
        }
    }

    /** A registered station and the generated Basic-auth password (null when it was given). */
    public record Registered(StationView station, String password) {
        @Override
        public String toString() {
            return "Registered[station=" + station + ", password=<redacted>]";
        }
    }

    public record ChangesBody(String serialNumber, Integer securityProfile, String organization,
                              List<String> certificateTypes, List<String> seccIds, Boolean enabled,
                              List<String> ocppVersions, Boolean allowExpiredClientCertificate) {
    }

    /** A CALL to send to the station through the terminator holding it. */
    public record CallBody(String action, JsonNode payload, Integer timeoutSeconds) {
        @Override
        public String toString() {
            return "CallBody[action=" + action + ", timeoutSeconds=" + timeoutSeconds + "]"; // the payload may hold a password
        }
    }

    /**
     * A password rotation (A01): the new password, and the SetVariablesRequest payload that carries
     * it to the station (SecurityCtrlr.BasicAuthPassword; valid for OCPP 2.0.1 and 2.1). Send it,
     * then report the station's attributeStatus to {@code .../password/confirm}.
     */
    public record RotationView(String identity, String password, JsonNode setVariablesRequest) {
        @Override
        public String toString() {
            return "RotationView[identity=" + identity + ", password=<redacted>]";
        }
    }

    public record ConfirmBody(String status) {
    }

    public record CredentialsBody(String password) {
        @Override
        public String toString() {
            return "CredentialsBody[password=<redacted>]";
        }
    }

    public record CredentialsVerdict(boolean valid) {
    }

    @PostMapping
    @RequiresRole(Role.OPERATOR)
    public ResponseEntity<Registered> add(@RequestBody NewStationBody body, HttpServletRequest request) {
        StationService.Registered r = stations.add(new StationService.NewStation(body.identity(), body.serialNumber(),
                body.securityProfile(), body.organization(), body.certificateTypes(), body.seccIds(), body.password(),
                body.ocppVersions(), body.allowExpiredClientCertificate()), Caller.of(request).actor());
        return ResponseEntity.status(HttpStatus.CREATED).body(new Registered(StationView.of(r.station()), r.generatedPassword()));
    }

    @GetMapping
    @RequiresRole(Role.CSMS)
    public List<StationView> list(@RequestParam(name = "after", required = false) String after,
                                  @RequestParam(name = "limit", defaultValue = "100") int limit) {
        return stations.list(after, Math.max(1, Math.min(limit, 1000))).stream().map(StationView::of).toList();
    }

    @GetMapping("/{identity}")
    @RequiresRole(Role.CSMS)
    public StationView show(@PathVariable("identity") String identity) {
        return StationView.of(stations.require(identity));
    }

    @PatchMapping("/{identity}")
    @RequiresRole(Role.OPERATOR)
    public StationView update(@PathVariable("identity") String identity, @RequestBody ChangesBody body, HttpServletRequest request) {
        return StationView.of(stations.update(identity, new StationService.Changes(body.serialNumber(), body.securityProfile(),
                body.organization(), body.certificateTypes(), body.seccIds(), body.enabled(), body.ocppVersions(),
                body.allowExpiredClientCertificate()), Caller.of(request).actor()));
    }

    @DeleteMapping("/{identity}")
    @RequiresRole(Role.OPERATOR)
    public ResponseEntity<Void> remove(@PathVariable("identity") String identity, HttpServletRequest request) {
        stations.remove(identity, Caller.of(request).actor());
        return ResponseEntity.noContent().build();
    }

    /**
     * A new password (A01). With {@code send=true} it goes to the station through the terminator
     * holding it and is confirmed from the station's answer; the answer then says what became of it
     * and carries no password (only the station needs it).
     */
    @PostMapping("/{identity}/password/rotate")
    @RequiresRole(Role.OPERATOR)
    public Object rotate(@PathVariable("identity") String identity,
                         @RequestParam(name = "send", defaultValue = "false") boolean send,
                         @RequestParam(name = "timeoutSeconds", required = false) Integer timeoutSeconds,
                         HttpServletRequest request) {
        if (send) {
            return calls.rotatePasswordAndSend(identity, timeoutSeconds, Caller.of(request).actor());
        }
        StationService.Rotation r = stations.rotatePassword(identity, Caller.of(request).actor());
        SetVariablesRequest set = SetVariablesRequest.basicAuthPassword(r.password());
        return new RotationView(r.identity(), r.password(), OcppCodec.of(OcppVersion.OCPP_2_0_1).encode(set));
    }

    /**
     * The station's connection as the terminator holding it reported it:
     * {@code {"connected":true,"terminatorId",...}} or {@code {"connected":false}}.
     */
    @GetMapping("/{identity}/session")
    @RequiresRole(Role.CSMS)
    public Map<String, Object> session(@PathVariable("identity") String identity) {
        Map<String, Object> out = new LinkedHashMap<>();
        Optional<TerminatorStore.Session> session = terminators.session(identity);
        out.put("connected", session.isPresent());
        session.ifPresent(s -> {
            out.put("terminatorId", s.terminatorId());
            out.put("securityProfile", s.securityProfile());
            out.put("subprotocol", s.subprotocol());
            out.put("clientCertificateSha256", s.clientCertificateSha256());
            out.put("remoteAddress", s.remoteAddress());
            out.put("connectedAt", s.connectedAt());
        });
        return out;
    }

    /**
     * Sends a CALL (CertificateSigned, TriggerMessage, InstallCertificate,
     * GetInstalledCertificateIds, DeleteCertificate, SetVariables) to the station through the
     * terminator holding it and answers with the terminator's JSON as it came:
     * {@code {"messageId","result":"CALLRESULT","payload"}} or
     * {@code {"messageId","result":"CALLERROR","errorCode","errorDescription","errorDetails"}}.
     */
    @PostMapping("/{identity}/calls")
    @RequiresRole(Role.OPERATOR)
    public ResponseEntity<byte[]> call(@PathVariable("identity") String identity, @RequestBody CallBody body,
                                       HttpServletRequest request) {
        ControlClient.Answered answer = calls.call(identity, body.action(), body.payload(), body.timeoutSeconds(),
                Caller.of(request).actor());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer.body());
    }

    @PostMapping("/{identity}/password/confirm")
    @RequiresRole(Role.CSMS)
    public StationView confirm(@PathVariable("identity") String identity, @RequestBody ConfirmBody body, HttpServletRequest request) {
        if (body.status() == null) {
            throw Refusal.badRequest("MISSING_STATUS", "status is required: the station's SetVariables attributeStatus");
        }
        return StationView.of(stations.confirmPassword(identity, "Accepted".equals(body.status()), Caller.of(request).actor()));
    }

    @PostMapping("/{identity}/credentials/verify")
    @RequiresRole(Role.CSMS)
    public CredentialsVerdict verify(@PathVariable("identity") String identity, @RequestBody CredentialsBody body,
                                     HttpServletRequest request) {
        if (body.password() == null) {
            throw Refusal.badRequest("MISSING_PASSWORD", "password is required");
        }
        char[] password = body.password().toCharArray();
        try {
            return new CredentialsVerdict(stations.verifyCredentials(identity, password, Caller.of(request).actor()));
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
