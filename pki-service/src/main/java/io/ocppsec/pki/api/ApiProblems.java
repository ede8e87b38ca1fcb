package io.ocppsec.pki.api;

import io.ocppsec.pki.store.Refusal;
import io.ocppsec.pki.store.StoreException;
import java.net.URI;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every API error as an RFC 9457 problem: {@code code} is a stable machine-readable reason (for
 * refusals the policy reason, e.g. {@code CSR_SIGNATURE_INVALID}), {@code type} is
 * {@code urn:ocppsec:problem:<code in kebab case>}; {@code detail} is for people and never echoes
 * secrets. Spring's own problem handling covers the rest (405, 415).
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiProblems {
    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    static ProblemDetail problem(HttpStatus status, String code, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create("urn:ocppsec:problem:" + code.toLowerCase(Locale.ROOT).replace('_', '-')));
        p.setProperty("code", code);
        return p;
    }

    @ExceptionHandler(Refusal.class)
    public ProblemDetail refused(Refusal r) {
        return problem(HttpStatus.valueOf(r.httpStatus()), r.reason(), r.getMessage());
    }

    /** A firmware update the station would reject: the outcome in OCPP's terms beside the problem. */
    @ExceptionHandler(FirmwareController.FirmwareRefusal.class)
    public ProblemDetail firmwareRefused(FirmwareController.FirmwareRefusal r) {
        ProblemDetail p = problem(HttpStatus.valueOf(r.httpStatus()), r.reason(), r.getMessage());
        p.setProperty("validation", r.verdict());
        return p;
    }

    /** A multipart upload over spring.servlet.multipart.max-file-size (= ocppsec.firmware.max-image-size). */
    @ExceptionHandler(org.springframework.web.multipart.MaxUploadSizeExceededException.class)
    public ProblemDetail uploadTooLarge(org.springframework.web.multipart.MaxUploadSizeExceededException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "IMAGE_TOO_LARGE", "the upload is larger than ocppsec.firmware.max-image-size");
    }

    @ExceptionHandler(BadRequestException.class)
    public ProblemDetail badRequest(BadRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, e.code(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ProblemDetail unreadable(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof RequestTooLargeException tooLarge) {
            return tooLarge(tooLarge);
        }
        return problem(HttpStatus.BAD_REQUEST, "malformed-body", "the request body is not valid JSON of the expected shape");
    }

    @ExceptionHandler(RequestTooLargeException.class)
    public ProblemDetail tooLarge(RequestTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", e.getMessage());
    }

    @ExceptionHandler(io.ocppsec.pki.custody.CustodyException.class)
    public ProblemDetail custody(io.ocppsec.pki.custody.CustodyException e) {
        log.warn("key custody failure: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "custody-unavailable", "the key custody backend failed; nothing was issued");
    }

    @ExceptionHandler(StoreException.class)
    public ProblemDetail store(StoreException e) {
        log.warn("database failure: {}", e.getMessage(), e.getCause());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "the database failed; nothing was written, try again");
    }
}
