package io.ocppsec.pki;

import io.ocppsec.pki.config.OcppsecProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** pki-service: the CA, enrollment, revocation, OCSP, key custody and the REST API. */
@SpringBootApplication
@EnableConfigurationProperties(OcppsecProperties.class)
public class PkiServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(PkiServiceApplication.class, args);
    }
}
