package io.ocppsec.pki.custody;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Helpers shared by the custody tests: an independent verifier (the JDK's own SunEC and
 * SunRsaSign, never Bouncy Castle), the {@code openssl} CLI as a second independent verifier,
 * a throwaway test CA, and a crude signing-rate measurement.
 */
public final class CustodyTestSupport {
    public static final PSSParameterSpec PSS_SHA256 =
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

    private CustodyTestSupport() {}

    /** The signing algorithms that fit a key type. */
    public static List<SigningAlgorithm> applicable(KeyAlgorithm key) {
        List<SigningAlgorithm> out = new ArrayList<>();
        for (SigningAlgorithm s : SigningAlgorithm.values()) {
            if (s.isEcdsa() ? key.isEc() : key.isRsa()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Verifies with the JDK's providers (SunEC / SunRsaSign), independent of Bouncy Castle and of the backend. */
    public static boolean jdkVerifies(PublicKey key, SigningAlgorithm alg, byte[] data, byte[] sig) throws GeneralSecurityException {
        Signature v;
        if (alg == SigningAlgorithm.SHA256_WITH_RSA_PSS) {
            v = Signature.getInstance("RSASSA-PSS", "SunRsaSign");
            v.setParameter(PSS_SHA256);
        } else if (alg.isEcdsa()) {
            v = Signature.getInstance(alg.jcaName(), "SunEC");
        } else {
            v = Signature.getInstance(alg.jcaName(), "SunRsaSign");
        }
        // The verifier needs a key of its own provider family: re-read the encoding.
        PublicKey k = java.security.KeyFactory.getInstance(alg.isEcdsa() ? "EC" : "RSA")
                .generatePublic(new java.security.spec.X509EncodedKeySpec(key.getEncoded()));
        v.initVerify(k);
        v.update(data);
        return v.verify(sig);
    }

    public static void assertJdkVerifies(PublicKey key, SigningAlgorithm alg, byte[] data, byte[] sig) throws GeneralSecurityException {
        assertThat(jdkVerifies(key, alg, data, sig)).as("JDK verifier accepts %s signature", alg).isTrue();
        byte[] tampered = data.clone();
        tampered[0] ^= 1;
        assertThat(jdkVerifies(key, alg, tampered, sig)).as("JDK verifier rejects a tampered message").isFalse();
    }

    public static boolean opensslAvailable() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code openssl dgst -<hash> -verify pub.pem -signature sig.der data}: returns openssl's output, asserting success. */
    public static String assertOpensslVerifies(Path dir, PublicKey key, SigningAlgorithm alg, byte[] data, byte[] sig)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path pub = dir.resolve("pub.pem");
        Path sigFile = dir.resolve("sig.der");
        Path dataFile = dir.resolve("data");
        Files.writeString(pub, pem("PUBLIC KEY", key.getEncoded()));
        Files.write(sigFile, sig);
        Files.write(dataFile, data);
        List<String> cmd = new ArrayList<>(List.of("openssl", "dgst", "-" + alg.digest().replace("-", "").toLowerCase(),
                "-verify", pub.toString(), "-signature", sigFile.toString()));
        if (alg == SigningAlgorithm.SHA256_WITH_RSA_PSS) {
            cmd.addAll(List.of("-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32", "-sigopt", "rsa_mgf1_md:sha256"));
        }
        cmd.add(dataFile.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl exit status; output: %s", out).isZero();
        assertThat(out).contains("Verified OK");
        return out.trim();
    }

    /**
     * {@code openssl pkeyutl -verify -pubin -inkey pub.pem -sigfile sig -in digest.bin -pkeyopt
     * digest:<hash>} (for PSS also {@code rsa_padding_mode:pss}, {@code rsa_pss_saltlen:32},
     * {@code rsa_mgf1_md:sha256}): openssl checks a signature over a digest it did not make. Asserts
     * success, and that the same signature over the digest with one bit flipped fails. Returns
     * openssl's output.
     */
    public static String assertOpensslVerifiesDigest(Path dir, PublicKey key, SigningAlgorithm alg, byte[] digest, byte[] sig)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path pub = dir.resolve("pub.pem");
        Path sigFile = dir.resolve("sig.bin");
        Files.writeString(pub, pem("PUBLIC KEY", key.getEncoded()));
        Files.write(sigFile, sig);
        Path digestFile = dir.resolve("digest.bin");
        Files.write(digestFile, digest);
        byte[] flipped = digest.clone();
        flipped[flipped.length - 1] ^= 1;
        Path flippedFile = dir.resolve("flipped.bin");
        Files.write(flippedFile, flipped);

        String[] good = pkeyutlVerify(pub, sigFile, digestFile, alg);
        assertThat(good[0]).as("openssl exit status; output: %s", good[1]).isEqualTo("0");
        assertThat(good[1]).contains("Signature Verified Successfully");
        String[] bad = pkeyutlVerify(pub, sigFile, flippedFile, alg);
        assertThat(bad[0]).as("openssl must reject the signature over another digest; output: %s", bad[1]).isNotEqualTo("0");
        return good[1].trim();
    }

    private static String[] pkeyutlVerify(Path pub, Path sig, Path digest, SigningAlgorithm alg) throws IOException, InterruptedException {
        String hash = alg.digest().replace("-", "").toLowerCase();
        List<String> cmd = new ArrayList<>(List.of("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(),
                "-sigfile", sig.toString(), "-in", digest.toString(), "-pkeyopt", "digest:" + hash));
        if (alg == SigningAlgorithm.SHA256_WITH_RSA_PSS) {
            cmd.addAll(List.of("-pkeyopt", "rsa_padding_mode:pss", "-pkeyopt", "rsa_pss_saltlen:32", "-pkeyopt", "rsa_mgf1_md:sha256"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    /** The JDK's own {@code NONEwithECDSA} (SunEC) over {@code digest}: a check that knows nothing of the message. */
    public static boolean jdkVerifiesEcdsaOverDigest(PublicKey key, byte[] digest, byte[] sig) throws GeneralSecurityException {
        Signature v = Signature.getInstance("NONEwithECDSA", "SunEC");
        v.initVerify(java.security.KeyFactory.getInstance("EC").generatePublic(new java.security.spec.X509EncodedKeySpec(key.getEncoded())));
        v.update(digest);
        return v.verify(sig);
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A throwaway EC P-256 key pair (JDK provider). */
    public static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** A self-signed CA certificate for {@code pair}. */
    public static X509Certificate selfSignedCa(String cn, KeyPair pair) throws Exception {
        X500Name name = new X500Name("CN=" + cn);
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()),
                Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plus(Duration.ofDays(365))), name,
                SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(pair.getPrivate())));
    }

    /** A certificate for {@code subjectKey} issued by {@code issuer}. */
    public static X509Certificate issue(String cn, PublicKey subjectKey, X509Certificate issuer, PrivateKey issuerKey, boolean ca)
            throws Exception {
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(
                X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), BigInteger.valueOf(System.nanoTime()),
                Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plus(Duration.ofDays(30))), new X500Name("CN=" + cn),
                SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(issuerKey)));
    }

    private static org.bouncycastle.operator.ContentSigner signer(PrivateKey key) throws Exception {
        return new JcaContentSignerBuilder(key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA").build(key);
    }

    /** Every message in a throwable's causal chain, and its toString, joined: what could leak a secret. */
    public static String everyMessage(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append('\n');
            for (Throwable s : c.getSuppressed()) {
                b.append(everyMessage(s));
            }
        }
        return b.toString();
    }

    /** Signs for about {@code duration} on {@code threads} threads; returns signatures per second. */
    public static double signsPerSecond(Runnable signOnce, int threads, Duration duration) throws InterruptedException {
        long warmupEnd = System.nanoTime() + duration.toNanos() / 3;
        while (System.nanoTime() < warmupEnd) {
            signOnce.run();
        }
        long[] counts = new long[threads];
        Thread[] workers = new Thread[threads];
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int i = 0; i < threads; i++) {
            int n = i;
            workers[i] = new Thread(() -> {
                long c = 0;
                while (System.nanoTime() < end) {
                    signOnce.run();
                    c++;
                }
                counts[n] = c;
            });
            workers[i].start();
        }
        long total = 0;
        for (int i = 0; i < threads; i++) {
            workers[i].join();
            total += counts[i];
        }
        return total / ((System.nanoTime() - start) / 1e9);
    }
}
