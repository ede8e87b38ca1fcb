package io.ocppsec.pki.broker;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.GetCertificateStatusResponse;
import io.ocppsec.ocpp.message.type.GetCertificateStatusEnum;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.ocpp.message.type.OcspRequestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Benchmark program (not a test): the broker's cache-hit latency, in process. {@code openssl ocsp}
 * (or, without openssl, the BC responder behind the tiny HTTP server) answers the misses; 64
 * CertIDs are fetched, verified and cached once, then {@code threads} threads each ask
 * {@code perThread} times for a random one of them (GetCertificateStatus, OCPP 2.0.1), every call
 * timed with System.nanoTime. Prints p50/p99/p99.9/max and calls/s. Arguments: threads perThread.
 */
public final class BrokerCacheBench {
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int perThread = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        Path dir = Files.createTempDirectory("broker-bench");
        TestPki.Cert ca = TestPki.ca("Bench CA");
        TestPki.Cert signer = TestPki.ocspSigner(ca, true);
        List<TestPki.Cert> leaves = new ArrayList<>();
        List<String> index = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            TestPki.Cert leaf = TestPki.leaf(ca, "leaf " + i);
            leaves.add(leaf);
            index.add(OpensslOcspResponder.indexLine(leaf.certificate(), i % 8 == 0));
        }
        AutoCloseable responder;
        int port;
        String peer;
        if (OpensslOcspResponder.available()) {
            OpensslOcspResponder o = OpensslOcspResponder.start(dir, ca, signer, index, 60);
            responder = o;
            port = o.port();
            peer = "openssl ocsp";
        } else {
            BcOcspResponder bc = new BcOcspResponder(ca, signer);
            leaves.forEach(l -> bc.issued(l.certificate().getSerialNumber()));
            TinyHttpServer s = new TinyHttpServer(b -> TinyHttpServer.Reply.ok("application/ocsp-response", bc.respond(b).orElseThrow()));
            responder = s;
            port = s.port();
            peer = "BC responder";
        }
        try (responder) {
            OcspBroker broker = Brokers.broker(List.of("ocsp.test:" + port), List.of("127.0.0.1/32"), List.of(), null,
                    List.of(ca.certificate()));
            OcspRequestData[] requests = new OcspRequestData[leaves.size()];
            for (int i = 0; i < requests.length; i++) {
                requests[i] = Brokers.request(HashAlgorithm.SHA256, ca.certificate(), leaves.get(i).certificate(),
                        "http://ocsp.test:" + port + "/");
                GetCertificateStatusResponse r = broker.certificateStatus(requests[i], OcppVersion.OCPP_2_0_1);
                if (r.status() != GetCertificateStatusEnum.Accepted) {
                    throw new IllegalStateException("miss failed: " + r.statusInfo());
                }
            }
            run(broker, requests, threads, Math.max(50_000, perThread / 5)); // warm-up
            long[][] samples = new long[threads][];
            long start = System.nanoTime();
            run(broker, requests, threads, perThread, samples);
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] all = Arrays.stream(samples).flatMapToLong(Arrays::stream).sorted().toArray();
            System.out.printf(Locale.ROOT, "OCSP broker cache hit (GetCertificateStatus 2.0.1, %d CertIDs, misses answered by %s)%n",
                    requests.length, peer);
            System.out.printf(Locale.ROOT, "threads=%d calls=%d  p50=%.1f us  p99=%.1f us  p99.9=%.1f us  max=%.1f us  %.0f calls/s%n",
                    threads, all.length, pct(all, 50), pct(all, 99), pct(all, 99.9), all[all.length - 1] / 1e3, all.length / seconds);
        }
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e3;
    }

    private static void run(OcspBroker broker, OcspRequestData[] requests, int threads, int n) throws InterruptedException {
        run(broker, requests, threads, n, new long[threads][]);
    }

    private static void run(OcspBroker broker, OcspRequestData[] requests, int threads, int n, long[][] samples)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                long[] s = new long[n];
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(id);
                for (int i = 0; i < n; i++) {
                    OcspRequestData r = requests[rnd.nextInt(requests.length)];
                    long t0 = System.nanoTime();
                    GetCertificateStatusResponse resp = broker.certificateStatus(r, OcppVersion.OCPP_2_0_1);
                    s[i] = System.nanoTime() - t0;
                    if (resp.ocspResult() == null) {
                        throw new IllegalStateException("not a hit: " + resp.statusInfo());
                    }
                }
                samples[id] = s;
                done.countDown();
            });
            th.start();
        }
        done.await();
    }
}
