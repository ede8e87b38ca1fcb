package io.ocppsec.pki.custody.pkcs12;

import io.ocppsec.pki.custody.CustodyException;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.KeyFacts;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.KeyLabels;
import io.ocppsec.pki.custody.PlaceholderCertificates;
import io.ocppsec.pki.custody.PrivateFiles;
import io.ocppsec.pki.custody.SigningAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The default key custody: the CA's private keys in one PKCS#12 file (for example
 * {@code <data-dir>/ca.p12}), protected by a password the caller supplies.
 *
 * <ul>
 *   <li>{@link #generate} makes the key pair with Bouncy Castle (EC named curves; RSA with public
 *       exponent F4) and stores it with a {@link PlaceholderCertificates placeholder} self-signed
 *       certificate until {@link #attachCertificateChain} stores the real chain.</li>
 *   <li>Every change rewrites the file atomically (temporary file, then atomic rename; mode 0600
 *       on POSIX). If the write fails, the change is undone in memory too.</li>
 *   <li>The file is read once, at {@link #open}; keys are then held in memory and signing never
 *       touches the file or takes a lock (see {@link SoftwareKey} for how it signs).</li>
 *   <li>Aliases in a PKCS#12 file are case-insensitive (the JDK lower-cases them), so labels are
 *       too: {@code Root-CA} and {@code root-ca} are the same key.</li>
 * </ul>
 *
 * <p>One process owns the file: two services writing the same keystore would overwrite each
 * other's keys. Use PKCS#11 or Vault for more than one instance.
 *
 * <p>Thread-safe. The password is copied at open and wiped at {@link #close}; it never appears in
 * a message.
 */
public final class Pkcs12Custody implements KeyCustody {
    /** The backend name in {@link KeyHandle#backend()}. */
    public static final String NAME = "pkcs12";

    private static final System.Logger LOG = System.getLogger(Pkcs12Custody.class.getName());
    private static final Provider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final char[] password;
    /** Guards {@link #keyStore} and every write of the file. */
    private final Object writeLock = new Object();
    private final KeyStore keyStore;
    /** Lower-cased label to key; read without locking by {@link #sign}. */
    private final Map<String, SoftwareKey> keys = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private Pkcs12Custody(Path file, char[] password, KeyStore keyStore) {
        this.file = file;
        this.password = password;
        this.keyStore = keyStore;
    }

    /**
     * Opens the keystore file, or prepares an empty one if the file does not exist yet (it is
     * written with the first key). Every key entry is decrypted and checked now.
     *
     * @throws CustodyException if the file cannot be read, is not PKCS#12, or the password is wrong
     */
    public static Pkcs12Custody open(Pkcs12Config config) {
        Path file = config.file().toAbsolutePath().normalize();
        char[] password = config.password().clone();
        KeyStore ks;
        try {
            ks = KeyStore.getInstance("PKCS12");
            byte[] bytes = null;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException absent) {
                // a new keystore, written on the first generate/import
            }
            if (bytes == null) {
                ks.load(null, null);
            } else {
                if (PrivateFiles.isReadableByOthers(file)) {
                    LOG.log(System.Logger.Level.WARNING, "keystore {0} is accessible to other users; it should be mode 0600", file);
                }
                ks.load(new ByteArrayInputStream(bytes), password);
            }
        } catch (IOException e) {
            Arrays.fill(password, '\0');
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new CustodyException("cannot open PKCS#12 keystore " + file + ": wrong password, or the file is damaged");
            }
            throw new CustodyException("cannot read PKCS#12 keystore " + file + ": " + e.getClass().getSimpleName(), e);
        } catch (GeneralSecurityException e) {
            Arrays.fill(password, '\0');
            throw new CustodyException("cannot open PKCS#12 keystore " + file + ": " + e.getClass().getSimpleName(), e);
        }
        Pkcs12Custody custody = new Pkcs12Custody(file, password, ks);
        try {
            custody.loadKeys();
        } catch (RuntimeException e) {
            custody.close();
            throw e;
        }
        return custody;
    }

    private void loadKeys() {
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                if (!keyStore.isKeyEntry(alias)) {
                    continue;
                }
                Key key = keyStore.getKey(alias, password);
                Certificate[] chain = keyStore.getCertificateChain(alias);
                if (!(key instanceof PrivateKey pk) || chain == null || chain.length == 0) {
                    LOG.log(System.Logger.Level.WARNING, "keystore {0}: entry {1} is not a private key with a certificate; ignored", file, alias);
                    continue;
                }
                try {
                    keys.put(normalize(alias), SoftwareKey.of(alias, pk, chain[0].getPublicKey()));
                } catch (CustodyException e) {
                    LOG.log(System.Logger.Level.WARNING, "keystore {0}: entry {1} is not usable by the CA ({2}); ignored",
                            file, alias, e.getMessage());
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw new CustodyException("cannot decrypt a key in " + file + ": the entry password differs from the keystore password");
        } catch (GeneralSecurityException e) {
            throw new CustodyException("cannot read the keys in " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The keystore file. */
    public Path file() {
        return file;
    }

    @Override
    public KeyHandle generate(String label, KeyAlgorithm algorithm) {
        KeyLabels.requireValid(label);
        if (algorithm == null) {
            throw new CustodyException("a key algorithm is required");
        }
        algorithm.requireCustodial(); // never an Ed448 key: those are imported trust anchors' only
        synchronized (writeLock) {
            ensureOpen();
            requireFree(label);
            KeyPair pair = generateKeyPair(algorithm);
            SigningAlgorithm selfSign = SigningAlgorithm.forKey(algorithm);
            SoftwareKey key = SoftwareKey.of(label, pair.getPrivate(), pair.getPublic());
            X509Certificate placeholder = PlaceholderCertificates.create(label, pair.getPublic(), selfSign,
                    tbs -> key.sign(selfSign, tbs));
            store(label, pair.getPrivate(), new X509Certificate[] {placeholder}, key);
            return new KeyHandle(NAME, label);
        }
    }

    @Override
    public boolean exists(String label) {
        ensureOpen();
        return label != null && keys.containsKey(normalize(label));
    }

    @Override
    public PublicKey publicKey(KeyHandle key) {
        return find(key).publicKey();
    }

    @Override
    public byte[] sign(KeyHandle key, SigningAlgorithm algorithm, byte[] data) {
        if (data == null) {
            throw new CustodyException("nothing to sign");
        }
        return find(key).sign(algorithm, data);
    }

    /** Signs a digest made elsewhere with the key in memory; see {@link KeyCustody#signDigest}. */
    @Override
    public byte[] signDigest(KeyHandle key, SigningAlgorithm algorithm, byte[] digest) {
        return find(key).signDigest(algorithm, digest);
    }

    @Override
    public void attachCertificateChain(KeyHandle handle, List<X509Certificate> chain) {
        synchronized (writeLock) {
            SoftwareKey key = find(handle);
            KeyFacts.requireChainFor(key.publicKey(), chain);
            String alias = normalize(handle.id());
            PrivateKey privateKey;
            try {
                privateKey = (PrivateKey) keyStore.getKey(alias, password);
            } catch (GeneralSecurityException e) {
                throw new CustodyException("cannot read key " + handle.id() + " from " + file, e);
            }
            store(handle.id(), privateKey, chain.toArray(new X509Certificate[0]), key);
        }
    }

    /** The certificate chain stored with a key (the placeholder until a chain is attached). */
    public List<X509Certificate> certificateChain(KeyHandle handle) {
        find(handle);
        synchronized (writeLock) {
            try {
                Certificate[] chain = keyStore.getCertificateChain(normalize(handle.id()));
                List<X509Certificate> out = new ArrayList<>();
                for (Certificate c : chain) {
                    out.add((X509Certificate) c);
                }
                return List.copyOf(out);
            } catch (GeneralSecurityException e) {
                throw new CustodyException("cannot read the chain of " + handle.id(), e);
            }
        }
    }

    @Override
    public KeyHandle importKey(String label, PrivateKey privateKey, List<X509Certificate> chain) {
        KeyLabels.requireValid(label);
        if (privateKey == null) {
            throw new CustodyException("a private key is required");
        }
        if (chain == null || chain.isEmpty()) {
            throw new CustodyException("the certificate chain of the imported key is required (leaf first)");
        }
        synchronized (writeLock) {
            ensureOpen();
            requireFree(label);
            KeyFacts.requireChainFor(chain.get(0).getPublicKey(), chain);
            SoftwareKey key = SoftwareKey.of(label, privateKey, chain.get(0).getPublicKey());
            store(label, privateKey, chain.toArray(new X509Certificate[0]), key);
            return new KeyHandle(NAME, label);
        }
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            closed = true;
            keys.clear();
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public String toString() {
        return "Pkcs12Custody[" + file + ", " + keys.size() + " keys]";
    }

    // --- internals --------------------------------------------------------------------------

    /** Writes one entry: keystore in memory, then the file; undoes the in-memory change if the file write fails. */
    private void store(String label, PrivateKey privateKey, X509Certificate[] chain, SoftwareKey key) {
        String alias = normalize(label);
        try {
            KeyStore.Entry previous = keyStore.containsAlias(alias)
                    ? keyStore.getEntry(alias, new KeyStore.PasswordProtection(password))
                    : null;
            keyStore.setKeyEntry(alias, privateKey, password, chain);
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                keyStore.store(out, password);
                PrivateFiles.writeAtomically(file, out.toByteArray());
            } catch (IOException | GeneralSecurityException e) {
                if (previous == null) {
                    keyStore.deleteEntry(alias);
                } else {
                    keyStore.setEntry(alias, previous, new KeyStore.PasswordProtection(password));
                }
                throw new CustodyException("cannot write PKCS#12 keystore " + file + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
            }
        } catch (GeneralSecurityException e) {
            throw new CustodyException("cannot store key " + label + " in " + file + ": " + e.getClass().getSimpleName(), e);
        }
        keys.put(alias, key);
    }

    private static KeyPair generateKeyPair(KeyAlgorithm algorithm) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm.family(), BC);
            if (algorithm.isEc()) {
                g.initialize(new ECGenParameterSpec(algorithm.curve()), RANDOM);
            } else {
                g.initialize(new RSAKeyGenParameterSpec(algorithm.bits(), RSAKeyGenParameterSpec.F4), RANDOM);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new CustodyException("cannot generate a " + algorithm + " key", e);
        }
    }

    private SoftwareKey find(KeyHandle handle) {
        ensureOpen();
        if (handle == null) {
            throw new CustodyException("a key handle is required");
        }
        if (!NAME.equals(handle.backend())) {
            throw new CustodyException("key " + handle + " belongs to the " + handle.backend()
                    + " backend, not to " + NAME);
        }
        SoftwareKey key = keys.get(normalize(handle.id()));
        if (key == null) {
            throw new CustodyException("no key " + handle.id() + " in " + file);
        }
        return key;
    }

    private void requireFree(String label) {
        if (keys.containsKey(normalize(label))) {
            throw new CustodyException("a key labelled " + label + " already exists in " + file
                    + " (labels are case-insensitive in PKCS#12)");
        }
        try {
            if (keyStore.containsAlias(normalize(label))) {
                throw new CustodyException("the alias " + label + " is taken in " + file + " by an entry the CA cannot use");
            }
        } catch (GeneralSecurityException e) {
            throw new CustodyException("cannot read " + file, e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new CustodyException("the PKCS#12 custody for " + file + " is closed");
        }
    }

    private static String normalize(String label) {
        return label.toLowerCase(Locale.ROOT);
    }
}
