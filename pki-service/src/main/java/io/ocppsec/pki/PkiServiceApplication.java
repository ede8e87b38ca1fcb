package io.ocppsec.pki;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** pki-service: the CA, enrollment, revocation, OCSP, key custody and the REST API. */
@SpringBootApplication
public class PkiServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(PkiServiceApplication.class, args);
    }
}
