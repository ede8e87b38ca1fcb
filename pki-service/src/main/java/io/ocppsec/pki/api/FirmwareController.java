package io.ocppsec.pki.api;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.InvalidMessageException;
import io.ocppsec.ocpp.message.UpdateFirmwareBuilder;
import io.ocppsec.pki.auth.Caller;
import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.firmware.FirmwarePki;
import io.ocppsec.pki.firmware.FirmwareService;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.security.firmware.FirmwareVerification;
import io.ocppsec.security.firmware.ImageDigest;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * Signed firmware (L01): {@code /api/v1/firmware}. Manufacturer roots and firmware signing
 * certificates (reading: CSMS token; changing: admin token), signing an image's SHA-256 with a key in
 * custody (operator token), checking a signed image before UpdateFirmware and building that request
 * (CSMS token). Images are streamed and hashed, never held: give their SHA-256, upload them
 * ({@code application/octet-stream} to sign, {@code multipart/form-data} to verify), or name a URL
 * on {@code ocppsec.firmware.allowed-hosts} to verify.
 */
@RestController
@RequestMapping("/api/v1/firmware")
public class FirmwareController {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final FirmwarePki pki;
    private final FirmwareService service;

    public FirmwareController(FirmwarePki pki, FirmwareService service) {
        this.pki = pki;
        this.service = service;
    }

    public record RootBody(String certificate) {
    }

    public record GenerateRootBody(String commonName, String organization, String keyAlgorithm, Integer validityDays) {
    }

    public record SignerBody(String keyAlgorithm, String commonName, String organization, String rootId) {
    }

    public record ImportSignerBody(String keyLabel, String certificate) {
    }

    /** Sign an image given by its SHA-256 (hex or base64); {@code size} is only recorded. */
    public record SignBody(String sha256, Long size, String algorithm, String signer) {
    }

    /** Check a signature: the image by its SHA-256, or a URL to fetch it from. */
    public record VerifyBody(String sha256, String location, String signature, String signingCertificate) {
    }

    /** The outcome of a check, in OCPP's terms. */
    public record Verdict(boolean valid, String outcome, String reason, String message, String revocation, String sha256,
                          Long size, List<String> path) {
        static Verdict of(FirmwareVerification v, ImageDigest d) {
            return new Verdict(v.valid(), v.outcome().name(), v.reason(), v.message(), v.revocation(), d.hex(),
                    d.size() < 0 ? null : d.size(),
                    v.path().stream().map(X509Certificate::getSubjectX500Principal).map(Object::toString).toList());
        }
    }

    /**
     * An UpdateFirmware request to build: every field of OCPP 2.0.1 / 2.1 ({@code retries} ≥ 0 in 2.1).
     * {@code validate} (default true) checks signature and signing certificate first, over the image
     * at {@code location} (fetched when its host is allowed) or the given {@code sha256}.
     */
    public record UpdateFirmwareBody(String ocppVersion, Integer requestId, Integer retries, Integer retryInterval, String location,
                                     String retrieveDateTime, String installDateTime, String signingCertificate, String signature,
                                     String sha256, Boolean validate) {
    }

    public record UpdateFirmwareAnswer(String ocppVersion, ObjectNode request, Verdict validation) {
    }

    // ---- roots

    @GetMapping(value = "/roots", produces = "application/json")
    @RequiresRole(Role.CSMS)
    public List<FirmwarePki.Root> roots() {
        return pki.roots();
    }

    /** The manufacturer roots as one PEM file: what stations get as ManufacturerRootCertificate. */
    @GetMapping(value = "/roots", produces = "application/pem-certificate-chain")
    @RequiresRole(Role.CSMS)
    public ResponseEntity<String> rootsPem() {
        List<FirmwarePki.Root> roots = pki.roots();
        if (roots.isEmpty()) {
            throw Refusal.notFound("NO_MANUFACTURER_ROOT", "no manufacturer root is trusted");
        }
        return ResponseEntity.ok().contentType(CaController.PEM_CHAIN)
                .body(String.join("", roots.stream().map(FirmwarePki.Root::certificate).toList()));
    }

    @PostMapping("/roots")
    @RequiresRole(Role.ADMIN)
    public ResponseEntity<FirmwarePki.Root> addRoot(@RequestBody RootBody body, HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(pki.addRoot(body == null ? null : body.certificate(),
                Caller.of(request).actor()));
    }

    @PostMapping("/roots/generate")
    @RequiresRole(Role.ADMIN)
    public ResponseEntity<FirmwarePki.Root> generateRoot(@RequestBody(required = false) GenerateRootBody body,
                                                         HttpServletRequest request) {
        GenerateRootBody b = body == null ? new GenerateRootBody(null, null, null, null) : body;
        Duration validity = null;
        if (b.validityDays() != null) {
            if (b.validityDays() < 1 || b.validityDays() > 30 * 365) {
                throw Refusal.badRequest("BAD_VALIDITY", "validityDays must be between 1 and 10950");
            }
            validity = Duration.ofDays(b.validityDays());
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(pki.createRoot(b.commonName(), b.organization(),
                keyAlgorithm(b.keyAlgorithm()), validity, Caller.of(request).actor()));
    }

    @DeleteMapping("/roots/{fingerprint}")
    @RequiresRole(Role.ADMIN)
    public ResponseEntity<Void> removeRoot(@PathVariable("fingerprint") String fingerprint, HttpServletRequest request) {
        pki.removeRoot(fingerprint, Caller.of(request).actor());
        return ResponseEntity.noContent().build();
    }

    // ---- signers

    @GetMapping("/signers")
    @RequiresRole(Role.CSMS)
    public List<FirmwarePki.Signer> signers() {
        return pki.signers();
    }

    @PostMapping("/signers")
    @RequiresRole(Role.ADMIN)
    public ResponseEntity<FirmwarePki.Signer> createSigner(@RequestBody(required = false) SignerBody body, HttpServletRequest request) {
        SignerBody b = body == null ? new SignerBody(null, null, null, null) : body;
        return ResponseEntity.status(HttpStatus.CREATED).body(pki.createSigner(keyAlgorithm(b.keyAlgorithm()), b.commonName(),
                b.organization(), b.rootId(), Caller.of(request).actor()));
    }

    @PostMapping("/signers/import")
    @RequiresRole(Role.ADMIN)
    public ResponseEntity<FirmwarePki.Signer> importSigner(@RequestBody ImportSignerBody body, HttpServletRequest request) {
        if (body == null) {
            throw Refusal.badRequest("MISSING_FIELD", "keyLabel and certificate are required");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(pki.importSigner(body.keyLabel(), body.certificate(),
                Caller.of(request).actor()));
    }

    @DeleteMapping("/signers/{id}")
    @RequiresRole(Role.ADMIN)
    public ResponseEntity<Void> retireSigner(@PathVariable("id") String id, HttpServletRequest request) {
        pki.retireSigner(id, Caller.of(request).actor());
        return ResponseEntity.noContent().build();
    }

    // ---- sign

    @PostMapping(value = "/sign", consumes = "application/json")
    @RequiresRole(Role.OPERATOR)
    public FirmwareService.Signed sign(@RequestBody SignBody body, HttpServletRequest request) {
        if (body == null) {
            throw Refusal.badRequest("MISSING_FIELD", "sha256 is required");
        }
        ImageDigest digest = digest(body.sha256());
        if (body.size() != null && body.size() >= 0) {
            digest = new ImageDigest(digest.sha256(), body.size());
        }
        return service.sign(digest, body.algorithm(), body.signer(), Caller.of(request).actor());
    }

    /** Signs an image streamed as the request body. */
    @PostMapping(value = "/sign", consumes = "application/octet-stream")
    @RequiresRole(Role.OPERATOR)
    public FirmwareService.Signed signUpload(@RequestParam(name = "algorithm", required = false) String algorithm,
                                             @RequestParam(name = "signer", required = false) String signer,
                                             HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > service.maxImageSize()) {
            throw new Refusal("IMAGE_TOO_LARGE", 413, "the image is larger than ocppsec.firmware.max-image-size ("
                    + service.maxImageSize() + " bytes)");
        }
        ImageDigest digest;
        try (InputStream in = request.getInputStream()) {
            digest = service.digest(in);
        }
        return service.sign(digest, algorithm, signer, Caller.of(request).actor());
    }

    // ---- verify

    @PostMapping(value = "/verify", consumes = "application/json")
    @RequiresRole(Role.CSMS)
    public Verdict verify(@RequestBody VerifyBody body) {
        if (body == null) {
            throw Refusal.badRequest("MISSING_FIELD", "signature, signingCertificate and sha256 or location are required");
        }
        boolean hasSha = body.sha256() != null && !body.sha256().isBlank();
        boolean hasLocation = body.location() != null && !body.location().isBlank();
        if (hasSha == hasLocation) {
            throw Refusal.badRequest("IMAGE_REQUIRED", "give the image as exactly one of sha256 or location");
        }
        ImageDigest digest = hasSha ? digest(body.sha256()) : service.fetch(body.location());
        return Verdict.of(service.verify(digest, body.signature(), body.signingCertificate()), digest);
    }

    /**
     * Checks an uploaded image: parts {@code image} (the file), {@code signature}, {@code signingCertificate}.
     * The parts arrive in temporary files (never in memory); the two text parts are read only when they
     * are small enough to be what UpdateFirmware carries.
     */
    @PostMapping(value = "/verify", consumes = "multipart/form-data")
    @RequiresRole(Role.CSMS)
    public Verdict verifyUpload(HttpServletRequest request) throws IOException, jakarta.servlet.ServletException {
        jakarta.servlet.http.Part image = request.getPart("image");
        if (image == null) {
            throw Refusal.badRequest("IMAGE_REQUIRED", "the multipart body needs an image part");
        }
        String signature = textPart(request, "signature", 4 * 1024);
        String signingCertificate = textPart(request, "signingCertificate", 64 * 1024);
        ImageDigest digest;
        try (InputStream in = image.getInputStream()) {
            digest = service.digest(in);
        }
        return Verdict.of(service.verify(digest, signature, signingCertificate), digest);
    }

    private static String textPart(HttpServletRequest request, String name, int max) throws IOException,
            jakarta.servlet.ServletException {
        jakarta.servlet.http.Part p = request.getPart(name);
        if (p == null) {
            return null;
        }
        if (p.getSize() > max) {
            throw Refusal.badRequest("PART_TOO_LARGE", "the " + name + " part is over " + max + " bytes");
        }
        try (InputStream in = p.getInputStream()) {
            return new String(in.readNBytes(max), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    // ---- UpdateFirmware

    @PostMapping("/update-firmware")
    @RequiresRole(Role.CSMS)
    public UpdateFirmwareAnswer updateFirmware(@RequestBody UpdateFirmwareBody body) {
        if (body == null) {
            throw Refusal.badRequest("MISSING_FIELD", "location, signingCertificate and signature are required");
        }
        OcppVersion version = body.ocppVersion() == null || body.ocppVersion().isBlank() ? OcppVersion.OCPP_2_0_1
                : ApiInputs.typedOcppVersion(body.ocppVersion());
        if (body.location() == null || body.location().isBlank()) {
            throw Refusal.badRequest("MISSING_FIELD", "location is required: where the station downloads the image");
        }
        // L01.FR.11: the CSMS SHALL include the firmware signing certificate (and the signature).
        if (body.signingCertificate() == null || body.signingCertificate().isBlank() || body.signature() == null
                || body.signature().isBlank()) {
            throw Refusal.badRequest("SIGNED_FIRMWARE_REQUIRED", "a secure firmware update carries signingCertificate and signature"
                    + " (L01.FR.11); sign the image first (POST /api/v1/firmware/sign)");
        }
        int requestId = body.requestId() != null ? body.requestId() : RANDOM.nextInt(Integer.MAX_VALUE);
        UpdateFirmwareBuilder builder = UpdateFirmwareBuilder.forVersion(version).requestId(requestId).retries(body.retries())
                .retryInterval(body.retryInterval()).location(body.location()).signingCertificate(body.signingCertificate())
                .signature(body.signature());
        if (body.retrieveDateTime() != null && !body.retrieveDateTime().isBlank()) {
            builder.retrieveDateTime(dateTime("retrieveDateTime", body.retrieveDateTime()));
        }
        if (body.installDateTime() != null && !body.installDateTime().isBlank()) {
            builder.installDateTime(dateTime("installDateTime", body.installDateTime()));
        }
        ObjectNode json;
        try {
            json = builder.buildJson();
        } catch (InvalidMessageException e) {
            throw Refusal.badRequest("INVALID_UPDATE_FIRMWARE", "the request breaks the " + version.subprotocol() + " schema: "
                    + e.getMessage());
        } catch (IllegalStateException e) {
            throw Refusal.badRequest("INVALID_UPDATE_FIRMWARE", e.getMessage());
        }
        Verdict validation = null;
        if (body.validate() == null || body.validate()) {
            ImageDigest digest;
            if (body.sha256() != null && !body.sha256().isBlank()) {
                digest = digest(body.sha256());
            } else {
                try {
                    digest = service.fetch(body.location());
                } catch (Refusal r) {
                    if (!"URL_NOT_ALLOWED".equals(r.reason())) {
                        throw r;
                    }
                    throw Refusal.policy("CANNOT_VALIDATE", "the image at location cannot be fetched here (" + r.getMessage()
                            + "): give the image's sha256, or set validate to false");
                }
            }
            validation = Verdict.of(service.verify(digest, body.signature(), body.signingCertificate()), digest);
            if (!validation.valid()) {
                throw new FirmwareRefusal(validation);
            }
        }
        return new UpdateFirmwareAnswer(version.subprotocol().replace("ocpp", ""), json, validation);
    }

    /** UpdateFirmware would be rejected by the station: 422 with the outcome. */
    public static final class FirmwareRefusal extends Refusal {
        private final transient Verdict verdict;

        FirmwareRefusal(Verdict v) {
            super("FIRMWARE_" + v.outcome().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT), 422,
                    "the station would reject this update: " + v.outcome() + " (" + v.reason() + "): " + v.message());
            this.verdict = v;
        }

        public Verdict verdict() {
            return verdict;
        }
    }

    private static ImageDigest digest(String sha256) {
        if (sha256 == null || sha256.isBlank()) {
            throw Refusal.badRequest("MISSING_FIELD", "sha256 is required");
        }
        try {
            return ImageDigest.parse(sha256.trim());
        } catch (IllegalArgumentException e) {
            throw Refusal.badRequest("BAD_SHA256", "sha256 must be 64 hex characters or the base64 of 32 bytes");
        }
    }

    private static OffsetDateTime dateTime(String field, String value) {
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw Refusal.badRequest("BAD_DATE", field + " must be an RFC 3339 date-time, e.g. 2026-12-01T02:00:00Z");
        }
    }

    private static KeyAlgorithm keyAlgorithm(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        switch (name.toLowerCase(Locale.ROOT).replace("_", "-")) {
            case "ec-p256", "p-256", "p256", "ecdsa", "ecdsa-p256":
                return KeyAlgorithm.EC_P256;
            case "ec-p384", "p-384", "p384", "ecdsa-p384":
                return KeyAlgorithm.EC_P384;
            case "rsa-2048", "rsa2048":
                return KeyAlgorithm.RSA_2048;
            case "rsa-3072", "rsa3072", "rsa", "rsa-pss":
                return KeyAlgorithm.RSA_3072;
            case "rsa-4096", "rsa4096":
                return KeyAlgorithm.RSA_4096;
            default:
                throw Refusal.badRequest("UNSUPPORTED_ALGORITHM", "keyAlgorithm must be one of ec-p256, ec-p384, rsa-2048, rsa-3072,"
                        + " rsa-4096");
        }
    }
}
