package io.ocppsec.iso15118.pki;

/**
 * Which known deviations from the ISO 15118 certificate profiles {@link Iso15118Profile} and
 * {@link Iso15118ChainValidator} accept. Each option widens one rule and nothing else; the rules
 * that carry the security (signatures, algorithms and curves, CA flags, keyCertSign on issuers,
 * path length, validity, unknown critical extensions) have no option.
 * {@link #strict()} (all false) is the default. {@link #knownDeviations()} accepts what real
 * PKIs in use do, as seen in Hubject's open test PKI
 * ({@code shared/iso15118/vectors/hubject-openpnc-test-pki/}) and in ISO 15118-20 Annex B.
 *
 * @param subCa2PathLenOne          accept pathLen 1 instead of 0 on the Sub-CA that issues the leaf
 *                                  (Hubject "MO Sub CA 2")
 * @param missingDomainComponent    accept a subject without the DC attribute (Hubject MO Sub CA 2 and
 *                                  OEM provisioning certificate); a DC with the wrong value still fails
 * @param oemProvisioningKeyEncipherment accept KeyUsage digitalSignature + keyEncipherment without
 *                                  keyAgreement on an OEM provisioning certificate (Hubject
 *                                  hubjectopenpnc0001); ISO wants keyAgreement for the ECDH [V2G2-822]
 * @param leafWithoutBasicConstraints accept a leaf without BasicConstraints (RFC 5280 reads that as
 *                                  CA:false; the ISO profile wants it critical; Hubject OEM prov cert)
 * @param rootExtendedKeyUsage      accept an ExtendedKeyUsage extension on a root (Hubject V2G root:
 *                                  OCSPSigning); the ISO profiles have no EKU
 * @param unlistedNonCriticalExtensions accept non-critical extensions outside the profile's list
 *                                  (BasicConstraints, KeyUsage, SKI, AKI, CRLDP, AIA; -20 also
 *                                  certificatePolicies and SIA, and subjectAltPublicKeyInfo on OEM
 *                                  provisioning certificates), e.g. Hubject's certificatePolicies
 *                                  on -2 certificates and the SubjectAltName of its OEM prov cert.
 *                                  ExtendedKeyUsage is never covered by this option
 * @param criticalKeyIdAndRevocationExtensions accept AuthorityKeyIdentifier, SubjectKeyIdentifier,
 *                                  CRLDistributionPoints and AuthorityInformationAccess marked
 *                                  critical, as ISO 15118-20 Annex B writes them (RFC 5280 wants them
 *                                  non-critical, and RFC 5280 validators such as OpenSSL refuse them)
 */
public record Leniency(
        boolean subCa2PathLenOne,
        boolean missingDomainComponent,
        boolean oemProvisioningKeyEncipherment,
        boolean leafWithoutBasicConstraints,
        boolean rootExtendedKeyUsage,
        boolean unlistedNonCriticalExtensions,
        boolean criticalKeyIdAndRevocationExtensions) {

    /** Every profile rule applies. */
    public static Leniency strict() {
        return new Leniency(false, false, false, false, false, false, false);
    }

    /** Every option on: the deviations of Hubject's test PKI and of -20 Annex B are accepted. */
    public static Leniency knownDeviations() {
        return new Leniency(true, true, true, true, true, true, true);
    }

    public Leniency withSubCa2PathLenOne(boolean v) {
        return new Leniency(v, missingDomainComponent, oemProvisioningKeyEncipherment, leafWithoutBasicConstraints,
                rootExtendedKeyUsage, unlistedNonCriticalExtensions, criticalKeyIdAndRevocationExtensions);
    }

    public Leniency withMissingDomainComponent(boolean v) {
        return new Leniency(subCa2PathLenOne, v, oemProvisioningKeyEncipherment, leafWithoutBasicConstraints,
                rootExtendedKeyUsage, unlistedNonCriticalExtensions, criticalKeyIdAndRevocationExtensions);
    }

    public Leniency withOemProvisioningKeyEncipherment(boolean v) {
        return new Leniency(subCa2PathLenOne, missingDomainComponent, v, leafWithoutBasicConstraints,
                rootExtendedKeyUsage, unlistedNonCriticalExtensions, criticalKeyIdAndRevocationExtensions);
    }

    public Leniency withLeafWithoutBasicConstraints(boolean v) {
        return new Leniency(subCa2PathLenOne, missingDomainComponent, oemProvisioningKeyEncipherment, v,
                rootExtendedKeyUsage, unlistedNonCriticalExtensions, criticalKeyIdAndRevocationExtensions);
    }

    public Leniency withRootExtendedKeyUsage(boolean v) {
        return new Leniency(subCa2PathLenOne, missingDomainComponent, oemProvisioningKeyEncipherment,
                leafWithoutBasicConstraints, v, unlistedNonCriticalExtensions, criticalKeyIdAndRevocationExtensions);
    }

    public Leniency withUnlistedNonCriticalExtensions(boolean v) {
        return new Leniency(subCa2PathLenOne, missingDomainComponent, oemProvisioningKeyEncipherment,
                leafWithoutBasicConstraints, rootExtendedKeyUsage, v, criticalKeyIdAndRevocationExtensions);
    }

    public Leniency withCriticalKeyIdAndRevocationExtensions(boolean v) {
        return new Leniency(subCa2PathLenOne, missingDomainComponent, oemProvisioningKeyEncipherment,
                leafWithoutBasicConstraints, rootExtendedKeyUsage, unlistedNonCriticalExtensions, v);
    }
}
