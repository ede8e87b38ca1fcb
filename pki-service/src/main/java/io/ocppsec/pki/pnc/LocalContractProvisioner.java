package io.ocppsec.pki.pnc;

import io.ocppsec.iso15118.exi.ExiException;
import io.ocppsec.iso15118.exi.Iso15118_20;
import io.ocppsec.iso15118.exi.Iso15118_20Codec;
import io.ocppsec.iso15118.exi.ResponseCode;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118Certificates;
import io.ocppsec.iso15118.pki.Iso15118ChainValidator;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.Leniency;
import io.ocppsec.iso15118.pki.TrustAnchors;
import io.ocppsec.iso15118.provisioning.ContractInstallation;
import io.ocppsec.iso15118.provisioning.ContractInstallation.Contract;
import io.ocppsec.iso15118.provisioning.ContractInstallation.Outcome;
import io.ocppsec.iso15118.provisioning.ContractInstallation20;
import io.ocppsec.iso15118.xmldsig.ExiSignatureAlgorithm;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import io.ocppsec.pki.ca.Issuer;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.ca.Names;
import io.ocppsec.pki.ca.Pem;
import io.ocppsec.pki.ca.SerialNumbers;
import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import io.ocppsec.pki.store.CertificateStore;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.IssuedCertificateRecord;
import io.ocppsec.pki.store.Ledger;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Get15118EVCertificate answered here, with us as MO and CPS (issue 6, scope 5a): the contract comes
 * from the PCID-to-eMAID mapping ({@link ContractStore}), the contract certificate is issued under our
 * MO Sub-CA 2 (recorded in the certificate inventory, so it can be revoked and our OCSP responder
 * answers for it), its key is wrapped for the EV and the response is signed with the CPS leaf key
 * in the custody backend. The trust anchors (OEM roots and Sub-CAs, MO and V2G roots) and the CPS
 * chain are read at each request, so imports and rotations apply at once.
 *
 * <p>ISO 15118-2 ({@value #ISO_15118_2}) through {@link ContractInstallation} on the -2 development or
 * imported P-256 chains; ISO 15118-20 ({@value #ISO_15118_20}, OCPP 2.1 M01) through
 * {@link ContractInstallation20} on the -20 chains ({@link PncPki#cpsChain20()}, MO Sub-CA 2 -20):
 * the EV asks once per contract, and a row per (station, PCID) in the database ({@link InstallSeries})
 * says how many contracts of the series were delivered, so the next request gets the next contract and
 * remainingContracts counts down to 0 (M01.FR.04/06/07), across restarts and pki-service instances; of two
 * requests of the same EV at once, the one that records second is answered again from the new count. A -20
 * answer carries six P-521 certificates and does not fit OCPP 2.0.1's 5600 characters: a -20 request over
 * 2.0.1 is Failed (Ocpp21Required) before anything is issued. -20 has no CertificateUpdateReq: Install and Update are handled alike.
 */
public final class LocalContractProvisioner implements ContractProvisioner {
    private static final Logger log = LoggerFactory.getLogger(LocalContractProvisioner.class);
    public static final String ISO_15118_2 = "urn:iso:15118:2:2013:MsgDef";
    public static final String ISO_15118_20 = "urn:iso:std:iso:15118:-20:CommonMessages";
    /** What OCPP allows in exiRequest (2.1; 2.0.1 allows 5600): Base64 characters. */
    static final int MAX_EXI_REQUEST_CHARS = 11_000;
    /** Contract certificates live "4 weeks to 2 years" (reference iso15118.md §1.2): two years, capped by the MO Sub-CA. */
    static final Duration CONTRACT_VALIDITY = Duration.ofDays(730);

    /**
     * How often a -20 request tries to record its delivery: each time another request of the same EV
     * recorded first, it is answered again from the new count.
     */
    static final int SERIES_ATTEMPTS = 3;

    private final PncPki pki;
    private final ContractStore contracts;
    private final InstallSeries series;
    private final IssuerRegistry registry;
    private final Ledger ledger;
    private final Leniency leniency;
    private final Clock clock;
    private final SerialNumbers serials = new SerialNumbers();

    public LocalContractProvisioner(PncPki pki, ContractStore contracts, InstallSeries series, IssuerRegistry registry,
                                    Ledger ledger, Leniency leniency, Clock clock) {
        this.pki = pki;
        this.contracts = contracts;
        this.series = series;
        this.registry = registry;
        this.ledger = ledger;
        this.leniency = leniency;
        this.clock = clock;
    }

    @Override
    public ProvisioningOutcome provision(ProvisioningRequest r) {
        boolean minus20 = ISO_15118_20.equals(r.iso15118SchemaVersion());
        if (!ISO_15118_2.equals(r.iso15118SchemaVersion()) && !minus20) {
            return new ProvisioningOutcome.Failed("UnsupportedSchema", "local provisioning answers ISO 15118-2 ("
                    + ISO_15118_2 + ") and ISO 15118-20 (" + ISO_15118_20 + ") requests; "
                    + shorten(r.iso15118SchemaVersion()) + " is not supported here");
        }
        if (minus20 && "ocpp2.0.1".equals(r.ocppVersion())) {
            return new ProvisioningOutcome.Failed("Ocpp21Required", "an ISO 15118-20 CertificateInstallationRes (six "
                    + "P-521 certificates) does not fit OCPP 2.0.1's 5600-character exiResponse: ISO 15118-20 Plug & Charge "
                    + "needs OCPP 2.1 (M01)");
        }
        String b64 = r.exiRequestBase64();
        if (b64 == null || b64.isEmpty() || b64.length() > MAX_EXI_REQUEST_CHARS) {
            return new ProvisioningOutcome.Failed("InvalidExi", "exiRequest must hold 1 to " + MAX_EXI_REQUEST_CHARS
                    + " Base64 characters");
        }
        byte[] exi;
        try {
            exi = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            return new ProvisioningOutcome.Failed("InvalidExi", "exiRequest is not Base64");
        }
        if (minus20) {
            return provision20(r, exi);
        }
        Optional<PncPki.SigningChain> cps = pki.cpsChain();
        if (cps.isEmpty() || pki.contractIssuer().isEmpty()) {
            return new ProvisioningOutcome.Failed("NotConfigured", "the Plug & Charge PKI has no CPS signing chain or MO Sub-CA 2"
                    + " with a key: create the development PKI or import one");
        }
        ContractInstallation installation = installation(cps.get(), r.stationId());
        Outcome o = installation.handle(exi, r.update() ? ContractInstallation.Action.UPDATE : ContractInstallation.Action.INSTALL);
        if (o instanceof Outcome.Unanswerable u) {
            return new ProvisioningOutcome.Failed("InvalidExi", u.reason());
        }
        Outcome.Answered a = (Outcome.Answered) o;
        String response = Base64.getEncoder().encodeToString(a.exi());
        if (a.ok()) {
            log.info("Get15118EVCertificate {} for station {}: {}", r.action(), r.stationId(), a.reason());
            return new ProvisioningOutcome.Accepted(response, null);
        }
        log.info("Get15118EVCertificate {} for station {} refused: {} ({})", r.action(), r.stationId(), a.code(), a.reason());
        return new ProvisioningOutcome.Failed(reasonCode(a.code()), a.reason(), response);
    }

    private ContractInstallation installation(PncPki.SigningChain cps, String station) {
        TrustAnchors anchors = new TrustAnchors(pki.v2gRoots(), pki.moRoots(), pki.oemRoots());
        ExiSigner signer = new ExiSigner() {
            @Override
            public String signatureMethod() {
                return ExiSignatureAlgorithm.ECDSA_SHA256.signatureMethod();
            }

            @Override
            public byte[] sign(byte[] signedInfoExi) {
                return pki.cpsSignRaw(signedInfoExi);
            }
        };
        var settings = new ContractInstallation.Settings(cps.withoutRoot(), cps.root(), signer,
                new Iso15118ChainValidator(anchors, leniency), pki.oemSubCas(), clock);
        return new ContractInstallation(settings, new ContractInstallation.ContractDirectory() {
            @Override
            public Contract forPcid(String pcid) {
                List<ContractRecord> found = contracts.findByPcid(pcid);
                // the newest active contract; else a cancelled one, so the EV hears FAILED_ContractCanceled
                return found.stream().filter(ContractRecord::active).reduce((a, b) -> b)
                        .or(() -> found.stream().reduce((a, b) -> b))
                        .map(c -> new Contract(c.emaid(), c.active())).orElse(null);
            }

            @Override
            public Contract forEmaid(String emaid) {
                return contracts.findByEmaid(emaid).map(c -> new Contract(c.emaid(), c.active())).orElse(null);
            }
        }, (emaid, key) -> issueContract(emaid, key, station));
    }

    /**
     * A contract certificate under MO Sub-CA 2, recorded and audited: leaf, then the MO Sub-CAs. It
     * names our OCSP responder (AIA) but no CRL distribution point: OCSP is how contracts are checked
     * (C07.FR.05), and OCPP 2.0.1 carries at most 5600 Base64 characters of response, so every byte of
     * the six certificates counts.
     */
    private List<X509Certificate> issueContract(String emaid, ECPublicKey key, String station) throws GeneralSecurityException {
        Issuer mo = registry.active(CaRole.MO_SUB_CA_2).filter(i -> i.key() != null)
                .orElseThrow(() -> new GeneralSecurityException("no MO Sub-CA 2 with a key"));
        var issuer = pki.contractIssuer().orElseThrow(() -> new GeneralSecurityException("no MO Sub-CA 2 with a key"));
        List<X509Certificate> out = issueAndRecord(Edition.ISO_15118_2, emaid, key, station, mo, issuer);
        out.addAll(pki.contractIssuerChain().map(PncPki.SigningChain::withoutRoot).orElse(List.of()));
        return out;
    }

    /** Issues the contract certificate, records it in the inventory and audits it (pnc.contract.issue), in one ledger write. */
    private List<X509Certificate> issueAndRecord(Edition edition, String emaid, PublicKey key, String station, Issuer mo,
                                                 io.ocppsec.iso15118.pki.Issuer.Ca issuer) throws GeneralSecurityException {
        Instant now = clock.instant();
        Instant notBefore = now.minus(Duration.ofMinutes(5));
        if (notBefore.isBefore(mo.notBefore())) {
            notBefore = mo.notBefore();
        }
        Instant notAfter = now.plus(CONTRACT_VALIDITY);
        if (notAfter.isAfter(mo.notAfter())) {
            notAfter = mo.notAfter();
        }
        BigInteger serial = serials.next();
        var subject = Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, emaid, organization(mo.certificate()), null);
        X509Certificate cert = Iso15118Certificates.issue(Iso15118Role.CONTRACT, edition, subject,
                Iso15118Certificates.subjectPublicKeyInfo(key), issuer, serial, notBefore, notAfter,
                io.ocppsec.iso15118.pki.Urls.ocsp(pki.ocspUrl()));
        String pem = Pem.certificate(cert.getEncoded());
        String keyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        IssuedCertificateRecord record = new IssuedCertificateRecord(SerialNumbers.hex(serial), mo.id(), null, null,
                "ContractCertificate", Names.rfc4514(subject), notBefore.truncatedTo(ChronoUnit.MICROS),
                notAfter.truncatedTo(ChronoUnit.MICROS), IssuedCertificateRecord.VALID, null, null, keyHash, null,
                "station:" + (station == null ? "-" : station), pem, now.truncatedTo(ChronoUnit.MICROS));
        ledger.write(c -> {
            CertificateStore.insert(c, record);
            return null;
        }, List.of(AuditEntry.ok("station:" + (station == null ? "-" : station), "pnc.contract.issue", "contract:" + emaid,
                Details.of("serial", record.serial(), "issuer", mo.id(), "notAfter", notAfter.toString()))), null);
        List<X509Certificate> out = new ArrayList<>();
        out.add(cert);
        return out;
    }

    private static String organization(X509Certificate ca) {
        var n = org.bouncycastle.asn1.x500.X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        var o = n.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.O);
        return o.length == 0 ? null : org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(o[0].getFirst().getValue());
    }

    /** ISO 15118-20 CertificateInstallationReq (OCPP 2.1 M01), one contract per request. */
    private ProvisioningOutcome provision20(ProvisioningRequest r, byte[] exi) {
        Optional<PncPki.SigningChain> cps = pki.cpsChain20();
        Optional<ExiSigner> signer = pki.cpsExiSigner20();
        if (cps.isEmpty() || signer.isEmpty() || pki.contractIssuer20().isEmpty()) {
            return new ProvisioningOutcome.Failed("NotConfigured", "the Plug & Charge PKI has no ISO 15118-20 CPS signing chain "
                    + "or MO Sub-CA 2 -20 with a key: create the development PKI (its -20 edition) or import one");
        }
        ContractInstallation20.OcppParameters ocpp;
        try {
            ocpp = new ContractInstallation20.OcppParameters(r.maximumContractCertificateChains(), r.prioritizedEmaids());
        } catch (IllegalArgumentException e) {
            return new ProvisioningOutcome.Failed("InvalidRequest", e.getMessage());
        }
        String pcid = pcidOf(exi);
        String station = r.stationId();
        String stationKey = station == null ? "" : station;
        // only a valid PCID can have contracts (ContractStore finds none otherwise); the API allows 48-character station ids
        InstallSeries.Key key = pcid == null || !PncIdentifiers.isPcid(pcid) || stationKey.length() > 48
                ? null : new InstallSeries.Key(stationKey, pcid);
        var settings = new ContractInstallation20.Settings(cps.get().withoutRoot(), cps.get().root(), signer.get(),
                new Iso15118ChainValidator(new TrustAnchors(pki.v2gRoots20(), pki.moRoots20(), concat(pki.oemRoots(), pki.oemRoots20())),
                        leniency), concat(pki.oemSubCas(), pki.oemSubCas20()), clock);
        ContractInstallation20 installation = new ContractInstallation20(settings,
                p -> contracts.findByPcid(p).stream().map(c -> new Contract(c.emaid(), c.active())).toList(),
                (emaid, contractKey) -> issueContract20(emaid, contractKey, station));
        for (int attempt = 1; ; attempt++) {
            InstallSeries.Position at = key == null ? InstallSeries.Position.NONE : series.read(key);
            ContractInstallation20.Outcome o = installation.handle(exi, ocpp, at.delivered());
            if (o instanceof ContractInstallation20.Outcome.Unanswerable u) {
                return new ProvisioningOutcome.Failed("InvalidExi", u.reason());
            }
            ContractInstallation20.Outcome.Answered a = (ContractInstallation20.Outcome.Answered) o;
            String response = Base64.getEncoder().encodeToString(a.exi());
            if (!a.ok()) {
                if (key != null && a.refusal() == ContractInstallation20.Refusal.NO_MORE_CONTRACTS) {
                    series.advance(key, at, 0); // the series is over: the next request starts a new one
                }
                log.info("Get15118EVCertificate (ISO 15118-20) for station {} refused: {} ({})", station, a.code(), a.reason());
                return new ProvisioningOutcome.Failed(reasonCode20(a.refusal()), a.reason(), response);
            }
            // Another request of this EV may have recorded a delivery since we read: then it took this position, and
            // answering it again would give the EV the same contract twice while skipping one. We answer again from
            // the new count instead; the certificate just issued stays in the inventory (and the audit log) unused.
            if (key == null || series.advance(key, at, a.remaining() == 0 ? 0 : at.delivered() + 1)) {
                log.info("Get15118EVCertificate (ISO 15118-20) for station {}: {}, {} more to come", station, a.reason(), a.remaining());
                return new ProvisioningOutcome.Accepted(response, a.remaining());
            }
            log.warn("Get15118EVCertificate (ISO 15118-20) for station {}, PCID {}: another request recorded contract {} of the "
                    + "series first; {} unused", station, pcid, at.delivered() + 1, a.emaid());
            if (attempt == SERIES_ATTEMPTS) {
                return new ProvisioningOutcome.Failed("ConcurrentRequests", "other requests for PCID " + pcid + " at station "
                        + station + " kept taking the next contract of the series; ask again");
            }
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The PCID (the OEM provisioning certificate's CN, upper case) of a -20 request, or null when it has none. */
    static String pcidOf(byte[] exi) {
        try {
            if (!(Iso15118_20Codec.decode(exi) instanceof Iso15118_20.CertificateInstallationReq req)) {
                return null;
            }
            X509Certificate oem = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(req.oemProvisioningChain().certificate()));
            var cn = org.bouncycastle.asn1.x500.X500Name.getInstance(oem.getSubjectX500Principal().getEncoded())
                    .getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
            return cn.length == 0 ? null : org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(cn[0].getFirst().getValue())
                    .toUpperCase(java.util.Locale.ROOT);
        } catch (ExiException | GeneralSecurityException | RuntimeException e) {
            return null; // the library answers (or refuses) it
        }
    }

    /**
     * A -20 contract certificate under MO Sub-CA 2 -20 (ecdsa-with-SHA512), naming our OCSP responder
     * (-20 contract certificates need an OCSP or CRL address), recorded and audited like the -2 ones;
     * leaf, then MO Sub-CA 2 -20 and 1 -20.
     */
    private List<X509Certificate> issueContract20(String emaid, PublicKey key, String station) throws GeneralSecurityException {
        Issuer mo = pki.contractIssuerRecord20().orElseThrow(() -> new GeneralSecurityException("no MO Sub-CA 2 -20 with a key"));
        var issuer = pki.contractIssuer20().orElseThrow(() -> new GeneralSecurityException("no MO Sub-CA 2 -20 with a key"));
        List<X509Certificate> out = issueAndRecord(Edition.ISO_15118_20, emaid, key, station, mo, issuer);
        out.addAll(pki.contractIssuerChain20().map(PncPki.SigningChain::withoutRoot).orElse(List.of()));
        return out;
    }

    /** OCPP StatusInfo.reasonCode (at most 20 characters) for why a -20 request was refused. */
    static String reasonCode20(ContractInstallation20.Refusal refusal) {
        return switch (refusal) {
            case SIGNATURE -> "SignatureError";
            case OEM_CERTIFICATE_EXPIRED -> "CertificateExpired";
            case OEM_CHAIN -> "CertChainError";
            case UNKNOWN_ROOT -> "UnknownRoot";
            case NO_CONTRACT -> "NoContract";
            case CONTRACT_CANCELLED -> "ContractCanceled";
            case NO_MORE_CONTRACTS -> "NoMoreContracts";
            case UNSUPPORTED_KEY -> "UnsupportedKey";
            case NONE, INTERNAL -> "Failed";
        };
    }

    /** OCPP StatusInfo.reasonCode (at most 20 characters) for an ISO 15118-2 ResponseCode. */
    static String reasonCode(ResponseCode code) {
        return switch (code) {
            case FAILED_SignatureError -> "SignatureError";
            case FAILED_CertChainError -> "CertChainError";
            case FAILED_CertificateExpired -> "CertificateExpired";
            case FAILED_CertificateRevoked -> "CertificateRevoked";
            case FAILED_NoCertificateAvailable -> "NoCertificate";
            case FAILED_ContractCanceled -> "ContractCanceled";
            case FAILED_SequenceError -> "SequenceError";
            default -> "Failed";
        };
    }

    private static String shorten(String s) {
        return s == null ? "(none)" : s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
