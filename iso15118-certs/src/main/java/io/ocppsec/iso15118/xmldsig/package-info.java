/**
 * XML signatures over EXI (ISO 15118-2 §7.9.2.4, ISO 15118-20): {@link io.ocppsec.iso15118.xmldsig.ExiSignatures}
 * signs and verifies, {@link io.ocppsec.iso15118.xmldsig.ExiSigner} abstracts the key (in-JVM keys or a custody
 * backend returning DER ECDSA), the records model {@code ds:Signature} without KeyInfo/Object ([V2G2-771]).
 */
package io.ocppsec.iso15118.xmldsig;
