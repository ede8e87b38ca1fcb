/**
 * The contract private-key envelopes of the certificate installation/update responses:
 * {@link io.ocppsec.iso15118.envelope.Iso15118_2Envelope} (ECDH P-256, ConcatKDF SHA-256,
 * AES-128-CBC) and {@link io.ocppsec.iso15118.envelope.Iso15118_20Envelope} (P-521 or X448,
 * ConcatKDF SHA-512, AES-256-GCM).
 */
package io.ocppsec.iso15118.envelope;
