package io.ocppsec.security.tls;

import io.ocppsec.security.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real JDK handshakes between in-memory SSLEngines: the server engine is configured only through
 * {@link TlsPolicy}; certificates are generated with Bouncy Castle.
 */
class TlsHandshakeTest {

    private static SSLContext serverContext;
    private static SSLContext clientContext;
    private static SSLContext clientWithCertContext;

    @BeforeAll
    static void pki() throws Exception {
        KeyPair serverKeys = TestPki.ecKeyPair("secp256r1");
        X509Certificate serverCert = TestPki.selfSigned("CN=csms.example.com,O=Test CSO", serverKeys, BigInteger.valueOf(1));
        KeyPair clientKeys = TestPki.ecKeyPair("secp256r1");
        X509Certificate clientCert = TestPki.selfSigned("CN=SN-0001,O=Test CSO", clientKeys, BigInteger.valueOf(2));

        serverContext = context(serverKeys, serverCert, clientCert);
        clientContext = context(null, null, serverCert);
        clientWithCertContext = context(clientKeys, clientCert, serverCert);
    }

    private static SSLContext context(KeyPair keys, X509Certificate cert, X509Certificate trusted) throws Exception {
        char[] pw = "test".toCharArray();
        KeyManagerFactory kmf = null;
        if (keys != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", keys.getPrivate(), pw, new Certificate[] {cert});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
        }
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("trusted", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static SSLEngine server(TlsPolicy policy) {
        SSLEngine e = serverContext.createSSLEngine();
        e.setUseClientMode(false);
        return policy.configure(e);
    }

    private static SSLEngine client(SSLContext ctx, String[] protocols, String[] suites) {
        SSLEngine e = ctx.createSSLEngine("csms.example.com", 443);
        e.setUseClientMode(true);
        if (protocols != null) {
            e.setEnabledProtocols(protocols);
        }
        if (suites != null) {
            e.setEnabledCipherSuites(suites);
        }
        return e;
    }

    private static boolean done(SSLEngine e) {
        SSLEngineResult.HandshakeStatus s = e.getHandshakeStatus();
        return s == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || s == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    private static void runTasks(SSLEngine e) {
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Pumps records between the engines until both finish; throws SSLException if either fails. */
    private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int app = Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(packet * 4);
        ByteBuffer toClient = ByteBuffer.allocate(packet * 4);
        ByteBuffer clientApp = ByteBuffer.allocate(app);
        ByteBuffer serverApp = ByteBuffer.allocate(app);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 200; round++) {
            client.wrap(empty, toServer);
            runTasks(client);
            toServer.flip();
            server.unwrap(toServer, serverApp);
            toServer.compact();
            runTasks(server);
            server.wrap(empty, toClient);
            runTasks(server);
            toClient.flip();
            client.unwrap(toClient, clientApp);
            toClient.compact();
            runTasks(client);
            if (round > 0 && done(client) && done(server) && toServer.position() == 0 && toClient.position() == 0) {
                return;
            }
        }
        throw new SSLException("handshake did not finish");
    }

    // A00.FR.313/317: a TLS 1.2 client offering TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 is accepted.
    @Test
    void A00_FR_318_tls12ClientWithEcdheEcdsaAes128GcmIsAccepted() throws Exception {
        TlsPolicy policy = TlsPolicy.standard();
        SSLEngine server = server(policy);
        SSLEngine client = client(clientContext, new String[] {"TLSv1.2"},
                new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
        handshake(client, server);
        assertThat(server.getSession().getProtocol()).isEqualTo("TLSv1.2");
        assertThat(server.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(policy.check(server.getSession()))
                .isEqualTo(new TlsCheck.Accepted(TlsProtocol.TLS_1_2, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256));
    }

    // A00.FR.313: a default JDK client negotiates TLS 1.3 with an allowed suite.
    @Test
    void A00_FR_313_defaultClientGetsTls13() throws Exception {
        TlsPolicy policy = TlsPolicy.standard();
        SSLEngine server = server(policy);
        SSLEngine client = client(clientContext, null, null);
        handshake(client, server);
        assertThat(server.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(policy.check(server.getSession()).isAccepted()).isTrue();
    }

    // A00.FR.315/418, TC_A_06_CSMS: a client that only offers TLS 1.1 is refused. The ClientHello is
    // written by hand (legacy_version 0x0302, no supported_versions), so the refusal is the server's.
    @Test
    void A00_FR_315_clientOfferingOnlyTls11IsRefusedByTheServer() throws Exception {
        SSLEngine server = server(TlsPolicy.standard());
        assertThat(server.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        server.beginHandshake();
        ByteBuffer hello = ByteBuffer.wrap(tls11ClientHello());
        ByteBuffer out = ByteBuffer.allocate(server.getSession().getApplicationBufferSize());
        assertThatThrownBy(() -> {
            server.unwrap(hello, out);
            runTasks(server);
            // Some JDKs report the failure on the next wrap, when the alert is produced.
            server.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(server.getSession().getPacketBufferSize()));
        }).isInstanceOf(SSLHandshakeException.class);

        // And a JDK client limited to TLS 1.1 cannot complete a handshake either.
        SSLEngine server2 = server(TlsPolicy.standard());
        SSLEngine old = client(clientContext, new String[] {"TLSv1.1"}, null);
        assertThatThrownBy(() -> handshake(old, server2)).isInstanceOf(SSLException.class);
    }

    // A00.FR.320/322: a TLS 1.2 client that only offers a CBC suite is refused (the JDK server would
    // otherwise accept it).
    @Test
    void A00_FR_322_clientOfferingOnlyCbcSuitesIsRefused() {
        SSLEngine server = server(TlsPolicy.standard());
        SSLEngine client = client(clientContext, new String[] {"TLSv1.2"},
                new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"});
        assertThatThrownBy(() -> handshake(client, server)).isInstanceOf(SSLHandshakeException.class);
    }

    // A00.FR.401 with a shared listener: OPTIONAL requests a client certificate but lets a client without one in;
    // REQUIRED (a port dedicated to profile 3) refuses it in the handshake.
    @Test
    void A00_FR_401_clientCertificateRequestedOrRequired() throws Exception {
        TlsPolicy optional = TlsPolicy.standard().withClientAuth(ClientAuth.OPTIONAL);

        SSLEngine s1 = server(optional);
        SSLEngine withCert = client(clientWithCertContext, null, null);
        handshake(withCert, s1);
        assertThat(((X509Certificate) s1.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName())
                .contains("CN=SN-0001");

        SSLEngine s2 = server(optional);
        SSLEngine noCert = client(clientContext, null, null);
        handshake(noCert, s2);
        assertThatThrownBy(() -> s2.getSession().getPeerCertificates()).isInstanceOf(SSLPeerUnverifiedException.class);

        SSLEngine s3 = server(TlsPolicy.standard().withClientAuth(ClientAuth.REQUIRED));
        SSLEngine noCert2 = client(clientContext, null, null);
        assertThatThrownBy(() -> handshake(noCert2, s3)).isInstanceOf(SSLException.class);
    }

    /** A minimal TLS 1.1 ClientHello: version 0x0302, two CBC suites, null compression, no extensions. */
    private static byte[] tls11ClientHello() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x03);
        body.write(0x02);                        // client_version TLS 1.1
        for (int i = 0; i < 32; i++) {
            body.write(i);                       // random
        }
        body.write(0);                           // session_id length
        body.write(0);
        body.write(4);                           // cipher_suites length
        body.write(0xC0);
        body.write(0x09);                        // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
        body.write(0x00);
        body.write(0x2F);                        // TLS_RSA_WITH_AES_128_CBC_SHA
        body.write(1);
        body.write(0);                           // compression: null
        byte[] b = body.toByteArray();
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        int hsLen = b.length;
        int recLen = hsLen + 4;
        rec.write(0x16);
        rec.write(0x03);
        rec.write(0x01);                         // record version
        rec.write(recLen >> 8);
        rec.write(recLen & 0xff);
        rec.write(0x01);                         // ClientHello
        rec.write(0);
        rec.write(hsLen >> 8);
        rec.write(hsLen & 0xff);
        rec.write(b, 0, b.length);
        return rec.toByteArray();
    }
}
