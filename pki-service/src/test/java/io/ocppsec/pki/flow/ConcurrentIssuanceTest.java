package io.ocppsec.pki.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.pki.ca.Csrs;
import io.ocppsec.pki.store.CertificateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Eight clients issuing a thousand certificates each over HTTP: no duplicate serial, nothing lost. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConcurrentIssuanceTest {
    static final int THREADS = 8;
    static final int PER_THREAD = 1000;

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    CertificateStore certificates;

    @Test
    void eightThreadsIssuingAThousandEachGetDistinctSerialsAndEveryCertificateIsStored() throws Exception {
        Api api = new Api(port);
        String admin = Files.readString(dir.resolve("data/admin-token")).trim();
        List<List<String>> csrs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String id = "CONC-" + t;
            assertThat(api.post("/api/v1/stations", "{\"identity\":\"" + id + "\",\"serialNumber\":\"SN-" + id + "\"}", admin).status())
                    .isEqualTo(201);
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < PER_THREAD; i++) {
                mine.add(Csrs.p256("CN=SN-" + id + ",O=" + IssuanceFlowContract.ORG));
            }
            csrs.add(mine);
        }
        long before = certificates.count();
        Set<String> serials = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                Api client = new Api(port);
                int ok = 0;
                for (String csr : csrs.get(thread)) {
                    Api.Reply r = client.post("/api/v1/certificates/sign",
                            Api.object().put("station", "CONC-" + thread).put("csr", csr), admin);
                    if (r.status() == 201 && serials.add(r.json().get("serialNumber").asString())) {
                        ok++;
                    }
                }
                return ok;
            }));
        }
        int total = 0;
        for (Future<Integer> f : results) {
            total += f.get();
        }
        pool.shutdown();
        assertThat(total).as("every request answered 201 with a serial no other got").isEqualTo(THREADS * PER_THREAD);
        assertThat(serials).hasSize(THREADS * PER_THREAD);
        assertThat(certificates.count() - before).as("no lost record").isEqualTo(THREADS * PER_THREAD);
        for (String serial : serials) {
            assertThat(certificates.bySerial(serial)).as(serial).isPresent();
        }
        assertThat(api.get("/api/v1/audit/verify", admin).json().get("intact").booleanValue()).isTrue();
    }
}
