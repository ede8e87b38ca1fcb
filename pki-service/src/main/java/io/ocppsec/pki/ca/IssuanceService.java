package io.ocppsec.pki.ca;

import io.ocppsec.ocpp.message.type.CertificateHashData;
import io.ocppsec.pki.config.OcppsecProperties;
import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.CertificateStore;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.IssuedCertificateRecord;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.pki.store.StationRecord;
import io.ocppsec.pki.station.StationService;
import io.ocppsec.security.cert.CertificateIdentifier;
import io.ocppsec.security.cert.ClientCertificateIdentityPolicy;
import io.ocppsec.security.cert.StationFacts;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Issues station certificates (A02/A03, M-block V2G): checks the station and the requested type,
 * the CSR ({@link CsrPolicy}), the subject against the station record (the same rule the
 * terminator binds client certificates with), then has the issuing CA sign a certificate whose
 * every extension the CA decides, and stores it with its audit record before answering.
 *
 * <p>Idempotent: the same CSR again (its DER hash, per station and type) returns the same
 * certificate; concurrent duplicates wait for the first. An OCPP 2.1 requestId reused within
 * {@value #REQUEST_ID_WINDOW_HOURS} hours with a different CSR is refused rather than answered
 * with a second certificate. Every refusal has a machine-readable reason and is audited.
 */
public final class IssuanceService {
    static final int REQUEST_ID_WINDOW_HOURS = 24;

    /** A request to sign a station's CSR. */
    public record SignRequest(String station, String csrPem, String certificateType, Long requestId,
                              CertificateHashData hashRootCertificate, String actor) {
    }

    /** The answer: the stored certificate, the chain to send (leaf first, without the root). */
    public record Issued(IssuedCertificateRecord certificate, String chainPem, boolean replay) {
    }

    private final StationService stations;
    private final CertificateStore certificates;
    private final IssuerRegistry issuers;
    private final CertificateSigner signer;
    private final CertificateProfiles profiles;
    private final Ledger ledger;
    private final OcppsecProperties.Issuance policy;
    private final ClientCertificateIdentityPolicy identityPolicy;
    private final CsrPolicy csrPolicy = new CsrPolicy();
    private final SerialNumbers serials = new SerialNumbers();
    private final ConcurrentMap<String, CompletableFuture<Issued>> inFlight = new ConcurrentHashMap<>();

    public IssuanceService(StationService stations, CertificateStore certificates, IssuerRegistry issuers,
                           CertificateSigner signer, CertificateProfiles profiles, Ledger ledger,
                           OcppsecProperties.Issuance policy, ClientCertificateIdentityPolicy identityPolicy) {
        this.stations = stations;
        this.certificates = certificates;
        this.issuers = issuers;
        this.signer = signer;
        this.profiles = profiles;
        this.ledger = ledger;
        this.policy = policy;
        this.identityPolicy = identityPolicy;
    }

    public Issued sign(SignRequest r) {
        String subject = "station:" + r.station();
        try {
            StationRecord station = stations.require(r.station());
            subject = "station:" + station.identity();
            CertificateType type = CertificateType.parse(r.certificateType());
            if (!station.enabled()) {
                throw Refusal.policy("STATION_DISABLED", "the station is disabled");
            }
            if (!station.certificateTypes().contains(type.name())) {
                throw Refusal.policy("CERTIFICATE_TYPE_NOT_ALLOWED", type + " certificates are not allowed for this station");
            }
            CsrPolicy.CheckedCsr csr = csrPolicy.check(r.csrPem(), type);
            X500Name issuedSubject = subjectFor(csr, station, type);
            // No idempotency lookup here: the store's unique (station, type, CSR) constraint is
            // the check, inside the same transaction as the insert (see issue()). A replay costs
            // one discarded signature; every first request saves a database round trip.
            String key = station.identityKey() + "|" + type + "|" + csr.sha256();
            CompletableFuture<Issued> mine = new CompletableFuture<>();
            CompletableFuture<Issued> theirs = inFlight.putIfAbsent(key, mine);
            if (theirs != null) {
                Issued first = Ledger.join(theirs);
                return new Issued(first.certificate(), first.chainPem(), true);
            }
            try {
                Issued issued = issue(station, type, csr, issuedSubject, r);
                mine.complete(issued);
                return issued;
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
                throw e;
            } finally {
                inFlight.remove(key, mine);
            }
        } catch (Refusal refusal) {
            Ledger.join(ledger.audit(AuditEntry.refused(r.actor(), "certificate.issue", subject, refusal.reason(),
                    Details.of("certificateType", r.certificateType(), "requestId", r.requestId()))));
            throw refusal;
        }
    }

    /** A replayed CSR: the certificate it already has, unless that one is revoked or expired. */
    private Issued replay(StationRecord station, CertificateType type, CsrPolicy.CheckedCsr csr, Refusal conflict) {
        IssuedCertificateRecord c = certificates.byCsr(station.identityKey(), type.name(), csr.sha256())
                .orElseThrow(() -> conflict);
        if (!IssuedCertificateRecord.VALID.equals(c.status()) || !c.notAfter().isAfter(Instant.now())) {
            throw Refusal.conflict("CSR_REUSED", "this CSR was used for a certificate that is now "
                    + (IssuedCertificateRecord.VALID.equals(c.status()) ? "expired" : "revoked") + "; generate a new key");
        }
        return new Issued(c, chainFor(c), true);
    }

    private Issued issue(StationRecord station, CertificateType type, CsrPolicy.CheckedCsr csr, X500Name subject, SignRequest r) {
        Issuer issuer = issuers.stationIssuer(type)
                .orElseThrow(() -> Refusal.policy("NO_ISSUER", "no active CA issues " + type + " certificates"));
        if (r.hashRootCertificate() != null && (issuer.root() == null
                || !CertificateIdentifier.identifies(r.hashRootCertificate(), issuer.root(), issuer.root()))) {
            throw Refusal.policy("ROOT_UNKNOWN", "the requested root (hashRootCertificate) is not the root this CA issues under");
        }
        Instant now = Instant.now();
        if (issuer.notAfter().isBefore(now.plus(policy.minIssuerLife()))) {
            throw Refusal.policy("ISSUER_EXPIRING", "the issuing CA expires too soon to issue");
        }
        OcppsecProperties.Profile profile = policy.profile(type.name());
        Instant notBefore = now.minus(policy.backdate());
        if (notBefore.isBefore(issuer.notBefore())) {
            notBefore = issuer.notBefore();
        }
        Instant notAfter = now.plus(profile.validity());
        if (notAfter.isAfter(issuer.notAfter())) {
            notAfter = issuer.notAfter();
        }
        var extensions = profiles.station(type, csr.keyType(), csr.publicKey(), issuer, profile.extendedKeyUsage());
        // Under the CPO Sub-CA 2 of the Plug & Charge PKI, the ISO 15118-2 SECC profile of
        // iso15118-certs (Annex F; DC=CPO, KU digitalSignature+keyAgreement critical, no EKU).
        // Likewise the ISO 15118-20 SECC profile under the -20 CPO Sub-CA 2 (secp521r1, ecdsa-with-SHA512).
        io.ocppsec.iso15118.pki.Edition isoEdition = type == CertificateType.V2GCertificate
                && issuer.record().role() == io.ocppsec.pki.store.CaCertificateRecord.CaRole.CPO_SUB_CA_2
                ? io.ocppsec.iso15118.pki.Edition.ISO_15118_2
                : type == CertificateType.V2G20Certificate
                && issuer.record().role() == io.ocppsec.pki.store.CaCertificateRecord.CaRole.CPO_SUB_CA_2_20
                ? io.ocppsec.iso15118.pki.Edition.ISO_15118_20 : null;
        boolean isoSecc = isoEdition != null;
        for (int attempt = 0; ; attempt++) {
            BigInteger serial = serials.next();
            X509CertificateHolder cert = isoSecc
                    ? isoSecc(issuer, isoEdition, serial, notBefore, notAfter, subject, csr)
                    : signer.sign(issuer, serial, notBefore, notAfter, subject, csr.publicKey(), extensions);
            String pem;
            try {
                pem = Pem.certificate(cert.getEncoded());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            IssuedCertificateRecord record = new IssuedCertificateRecord(SerialNumbers.hex(serial), issuer.id(),
                    station.identityKey(), station.identity(), type.name(), Names.rfc4514(subject), truncate(notBefore), truncate(notAfter),
                    IssuedCertificateRecord.VALID, null, null, csr.sha256(), r.requestId(), r.actor(), pem, truncate(now));
            try {
                Instant requestIdSince = now.minus(Duration.ofHours(REQUEST_ID_WINDOW_HOURS));
                ledger.write(c -> {
                    // In the insert's transaction, so two different CSRs racing with one
                    // requestId cannot both pass.
                    if (r.requestId() != null && CertificateStore.requestIdTaken(c, station.identityKey(), r.requestId(),
                            requestIdSince, csr.sha256())) {
                        throw Refusal.conflict("REQUEST_ID_REUSED", "requestId " + r.requestId()
                                + " was answered with another certificate for a different CSR in the last "
                                + REQUEST_ID_WINDOW_HOURS + " hours");
                    }
                    CertificateStore.insert(c, record);
                    return null;
                }, List.of(AuditEntry.ok(r.actor(), "certificate.issue", "station:" + station.identity(),
                        Details.of("serial", record.serial(), "certificateType", type.name(), "issuer", issuer.id(),
                                "notAfter", notAfter.toString(), "csrSha256", csr.sha256(), "requestId", r.requestId()))), null);
                return new Issued(record, pem + issuer.chainWithoutRootPem(), false);
            } catch (Refusal conflict) {
                if ("CSR_ALREADY_ISSUED".equals(conflict.reason())) {
                    // This CSR has its certificate already (a retry, or another instance was
                    // first): hand that one out.
                    return replay(station, type, csr, conflict);
                }
                if (!"SERIAL_COLLISION".equals(conflict.reason()) || attempt >= 2) {
                    throw conflict;
                }
            }
        }
    }

    /** An ISO 15118-2 SECC certificate, CRL DP and OCSP URL as for every station certificate. */
    private X509CertificateHolder isoSecc(Issuer issuer, io.ocppsec.iso15118.pki.Edition edition, BigInteger serial, Instant notBefore,
                                          Instant notAfter, X500Name subject, CsrPolicy.CheckedCsr csr) {
        try {
            java.security.cert.X509Certificate c = io.ocppsec.iso15118.pki.Iso15118Certificates.issue(
                    io.ocppsec.iso15118.pki.Iso15118Role.SECC, edition, subject, csr.publicKey(),
                    io.ocppsec.iso15118.pki.Issuer.ca(issuer.certificate(), signer.contentSigner(issuer)), serial, notBefore, notAfter,
                    new io.ocppsec.iso15118.pki.Urls(profiles.crlUrl(issuer.id()), profiles.ocspUrl()));
            return new X509CertificateHolder(c.getEncoded());
        } catch (IllegalArgumentException e) {
            throw Refusal.policy("ISO_PROFILE_VIOLATION", "the SECC certificate would break the " + edition + " profile: " + e.getMessage());
        } catch (java.io.IOException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant truncate(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private String chainFor(IssuedCertificateRecord c) {
        return c.certificatePem() + issuers.byId(c.issuerId()).map(Issuer::chainWithoutRootPem).orElse("");
    }

    /**
     * The subject of the certificate: CN and O as checked against the station (CN = serial number
     * or the configured rule, A00.FR.405/511; O = the organization, A00.FR.404/509), C when the
     * CSR has a valid one, and for ISO 15118 SECC certificates DC=CPO (ISO 15118-2 Annex F). The
     * CSR's other attributes are not copied.
     */
    private X500Name subjectFor(CsrPolicy.CheckedCsr csr, StationRecord station, CertificateType type) {
        X500Name requested = csr.request().getSubject();
        String cn;
        String o;
        if (type.isV2g()) {
            cn = single(requested, BCStyle.CN, "SUBJECT_CN");
            List<String> allowed = station.seccIds().isEmpty() && station.serialNumber() != null
                    ? List.of(station.serialNumber()) : station.seccIds();
            if (!allowed.contains(cn)) {
                throw Refusal.policy("SUBJECT_CN_MISMATCH", "the CN of a SECC certificate must be one of the station's SECC ids");
            }
            o = single(requested, BCStyle.O, "SUBJECT_O");
            if (!o.equals(station.organization())) {
                throw Refusal.policy("SUBJECT_O_MISMATCH", "O must be the station's organization");
            }
        } else {
            ClientCertificateIdentityPolicy.Binding binding = identityPolicy.bind(requested,
                    new StationFacts(station.identity(), station.serialNumber(), station.organization()));
            if (binding instanceof ClientCertificateIdentityPolicy.Refused refused) {
                throw Refusal.policy("SUBJECT_" + refused.reason().name(), refused.detail());
            }
            ClientCertificateIdentityPolicy.Bound bound = (ClientCertificateIdentityPolicy.Bound) binding;
            cn = bound.commonName();
            o = bound.organization() == null ? station.organization() : bound.organization();
        }
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        if (type.isV2g()) {
            b.addRDN(BCStyle.DC, "CPO");
        }
        String c = optionalCountry(requested);
        if (c != null) {
            b.addRDN(BCStyle.C, c);
        }
        b.addRDN(BCStyle.O, o);
        b.addRDN(BCStyle.CN, cn);
        return b.build();
    }

    private static String single(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type, String reasonPrefix) {
        RDN[] rdns = name.getRDNs(type);
        if (rdns.length == 0) {
            throw Refusal.policy(reasonPrefix + "_MISSING", "the CSR subject has no " + BCStyle.INSTANCE.oidToDisplayName(type));
        }
        if (rdns.length > 1 || rdns[0].isMultiValued()) {
            throw Refusal.policy(reasonPrefix + "_AMBIGUOUS", "the CSR subject has more than one " + BCStyle.INSTANCE.oidToDisplayName(type));
        }
        ASN1Encodable v = rdns[0].getFirst().getValue();
        if (!(v instanceof ASN1String s)) {
            throw Refusal.policy(reasonPrefix + "_UNSUPPORTED_ENCODING", "unsupported string type in the CSR subject");
        }
        return s.getString();
    }

    private static String optionalCountry(X500Name name) {
        RDN[] rdns = name.getRDNs(BCStyle.C);
        if (rdns.length != 1) {
            return null;
        }
        AttributeTypeAndValue atv = rdns[0].getFirst();
        if (atv.getValue() instanceof ASN1String s && s.getString().matches("[A-Z]{2}")) {
            return s.getString();
        }
        return null;
    }
}
