package io.ocppsec.pki.firmware;

import io.ocppsec.ocpp.message.GetCertificateChainStatusRequest;
import io.ocppsec.ocpp.message.GetCertificateChainStatusResponse;
import io.ocppsec.ocpp.message.type.CertificateStatusEnum;
import io.ocppsec.ocpp.message.type.CertificateStatusRequestInfo;
import io.ocppsec.ocpp.message.type.CertificateStatusSource;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.pki.broker.AddressGuard;
import io.ocppsec.pki.broker.AllowList;
import io.ocppsec.pki.broker.BrokerFailure;
import io.ocppsec.pki.broker.GuardedFetcher;
import io.ocppsec.pki.broker.OcspBroker;
import io.ocppsec.pki.custody.CustodyException;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.security.cert.CertificateIdentifier;
import io.ocppsec.security.firmware.FirmwareSignatureAlgorithm;
import io.ocppsec.security.firmware.FirmwareSignatures;
import io.ocppsec.security.firmware.FirmwareVerification;
import io.ocppsec.security.firmware.FirmwareVerifier;
import io.ocppsec.security.firmware.ImageDigest;
import io.ocppsec.security.firmware.ImageDigests;
import io.ocppsec.security.firmware.ImageTooLargeException;
import io.ocppsec.security.firmware.RevocationCheck;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs firmware images with a key in custody and checks signed images before UpdateFirmware
 * (L01, A00.FR.707). Images are never held whole: they are hashed as they stream past (an upload,
 * or a download from an allow-listed URL), and only the SHA-256 reaches the key.
 */
public final class FirmwareService {
    private static final Logger log = LoggerFactory.getLogger(FirmwareService.class);

    private final FirmwarePki pki;
    private final KeyCustody custody;
    private final OcspBroker broker;
    private final FirmwareProperties props;
    private final Ledger ledger;
    private final GuardedFetcher fetcher;
    private final Clock clock;
    private volatile Cached verifier;

    private record Cached(List<X509Certificate> roots, FirmwareVerifier verifier) {
    }

    public FirmwareService(FirmwarePki pki, KeyCustody custody, OcspBroker broker, FirmwareProperties props, Ledger ledger,
                           GuardedFetcher.Resolver resolver, Clock clock) {
        this.pki = pki;
        this.custody = custody;
        this.broker = broker;
        this.props = props;
        this.ledger = ledger;
        this.fetcher = new GuardedFetcher(AllowList.of(props.allowedHosts()), new AddressGuard(props.allowedNetworks()), resolver,
                props.connectTimeout(), props.readTimeout(), "ocppsec.firmware.allowed-hosts", "ocppsec-firmware-check");
        this.clock = clock;
    }

    /** A signature for UpdateFirmware. */
    public record Signed(String signature, String signingCertificate, String algorithm, String signerId, String sha256, long size) {
    }

    /**
     * Signs an image's SHA-256 with the custody key of a firmware signing certificate.
     *
     * @param algorithm {@code ecdsa}, {@code rsa-pss}, or null (the signer's own; ECDSA when no signer is named)
     * @param signerId  a signing certificate's id, or null for the newest that fits
     */
    public Signed sign(ImageDigest digest, String algorithm, String signerId, String actor) {
        FirmwareSignatureAlgorithm wanted = algorithm(algorithm, signerId == null || signerId.isBlank());
        FirmwarePki.SigningKey key;
        try {
            key = pki.signingKey(signerId, wanted);
        } catch (Refusal r) {
            Ledger.join(ledger.audit(AuditEntry.refused(actor, "firmware.sign", "sha256:" + digest.hex(), r.reason(), null)));
            throw r;
        }
        byte[] signature;
        try {
            signature = custody.signDigest(key.issuer().key(), key.custodyAlgorithm(), digest.sha256());
        } catch (CustodyException e) {
            log.warn("firmware signing with {} failed: {}", key.issuer().id(), e.getMessage());
            throw new Refusal("CUSTODY_FAILED", 503, "the custody backend could not sign: " + e.getMessage());
        }
        if (!FirmwareSignatures.verify(key.issuer().certificate().getPublicKey(), digest.sha256(), signature)) {
            // never hand out a signature a station would reject
            throw new Refusal("SIGNATURE_SELF_CHECK_FAILED", 500, "the signature the custody backend made does not verify"
                    + " with the signing certificate of " + key.issuer().id());
        }
        String alg = key.algorithm() == FirmwareSignatureAlgorithm.RSA_PSS_SHA256 ? "rsa-pss" : "ecdsa";
        Ledger.join(ledger.audit(AuditEntry.ok(actor, "firmware.sign", "sha256:" + digest.hex(),
                Details.of("signer", key.issuer().id(), "algorithm", alg, "size", digest.size()))));
        log.info("firmware signed: SHA-256 {} ({} bytes) by {} ({})", digest.hex(), digest.size(), key.issuer().id(), alg);
        return new Signed(FirmwareSignatures.encode(signature), key.signingCertificatePem(), alg, key.issuer().id(), digest.hex(),
                digest.size());
    }

    /** Checks a signature and signing certificate over an image digest, against the trusted manufacturer roots. */
    public FirmwareVerification verify(ImageDigest digest, String signature, String signingCertificate) {
        FirmwareVerification v = verifier().verify(digest.sha256(), signature, signingCertificate, clock.instant());
        log.info("firmware check: SHA-256 {}: {} ({})", digest.hex(), v.outcome(), v.reason());
        return v;
    }

    /** Hashes an uploaded image as it streams in, up to the configured limit. */
    public ImageDigest digest(InputStream upload) {
        try {
            return ImageDigests.sha256(upload, props.maxImageSize().toBytes());
        } catch (ImageTooLargeException e) {
            throw tooLarge();
        } catch (IOException e) {
            throw Refusal.badRequest("UPLOAD_FAILED", "the image upload ended early or could not be read");
        }
    }

    /**
     * Downloads an image from a URL on {@code ocppsec.firmware.allowed-hosts} (no credentials, no
     * redirects, every resolved address through the SSRF guard, the name resolved once) and hashes it
     * as it streams in.
     */
    public ImageDigest fetch(String url) {
        GuardedFetcher.Target target;
        try {
            target = fetcher.check(url);
        } catch (BrokerFailure f) {
            throw Refusal.policy("URL_NOT_ALLOWED", f.getMessage());
        }
        long max = props.maxImageSize().toBytes();
        try {
            return fetcher.get(target, "*/*", max, props.fetchTimeout(), in -> ImageDigests.sha256(in, max));
        } catch (ImageTooLargeException | GuardedFetcher.BodyTooLarge e) {
            throw tooLarge();
        } catch (BrokerFailure f) {
            if ("TooLarge".equals(f.reasonCode())) {
                throw tooLarge();
            }
            throw new Refusal("DOWNLOAD_FAILED", 502, "the image could not be downloaded: " + f.getMessage());
        } catch (IOException e) {
            throw new Refusal("DOWNLOAD_FAILED", 502, "the image download failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    public long maxImageSize() {
        return props.maxImageSize().toBytes();
    }

    private Refusal tooLarge() {
        return new Refusal("IMAGE_TOO_LARGE", 413, "the image is larger than ocppsec.firmware.max-image-size ("
                + props.maxImageSize().toBytes() + " bytes)");
    }

    private FirmwareVerifier verifier() {
        List<X509Certificate> roots = pki.trustedRoots();
        Cached c = verifier;
        if (c == null || !c.roots().equals(roots)) {
            c = new Cached(roots, new FirmwareVerifier(roots, this::revocation, props.revocationPolicy()));
            verifier = c;
        }
        return c.verifier();
    }

    /**
     * Revocation through the OCSP broker: our own CAs answer in process; others by the OCSP
     * responder in the certificate's AIA, else its CRL distribution points, fetched only from hosts
     * on {@code ocppsec.ocsp-broker.allowed-hosts}.
     */
    RevocationCheck.Status revocation(X509Certificate cert, X509Certificate issuer) {
        CertificateStatusSource source = CertificateStatusSource.OCSP;
        List<String> urls = new ArrayList<>();
        CertificateIdentifier.ocspResponderUrl(cert).ifPresent(urls::add);
        if (urls.isEmpty()) {
            urls.addAll(crlUrls(cert));
            if (!urls.isEmpty()) {
                source = CertificateStatusSource.CRL;
            }
        }
        GetCertificateChainStatusResponse r = broker.chainStatus(new GetCertificateChainStatusRequest(List.of(
                new CertificateStatusRequestInfo(CertificateIdentifier.of(cert, issuer, HashAlgorithm.SHA256), source, urls))));
        if (r.certificateStatus() == null || r.certificateStatus().isEmpty()) {
            return RevocationCheck.Status.UNAVAILABLE;
        }
        CertificateStatusEnum s = r.certificateStatus().get(0).status();
        return switch (s) {
            case Good -> RevocationCheck.Status.GOOD;
            case Revoked -> RevocationCheck.Status.REVOKED;
            case Unknown -> RevocationCheck.Status.UNKNOWN;
            default -> RevocationCheck.Status.UNAVAILABLE;
        };
    }

    private static List<String> crlUrls(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (ext == null) {
            return out;
        }
        try {
            CRLDistPoint dp = CRLDistPoint.getInstance(ASN1OctetString.getInstance(ext).getOctets());
            for (DistributionPoint p : dp.getDistributionPoints()) {
                DistributionPointName n = p.getDistributionPoint();
                if (n == null || n.getType() != DistributionPointName.FULL_NAME) {
                    continue;
                }
                for (GeneralName g : GeneralNames.getInstance(n.getName()).getNames()) {
                    if (g.getTagNo() == GeneralName.uniformResourceIdentifier && out.size() < 5) {
                        out.add(g.getName().toString());
                    }
                }
            }
        } catch (RuntimeException e) {
            // an unreadable extension: no CRL source
        }
        return out;
    }

    private static FirmwareSignatureAlgorithm algorithm(String name, boolean defaultEcdsa) {
        if (name == null || name.isBlank()) {
            return defaultEcdsa ? FirmwareSignatureAlgorithm.ECDSA_SHA256 : null;
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "ecdsa":
            case "ecdsa-sha256":
                return FirmwareSignatureAlgorithm.ECDSA_SHA256;
            case "rsa-pss":
            case "rsa-pss-sha256":
            case "rsassa-pss":
                return FirmwareSignatureAlgorithm.RSA_PSS_SHA256;
            default:
                throw Refusal.badRequest("UNSUPPORTED_ALGORITHM", "algorithm must be ecdsa or rsa-pss");
        }
    }
}
