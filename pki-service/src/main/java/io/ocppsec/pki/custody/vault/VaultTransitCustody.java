package io.ocppsec.pki.custody.vault;

import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import io.ocppsec.pki.custody.CustodyException;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.KeyFacts;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.KeyLabels;
import io.ocppsec.pki.custody.SignatureChecks;
import io.ocppsec.pki.custody.SigningAlgorithm;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key custody in HashiCorp Vault's Transit engine: keys are created in Vault as non-exportable
 * ({@code exportable=false}) and never leave it; this class only ever sees public keys and
 * signatures.
 *
 * <ul>
 *   <li>{@link #generate}: {@code POST /v1/<transit>/keys/<label>} with {@code type}
 *       {@code ecdsa-p256|ecdsa-p384|ecdsa-p521|rsa-2048|rsa-3072|rsa-4096}.</li>
 *   <li>{@link #publicKey}: {@code GET /v1/<transit>/keys/<label>}, the PEM
 *       {@code data.keys.<latest_version>.public_key}.</li>
 *   <li>{@link #sign}: the message is hashed here and Vault signs the digest:
 *       {@code POST /v1/<transit>/sign/<label>} with {@code prehashed=true}, the matching
 *       {@code hash_algorithm} ({@code sha2-256/384/512}), {@code marshaling_algorithm=asn1} (DER
 *       for ECDSA), for RSA {@code signature_algorithm=pkcs1v15} or {@code pss} with
 *       {@code salt_length=hash} (32 bytes for SHA-256), and {@code key_version} pinned (below).
 *       The answer {@code vault:v<N>:<base64>} is decoded and the signature is verified locally
 *       before it is returned, so a wrong key version, salt length or key can never reach a
 *       certificate.</li>
 *   <li>{@link #signDigest}: the same request with a digest made elsewhere (a firmware image's
 *       SHA-256) as {@code input}; the data never reaches Vault.</li>
 * </ul>
 *
 * <p><b>Key versions.</b> Transit keys can be rotated inside Vault; a CA key must not change
 * under its certificate. The first time this instance reads a key it pins the then latest
 * version, and every signature asks for that version. Rotate CA keys through the CA (a new label
 * and certificate), not with {@code transit/keys/<label>/rotate}; after a Vault-side rotation and a
 * restart, signatures would come from the new version, whose public key no longer matches the CA
 * certificate (the CA engine should compare {@link #publicKey} with its certificate at start).
 *
 * <p>{@link #importKey} refuses; {@link #attachCertificateChain} only checks that the chain
 * belongs to the key (Transit does not store certificates for keys it generated).
 *
 * <p>Thread-safe. The token never appears in a message; see {@link VaultClient}.
 */
public final class VaultTransitCustody implements KeyCustody {
    /** The backend name in {@link KeyHandle#backend()}. */
    public static final String NAME = "vault";

    private static final Pattern SIGNATURE = Pattern.compile("vault:v(\\d+):([A-Za-z0-9+/=]+)");

    private final VaultClient client;
    private final String mount;
    private final Map<String, TransitKey> keys = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record TransitKey(String label, KeyAlgorithm algorithm, int version, PublicKey publicKey) {}

    private VaultTransitCustody(VaultClient client, String mount) {
        this.client = client;
        this.mount = mount;
    }

    /** A custody on the Transit engine described by {@code settings}. No request is made until a key is used. */
    public static VaultTransitCustody open(VaultSettings settings) {
        return new VaultTransitCustody(new VaultClient(settings), settings.transitMount());
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
        ensureOpen();
        if (exists(label)) {
            throw new CustodyException("a key labelled " + label + " already exists in " + client.where() + " (" + mount + ")");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", transitType(algorithm));
        body.put("exportable", Boolean.FALSE);
        body.put("allow_plaintext_backup", Boolean.FALSE);
        String op = "create Transit key " + label;
        VaultClient.Answer a = client.write(keysPath(label), body, op);
        if (a.status() / 100 != 2) {
            throw client.refusal(a, op);
        }
        if (a.errors().contains("already existed")) {
            throw new CustodyException("a key labelled " + label + " already exists in " + client.where()
                    + " (created by someone else just now)");
        }
        TransitKey key = load(label);
        if (key.algorithm() != algorithm) {
            throw new CustodyException("Vault created key " + label + " as " + key.algorithm() + ", not " + algorithm);
        }
        return new KeyHandle(NAME, label);
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
        KeyLabels.requireValid(label);
        String op = "read Transit key " + label;
        VaultClient.Answer a = client.read(keysPath(label), op);
        if (a.isAbsent()) {
            return false;
        }
        if (a.status() != 200) {
            throw client.refusal(a, op);
        }
        return true;
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
        TransitKey key = find(handle);
        KeyFacts.requireFits(key.algorithm(), algorithm);
        return signPrehashed(key, algorithm, SignatureChecks.digest(algorithm, data));
    }

    /**
     * Has Vault sign a digest made elsewhere, exactly as {@link #sign} has it sign the digest it
     * makes: the same request ({@code prehashed=true}, the algorithm's {@code hash_algorithm},
     * {@code asn1}, pinned {@code key_version}) and the same local check of the answer. An EC key of
     * any curve signs an ECDSA digest of any length (Vault's ECDSA signs the prehashed input as
     * given; {@code hash_algorithm} only matters for RSA). A digest of the wrong length is refused
     * before any request is made.
     */
    @Override
    public byte[] signDigest(KeyHandle handle, SigningAlgorithm algorithm, byte[] digest) {
        TransitKey key = find(handle);
        KeyFacts.requireFits(key.algorithm(), algorithm);
        KeyFacts.requireDigestFor(algorithm, digest);
        return signPrehashed(key, algorithm, digest);
    }

    /** {@code POST <transit>/sign/<label>} with the digest; the answer is checked before it is returned. */
    private byte[] signPrehashed(TransitKey key, SigningAlgorithm algorithm, byte[] digest) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("input", Base64.getEncoder().encodeToString(digest));
        body.put("prehashed", Boolean.TRUE);
        body.put("hash_algorithm", vaultHash(algorithm));
        body.put("marshaling_algorithm", "asn1");
        body.put("key_version", key.version());
        if (!algorithm.isEcdsa()) {
            if (algorithm == SigningAlgorithm.SHA256_WITH_RSA_PSS) {
                body.put("signature_algorithm", "pss");
                body.put("salt_length", "hash");
            } else {
                body.put("signature_algorithm", "pkcs1v15");
            }
        }
        String op = "sign with Transit key " + key.label();
        VaultClient.Answer a = client.write(mount + "/sign/" + key.label(), body, op);
        if (a.status() != 200) {
            throw client.refusal(a, op);
        }
        JsonValue sig = a.data().get("signature");
        Matcher m = sig != null && sig.isString() ? SIGNATURE.matcher(sig.asString()) : null;
        if (m == null || !m.matches()) {
            throw new CustodyException(client.where() + " answered the request to " + op + " without a vault:v<N>: signature");
        }
        if (Integer.parseInt(m.group(1)) != key.version()) {
            throw new CustodyException(client.where() + " signed with version " + m.group(1) + " of key " + key.label()
                    + " instead of the pinned version " + key.version());
        }
        byte[] signature = Base64.getDecoder().decode(m.group(2));
        if (!SignatureChecks.verifiesDigest(key.publicKey(), algorithm, digest, signature)) {
            throw new CustodyException("the signature " + client.where() + " made with key " + key.label() + " (version "
                    + key.version() + ", " + algorithm.jcaName() + ") does not verify with its public key");
        }
        return signature;
    }

    /** Checks that the chain belongs to the key; Transit keeps no certificates for generated keys. */
    @Override
    public void attachCertificateChain(KeyHandle key, List<X509Certificate> chain) {
        KeyFacts.requireChainFor(find(key).publicKey(), chain);
    }

    /** Refused: private keys are never sent to Vault by this service. */
    @Override
    public KeyHandle importKey(String label, PrivateKey key, List<X509Certificate> chain) {
        throw new CustodyException("the Vault Transit backend does not import private keys: generate the key in Vault,"
                + " or import it into Transit with Vault's own BYOK procedure and use it by its name");
    }

    /**
     * Returns a handle for a Transit key that already exists in Vault under {@code label} (made by
     * an operator), after checking it is a signing key of a type the CA uses.
     */
    @Override
    public KeyHandle useExisting(String label) {
        KeyLabels.requireValid(label);
        ensureOpen();
        load(label);
        return new KeyHandle(NAME, label);
    }

    @Override
    public void close() {
        closed = true;
        keys.clear();
    }

    @Override
    public String toString() {
        return "VaultTransitCustody[" + client.where() + ", mount " + mount + "]";
    }

    // --- internals --------------------------------------------------------------------------

    private TransitKey find(KeyHandle handle) {
        ensureOpen();
        if (handle == null) {
            throw new CustodyException("a key handle is required");
        }
        if (!NAME.equals(handle.backend())) {
            throw new CustodyException("key " + handle + " belongs to the " + handle.backend() + " backend, not to " + NAME);
        }
        TransitKey key = keys.get(handle.id());
        return key != null ? key : load(handle.id());
    }

    private TransitKey load(String label) {
        KeyLabels.requireValid(label);
        String op = "read Transit key " + label;
        VaultClient.Answer a = client.read(keysPath(label), op);
        if (a.isAbsent()) {
            throw new CustodyException("no Transit key " + label + " in " + client.where() + " (" + mount + ")");
        }
        if (a.status() != 200) {
            throw client.refusal(a, op);
        }
        JsonObject data = a.data();
        String type = string(data, "type");
        KeyAlgorithm algorithm = algorithmOf(type, label);
        JsonValue latest = data.get("latest_version");
        JsonValue exportable = data.get("exportable");
        if (exportable != null && exportable.isBoolean() && exportable.asBoolean()) {
            System.getLogger(VaultTransitCustody.class.getName()).log(System.Logger.Level.WARNING,
                    "Transit key {0} in {1} is exportable; keys generated by ocppsec are not", label, client.where());
        }
        if (latest == null || !latest.isNumber()) {
            throw new CustodyException(client.where() + " did not say which version of key " + label + " is the latest");
        }
        int version = latest.asInt();
        JsonValue versions = data.get("keys");
        JsonValue entry = versions != null && versions.isObject() ? versions.asObject().get(Integer.toString(version)) : null;
        String pem = entry != null && entry.isObject() ? string(entry.asObject(), "public_key") : null;
        if (pem == null) {
            throw new CustodyException(client.where() + " returned no public key for version " + version + " of key " + label);
        }
        PublicKey publicKey = parsePem(pem, algorithm, label);
        if (KeyFacts.algorithmOf(publicKey) != algorithm) {
            throw new CustodyException("the public key of Transit key " + label + " is not a " + algorithm + " key");
        }
        TransitKey key = new TransitKey(label, algorithm, version, publicKey);
        TransitKey raced = keys.putIfAbsent(label, key);
        return raced != null ? raced : key;
    }

    private PublicKey parsePem(String pem, KeyAlgorithm algorithm, String label) {
        String b64 = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance(algorithm.family()).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CustodyException("cannot read the public key of Transit key " + label + " from " + client.where(), e);
        }
    }

    private String keysPath(String label) {
        return mount + "/keys/" + label;
    }

    private static String string(JsonObject o, String name) {
        JsonValue v = o.get(name);
        return v != null && v.isString() ? v.asString() : null;
    }

    static String transitType(KeyAlgorithm algorithm) {
        switch (algorithm) {
            case EC_P256:
                return "ecdsa-p256";
            case EC_P384:
                return "ecdsa-p384";
            case EC_P521:
                return "ecdsa-p521";
            case RSA_2048:
                return "rsa-2048";
            case RSA_3072:
                return "rsa-3072";
            case RSA_4096:
                return "rsa-4096";
            case ED448:
                throw new CustodyException("no Transit key type for " + algorithm + ": the CA holds no Ed448 keys");
            default:
                throw new CustodyException("no Transit key type for " + algorithm);
        }
    }

    private static KeyAlgorithm algorithmOf(String type, String label) {
        for (KeyAlgorithm a : KeyAlgorithm.values()) {
            if (a.custodial() && transitType(a).equals(type)) {
                return a;
            }
        }
        throw new CustodyException("Transit key " + label + " is of type " + type + ", which the CA does not sign with"
                + " (ecdsa-p256/p384/p521 or rsa-2048/3072/4096)");
    }

    private static String vaultHash(SigningAlgorithm algorithm) {
        switch (algorithm.digest()) {
            case "SHA-256":
                return "sha2-256";
            case "SHA-384":
                return "sha2-384";
            case "SHA-512":
                return "sha2-512";
            default:
                throw new CustodyException("no Vault hash algorithm for " + algorithm.digest());
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new CustodyException("the Vault Transit custody for " + client.where() + " is closed");
        }
    }
}
