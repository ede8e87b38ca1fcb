package io.ocppsec.terminator;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accept pacing under load: the cap on connections in their handshake or upgrade
 * ({@code max-handshakes-in-progress}) holds even while the stations' event loops are too busy to
 * look at new connections, as under a reconnect storm. The listener counts each connection as it
 * accepts it and stops accepting at the cap; what is beyond waits in the kernel's accept queue.
 */
class AcceptPacingTest {
    @TempDir
    Path dir;

    static JsonNode health(Harness h) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(h.control("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonMapper.builder().build().readTree(r.body());
    }

    @Test
    void theHandshakeCapHoldsWhileTheStationLoopsAreBusy() throws Exception {
        int cap = 40;
        try (Harness h = new Harness(dir, Map.of("max-handshakes-in-progress", Integer.toString(cap),
                "max-pending-per-ip", "10000", "accept-rate", "0", "handshake-timeout", "3s"))) {
            // every station loop busy (as with handshakes under a storm) until released
            CountDownLatch release = new CountDownLatch(1);
            List<EventExecutor> loops = new ArrayList<>();
            h.terminator.stationLoops().forEach(loops::add);
            CountDownLatch blocked = new CountDownLatch(loops.size());
            for (EventExecutor loop : loops) {
                loop.execute(() -> {
                    blocked.countDown();
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    Socket s = new Socket();
                    // completes in the kernel's accept queue whether or not the terminator accepts it
                    s.connect(new InetSocketAddress("127.0.0.1", h.terminator.wssPort()), 2000);
                    sockets.add(s);
                }
                Thread.sleep(500);
                JsonNode busy = health(h);
                // one listener read's batch (16) may pass the cap; before the fix the listener accepted all 300
                assertThat(busy.get("handshakesInProgress").asInt()).isBetween(cap, cap + 16);
                assertThat(busy.get("handshakesInProgressPeak").asInt()).isLessThanOrEqualTo(cap + 16);
                assertThat(busy.get("acceptPauses").asLong()).isPositive();
            } finally {
                release.countDown();
                for (Socket s : sockets) {
                    s.close();
                }
            }
            // closed: every count is released and accepting resumes
            long deadline = System.currentTimeMillis() + 10_000;
            JsonNode after = health(h);
            while (after.get("handshakesInProgress").asInt() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
                after = health(h);
            }
            assertThat(after.get("handshakesInProgress").asInt()).isZero();
            assertThat(after.get("handshakesInProgressPeak").asInt()).isLessThanOrEqualTo(cap + 16);
        }
    }
}
