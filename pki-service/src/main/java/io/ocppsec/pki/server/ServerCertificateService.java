package io.ocppsec.pki.server;

import io.ocppsec.pki.ca.CertificateProfiles;
import io.ocppsec.pki.ca.CertificateSigner;
import io.ocppsec.pki.ca.CertificateType;
import io.ocppsec.pki.ca.CsrPolicy;
import io.ocppsec.pki.ca.Issuer;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.ca.Pem;
import io.ocppsec.pki.ca.SerialNumbers;
import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.Refusal;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The CSMS TLS server certificates of the terminators, issued from a terminator's CSR under the
 * active CSMS root (the certificate stations trust, M05). With fast expiration (A00.FR.701, on by
 * default outside the development PKI) they are valid for less than 24 hours: instead of revoking a
 * compromised CSMS certificate, the operator stops renewing it. The terminator keeps its key, sends a
 * fresh CSR well before expiry and reloads the result without dropping a connection.
 *
 * <p>The key follows the TLS key rules of a station certificate (RSA of at least 2048 bits, EC P-256
 * or P-384, A00.FR.502/503) with proof of possession. The names are the CSR's subjectAltName (DNS names
 * and IP addresses), each of which must be one of {@code ocppsec.server-certificates.names}; a CSR
 * without names gets all of them. CN = the first name (A00.FR.510). Short-lived certificates are not
 * kept in the inventory (they need no revocation); every issuance is in the audit log.
 */
public final class ServerCertificateService {
    /** How far notBefore is set back for clock skew; small, so that the whole validity stays under 24 h. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private final ServerCertificateProperties properties;
    private final IssuerRegistry issuers;
    private final CertificateSigner signer;
    private final CertificateProfiles profiles;
    private final Ledger ledger;
    private final String organization;
    private final CsrPolicy csrPolicy = new CsrPolicy();
    private final SerialNumbers serials = new SerialNumbers();
    private final Map<String, ServerNames> allowed = new LinkedHashMap<>();
    private final java.util.function.Function<String, java.util.Optional<String>> linkCertificate;

    /**
     * {@code linkCertificate}: for a root id, the PEM link certificate (that root's key certified by the
     * root it replaced, see RootRotation) to serve after the leaf, so that stations which still trust only
     * the previous root can validate the chain; empty when there is none.
     */
    public ServerCertificateService(ServerCertificateProperties properties, IssuerRegistry issuers, CertificateSigner signer,
                                    CertificateProfiles profiles, Ledger ledger, String organization,
                                    java.util.function.Function<String, java.util.Optional<String>> linkCertificate) {
        this.linkCertificate = linkCertificate;
        this.properties = properties;
        this.issuers = issuers;
        this.signer = signer;
        this.profiles = profiles;
        this.ledger = ledger;
        this.organization = organization;
        for (String n : properties.names()) {
            ServerNames sn = ServerNames.parse(n, "ocppsec.server-certificates.names");
            allowed.put(sn.text(), sn);
        }
    }

    /** An issued server certificate: the chain (leaf first, without the root) and its facts. */
    public record Issued(String certificateChain, String serialNumber, Instant notBefore, Instant notAfter,
                         boolean fastExpiry, List<String> names) {
    }

    /** What the service issues now: whether fast expiration applies, the validity and the names. */
    public record Policy(boolean fastExpiry, Duration validity, List<String> names, String issuerId) {
    }

    public Policy policy() {
        Issuer root = root();
        boolean fast = properties.fastExpiryOn(isDevelopmentRoot(root));
        return new Policy(fast, properties.validityFor(fast), List.copyOf(allowed.keySet()), root.id());
    }

    /** Issues a server certificate for a terminator's CSR. */
    public Issued issue(String csrPem, String actor) {
        CsrPolicy.CheckedCsr csr = csrPolicy.check(csrPem, CertificateType.ChargingStationCertificate);
        List<ServerNames> names = requestedNames(csr);
        Issuer root = root();
        boolean fast = properties.fastExpiryOn(isDevelopmentRoot(root));
        Duration validity = properties.validityFor(fast);
        Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE);
        Instant notAfter = notBefore.plus(validity);
        if (notAfter.isAfter(root.notAfter())) {
            throw Refusal.policy("ISSUER_EXPIRES_TOO_SOON", "the CSMS root expires before a server certificate would");
        }
        BigInteger serial = serials.next();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organization)
                .addRDN(BCStyle.CN, names.get(0).text()).build();
        boolean rsa = csr.keyType() == CertificateType.KeyType.RSA;
        X509CertificateHolder cert = signer.sign(root, serial, notBefore, notAfter, subject, csr.publicKey(),
                profiles.server(csr.publicKey(), rsa, root, names.stream().map(ServerNames::generalName).toList()));
        byte[] der;
        try {
            der = cert.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the server certificate", e);
        }
        List<String> nameTexts = names.stream().map(ServerNames::text).toList();
        String serialHex = SerialNumbers.hex(serial);
        ledger.write(c -> null, List.of(AuditEntry.ok(actor, "server-certificate.issue", "server:" + nameTexts.get(0),
                Details.of("serial", serialHex, "names", String.join(",", nameTexts), "notAfter", notAfter.toString(),
                        "fastExpiry", fast, "issuer", root.id(), "key", csr.keyType().name(), "csrSha256", csr.sha256()))), null);
        String chain = Pem.certificate(der) + root.chainWithoutRootPem() + linkCertificate.apply(root.id()).orElse("");
        return new Issued(chain, serialHex, notBefore, notAfter, fast, nameTexts);
    }

    private Issuer root() {
        return issuers.active(CaRole.CSMS_ROOT).filter(i -> i.key() != null)
                .orElseThrow(() -> Refusal.policy("NO_ISSUER", "no active CSMS root with a key to issue server certificates"));
    }

    /** The development PKI's root (its name says so; see DevelopmentPki). */
    static boolean isDevelopmentRoot(Issuer root) {
        return root.record().subject().contains("CSMS Root CA (development)");
    }

    private List<ServerNames> requestedNames(CsrPolicy.CheckedCsr csr) {
        List<ServerNames> out = new ArrayList<>();
        for (Attribute a : csr.request().getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            Extensions ext = Extensions.getInstance(a.getAttrValues().getObjectAt(0));
            GeneralNames gns = GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
            if (gns == null) {
                continue;
            }
            if (gns.getNames().length > 16) {
                throw Refusal.badRequest("SERVER_NAME_INVALID", "at most 16 names in a server certificate");
            }
            for (GeneralName gn : gns.getNames()) {
                ServerNames n = ServerNames.of(gn);
                if (!allowed.containsKey(n.text())) {
                    throw Refusal.policy("SERVER_NAME_NOT_ALLOWED", "the name " + n.text()
                            + " is not one of ocppsec.server-certificates.names " + allowed.keySet());
                }
                if (out.stream().noneMatch(x -> x.text().equals(n.text()))) {
                    out.add(n);
                }
            }
        }
        return out.isEmpty() ? List.copyOf(allowed.values()) : out;
    }
}
