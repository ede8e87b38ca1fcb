package io.ocppsec.pki.api;

import io.ocppsec.ocpp.message.type.CertificateHashData;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.pki.auth.Caller;
import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.pki.ca.IssuanceService;
import io.ocppsec.pki.store.CertificateStore;
import io.ocppsec.pki.store.IssuedCertificateRecord;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.security.auth.IdentityCheck;
import io.ocppsec.security.auth.StationIdentity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/** Signing CSRs and the certificate inventory: {@code /api/v1/certificates}. */
@RestController
@RequestMapping("/api/v1/certificates")
public class CertificatesController {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final IssuanceService issuance;
    private final CertificateStore store;

    public CertificatesController(IssuanceService issuance, CertificateStore store) {
        this.issuance = issuance;
        this.store = store;
    }

    /** CertificateHashData as OCPP carries it (the root a 2.1 station asks to be signed under). */
    public record HashDataBody(String hashAlgorithm, String issuerNameHash, String issuerKeyHash, String serialNumber) {
    }

    /**
     * A SignCertificate to answer: the station, its PEM CSR, the OCPP certificateType (none means
     * ChargingStationCertificate) and, from OCPP 2.1, requestId and hashRootCertificate.
     */
    public record SignBody(String station, String csr, String certificateType, Long requestId, HashDataBody hashRootCertificate) {
    }

    /**
     * A signed certificate: {@code certificateChain} is what CertificateSigned carries (PEM, leaf
     * first, without the root); {@code replay} is true when this CSR had been signed before and
     * the same certificate is returned.
     */
    public record SignedView(String serialNumber, String station, String certificateType, Long requestId,
                             Instant notBefore, Instant notAfter, String certificateChain, boolean replay) {
    }

    /** A certificate of the inventory. */
    public record CertificateView(String serialNumber, String station, String certificateType, String subject,
                                  String issuer, Instant notBefore, Instant notAfter, String status, Instant revokedAt,
                                  String revocationReason, String csrSha256, Long requestId, String requester,
                                  Instant issuedAt, String certificate) {
        static CertificateView of(IssuedCertificateRecord r, boolean withPem) {
            return new CertificateView(r.serial(), r.station(), r.certificateType(), r.subject(), r.issuerId(),
                    r.notBefore(), r.notAfter(), r.status(), r.revokedAt(), r.revocationReason(), r.csrSha256(),
                    r.requestId(), r.requester(), r.issuedAt(), withPem ? r.certificatePem() : null);
        }
    }

    @PostMapping("/sign")
    @RequiresRole(Role.CSMS)
    public ResponseEntity<SignedView> sign(@RequestBody SignBody body, HttpServletRequest request) {
        if (body.station() == null || body.csr() == null) {
            throw Refusal.badRequest("MISSING_FIELD", "station and csr are required");
        }
        IssuanceService.Issued issued = issuance.sign(new IssuanceService.SignRequest(body.station(), body.csr(),
                body.certificateType(), body.requestId(), hashData(body.hashRootCertificate()), Caller.of(request).actor()));
        IssuedCertificateRecord c = issued.certificate();
        SignedView view = new SignedView(c.serial(), c.station(), c.certificateType(), c.requestId(), c.notBefore(),
                c.notAfter(), issued.chainPem(), issued.replay());
        return ResponseEntity.status(issued.replay() ? HttpStatus.OK : HttpStatus.CREATED).body(view);
    }

    @GetMapping
    @RequiresRole(Role.CSMS)
    public List<CertificateView> search(@RequestParam(name = "station", required = false) String station,
                                        @RequestParam(name = "serial", required = false) String serial,
                                        @RequestParam(name = "expiringWithinDays", required = false) Integer expiringWithinDays,
                                        @RequestParam(name = "status", required = false) String status,
                                        @RequestParam(name = "certificateType", required = false) String certificateType,
                                        @RequestParam(name = "offset", defaultValue = "0") int offset,
                                        @RequestParam(name = "limit", defaultValue = "100") int limit) {
        return store.search(query(station, serial, expiringWithinDays, status, certificateType),
                Math.max(0, offset), Math.max(1, Math.min(limit, 1000))).stream().map(r -> CertificateView.of(r, false)).toList();
    }

    @GetMapping("/{serial}")
    @RequiresRole(Role.CSMS)
    public CertificateView show(@PathVariable("serial") String serial) {
        return store.bySerial(normalizeSerial(serial)).map(r -> CertificateView.of(r, true))
                .orElseThrow(() -> Refusal.notFound("CERTIFICATE_UNKNOWN", "no certificate with this serial number"));
    }

    /** The whole (or a filtered) inventory as CSV or JSON, streamed. */
    @GetMapping("/export")
    @RequiresRole(Role.OPERATOR)
    public void export(@RequestParam(name = "format", defaultValue = "json") String format,
                       @RequestParam(name = "station", required = false) String station,
                       @RequestParam(name = "expiringWithinDays", required = false) Integer expiringWithinDays,
                       @RequestParam(name = "status", required = false) String status,
                       HttpServletResponse response) throws IOException {
        CertificateStore.Query q = query(station, null, expiringWithinDays, status, null);
        if ("csv".equals(format)) {
            response.setContentType("text/csv;charset=UTF-8");
            response.setHeader("Content-Disposition", "attachment; filename=\"certificates.csv\"");
            try (Writer w = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8)) {
                w.write("serial,station,certificate_type,subject,issuer,not_before,not_after,status,revoked_at,"
                        + "revocation_reason,csr_sha256,request_id,requester,issued_at\r\n");
                store.forEach(q, r -> {
                    try {
                        w.write(String.join(",", csv(r.serial()), csv(r.station()), csv(r.certificateType()), csv(r.subject()),
                                csv(r.issuerId()), csv(r.notBefore()), csv(r.notAfter()), csv(r.status()), csv(r.revokedAt()),
                                csv(r.revocationReason()), csv(r.csrSha256()), csv(r.requestId()), csv(r.requester()),
                                csv(r.issuedAt())) + "\r\n");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            return;
        }
        if (!"json".equals(format)) {
            throw Refusal.badRequest("BAD_FORMAT", "format must be csv or json");
        }
        response.setContentType("application/json");
        try (JsonGenerator g = JSON.createGenerator(response.getOutputStream())) {
            g.writeStartArray();
            store.forEach(q, r -> JSON.writeValue(g, CertificateView.of(r, true)));
            g.writeEndArray();
        }
    }

    private CertificateStore.Query query(String station, String serial, Integer expiringWithinDays, String status,
                                         String certificateType) {
        String stationKey = null;
        if (station != null) {
            if (!(StationIdentity.parse(station) instanceof IdentityCheck.Valid v)) {
                throw Refusal.badRequest("BAD_IDENTITY", "station is not a valid OCPP identity");
            }
            stationKey = v.identity().canonicalKey();
        }
        if (expiringWithinDays != null && (expiringWithinDays < 0 || expiringWithinDays > 36500)) {
            throw Refusal.badRequest("BAD_WINDOW", "expiringWithinDays must be between 0 and 36500");
        }
        if (status != null && !status.equals(IssuedCertificateRecord.VALID) && !status.equals(IssuedCertificateRecord.REVOKED)) {
            throw Refusal.badRequest("BAD_STATUS", "status must be VALID or REVOKED");
        }
        return new CertificateStore.Query(stationKey, serial == null ? null : normalizeSerial(serial),
                expiringWithinDays == null ? null : Instant.now().plus(Duration.ofDays(expiringWithinDays)), status, certificateType);
    }

    /** Serials are stored as lower-case hex without leading zeroes; accept any case and leading zeroes. */
    static String normalizeSerial(String serial) {
        String s = serial.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.isEmpty() || s.length() > 40 || !s.matches("[0-9a-f]+")) {
            throw Refusal.badRequest("BAD_SERIAL", "serial must be hexadecimal, at most 40 digits");
        }
        s = s.replaceFirst("^0+(?=.)", "");
        return s;
    }

    private static CertificateHashData hashData(HashDataBody b) {
        if (b == null) {
            return null;
        }
        HashAlgorithm alg;
        try {
            alg = HashAlgorithm.valueOf(String.valueOf(b.hashAlgorithm()));
        } catch (IllegalArgumentException e) {
            throw Refusal.badRequest("BAD_HASH_ALGORITHM", "hashAlgorithm must be SHA256, SHA384 or SHA512");
        }
        return new CertificateHashData(alg, b.issuerNameHash(), b.issuerKeyHash(), b.serialNumber());
    }

    private static String csv(Object v) {
        if (v == null) {
            return "";
        }
        String s = v.toString();
        if (s.startsWith("=") || s.startsWith("+") || s.startsWith("-") || s.startsWith("@")) {
            s = "'" + s; // no formula injection when opened in a spreadsheet
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
