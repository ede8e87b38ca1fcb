package io.ocppsec.pki.broker;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.GetCertificateChainStatusRequest;
import io.ocppsec.ocpp.message.GetCertificateChainStatusResponse;
import io.ocppsec.ocpp.message.GetCertificateStatusResponse;
import io.ocppsec.ocpp.message.type.CertificateStatus;
import io.ocppsec.ocpp.message.type.CertificateStatusEnum;
import io.ocppsec.ocpp.message.type.CertificateStatusRequestInfo;
import io.ocppsec.ocpp.message.type.CertificateStatusSource;
import io.ocppsec.ocpp.message.type.OcspRequestData;
import io.ocppsec.ocpp.message.type.StatusInfo;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCSP broker behind GetCertificateStatus (M06) and GetCertificateChainStatus (M07, 2.1).
 *
 * <p>For each CertID: a cached verified answer if one is live; else, when the issuer is a CA we
 * run, our own responder in process ({@link LocalOcspResponder}); else the station's URLs, each
 * only through the {@link GuardedFetcher} (allow-list, SSRF guard, caps). Every answer is verified
 * ({@link OcspVerifier}, {@link CrlVerifier}) before it is cached or handed on. A failure is a
 * well-formed OCPP answer (M06.FR.04 status Failed with a reason; M07.FR.02/05 status Failed).
 * Concurrent misses for one CertID share one fetch.
 */
public final class OcspBroker {
    private static final Logger log = LoggerFactory.getLogger(OcspBroker.class);
    private static final Set<String> OCSP_TYPES = Set.of("application/ocsp-response");
    private static final Set<String> CRL_TYPES = Set.of("application/pkix-crl", "application/x-pkcs7-crl",
            "application/octet-stream");

    private record CrlKey(CertId id) {
    }

    private final BrokerProperties props;
    private final Supplier<List<X509Certificate>> ownIssuers;
    private final List<X509Certificate> externalIssuers;
    private final Supplier<LocalOcspResponder> local;
    private final GuardedFetcher fetcher;
    private final OcspVerifier ocspVerifier;
    private final CrlVerifier crlVerifier;
    private final OcspCache cache;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<Object, CompletableFuture<OcspCache.Entry>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param ownIssuers      the certificates of the CAs we run (asked on every miss: rotation shows at once)
     * @param externalIssuers external issuing CAs whose answers we can verify
     * @param local           our own responder, or null while there is none
     */
    public OcspBroker(BrokerProperties props, Supplier<List<X509Certificate>> ownIssuers, List<X509Certificate> externalIssuers,
                      Supplier<LocalOcspResponder> local, GuardedFetcher.Resolver resolver, Clock clock) {
        this.props = props;
        this.ownIssuers = ownIssuers;
        this.externalIssuers = List.copyOf(externalIssuers);
        this.local = local;
        this.fetcher = new GuardedFetcher(AllowList.of(props.allowedHosts()), new AddressGuard(props.allowedNetworks()),
                resolver, props.connectTimeout(), props.readTimeout());
        this.ocspVerifier = new OcspVerifier(props.clockSkew());
        this.crlVerifier = new CrlVerifier(props.clockSkew());
        this.cache = new OcspCache(props.maxCacheEntries());
        this.clock = clock;
    }

    public OcspCache cache() {
        return cache;
    }

    /**
     * Drops every cached answer for one certificate (each hash algorithm, OCSP and CRL). For our
     * own CAs the revocation service calls this when it revokes, so a revoked certificate is not
     * reported good from the cache until its nextUpdate.
     */
    public void forget(X509Certificate issuer, java.math.BigInteger serial) {
        for (io.ocppsec.ocpp.message.type.HashAlgorithm a : io.ocppsec.ocpp.message.type.HashAlgorithm.values()) {
            CertId id = CertId.of(a, issuer, serial);
            cache.remove(id);
            cache.remove(new CrlKey(id));
        }
    }

    /** M06: the OCSP response for one certificate, DER and base64, or Failed with a reason. */
    public GetCertificateStatusResponse certificateStatus(OcspRequestData data, OcppVersion version) {
        int maxBase64 = version == OcppVersion.OCPP_2_0_1 ? 5500 : 18000;
        int infoMax = version == OcppVersion.OCPP_2_0_1 ? 512 : 1024;
        try {
            CertId id = CertId.of(data.certificateHashData());
            OcspCache.Entry e = ocsp(id, List.of(data.responderURL()));
            if (e.base64().length() > maxBase64) {
                throw new BrokerFailure("ResultTooLong", "the OCSP response is " + e.base64().length()
                        + " base64 characters; " + version.subprotocol() + " allows " + maxBase64);
            }
            return new GetCertificateStatusResponse(io.ocppsec.ocpp.message.type.GetCertificateStatusEnum.Accepted, null, e.base64());
        } catch (BrokerFailure f) {
            log.info("GetCertificateStatus failed: {}: {}", f.reasonCode(), f.getMessage());
            String info = f.getMessage() == null ? null : f.getMessage().length() > infoMax ? f.getMessage().substring(0, infoMax) : f.getMessage();
            return GetCertificateStatusResponse.failed(StatusInfo.of(f.reasonCode(), info));
        }
    }

    /** M07: one status per requested certificate, by OCSP or CRL as the station asks. */
    public GetCertificateChainStatusResponse chainStatus(GetCertificateChainStatusRequest request) {
        List<CertificateStatus> out = new ArrayList<>();
        for (CertificateStatusRequestInfo r : request.certificateStatusRequests()) {
            out.add(oneStatus(r));
        }
        return new GetCertificateChainStatusResponse(out);
    }

    private CertificateStatus oneStatus(CertificateStatusRequestInfo r) {
        try {
            CertId id = CertId.of(r.certificateHashData());
            OcspCache.Entry e = r.source() == CertificateStatusSource.CRL ? crl(id, r.urls()) : ocsp(id, r.urls());
            CertificateStatusEnum status = switch (e.state()) {
                case GOOD -> CertificateStatusEnum.Good;
                case REVOKED -> CertificateStatusEnum.Revoked;
                case UNKNOWN -> CertificateStatusEnum.Unknown;
            };
            Instant next = e.nextUpdate() != null ? e.nextUpdate() : Instant.ofEpochMilli(e.expiresAtMillis());
            return new CertificateStatus(r.certificateHashData(), r.source(), status, utc(next));
        } catch (BrokerFailure f) {
            log.info("GetCertificateChainStatus {} failed: {}: {}", r.source(), f.reasonCode(), f.getMessage());
            return new CertificateStatus(r.certificateHashData(), r.source(), CertificateStatusEnum.Failed, utc(clock.instant()));
        }
    }

    private static OffsetDateTime utc(Instant i) {
        return i.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC);
    }

    /** A verified OCSP answer for {@code id}: cached, our own responder's, or fetched from one of {@code urls}. */
    OcspCache.Entry ocsp(CertId id, List<String> urls) throws BrokerFailure {
        OcspCache.Entry hit = cache.get(id, clock.millis());
        if (hit != null) {
            return hit;
        }
        return once(id, () -> {
            List<X509Certificate> own = ownIssuers.get();
            Optional<X509Certificate> ours = own.stream().filter(id::issuedBy).findFirst();
            OcspVerifier.Verified v;
            if (ours.isPresent()) {
                v = askOwn(id, own);
            } else {
                v = askExternal(id, urls, known(own));
            }
            return store(id, v.state(), v.der(), v.nextUpdate());
        });
    }

    private OcspVerifier.Verified askOwn(CertId id, List<X509Certificate> own) throws BrokerFailure {
        LocalOcspResponder responder = local == null ? null : local.get();
        if (responder == null) {
            throw new BrokerFailure("NoLocalResponder", "the issuer is one of our CAs but our OCSP responder is not running");
        }
        byte[] request = request(id, null);
        Optional<byte[]> answer;
        try {
            answer = responder.respond(request);
        } catch (RuntimeException e) {
            log.warn("our OCSP responder failed: {}", e.toString());
            throw new BrokerFailure("LocalResponderError", "our OCSP responder failed");
        }
        if (answer.isEmpty()) {
            throw new BrokerFailure("LocalUnknownIssuer", "our OCSP responder does not answer for this issuer");
        }
        return ocspVerifier.verify(answer.get(), id, own, null, false, clock.instant());
    }

    private OcspVerifier.Verified askExternal(CertId id, List<String> urls, List<X509Certificate> known) throws BrokerFailure {
        BrokerFailure last = new BrokerFailure("NoUrl", "no responder URL");
        for (String url : urls) {
            try {
                GuardedFetcher.Target target = fetcher.check(url);
                byte[] nonce = new byte[16];
                random.nextBytes(nonce);
                GuardedFetcher.Answer a = fetcher.exchange(target, request(id, nonce), "application/ocsp-request",
                        "application/ocsp-response", OCSP_TYPES, props.maxResponseBytes());
                return ocspVerifier.verify(a.body(), id, known, nonce, props.requireNonce(), clock.instant());
            } catch (BrokerFailure f) {
                last = f;
            }
        }
        throw last;
    }

    private volatile java.util.function.Function<X509Certificate, Optional<byte[]>> localCrls;

    /**
     * Our own CRLs, in process: for a CA we run, M07's CRL source is answered from the CRL it
     * publishes (DER), verified like any other, instead of fetching the station's URL (which points
     * at us, on an address the guard rightly refuses).
     */
    public void useLocalCrls(java.util.function.Function<X509Certificate, Optional<byte[]>> crls) {
        this.localCrls = crls;
    }

    /** A verified CRL answer for {@code id}, cached per CertID until the CRL's nextUpdate. */
    OcspCache.Entry crl(CertId id, List<String> urls) throws BrokerFailure {
        CrlKey key = new CrlKey(id);
        OcspCache.Entry hit = cache.get(key, clock.millis());
        if (hit != null) {
            return hit;
        }
        return once(key, () -> {
            List<X509Certificate> own = ownIssuers.get();
            List<X509Certificate> known = known(own);
            Optional<X509Certificate> ours = own.stream().filter(id::issuedBy).findFirst();
            java.util.function.Function<X509Certificate, Optional<byte[]>> crls = localCrls;
            if (ours.isPresent() && crls != null) {
                byte[] der = crls.apply(ours.get())
                        .orElseThrow(() -> new BrokerFailure("LocalCrlMissing", "our CA has no current CRL"));
                CrlVerifier.Verdict v = crlVerifier.verify(der, id, known, clock.instant());
                return storeAs(key, v.revoked() ? OcspVerifier.CertState.REVOKED : OcspVerifier.CertState.GOOD,
                        new byte[0], v.nextUpdate());
            }
            BrokerFailure last = new BrokerFailure("NoUrl", "no CRL URL");
            for (String url : urls) {
                try {
                    GuardedFetcher.Target target = fetcher.check(url);
                    GuardedFetcher.Answer a = fetcher.exchange(target, null, null,
                            "application/pkix-crl", CRL_TYPES, props.maxCrlBytes());
                    CrlVerifier.Verdict v = crlVerifier.verify(a.body(), id, known, clock.instant());
                    return storeAs(key, v.revoked() ? OcspVerifier.CertState.REVOKED : OcspVerifier.CertState.GOOD,
                            new byte[0], v.nextUpdate());
                } catch (BrokerFailure f) {
                    last = f;
                }
            }
            throw last;
        });
    }

    private List<X509Certificate> known(List<X509Certificate> own) {
        List<X509Certificate> all = new ArrayList<>(own);
        all.addAll(externalIssuers);
        return all;
    }

    private OcspCache.Entry store(CertId id, OcspVerifier.CertState state, byte[] der, Instant nextUpdate) {
        return storeAs(id, state, der, nextUpdate);
    }

    private OcspCache.Entry storeAs(Object key, OcspVerifier.CertState state, byte[] der, Instant nextUpdate) {
        long now = clock.millis();
        long ttlEnd = now + props.maxTtl().toMillis();
        long expires = nextUpdate == null ? ttlEnd : Math.min(ttlEnd, nextUpdate.toEpochMilli());
        OcspCache.Entry e = new OcspCache.Entry(state, der, Base64.getEncoder().encodeToString(der), nextUpdate, expires);
        if (expires > now) {
            cache.put(key, e, now);
        }
        return e;
    }

    @FunctionalInterface
    private interface Work {
        OcspCache.Entry run() throws BrokerFailure;
    }

    /** Runs {@code work} once for concurrent callers with the same key; the others wait for its result. */
    private OcspCache.Entry once(Object key, Work work) throws BrokerFailure {
        CompletableFuture<OcspCache.Entry> mine = new CompletableFuture<>();
        CompletableFuture<OcspCache.Entry> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            try {
                long wait = props.connectTimeout().plus(props.readTimeout()).toMillis() * 5 + 1000;
                return running.get(wait, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof BrokerFailure f) {
                    throw f;
                }
                throw new BrokerFailure("InternalError", "the broker failed");
            } catch (TimeoutException e) {
                throw new BrokerFailure("Timeout", "no answer in time");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerFailure("InternalError", "interrupted");
            }
        }
        try {
            OcspCache.Entry e = work.run();
            mine.complete(e);
            return e;
        } catch (BrokerFailure f) {
            mine.completeExceptionally(f);
            throw f;
        } catch (RuntimeException r) {
            log.warn("OCSP broker failure", r);
            BrokerFailure f = new BrokerFailure("InternalError", "the broker failed");
            mine.completeExceptionally(f);
            throw f;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** A DER OCSPRequest for one CertID, with a nonce extension when {@code nonce} is given. */
    static byte[] request(CertId id, byte[] nonce) throws BrokerFailure {
        try {
            OCSPReqBuilder b = new OCSPReqBuilder().addRequest(id.toBc());
            if (nonce != null) {
                b.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        new DEROctetString(new DEROctetString(nonce).getEncoded()))));
            }
            return b.build().getEncoded();
        } catch (OCSPException | java.io.IOException e) {
            throw new BrokerFailure("InternalError", "could not build the OCSP request");
        }
    }
}
