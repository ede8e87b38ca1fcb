/**
 * Schema-informed EXI codec for the ISO 15118 certificate messages, without a general EXI library at runtime.
 *
 * <p>{@link io.ocppsec.iso15118.exi.Iso15118_2Codec} reads and writes ISO 15118-2 {@code V2G_Message}s
 * carrying CertificateInstallationReq/Res or CertificateUpdateReq/Res (the OCPP Get15118EVCertificate
 * exiRequest/exiResponse payload), the EXI fragments their signatures reference, and {@code ds:SignedInfo};
 * {@link io.ocppsec.iso15118.exi.Iso15118_20Codec} does the same for ISO 15118-20 CertificateInstallationReq/Res.
 * The EXI options are those of ISO 15118: schema-informed, bit-packed, default (non-strict) fidelity,
 * valuePartitionCapacity 0, no built-in grammar learning, no cookie, no options in the header.
 *
 * <p>The grammars are derived once from our own Java declarations of the schema subset (EXI 1.0 §8.5.4:
 * proto-grammars, normalization, event-code assignment, non-strict second-level productions) and shared,
 * immutable. Decoding is bounded (stream size, lengths and counts per the schema facets or our bounds) and
 * refuses everything else with a typed {@link io.ocppsec.iso15118.exi.ExiException}: other body elements,
 * schema deviations, wildcard content, KeyInfo/Object in signatures.
 */
package io.ocppsec.iso15118.exi;
