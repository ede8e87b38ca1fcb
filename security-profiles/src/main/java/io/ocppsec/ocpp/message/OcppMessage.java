package io.ocppsec.ocpp.message;

/**
 * A typed OCPP security message: the payload of a CALL ({@link OcppRequest}) or of a CALLRESULT
 * ({@link OcppResponse}). One record type serves both OCPP 2.0.1 and 2.1; fields that exist only in
 * 2.1 are {@code null} for 2.0.1, and {@link OcppCodec} checks every message against the rules of
 * the version it speaks, both when it reads and when it writes.
 */
public sealed interface OcppMessage permits OcppRequest, OcppResponse {

    /** The action this message belongs to. */
    Action ocppAction();
}
