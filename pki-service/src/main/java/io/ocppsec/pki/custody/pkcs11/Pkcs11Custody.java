package io.ocppsec.pki.custody.pkcs11;

import io.ocppsec.pki.custody.CustodyException;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.KeyFacts;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.KeyLabels;
import io.ocppsec.pki.custody.PlaceholderCertificates;
import io.ocppsec.pki.custody.SignatureChecks;
import io.ocppsec.pki.custody.SigningAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Key custody in a PKCS#11 token (an HSM; SoftHSM2 in tests) through the JDK's SunPKCS11
 * provider. Private keys are generated inside the token and never leave it: the provider is
 * configured so that every generated private key is a token object with {@code CKA_SENSITIVE=true}
 * and {@code CKA_EXTRACTABLE=false} (and {@code CKA_PRIVATE=true}); every signature is made by the
 * token.
 *
 * <p><b>Labels.</b> A key is an entry of the token's PKCS#11 {@link KeyStore}: a private key
 * object and a certificate object sharing a {@code CKA_ID}, the certificate's {@code CKA_LABEL}
 * being the label. {@link #generate} writes a {@link PlaceholderCertificates placeholder}
 * certificate signed by the token key itself; {@link #attachCertificateChain} replaces it. A key
 * that is already on the token (made by {@code pkcs11-tool} or a key ceremony) is used by its
 * label through {@link #useExisting}; SunPKCS11 only sees private keys that have a certificate
 * object with the same {@code CKA_ID}, so write the key's certificate to the token first
 * ({@code pkcs11-tool --write-object cert.der --type cert --id <same id> --label <label>}).
 * {@link #importKey} refuses: key material is not brought into the token by this service.
 *
 * <p><b>One login per token and process.</b> PKCS#11 login state belongs to the application, not
 * to a session: while one custody of this JVM is logged in to a token, opening another on the same
 * token does not check its PIN again, and closing either logs both out (the other then logs in
 * again on its next signature). Open one custody per token per process.
 *
 * <p>Thread-safe: key lookups are cached; each {@link #sign} takes an initialized
 * {@link Signature} from a small per-key pool ({@link #signDigest}, one per firmware image, makes
 * its own). The PIN is copied at open, wiped at {@link #close}, and never appears
 * in a message.
 */
public final class Pkcs11Custody implements KeyCustody {
    /** The backend name in {@link KeyHandle#backend()}. */
    public static final String NAME = "pkcs11";

    private static final System.Logger LOG = System.getLogger(Pkcs11Custody.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final PSSParameterSpec PSS_SHA256 =
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, SignatureChecks.PSS_SALT_LENGTH,
                    PSSParameterSpec.TRAILER_FIELD_BC);

    private final Provider provider;
    private final KeyStore keyStore;
    private final String tokenDescription;
    private final char[] pin;
    /** Guards the key store, generation and (re)loading. */
    private final Object lock = new Object();
    private final Map<String, TokenKey> keys = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record TokenKey(String label, KeyAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey,
            Map<SigningAlgorithm, Queue<Signature>> pools) {

        @Override
        public String toString() {
            return "TokenKey[" + label + ", " + algorithm + "]";
        }
    }

    private Pkcs11Custody(Provider provider, KeyStore keyStore, String tokenDescription, char[] pin) {
        this.provider = provider;
        this.keyStore = keyStore;
        this.tokenDescription = tokenDescription;
        this.pin = pin;
    }

    /**
     * Configures SunPKCS11 for the chosen token and logs in with the PIN.
     *
     * @throws CustodyException if the module cannot be loaded, the token is absent, or login fails
     */
    public static Pkcs11Custody open(Pkcs11Config config) {
        return open(config, "pkcs11-tool");
    }

    /** As {@link #open(Pkcs11Config)}, naming the {@code pkcs11-tool} executable used to resolve a token label. */
    public static Pkcs11Custody open(Pkcs11Config config, String pkcs11Tool) {
        return open(config, pkcs11Tool, "");
    }

    /**
     * As {@link #open(Pkcs11Config, String)}, with {@code extraProviderConfig} appended to the
     * SunPKCS11 configuration (tests use it to disable mechanisms, as a stricter HSM would refuse them).
     */
    static Pkcs11Custody open(Pkcs11Config config, String pkcs11Tool, String extraProviderConfig) {
        if (!Files.isRegularFile(config.library())) {
            throw new CustodyException("PKCS#11 module " + config.library() + " does not exist");
        }
        String selector;
        if (config.slot() != null) {
            selector = "slot = " + config.slot();
        } else if (config.tokenLabel() != null) {
            selector = "slot = " + TokenLabels.slotOf(config.library(), config.tokenLabel(), pkcs11Tool);
        } else {
            selector = "slotListIndex = " + (config.slotListIndex() == null ? 0 : config.slotListIndex());
        }
        String description = config.library() + " (" + selector
                + (config.tokenLabel() != null ? ", token " + config.tokenLabel() : "") + ")";
        Provider provider;
        try {
            Provider base = Security.getProvider("SunPKCS11");
            if (base == null) {
                throw new CustodyException("this JDK has no SunPKCS11 provider");
            }
            provider = base.configure("--" + sunPkcs11Config(config, selector) + extraProviderConfig);
        } catch (RuntimeException e) {
            if (e instanceof CustodyException ce) {
                throw ce;
            }
            throw new CustodyException("cannot use PKCS#11 token " + description + ": " + e.getMessage(), e);
        }
        char[] pin = config.pin().clone();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS11", provider);
            ks.load(null, pin);
            return new Pkcs11Custody(provider, ks, description, pin);
        } catch (IOException e) {
            Arrays.fill(pin, '\0');
            throw loginFailure(description, e);
        } catch (GeneralSecurityException | RuntimeException e) {
            Arrays.fill(pin, '\0');
            throw new CustodyException("cannot open the key store of PKCS#11 token " + description + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
    }

    /**
     * The SunPKCS11 configuration: the token, and the attributes every generated private key gets:
     * on the token, never extractable, and usable to sign only (SunPKCS11 would otherwise also
     * allow decrypt and unwrap).
     */
    static String sunPkcs11Config(Pkcs11Config config, String selector) {
        return "name = ocppsec-custody\n"
                + "library = \"" + config.library().toAbsolutePath() + "\"\n"
                + selector + "\n"
                + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
                + "  CKA_TOKEN = true\n"
                + "  CKA_PRIVATE = true\n"
                + "  CKA_SENSITIVE = true\n"
                + "  CKA_EXTRACTABLE = false\n"
                + "  CKA_SIGN = true\n"
                + "  CKA_DECRYPT = false\n"
                + "  CKA_UNWRAP = false\n"
                + "  CKA_DERIVE = false\n"
                + "}\n"
                + "attributes(generate, CKO_PUBLIC_KEY, *) = {\n"
                + "  CKA_TOKEN = false\n"
                + "}\n";
    }

    private static CustodyException loginFailure(String description, IOException e) {
        if (mentions(e, "CKR_PIN_LOCKED")) {
            return new CustodyException("PKCS#11 login to token " + description + " failed: the PIN is locked", e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FailedLoginException || String.valueOf(t.getMessage()).contains("CKR_PIN_INCORRECT")) {
                return new CustodyException("PKCS#11 login to token " + description + " failed: wrong PIN", e);
            }
        }
        if (e.getCause() instanceof LoginException) {
            return new CustodyException("PKCS#11 login to token " + description + " failed: " + e.getCause().getMessage(), e);
        }
        return new CustodyException("cannot open PKCS#11 token " + description + ": " + e.getMessage(), e);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public KeyHandle generate(String label, KeyAlgorithm algorithm) {
        KeyLabels.requireValid(label);
        if (algorithm == null) {
            throw new CustodyException("a key algorithm is required");
        }
        algorithm.requireCustodial(); // never an Ed448 key: those are imported trust anchors' only
        synchronized (lock) {
            ensureOpen();
            if (exists(label)) {
                throw new CustodyException("a key labelled " + label + " already exists on token " + tokenDescription);
            }
            KeyPair pair;
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm.family(), provider);
                if (algorithm.isEc()) {
                    g.initialize(new ECGenParameterSpec(algorithm.curve()), RANDOM);
                } else {
                    g.initialize(new RSAKeyGenParameterSpec(algorithm.bits(), RSAKeyGenParameterSpec.F4), RANDOM);
                }
                pair = g.generateKeyPair();
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new CustodyException("the token " + tokenDescription + " could not generate a " + algorithm + " key: "
                        + e.getMessage(), e);
            }
            try {
                SigningAlgorithm selfSign = SigningAlgorithm.forKey(algorithm);
                X509Certificate placeholder = PlaceholderCertificates.create(label, pair.getPublic(), selfSign,
                        tbs -> signWith(pair.getPrivate(), selfSign, tbs, null));
                keyStore.setKeyEntry(label, pair.getPrivate(), null, new Certificate[] {placeholder});
            } catch (GeneralSecurityException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "key {0} was generated on token {1} but could not be stored with its"
                        + " placeholder certificate; an unlabelled private key object may remain on the token", label, tokenDescription);
                throw new CustodyException("cannot store the new key " + label + " on token " + tokenDescription + ": "
                        + e.getMessage(), e);
            }
            load(label);
            return new KeyHandle(NAME, label);
        }
    }

    /**
     * Returns a handle for a key that is already on the token under {@code label} (a private key
     * plus a certificate object with the same {@code CKA_ID}), after checking that the key signs
     * and that the certificate carries its public key. EC (P-256/384/521) and RSA (2048/3072/4096)
     * keys are accepted.
     */
    @Override
    public KeyHandle useExisting(String label) {
        KeyLabels.requireValid(label);
        synchronized (lock) {
            ensureOpen();
            TokenKey key = load(label);
            if (key.privateKey().getEncoded() != null) {
                LOG.log(System.Logger.Level.WARNING, "key {0} on token {1} is extractable; keys generated by ocppsec are not",
                        label, tokenDescription);
            }
            return new KeyHandle(NAME, label);
        }
    }

    @Override
    public boolean exists(String label) {
        ensureOpen();
        if (label == null) {
            return false;
        }
        if (keys.containsKey(label)) {
            return true;
        }
        synchronized (lock) {
            try {
                refresh();
                return keyStore.isKeyEntry(label);
            } catch (GeneralSecurityException e) {
                throw new CustodyException("cannot list the keys of token " + tokenDescription + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public PublicKey publicKey(KeyHandle key) {
        return find(key).publicKey();
    }

    @Override
    public byte[] sign(KeyHandle handle, SigningAlgorithm algorithm, byte[] data) {
        if (data == null) {
            throw new CustodyException("nothing to sign");
        }
        TokenKey key = find(handle);
        KeyFacts.requireFits(key.algorithm(), algorithm);
        return withRelogin(handle, key, k -> signWith(k.privateKey(), algorithm, data,
                k.pools().computeIfAbsent(algorithm, a -> new ConcurrentLinkedQueue<>())));
    }

    /**
     * Has the token sign a digest made elsewhere; see {@link KeyCustody#signDigest}. ECDSA is
     * {@code NONEwithECDSA} (the token's {@code CKM_ECDSA} over the digest; SunPKCS11 returns DER),
     * PKCS#1 v1.5 is {@code NONEwithRSA} ({@code CKM_RSA_PKCS}) over {@code DigestInfo || digest}.
     *
     * <p>RSA-PSS: SunPKCS11 cannot sign a precomputed hash with PSS. Its {@code RSASSA-PSS}
     * (no digest in the name) hashes whatever it is given with the parameters' digest before
     * {@code CKM_RSA_PKCS_PSS}, so the digest would be hashed twice. So the PSS encoding is made
     * here (Bouncy Castle, random 32-byte salt) and the token performs only the raw private-key
     * operation on the encoded block: {@code RSA/ECB/NoPadding} with the private key in encrypt
     * mode, which SunPKCS11 does with {@code C_Sign} and {@code CKM_RSA_X_509} (so the key needs
     * {@code CKA_SIGN}, as every key this backend generates has). A token that refuses raw RSA
     * gives a {@link CustodyException} saying so.
     *
     * <p>Every signature is checked against the key's public key before it is returned. Like
     * {@link #sign}, a signature that fails because the application was logged out of the token
     * is retried once after logging in again.
     */
    @Override
    public byte[] signDigest(KeyHandle handle, SigningAlgorithm algorithm, byte[] digest) {
        TokenKey key = find(handle);
        KeyFacts.requireFits(key.algorithm(), algorithm);
        KeyFacts.requireDigestFor(algorithm, digest);
        return withRelogin(handle, key, k -> {
            byte[] signature = signDigestWith(k, algorithm, digest);
            if (!SignatureChecks.verifiesDigest(k.publicKey(), algorithm, digest, signature)) {
                throw new CustodyException("the " + algorithm.jcaName() + " signature the token " + tokenDescription
                        + " made over a digest with key " + k.label() + " does not verify with its public key");
            }
            return signature;
        });
    }

    /**
     * Runs {@code operation} on {@code key}; retries once, on the key found again, after logging in
     * again when the token says the application is no longer logged in.
     */
    private byte[] withRelogin(KeyHandle handle, TokenKey key, Function<TokenKey, byte[]> operation) {
        try {
            return operation.apply(key);
        } catch (CustodyException e) {
            if (!mentions(e, "CKR_USER_NOT_LOGGED_IN") && !mentions(e, "HANDLE_INVALID")) {
                throw e;
            }
            // The login belongs to the whole application: another custody of this JVM on the same
            // token may have logged out (which also invalidates the handles of private objects),
            // or the token may have been reset. Log in again, find the key again, retry once.
            TokenKey again;
            synchronized (lock) {
                ensureOpen();
                try {
                    refresh();
                } catch (GeneralSecurityException ge) {
                    throw new CustodyException("cannot log in again to token " + tokenDescription + ": " + ge.getMessage(), ge);
                }
                keys.clear();
                again = load(handle.id());
            }
            return operation.apply(again);
        }
    }

    private static boolean mentions(Throwable e, String code) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(code)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void attachCertificateChain(KeyHandle handle, List<X509Certificate> chain) {
        synchronized (lock) {
            TokenKey key = find(handle);
            KeyFacts.requireChainFor(key.publicKey(), chain);
            try {
                Certificate[] jdkChain = toJdkCertificates(chain);
                // SunPKCS11 finds the entry to update by PublicKey.equals on the leaf; when that
                // fails it treats the call as a new entry and first deletes the existing one (the
                // private key included). Never let it get there.
                Certificate current = keyStore.getCertificate(handle.id());
                if (current == null || !current.getPublicKey().equals(jdkChain[0].getPublicKey())) {
                    throw new CustodyException("the certificate for " + handle.id() + " encodes the public key differently"
                            + " from the certificate on the token; re-encode its SubjectPublicKeyInfo as the key's own"
                            + " (named curve, uncompressed point)");
                }
                keyStore.setKeyEntry(handle.id(), key.privateKey(), null, jdkChain);
            } catch (GeneralSecurityException e) {
                throw new CustodyException("cannot store the certificate chain of " + handle.id() + " on token "
                        + tokenDescription + ": " + e.getMessage(), e);
            }
            keys.remove(handle.id());
            load(handle.id());
        }
    }

    /** The certificate chain stored with a key on the token. */
    public List<X509Certificate> certificateChain(KeyHandle handle) {
        find(handle);
        synchronized (lock) {
            try {
                List<X509Certificate> out = new ArrayList<>();
                for (Certificate c : keyStore.getCertificateChain(handle.id())) {
                    out.add((X509Certificate) c);
                }
                return List.copyOf(out);
            } catch (GeneralSecurityException e) {
                throw new CustodyException("cannot read the chain of " + handle.id(), e);
            }
        }
    }

    /**
     * Refused: this backend does not bring key material into the token. Generate the key in the
     * token, or put it there in a key ceremony and use it by label with {@link #useExisting}.
     */
    @Override
    public KeyHandle importKey(String label, PrivateKey key, List<X509Certificate> chain) {
        throw new CustodyException("the PKCS#11 backend does not import private keys: generate the key in the token,"
                + " or load it onto the token with the HSM's own tools (with its certificate under the same CKA_ID)"
                + " and use it by its label");
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            keys.clear();
            Arrays.fill(pin, '\0');
            try {
                if (provider instanceof java.security.AuthProvider auth) {
                    auth.logout();
                }
            } catch (LoginException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "logout from token {0} failed: {1}", tokenDescription, e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "Pkcs11Custody[" + tokenDescription + "]";
    }

    /** The token's private key object, for tests that prove it cannot be read out. */
    PrivateKey tokenPrivateKey(KeyHandle handle) {
        return find(handle).privateKey();
    }

    // --- internals --------------------------------------------------------------------------

    private TokenKey find(KeyHandle handle) {
        ensureOpen();
        if (handle == null) {
            throw new CustodyException("a key handle is required");
        }
        if (!NAME.equals(handle.backend())) {
            throw new CustodyException("key " + handle + " belongs to the " + handle.backend() + " backend, not to " + NAME);
        }
        TokenKey key = keys.get(handle.id());
        if (key != null) {
            return key;
        }
        synchronized (lock) {
            key = keys.get(handle.id());
            return key != null ? key : load(handle.id());
        }
    }

    /** Reads a key entry from the token, checks it, caches it. Caller holds {@link #lock}. */
    private TokenKey load(String label) {
        try {
            if (!keyStore.isKeyEntry(label)) {
                refresh();
            }
            if (!keyStore.isKeyEntry(label)) {
                throw new CustodyException("no key labelled " + label + " on token " + tokenDescription
                        + " (SunPKCS11 sees a private key only together with a certificate object that has the same CKA_ID;"
                        + " the label is the certificate's CKA_LABEL)");
            }
            Key k = keyStore.getKey(label, null);
            if (k == null) {
                // Private objects are invisible while the application is logged out of the token
                // (another custody of this JVM closed): log in again and look once more.
                refresh();
                k = keyStore.getKey(label, null);
            }
            Certificate[] chain = keyStore.getCertificateChain(label);
            if (!(k instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
                throw new CustodyException("the entry " + label + " on token " + tokenDescription + " is not a private key with a certificate");
            }
            PublicKey publicKey = chain[0].getPublicKey();
            KeyAlgorithm algorithm = KeyFacts.algorithmOf(publicKey);
            SigningAlgorithm probe = SigningAlgorithm.forKey(algorithm);
            byte[] data = new byte[32];
            RANDOM.nextBytes(data);
            byte[] sig = signWith(privateKey, probe, data, null);
            if (!SignatureChecks.verifies(publicKey, probe, data, sig)) {
                throw new CustodyException("the certificate stored with key " + label + " on token " + tokenDescription
                        + " does not carry that key's public key");
            }
            TokenKey key = new TokenKey(label, algorithm, privateKey, publicKey, new ConcurrentHashMap<>());
            keys.put(label, key);
            return key;
        } catch (GeneralSecurityException e) {
            throw new CustodyException("cannot read key " + label + " from token " + tokenDescription + ": " + e.getMessage(), e);
        }
    }

    /** Re-reads the token's objects (keys added by other tools since the last load). */
    private void refresh() throws GeneralSecurityException {
        try {
            keyStore.load(null, pin);
        } catch (IOException e) {
            throw loginFailure(tokenDescription, e);
        }
    }

    private byte[] signWith(PrivateKey key, SigningAlgorithm algorithm, byte[] data, Queue<Signature> pool) {
        Signature s = pool == null ? null : pool.poll();
        try {
            if (s == null) {
                s = newSignature(algorithm);
                s.initSign(key);
            }
            s.update(data);
            byte[] out = s.sign();
            if (pool != null && pool.size() < 64) {
                pool.offer(s);
            }
            return out;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CustodyException("the token " + tokenDescription + " could not sign with " + algorithm.jcaName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The token's signature over a digest made elsewhere (see {@link #signDigest}); not yet checked. */
    private byte[] signDigestWith(TokenKey key, SigningAlgorithm algorithm, byte[] digest) {
        try {
            if (algorithm.isEcdsa()) {
                Signature s = Signature.getInstance("NONEwithECDSA", provider);
                s.initSign(key.privateKey());
                s.update(digest);
                return s.sign();
            }
            if (algorithm == SigningAlgorithm.SHA256_WITH_RSA) {
                Signature s = Signature.getInstance("NONEwithRSA", provider);
                s.initSign(key.privateKey());
                s.update(new DigestInfo(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE), digest)
                        .getEncoded(ASN1Encoding.DER));
                return s.sign();
            }
            RSAKeyParameters publicKey = (RSAKeyParameters) PublicKeyFactory.createKey(
                    SubjectPublicKeyInfo.getInstance(key.publicKey().getEncoded()));
            Signer pss = SignatureChecks.pssDigestSigner(
                    new TokenRawRsa(provider, key.privateKey(), publicKey.getModulus().bitLength(), key.label()));
            pss.init(true, new ParametersWithRandom(publicKey, RANDOM));
            pss.update(digest, 0, digest.length);
            return pss.generateSignature();
        } catch (CustodyException e) {
            throw e;
        } catch (GeneralSecurityException | IOException | CryptoException | RuntimeException e) {
            throw new CustodyException("the token " + tokenDescription + " could not sign a digest with " + algorithm.jcaName()
                    + ": " + e.getMessage(), e);
        }
    }

    private Signature newSignature(SigningAlgorithm algorithm) throws GeneralSecurityException {
        if (algorithm == SigningAlgorithm.SHA256_WITH_RSA_PSS) {
            Signature s = Signature.getInstance("SHA256withRSASSA-PSS", provider);
            s.setParameter(PSS_SHA256);
            return s;
        }
        return Signature.getInstance(algorithm.jcaName(), provider);
    }

    /** The chain as the JDK's own X509Certificate objects (SunPKCS11 compares their public keys with equals). */
    private static Certificate[] toJdkCertificates(List<X509Certificate> chain) throws GeneralSecurityException {
        java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
        Certificate[] out = new Certificate[chain.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = cf.generateCertificate(new java.io.ByteArrayInputStream(chain.get(i).getEncoded()));
        }
        return out;
    }

    private void ensureOpen() {
        if (closed) {
            throw new CustodyException("the PKCS#11 custody for " + tokenDescription + " is closed");
        }
    }
}
