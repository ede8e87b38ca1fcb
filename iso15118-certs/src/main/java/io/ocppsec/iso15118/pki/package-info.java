/**
 * ISO 15118-2/-20 certificate profiles: the roles of the V2G, CPO, CPS, MO and OEM PKIs
 * ({@link io.ocppsec.iso15118.pki.Iso15118Role}), issuance per profile
 * ({@link io.ocppsec.iso15118.pki.Iso15118Certificates}), per-certificate profile checks
 * ({@link io.ocppsec.iso15118.pki.Iso15118Profile}) and chain validation with named leniency
 * ({@link io.ocppsec.iso15118.pki.Iso15118ChainValidator}, {@link io.ocppsec.iso15118.pki.Leniency}),
 * eMAID and PCID syntax.
 */
package io.ocppsec.iso15118.pki;
