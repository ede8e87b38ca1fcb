package io.ocppsec.cli;

import io.ocppsec.ocpp.message.type.CertificateHashData;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.security.cert.CertificateIdentifier;
import io.ocppsec.security.cert.PemCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./ocppsec cert ...}: certificate tools. */
@Command(name = "cert", mixinStandardHelpOptions = true, description = "Certificate tools.",
        subcommands = {CertCommand.Inspect.class})
final class CertCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Prints what OCPP cares about in a certificate, including its CertificateHashData. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Show a PEM certificate as OCPP sees it: subject, issuer, validity, key,",
                    "SHA-256 fingerprint and the CertificateHashData / OCSPRequestData of the certificate."})
    static final class Inspect implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE", description = "PEM certificate, or a chain with the certificate first.")
        Path file;

        @Option(names = "--issuer", paramLabel = "FILE",
                description = "PEM issuer certificate (default: the next one in FILE, or the certificate itself when self-signed).")
        Path issuerFile;

        @Option(names = "--hash-algorithm", paramLabel = "ALG", defaultValue = "SHA256",
                description = "SHA256, SHA384 or SHA512 (default: ${DEFAULT-VALUE}).")
        HashAlgorithm algorithm;

        @Override
        public Integer call() throws Exception {
            List<X509Certificate> chain = read(file);
            X509Certificate cert = chain.get(0);
            X509Certificate issuer = issuerFile != null ? read(issuerFile).get(0)
                    : chain.size() > 1 ? chain.get(1)
                    : cert.getIssuerX500Principal().equals(cert.getSubjectX500Principal()) ? cert : null;
            System.out.println("subject         " + cert.getSubjectX500Principal().getName());
            System.out.println("issuer          " + cert.getIssuerX500Principal().getName());
            System.out.println("serial          " + cert.getSerialNumber().toString(16));
            System.out.println("not before      " + cert.getNotBefore().toInstant());
            System.out.println("not after       " + cert.getNotAfter().toInstant());
            System.out.println("key             " + describeKey(cert));
            System.out.println("signature       " + cert.getSigAlgName());
            System.out.println("sha256          " + HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded())));
            CertificateIdentifier.ocspResponderUrl(cert).ifPresent(url -> System.out.println("ocsp responder  " + url));
            if (issuer == null) {
                System.out.println("hash data       (give --issuer to compute CertificateHashData)");
                return 0;
            }
            CertificateHashData hd;
            try {
                hd = CertificateIdentifier.of(cert, issuer, algorithm);
            } catch (IllegalArgumentException e) {
                throw new CliException("cannot compute hash data: " + e.getMessage());
            }
            System.out.println("hashAlgorithm   " + hd.hashAlgorithm());
            System.out.println("issuerNameHash  " + hd.issuerNameHash());
            System.out.println("issuerKeyHash   " + hd.issuerKeyHash());
            System.out.println("serialNumber    " + hd.serialNumber());
            return 0;
        }

        private static List<X509Certificate> read(Path p) throws IOException {
            if (!Files.isRegularFile(p)) {
                throw new CliException("no such file: " + p);
            }
            if (Files.size(p) > PemCertificates.MAX_PEM_CHARS) {
                throw new CliException(p + " is larger than " + PemCertificates.MAX_PEM_CHARS + " bytes");
            }
            try {
                return PemCertificates.read(Files.readString(p));
            } catch (IllegalArgumentException e) {
                throw new CliException(p + ": " + e.getMessage());
            }
        }

        private static String describeKey(X509Certificate cert) {
            if (cert.getPublicKey() instanceof RSAPublicKey rsa) {
                return "RSA " + rsa.getModulus().bitLength();
            }
            if (cert.getPublicKey() instanceof ECPublicKey ec) {
                return "EC " + ec.getParams().getCurve().getField().getFieldSize();
            }
            return cert.getPublicKey().getAlgorithm();
        }
    }
}
