package io.ocppsec.terminator.tls;

import io.ocppsec.terminator.pki.PkiClient;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminator's own TLS server certificates from pki-service ({@code server-certificates=pki}):
 * for each of the ECDSA (P-256) and RSA (2048) certificates it makes a new key, sends a CSR and writes
 * the key and the chain into the TLS directory, where {@link ServerTls} loads them; established
 * connections keep their context (nothing is dropped).
 *
 * <p>With fast expiration (A00.FR.701) pki-service issues them for less than 24 hours, so they are
 * renewed when two thirds of their life has passed (about 8 hours before the end of a 23-hour
 * certificate), each time with a new key. A failed renewal is retried with back-off (one minute,
 * doubling to 30 minutes) while the current certificate serves; it is logged loudly once the
 * certificate is within its last hour. At start the terminator asks for fresh certificates; when
 * pki-service cannot be reached it uses the files already there, and refuses to start without usable
 * ones.
 *
 * <p>Renewal runs on the terminator's scheduler thread, the same thread that reloads the files, so a
 * reload never sees a new key with an old certificate.
 */
public final class ServerCertificateRenewer {
    private static final Logger log = LoggerFactory.getLogger(ServerCertificateRenewer.class);
    static final List<String> KINDS = List.of("ec", "rsa");
    private static final Duration MIN_RETRY = Duration.ofMinutes(1);
    private static final Duration MAX_RETRY = Duration.ofMinutes(30);

    private final Path directory;
    private final PkiClient pki;
    private final List<String> names;
    private final Map<String, State> states = new LinkedHashMap<>();

    private static final class State {
        Instant notBefore;
        Instant notAfter;
        Instant nextAttempt = Instant.EPOCH;
        int failures;
    }

    public ServerCertificateRenewer(Path directory, PkiClient pki, List<String> names) {
        this.directory = directory;
        this.pki = pki;
        this.names = List.copyOf(names);
        for (String k : KINDS) {
            states.put(k, new State());
        }
    }

    /**
     * At start: fresh certificates from pki-service, waiting at most {@code wait} for each; when that
     * fails, the files already in the directory if they are still valid. Throws when neither works.
     */
    public void atStart(Duration wait) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the TLS directory " + directory + ": " + e.getMessage());
        }
        for (String kind : KINDS) {
            try {
                renew(kind, wait);
            } catch (RuntimeException e) {
                State s = states.get(kind);
                readDates(kind);
                if (s.notAfter == null || !s.notAfter.isAfter(Instant.now())) {
                    throw new IllegalStateException("no server certificate: pki-service did not issue one (" + e.getMessage()
                            + ") and " + directory.resolve("server-" + kind + ".pem") + " is missing or expired");
                }
                s.failures = 1;
                s.nextAttempt = Instant.now().plus(MIN_RETRY);
                log.warn("pki-service did not issue the {} server certificate ({}); using the one in {} until {}", kind,
                        e.getMessage(), directory, s.notAfter);
            }
        }
    }

    /** Renews what is due; true when a certificate was replaced (the caller then reloads). Never throws. */
    public boolean renewDue() {
        boolean renewed = false;
        Instant now = Instant.now();
        for (String kind : KINDS) {
            State s = states.get(kind);
            if (s.notAfter == null) {
                readDates(kind);
            }
            if (!due(s, now) || now.isBefore(s.nextAttempt)) {
                continue;
            }
            try {
                renew(kind, Duration.ofSeconds(30));
                renewed = true;
            } catch (RuntimeException e) {
                s.failures++;
                long minutes = Math.min(MAX_RETRY.toMinutes(), MIN_RETRY.toMinutes() << Math.min(10, s.failures - 1));
                s.nextAttempt = now.plus(Duration.ofMinutes(minutes));
                boolean urgent = s.notAfter == null || Duration.between(now, s.notAfter).compareTo(Duration.ofHours(1)) < 0;
                if (urgent) {
                    log.error("the {} server certificate expires at {} and could not be renewed ({}); retrying at {}", kind,
                            s.notAfter, e.getMessage(), s.nextAttempt);
                } else {
                    log.warn("renewing the {} server certificate failed ({}); retrying at {}", kind, e.getMessage(), s.nextAttempt);
                }
            }
        }
        return renewed;
    }

    /** The earliest expiry of the current server certificates, for health. */
    public Instant earliestNotAfter() {
        Instant min = null;
        for (State s : states.values()) {
            if (s.notAfter != null && (min == null || s.notAfter.isBefore(min))) {
                min = s.notAfter;
            }
        }
        return min;
    }

    /** Two thirds of the certificate's life has passed (or there is none). */
    static boolean due(Instant notBefore, Instant notAfter, Instant now) {
        if (notBefore == null || notAfter == null) {
            return true;
        }
        long life = Duration.between(notBefore, notAfter).toMillis();
        return !now.isBefore(notBefore.plusMillis(life * 2 / 3));
    }

    private static boolean due(State s, Instant now) {
        return due(s.notBefore, s.notAfter, now);
    }

    private void renew(String kind, Duration wait) {
        KeyPair kp = generate(kind);
        String csr = csr(kp, kind);
        String chainPem;
        try {
            chainPem = pki.serverCertificate(csr).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("pki-service did not answer within " + wait.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        List<X509Certificate> chain = io.ocppsec.security.cert.PemCertificates.read(chainPem);
        if (chain.isEmpty() || !chain.get(0).getPublicKey().equals(kp.getPublic())) {
            throw new IllegalStateException("pki-service answered with a certificate for another key");
        }
        writePrivate(directory.resolve("server-" + kind + ".key"), pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
        write(directory.resolve("server-" + kind + ".pem"), chainPem);
        State s = states.get(kind);
        s.notBefore = chain.get(0).getNotBefore().toInstant();
        s.notAfter = chain.get(0).getNotAfter().toInstant();
        s.failures = 0;
        s.nextAttempt = Instant.EPOCH;
        log.info("new {} server certificate from pki-service, serial {}, valid until {}", kind,
                chain.get(0).getSerialNumber().toString(16), s.notAfter);
    }

    private void readDates(String kind) {
        Path cert = directory.resolve("server-" + kind + ".pem");
        if (!Files.exists(cert)) {
            return;
        }
        try {
            X509Certificate c = PemFiles.certificates(cert).get(0);
            State s = states.get(kind);
            s.notBefore = c.getNotBefore().toInstant();
            s.notAfter = c.getNotAfter().toInstant();
        } catch (RuntimeException e) {
            log.warn("cannot read {}: {}", cert, e.getMessage());
        }
    }

    private static KeyPair generate(String kind) {
        try {
            KeyPairGenerator g;
            if (kind.equals("ec")) {
                g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + kind + " key", e);
        }
    }

    /** The CSR: CN = the first name (pki-service sets the subject anyway), the names as subjectAltName. */
    String csr(KeyPair kp, String kind) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, names.isEmpty() ? "ocppsec terminator" : names.get(0)).build();
        try {
            JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(subject, kp.getPublic());
            if (!names.isEmpty()) {
                List<GeneralName> gns = new ArrayList<>();
                for (String n : names) {
                    gns.add(isIpLiteral(n) ? new GeneralName(GeneralName.iPAddress, new DEROctetString(
                            java.net.InetAddress.getByName(n).getAddress())) : new GeneralName(GeneralName.dNSName, n));
                }
                ExtensionsGenerator ext = new ExtensionsGenerator();
                ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(gns.toArray(GeneralName[]::new)));
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            }
            PKCS10CertificationRequest req = b.build(new JcaContentSignerBuilder(
                    kind.equals("ec") ? "SHA256withECDSA" : "SHA256withRSA").build(kp.getPrivate()));
            StringWriter sw = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
                w.writeObject(req);
            }
            return sw.toString();
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build the CSR", e);
        }
    }

    /** An IP literal (checked by the configuration); InetAddress then does no lookup. */
    static boolean isIpLiteral(String n) {
        return n.matches("\\d{1,3}(\\.\\d{1,3}){3}") || n.contains(":");
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static void writePrivate(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            move(tmp, file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static void write(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            move(tmp, file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
