package io.ocppsec.terminator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile input: oversized frames, invalid UTF-8, TLS garbage, idle floods, repeated failures. Real sockets. */
class BadInputTest {
    @TempDir
    static Path dir;
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = new Harness(dir, Map.of("max-pending-per-ip", "50", "failure-threshold", "3", "max-frame-bytes", "65536"));
        h.standIn.station("CP2", "SN-2", 2, "secret-password-2");
        h.standIn.station("CPB", "SN-B", 2, "secret-password-b");
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** A TLS socket upgraded to a WebSocket by hand, for writing frames the JDK client would never send. */
    static SSLSocket upgraded(String station, String password) throws IOException {
        SSLSocket s = (SSLSocket) h.pki.clientContext(null).getSocketFactory().createSocket("localhost", h.terminator.wssPort());
        s.setSoTimeout(10_000);
        String auth = Base64.getEncoder().encodeToString((station + ":" + password).getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().write(("GET /ocpp/" + station + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: ocpp2.0.1\r\nAuthorization: Basic " + auth + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String head = readHead(s.getInputStream());
        assertThat(head).startsWith("HTTP/1.1 101");
        return s;
    }

    static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    /** Reads frames until a close frame; returns its status code. */
    static int closeCode(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] payload = in.readNBytes((int) len);
            if ((b0 & 0x0F) == 0x8) {
                return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
            }
        }
    }

    static void maskedFrameHeader(OutputStream out, int opcode, long length) throws IOException {
        out.write(0x80 | opcode);
        if (length < 126) {
            out.write(0x80 | (int) length);
        } else if (length < 65536) {
            out.write(0x80 | 126);
            out.write((int) (length >> 8));
            out.write((int) length);
        } else {
            out.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (length >> (8 * i)));
            }
        }
        out.write(new byte[] {0, 0, 0, 0}); // mask key 0: payload bytes go as they are
    }

    @Test
    void aHundredMegabyteFrameIsRefusedWithMessageTooBig() throws Exception {
        try (SSLSocket s = upgraded("CP2", "secret-password-2")) {
            OutputStream out = s.getOutputStream();
            maskedFrameHeader(out, 0x1, 100L * 1024 * 1024);
            out.write(new byte[1024]);
            out.flush();
            assertThat(closeCode(s.getInputStream())).isEqualTo(1009);
        }
    }

    @Test
    void invalidUtf8IsRefusedWithInvalidPayloadData() throws Exception {
        try (SSLSocket s = upgraded("CP2", "secret-password-2")) {
            OutputStream out = s.getOutputStream();
            byte[] bad = {'[', '2', ',', '"', (byte) 0xC3, (byte) 0x28, '"', ']'};
            maskedFrameHeader(out, 0x1, bad.length);
            out.write(bad);
            out.flush();
            assertThat(closeCode(s.getInputStream())).isEqualTo(1007);
        }
    }

    @Test
    void tlsGarbageIsDroppedAndDisturbsNobody() throws Exception {
        try (Socket s = new Socket("127.0.0.1", h.terminator.wssPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n\u0000\u0001garbage".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(s.getInputStream().read(new byte[256])).isIn(-1, 7); // closed, or a TLS alert record
        }
        try (TestStation ok = TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), "CP2", "secret-password-2",
                List.of("ocpp2.0.1"))) {
            ok.send("[2,\"h\",\"Heartbeat\",{}]");
            assertThat(ok.next(10)).startsWith("[3,\"h\",");
        }
    }

    @Test
    void thousandsOfIdleConnectionsFromOneAddressAreCappedAndOthersStillConnect() throws Exception {
        List<Socket> idle = new ArrayList<>();
        int refused = 0;
        try {
            for (int i = 0; i < 3000; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress("127.0.0.2", 0));
                s.connect(new InetSocketAddress("127.0.0.1", h.terminator.wssPort()), 5000);
                idle.add(s);
            }
            for (Socket s : idle) {
                s.setSoTimeout(50);
                try {
                    if (s.getInputStream().read() < 0) {
                        refused++;
                    }
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // held: one of the 50 pending ones (or not yet refused)
                } catch (IOException reset) {
                    refused++;
                }
            }
            assertThat(refused).isGreaterThanOrEqualTo(3000 - 50 - 100);
            assertThat(h.terminator.metrics().pending().get()).isLessThanOrEqualTo(50 + 5);
            // a station from another address is not disturbed
            try (TestStation ok = TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), "CP2", "secret-password-2",
                    List.of("ocpp2.0.1"))) {
                ok.send("[2,\"h\",\"Heartbeat\",{}]");
                assertThat(ok.next(10)).startsWith("[3,\"h\",");
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void repeatedFailuresForAStationBackOff() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> TestStation.connect(h.wss("CPB"), h.pki.clientContext(null), "CPB", "wrong", List.of("ocpp2.0.1")))
                    .isInstanceOfSatisfying(TestStation.Refused.class, r -> assertThat(r.status).isEqualTo(401));
        }
        // even the right password waits now
        assertThatThrownBy(() -> TestStation.connect(h.wss("CPB"), h.pki.clientContext(null), "CPB", "secret-password-b",
                List.of("ocpp2.0.1"))).isInstanceOfSatisfying(TestStation.Refused.class, r -> assertThat(r.status).isEqualTo(429));
        assertThat(h.terminator.metrics().refusals("STATION_BACKOFF")).isPositive();
    }

    @Test
    void certificatesAreReloadedWithoutDroppingConnections() throws Exception {
        try (TestStation before = TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), "CP2", "secret-password-2",
                List.of("ocpp2.0.1"))) {
            h.pki.writeServerCertificates(dir.resolve("tls"), " v2");
            long deadline = System.currentTimeMillis() + 10_000;
            String cn = "";
            while (System.currentTimeMillis() < deadline && !cn.contains("v2")) {
                Thread.sleep(100);
                try (SSLSocket s = (SSLSocket) h.pki.clientContext(null).getSocketFactory().createSocket("localhost", h.terminator.wssPort())) {
                    s.startHandshake();
                    cn = ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
                }
            }
            assertThat(cn).contains("v2");
            before.send("[2,\"h\",\"Heartbeat\",{}]");
            assertThat(before.next(10)).startsWith("[3,\"h\","); // the old connection is still there
        }
    }
}
