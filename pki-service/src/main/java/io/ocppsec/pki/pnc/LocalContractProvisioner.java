package io.ocppsec.pki.pnc;

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
 * <p>ISO 15118-2 only: an ISO 15118-20 request gets Failed with the reason (the -20 messages need
 * the -20 codec; use remote provisioning for them until then).
 */
public final class LocalContractProvisioner implements ContractProvisioner {
    private static final Logger log = LoggerFactory.getLogger(LocalContractProvisioner.class);
    public static final String ISO_15118_2 = "urn:iso:15118:2:2013:MsgDef";
    /** What OCPP allows in exiRequest (2.1; 2.0.1 allows 5600): Base64 characters. */
    static final int MAX_EXI_REQUEST_CHARS = 11_000;
    /** Contract certificates live "4 weeks to 2 years" (reference iso15118.md §1.2): two years, capped by the MO Sub-CA. */
    static final Duration CONTRACT_VALIDITY = Duration.ofDays(730);

    private final PncPki pki;
    private final ContractStore contracts;
    private final IssuerRegistry registry;
    private final Ledger ledger;
    private final Leniency leniency;
    private final Clock clock;
    private final SerialNumbers serials = new SerialNumbers();

    public LocalContractProvisioner(PncPki pki, ContractStore contracts, IssuerRegistry registry, Ledger ledger,
                                    Leniency leniency, Clock clock) {
        this.pki = pki;
        this.contracts = contracts;
        this.registry = registry;
        this.ledger = ledger;
        this.leniency = leniency;
        this.clock = clock;
    }

    @Override
    public ProvisioningOutcome provision(ProvisioningRequest r) {
        if (!ISO_15118_2.equals(r.iso15118SchemaVersion())) {
            return new ProvisioningOutcome.Failed("UnsupportedSchema", "local provisioning answers ISO 15118-2 ("
                    + ISO_15118_2 + ") requests; " + shorten(r.iso15118SchemaVersion()) + " is not supported here");
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
        X509Certificate cert = Iso15118Certificates.issue(Iso15118Role.CONTRACT, Edition.ISO_15118_2, subject,
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
        out.addAll(pki.contractIssuerChain().map(PncPki.SigningChain::withoutRoot).orElse(List.of()));
        return out;
    }

    private static String organization(X509Certificate ca) {
        var n = org.bouncycastle.asn1.x500.X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        var o = n.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.O);
        return o.length == 0 ? null : org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(o[0].getFirst().getValue());
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
