/**
 * Authorize with contract certificates (OCPP C07): {@link io.ocppsec.iso15118.authorize.ContractAuthorization}
 * turns the request's eMAID, certificate chain and OCSP hash data into idTokenInfo.status and
 * certificateStatus, through the service's {@link io.ocppsec.iso15118.authorize.RevocationLookup}
 * and {@link io.ocppsec.iso15118.authorize.TokenStatusLookup}.
 */
package io.ocppsec.iso15118.authorize;
