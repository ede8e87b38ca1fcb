package io.ocppsec.simulator;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.rpc.FrameReader;
import io.ocppsec.ocpp.rpc.ReadResult;
import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.simulator.testing.StandInCsms;
import io.ocppsec.simulator.testing.TestCa;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What the simulator tests share: a test CA, one event loop group for all stations, helpers. */
abstract class Fixture {
    /** Upper bound for anything to happen; never a timing assertion. */
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String PASSWORD = "correct-horse-battery-staple";
    static final JsonMapper JSON = JsonMapper.builder().build();

    static TestCa ca;
    static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        ca = TestCa.create("simulator-test");
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A configuration for {@code identity} against {@code csms}: profile 2 then 3, test CA trusted, fast retries. */
    static SimulatorConfig.Builder config(StandInCsms csms, String identity) {
        return SimulatorConfig.builder(csms.url(), identity)
                .serialNumber("SN-" + identity.replaceAll("[^A-Za-z0-9]", ""))
                .password(PASSWORD)
                .trustAnchors(java.util.List.of(ca.root()))
                .reconnectDelays(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    static SimulatedStation station(SimulatorConfig config, EventLog log) {
        return SimulatedStation.builder(config).eventLoopGroup(group).listener(log).build();
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    static ObjectNode json(String text) {
        return (ObjectNode) JSON.readTree(text);
    }

    /** The frame a station sent, parsed. */
    static RpcFrame parse(OcppVersion v, String text) {
        return ((ReadResult.Accepted) new FrameReader(v).read(text)).frame();
    }

    static String field(JsonNode n, String name) {
        JsonNode f = n.get(name);
        return f == null ? null : f.asString();
    }
}
