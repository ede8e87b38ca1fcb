package io.ocppsec.terminator;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A terminator on free ports in front of a {@link PkiStandIn}, with a test PKI; closes everything. */
final class Harness implements AutoCloseable {
    final TestPki pki = new TestPki();
    final PkiStandIn standIn;
    final Terminator terminator;
    final Path dir;

    Harness(Path dir, Map<String, String> extra) throws Exception {
        this(dir, extra, s -> { });
    }

    /** {@code before} adjusts the stand-in before the terminator starts. */
    Harness(Path dir, Map<String, String> extra, java.util.function.Consumer<PkiStandIn> before) throws Exception {
        this.dir = dir;
        standIn = new PkiStandIn(pki);
        before.accept(standIn);
        pki.writeServerCertificates(dir.resolve("tls"), "");
        Files.writeString(dir.resolve("token"), PkiStandIn.TOKEN + "\n");
        Map<String, String> c = new HashMap<>();
        c.put("wss-host", "127.0.0.1");
        c.put("wss-port", "0");
        c.put("ws-port", "0");
        c.put("control-port", "0");
        c.put("tls-dir", dir.resolve("tls").toString());
        c.put("pki-url", standIn.url().toString());
        c.put("pki-token-file", dir.resolve("token").toString());
        c.put("identity-key-file", dir.resolve("identity.key").toString());
        c.put("reload-interval", "200ms");
        c.put("handshake-timeout", "5s");
        c.putAll(extra);
        terminator = new Terminator(TerminatorConfig.from(c)).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!terminator.trustLoaded() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        if (!terminator.trustLoaded()) {
            throw new IllegalStateException("the terminator did not load the station CA");
        }
    }

    URI wss(String station) {
        return URI.create("wss://localhost:" + terminator.wssPort() + "/ocpp/" + station);
    }

    URI ws(String station) {
        return URI.create("ws://localhost:" + terminator.wsPort() + "/ocpp/" + station);
    }

    URI control(String path) {
        return URI.create("http://127.0.0.1:" + terminator.controlPort() + path);
    }

    @Override
    public void close() {
        terminator.stop();
        standIn.close();
    }
}
