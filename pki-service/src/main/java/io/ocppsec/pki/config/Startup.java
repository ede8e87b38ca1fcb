package io.ocppsec.pki.config;

import io.ocppsec.pki.auth.TokenService;
import io.ocppsec.pki.ca.DevelopmentPki;
import io.ocppsec.pki.ca.IssuerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * First-start work once the database is migrated: the first admin token, the development PKI
 * when there is no CA yet (and the development Plug & Charge and firmware signing PKIs), and the issuers
 * loaded into memory.
 */
@Component
public class Startup implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(Startup.class);

    private final TokenService tokens;
    private final DevelopmentPki developmentPki;
    private final IssuerRegistry issuers;
    private final OcppsecProperties properties;
    private final DataDirectory dataDirectory;
    private final io.ocppsec.pki.pnc.PncDevelopmentPki pncDevelopmentPki;
    private final io.ocppsec.pki.pnc.PncProperties pnc;
    private final io.ocppsec.pki.firmware.FirmwarePki firmwarePki;
    private final io.ocppsec.pki.firmware.FirmwareProperties firmware;

    public Startup(TokenService tokens, DevelopmentPki developmentPki, IssuerRegistry issuers,
                   OcppsecProperties properties, DataDirectory dataDirectory,
                   io.ocppsec.pki.pnc.PncDevelopmentPki pncDevelopmentPki, io.ocppsec.pki.pnc.PncProperties pnc,
                   io.ocppsec.pki.firmware.FirmwarePki firmwarePki, io.ocppsec.pki.firmware.FirmwareProperties firmware) {
        this.tokens = tokens;
        this.developmentPki = developmentPki;
        this.issuers = issuers;
        this.properties = properties;
        this.dataDirectory = dataDirectory;
        this.pncDevelopmentPki = pncDevelopmentPki;
        this.pnc = pnc;
        this.firmwarePki = firmwarePki;
        this.firmware = firmware;
    }

    @Override
    public void run(ApplicationArguments args) {
        tokens.bootstrap(properties, dataDirectory);
        issuers.refresh();
        developmentPki.createIfAbsent(properties.organization(), dataDirectory)
                .ifPresent(created -> log.info("TLS server certificates for localhost and the CSMS root are in {}", created.tlsDirectory()));
        // The development Plug & Charge PKI (V2G, CPO, CPS, MO, OEM) once the CSMS PKI is there.
        pncDevelopmentPki.createIfAbsent(pnc.developmentPki(), properties.organization());
        // The development manufacturer root and firmware signing certificates (ECDSA and RSA-PSS).
        firmwarePki.createDevelopmentIfAbsent(firmware.developmentPki(), properties.organization());
        issuers.trustedRoots().forEach(root -> log.info("CSMS root: {}  SHA-256 {}", root.getSubjectX500Principal().getName(),
                io.ocppsec.security.cert.CertificateFingerprint.sha256(root)));
    }
}
