package io.ocppsec.terminator;

import io.netty.handler.ssl.SslProvider;
import java.util.Map;

/**
 * The same independent-peer checks against the JDK's TLS ({@code tls-provider=jdk}): the fallback when
 * netty-tcnative cannot load must enforce exactly the same versions, suites, certificate choice and
 * client-certificate checks (A00.FR.418, A00.FR.421, A00.FR.425, A00.FR.407).
 */
class OpensslPeerJdkTlsTest extends OpensslPeerTest {
    @Override
    SslProvider expectedProvider() {
        return SslProvider.JDK;
    }

    @Override
    Map<String, String> settings() {
        return Map.of("failure-threshold", "100000", "tls-provider", "jdk");
    }
}
