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
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpStatus;
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

    public StationsController(StationService stations) {
        this.stations = stations;
    }

    /** A station as the API shows it: never a password hash. */
    public record StationView(String identity, String serialNumber, int securityProfile, int profileFloor,
                              String organization, List<String> certificateTypes, List<String> seccIds,
                              boolean enabled, boolean passwordRotationPending, Instant createdAt, Instant updatedAt) {
        static StationView of(StationRecord s) {
            return new StationView(s.identity(), s.serialNumber(), s.securityProfile(), s.profileFloor(), s.organization(),
                    List.copyOf(s.certificateTypes()), s.seccIds(), s.enabled(), s.pendingPasswordHash() != null,
                    s.createdAt(), s.updatedAt());
        }
    }

    /** Registering a station; without {@code password} one is generated and returned once. */
    public record NewStationBody(String identity, String serialNumber, Integer securityProfile, String organization,
                                 List<String> certificateTypes, List<String> seccIds, String password) {
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
                              List<String> certificateTypes, List<String> seccIds, Boolean enabled) {
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
                body.securityProfile(), body.organization(), body.certificateTypes(), body.seccIds(), body.password()),
                Caller.of(request).actor());
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
                body.organization(), body.certificateTypes(), body.seccIds(), body.enabled()), Caller.of(request).actor()));
    }

    @DeleteMapping("/{identity}")
    @RequiresRole(Role.OPERATOR)
    public ResponseEntity<Void> remove(@PathVariable("identity") String identity, HttpServletRequest request) {
        stations.remove(identity, Caller.of(request).actor());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{identity}/password/rotate")
    @RequiresRole(Role.OPERATOR)
    public RotationView rotate(@PathVariable("identity") String identity, HttpServletRequest request) {
        StationService.Rotation r = stations.rotatePassword(identity, Caller.of(request).actor());
        SetVariablesRequest set = SetVariablesRequest.basicAuthPassword(r.password());
        return new RotationView(r.identity(), r.password(), OcppCodec.of(OcppVersion.OCPP_2_0_1).encode(set));
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
