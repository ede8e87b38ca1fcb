package io.ocppsec.pki.revocation;

import io.ocppsec.pki.ca.CustodyContentSigner;
import io.ocppsec.pki.ca.SerialNumbers;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.store.CertificateStore;
import io.ocppsec.pki.store.IssuedCertificateRecord;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 6960 responder, without HTTP: request bytes in, response bytes out.
 *
 * <p>Hot path: a request without a nonce for one certificate is answered from a cache keyed by
 * the request's bytes, holding the DER response signed earlier (good or revoked; never unknown): a map lookup and the bytes. That
 * response is signed the first time the certificate is asked for, re-signed in the background
 * before {@code refreshAfter} (well inside its nextUpdate), and dropped at once when the
 * certificate is revoked here, or within a poll interval when another instance revokes it. A
 * request with a nonce (RFC 8954) is signed on demand and echoes the nonce.
 *
 * <p>Outcomes (RFC 6960 §2.2, §2.3, §4.2.1): good, revoked with time and reason, unknown (a serial
 * a CA we run never issued); {@code unauthorized} for a CA we do not run (or a CertID hash we do
 * not support, since we cannot tell the CA); {@code malformedRequest} for anything that is not a
 * DER OCSPRequest, an empty request, more than {@value #MAX_CERTIFICATES} certificates, or a
 * nonce outside 1..32 octets; {@code internalError} when signing fails.
 */
public final class OcspResponder {
    private static final Logger log = LoggerFactory.getLogger(OcspResponder.class);
    /** Largest request accepted, in bytes: one CertID is ~70, a signed request with chain a few KiB. */
    public static final int MAX_REQUEST = 8 * 1024;
    static final int MAX_CERTIFICATES = 16;
    /**
     * At most this many pre-signed responses (about 1 KiB each). Only answers for certificates we
     * issued are kept ("unknown" is signed every time), so the cache grows with the fleet, not
     * with what strangers send.
     */
    private static final int MAX_CACHED = 300_000;
    private static final ASN1ObjectIdentifier SHA1 = OIWObjectIdentifiers.idSHA1;
    private static final ASN1ObjectIdentifier SHA256 = NISTObjectIdentifiers.id_sha256;
    /** CertID hash algorithms answered, by OID: SHA-1 and SHA-256/384/512 (OCPP's OCSPRequestData). */
    private static final java.util.Map<ASN1ObjectIdentifier, String> CERT_ID_HASHES = java.util.Map.of(
            SHA1, "SHA-1", SHA256, "SHA-256", NISTObjectIdentifiers.id_sha384, "SHA-384", NISTObjectIdentifiers.id_sha512, "SHA-512");

    static final byte[] MALFORMED = unsigned(OCSPRespBuilder.MALFORMED_REQUEST);
    static final byte[] UNAUTHORIZED = unsigned(OCSPRespBuilder.UNAUTHORIZED);
    static final byte[] INTERNAL_ERROR = unsigned(OCSPRespBuilder.INTERNAL_ERROR);

    private final RevocationIssuers issuers;
    private final CertificateStore certificates;
    private final KeyCustody custody;
    private final Duration validity;
    private final Duration refreshAfter;
    private final ConcurrentHashMap<RequestKey, Cached> cache = new ConcurrentHashMap<>();
    /** Bumped by every eviction: an answer computed across one is not cached (it may be stale). */
    private final AtomicLong generation = new AtomicLong();

    public OcspResponder(RevocationIssuers issuers, CertificateStore certificates, KeyCustody custody, Duration validity,
                         Duration refreshAfter) {
        if (refreshAfter.compareTo(validity) >= 0) {
            throw new IllegalArgumentException("OCSP responses must be re-signed before nextUpdate: refresh "
                    + refreshAfter + " is not shorter than validity " + validity);
        }
        this.issuers = issuers;
        this.certificates = certificates;
        this.custody = custody;
        this.validity = validity;
        this.refreshAfter = refreshAfter;
    }

    /** The DER OCSPResponse for DER request bytes (never null, never throws). */
    public byte[] respond(byte[] request) {
        RequestKey key = new RequestKey(request);
        Cached c = cache.get(key);
        if (c != null && System.currentTimeMillis() < c.refreshAtMillis()) {
            return c.der();
        }
        return answer(key);
    }

    /** How many pre-signed responses are held. */
    public long cached() {
        return cache.mappingCount();
    }

    /** Drops the pre-signed responses of a certificate (it was revoked). */
    public void evict(String issuerId, String serial) {
        generation.incrementAndGet();
        cache.values().removeIf(c -> c.serial().equals(serial) && c.issuerId().equals(issuerId));
    }

    /** Drops every pre-signed response (a CA or signer changed). */
    public void evictAll() {
        generation.incrementAndGet();
        cache.clear();
    }

    /** Re-signs the pre-signed responses that would go stale within {@code horizon}. */
    public int refreshDue(Duration horizon) {
        long limit = System.currentTimeMillis() + horizon.toMillis();
        int n = 0;
        for (var e : cache.entrySet()) {
            if (e.getValue().refreshAtMillis() <= limit) {
                answer(e.getKey());
                n++;
            }
        }
        return n;
    }

    private byte[] answer(RequestKey key) {
        long gen = generation.get();
        OCSPReq req;
        try {
            req = new OCSPReq(key.bytes());
        } catch (IOException | RuntimeException e) {
            return MALFORMED;
        }
        Req[] list = req.getRequestList();
        if (list.length == 0 || list.length > MAX_CERTIFICATES) {
            return MALFORMED;
        }
        Extension nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null && !validNonce(nonce)) {
            return MALFORMED;
        }
        RevocationIssuers.Entry issuer = null;
        for (Req r : list) {
            Optional<RevocationIssuers.Entry> e = issuerOf(r.getCertID());
            if (e.isEmpty() || (issuer != null && issuer != e.get())) {
                return UNAUTHORIZED;
            }
            issuer = e.get();
        }
        try {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Date thisUpdate = Date.from(now);
            Date nextUpdate = Date.from(now.plus(validity));
            X509CertificateHolder signerCert = new X509CertificateHolder(issuer.signer().certificate().getEncoded());
            BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(signerCert.getSubjectPublicKeyInfo(), sha1()));
            String serial = null;
            boolean known = true;
            for (Req r : list) {
                CertificateID id = r.getCertID();
                serial = SerialNumbers.hex(id.getSerialNumber());
                CertificateStatus status = status(issuer, id.getSerialNumber());
                known &= !(status instanceof UnknownStatus);
                b.addResponse(id, status, thisUpdate, nextUpdate, null);
            }
            if (nonce != null) {
                b.setResponseExtensions(new Extensions(nonce));
            }
            BasicOCSPResp basic = b.build(CustodyContentSigner.of(custody, issuer.signer().key(),
                    issuer.signer().signingAlgorithm()), new X509CertificateHolder[] {signerCert}, thisUpdate);
            byte[] der = new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
            if (nonce == null && list.length == 1 && known && generation.get() == gen
                    && (cache.containsKey(key) || cache.mappingCount() < MAX_CACHED)) {
                cache.put(key, new Cached(der, now.plus(refreshAfter).toEpochMilli(), issuer.ca().id(), serial));
            }
            return der;
        } catch (OCSPException | IOException | java.security.cert.CertificateEncodingException | RuntimeException e) {
            log.warn("OCSP response could not be signed: {}", e.toString());
            return INTERNAL_ERROR;
        }
    }

    private Optional<RevocationIssuers.Entry> issuerOf(CertificateID id) {
        String alg = CERT_ID_HASHES.get(id.getHashAlgOID());
        if (alg == null) {
            return Optional.empty();
        }
        return issuers.byCertId(alg, id.getIssuerNameHash(), id.getIssuerKeyHash());
    }

    private CertificateStatus status(RevocationIssuers.Entry issuer, BigInteger serialNumber) {
        if (serialNumber.signum() <= 0) {
            return new UnknownStatus();
        }
        String serial = SerialNumbers.hex(serialNumber);
        Optional<IssuedCertificateRecord> r = certificates.bySerial(serial)
                .filter(c -> c.issuerId().equals(issuer.ca().id()));
        if (r.isPresent()) {
            IssuedCertificateRecord c = r.get();
            if (IssuedCertificateRecord.REVOKED.equals(c.status())) {
                return new RevokedStatus(Date.from(c.revokedAt()), RevocationReason.stored(c.revocationReason()).code());
            }
            return CertificateStatus.GOOD;
        }
        // The CA certificates it signed itself (station CA, OCSP signer, server certificates).
        return issuer.childSerials().contains(serial) ? CertificateStatus.GOOD : new UnknownStatus();
    }

    /** RFC 8954 §2.1: the nonce is an OCTET STRING of 1 to 32 octets. */
    private static boolean validNonce(Extension nonce) {
        byte[] value = nonce.getExtnValue().getOctets();
        try {
            byte[] inner = ASN1OctetString.getInstance(value).getOctets();
            return inner.length >= 1 && inner.length <= 32;
        } catch (RuntimeException e) {
            // Some clients put the raw nonce bytes in extnValue (RFC 2560 was vague); accept those too.
            return value.length >= 1 && value.length <= 32;
        }
    }

    private static DigestCalculator sha1() {
        try {
            return new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(int status) {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private record Cached(byte[] der, long refreshAtMillis, String issuerId, String serial) {
    }

    /** Request bytes as a map key. */
    private static final class RequestKey {
        private final byte[] bytes;
        private final int hash;

        RequestKey(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        byte[] bytes() {
            return bytes;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RequestKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
