package io.ocppsec.pki.custody.vault;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for a HashiCorp Vault server, for tests: no Vault or OpenBao server can be
 * installed where these tests run (no package, no container engine). It listens on
 * {@code 127.0.0.1} on a random port and follows Vault's documented HTTP API for exactly the
 * endpoints the custody backends use, doing real cryptography with Bouncy Castle keys it keeps in
 * memory:
 *
 * <ul>
 *   <li>{@code POST|PUT /v1/<transit>/keys/<name>}: {@code type} ecdsa-p256/p384/p521,
 *       rsa-2048/3072/4096 (400 {@code unknown key type} otherwise), {@code exportable}; answers
 *       200 with the key's read shape, and a warning {@code key <name> already existed} when it
 *       did (the key is then unchanged), as Vault does.</li>
 *   <li>{@code GET /v1/<transit>/keys/<name>}: {@code data.type}, {@code latest_version},
 *       {@code exportable}, {@code keys.<version>.{public_key (PKIX PEM), name, creation_time}};
 *       404 {@code {"errors":[]}} when absent.</li>
 *   <li>{@code POST|PUT /v1/<transit>/sign/<name>[/<hash>]}: {@code input} (base64),
 *       {@code prehashed}, {@code hash_algorithm} (sha2-256/384/512, or the URL suffix),
 *       {@code marshaling_algorithm} (asn1, or jws for ECDSA), {@code signature_algorithm}
 *       (pss default, pkcs1v15), {@code salt_length} (auto default = the largest salt, hash, or a
 *       number), {@code key_version} (0 = latest); answers {@code data.signature =
 *       vault:v<N>:<base64>} and {@code data.key_version}. Unknown key: 400
 *       {@code encryption key not found}. With {@code prehashed}, as Vault's documentation and
 *       its {@code keysutil} code have it: an ECDSA key signs the input as given, whatever its
 *       length and {@code hash_algorithm} (Go's {@code ecdsa.Sign}; a P-384 key signs a SHA-256
 *       digest); an RSA key needs an input exactly as long as {@code hash_algorithm}'s digest.</li>
 *   <li>{@code GET /v1/<kv>/data/<path>} and {@code POST|PUT /v1/<kv>/data/<path>} (KV v2):
 *       {@code data.data} and {@code data.metadata.version}; writes need {@code {"data":{...}}}
 *       and make a new version; 404 {@code {"errors":[]}} when absent.</li>
 *   <li>Every request needs {@code X-Vault-Token} equal to the configured token, else 403
 *       {@code {"errors":["permission denied"]}}; with a namespace configured, also
 *       {@code X-Vault-Namespace} equal to it. Unknown paths: 404 {@code no handler for route}.</li>
 * </ul>
 *
 * <p><b>Fidelity limits.</b> Plain HTTP only (no TLS); one token with every permission (no
 * policies, no token lookup, renewal or expiry); namespaces reduced to a header comparison; no
 * batch_input, derived or convergent keys, key export, backup, trim, config or delete endpoints,
 * no KV metadata/delete/CAS endpoints; key versions only through {@link #rotate}; hash algorithms
 * limited to SHA-2 256/384/512; error texts are Vault's where known, but internal failures (such
 * as an RSA prehashed input of the wrong length) are modelled as 500 without Vault's exact
 * wording; ECDSA nonces are random (Go's crypto/ecdsa is hedged); timing, rate limits, request
 * forwarding and response wrapping are not modelled. What it does prove is the client side: the
 * paths, headers, JSON bodies and answers are Vault's documented ones, and the signatures it
 * returns are real and verifiable.
 */
public final class VaultStandIn implements AutoCloseable {
    private static final Provider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        // The JDK's HttpServer leaves Nagle's algorithm on unless told otherwise; with delayed
        // ACKs that costs about 40 ms per exchange, which real Vault (Go) does not.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One request as the stand-in saw it. */
    record Request(String method, String path, String namespace, JsonNode body) {}

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpServer server;
    private final ExecutorService executor;
    private final String token;
    private final String namespace;
    private final Set<String> transitMounts;
    private final Set<String> kvMounts;
    private final Map<String, TransitKey> transitKeys = new ConcurrentHashMap<>();
    private final Map<String, List<ObjectNode>> kv = new ConcurrentHashMap<>();
    private final Deque<Request> requests = new ConcurrentLinkedDeque<>();
    private volatile boolean ignoreSaltLength;

    private static final class TransitKey {
        final String type;
        final boolean exportable;
        final List<KeyPair> versions = new ArrayList<>();
        final List<Instant> created = new ArrayList<>();

        TransitKey(String type, boolean exportable) {
            this.type = type;
            this.exportable = exportable;
        }
    }

    public VaultStandIn(String token, String namespace) throws IOException {
        this(token, namespace, Set.of("transit"), Set.of("secret"));
    }

    VaultStandIn(String token, String namespace, Set<String> transitMounts, Set<String> kvMounts) throws IOException {
        this.token = token;
        this.namespace = namespace;
        this.transitMounts = transitMounts;
        this.kvMounts = kvMounts;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The most recent requests, oldest first (at most 500 are kept). */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    void clearRequests() {
        requests.clear();
    }

    /** Adds a new version to a Transit key, as {@code POST transit/keys/<name>/rotate} would. */
    void rotate(String mount, String name) throws GeneralSecurityException {
        TransitKey k = transitKeys.get(mount + "/" + name);
        synchronized (k) {
            k.versions.add(generate(k.type));
            k.created.add(Instant.now());
        }
    }

    /** Behave like a Vault older than salt_length support: always the largest PSS salt. */
    void ignoreSaltLength(boolean ignore) {
        this.ignoreSaltLength = ignore;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // --- dispatch ---------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            byte[] raw = ex.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? json.createObjectNode() : json.readTree(raw);
            String ns = ex.getRequestHeaders().getFirst("X-Vault-Namespace");
            requests.add(new Request(method, path, ns, body));
            while (requests.size() > 500) {
                requests.pollFirst();
            }
            if (!token.equals(ex.getRequestHeaders().getFirst("X-Vault-Token"))
                    || namespace != null && !namespace.equals(ns)) {
                send(ex, 403, errors("permission denied"));
                return;
            }
            if (!path.startsWith("/v1/")) {
                send(ex, 404, errors("no handler for route \"" + path + "\". route entry not found."));
                return;
            }
            route(ex, method, path.substring(4), body);
        } catch (RuntimeException | GeneralSecurityException | CryptoException e) {
            send(ex, 500, errors("1 error occurred:\n\t* " + e.getMessage() + "\n\n"));
        }
    }

    private void route(HttpExchange ex, String method, String path, JsonNode body)
            throws IOException, GeneralSecurityException, CryptoException {
        boolean write = method.equals("POST") || method.equals("PUT");
        for (String mount : transitMounts) {
            if (path.startsWith(mount + "/keys/")) {
                String name = path.substring(mount.length() + 6);
                if (method.equals("GET")) {
                    readKey(ex, mount, name);
                } else if (write) {
                    createKey(ex, mount, name, body);
                } else {
                    send(ex, 405, errors("1 error occurred:\n\t* unsupported operation\n\n"));
                }
                return;
            }
            if (path.startsWith(mount + "/sign/") && write) {
                String rest = path.substring(mount.length() + 6);
                int slash = rest.indexOf('/');
                sign(ex, mount, slash < 0 ? rest : rest.substring(0, slash), slash < 0 ? null : rest.substring(slash + 1), body);
                return;
            }
        }
        for (String mount : kvMounts) {
            if (path.startsWith(mount + "/data/")) {
                String key = mount + "/" + path.substring(mount.length() + 6);
                if (method.equals("GET")) {
                    readSecret(ex, key);
                } else if (write) {
                    writeSecret(ex, key, body);
                } else {
                    send(ex, 405, errors("1 error occurred:\n\t* unsupported operation\n\n"));
                }
                return;
            }
        }
        send(ex, 404, errors("no handler for route \"" + path + "\". route entry not found."));
    }

    // --- transit ----------------------------------------------------------------------------

    private void createKey(HttpExchange ex, String mount, String name, JsonNode body) throws IOException, GeneralSecurityException {
        String type = body.path("type").asString("aes256-gcm96");
        if (!List.of("ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-2048", "rsa-3072", "rsa-4096").contains(type)) {
            send(ex, 400, errors("unknown key type " + type));
            return;
        }
        boolean[] created = {false};
        TransitKey k = transitKeys.computeIfAbsent(mount + "/" + name, n -> {
            created[0] = true;
            TransitKey t = new TransitKey(type, bool(body.get("exportable")));
            try {
                t.versions.add(generate(type));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            t.created.add(Instant.now());
            return t;
        });
        ObjectNode resp = envelope(keyData(name, k), "transit");
        if (!created[0]) {
            resp.putArray("warnings").add("key " + name + " already existed");
        }
        send(ex, 200, resp);
    }

    private void readKey(HttpExchange ex, String mount, String name) throws IOException {
        TransitKey k = transitKeys.get(mount + "/" + name);
        if (k == null) {
            send(ex, 404, errors());
            return;
        }
        send(ex, 200, envelope(keyData(name, k), "transit"));
    }

    private ObjectNode keyData(String name, TransitKey k) {
        ObjectNode d = json.createObjectNode();
        synchronized (k) {
            d.put("name", name);
            d.put("type", k.type);
            d.put("derived", false);
            d.put("deletion_allowed", false);
            d.put("exportable", k.exportable);
            d.put("allow_plaintext_backup", false);
            d.put("latest_version", k.versions.size());
            d.put("min_available_version", 0);
            d.put("min_decryption_version", 1);
            d.put("min_encryption_version", 0);
            d.put("supports_encryption", k.type.startsWith("rsa"));
            d.put("supports_decryption", k.type.startsWith("rsa"));
            d.put("supports_derivation", false);
            d.put("supports_signing", true);
            d.put("auto_rotate_period", 0);
            d.put("imported_key", false);
            ObjectNode keys = d.putObject("keys");
            for (int v = 1; v <= k.versions.size(); v++) {
                ObjectNode e = keys.putObject(Integer.toString(v));
                e.put("creation_time", k.created.get(v - 1).toString());
                e.put("name", k.type.startsWith("rsa") ? k.type : "P-" + k.type.substring(7));
                e.put("public_key", pem(k.versions.get(v - 1).getPublic().getEncoded()));
                e.put("certificate_chain", "");
            }
        }
        return d;
    }

    private void sign(HttpExchange ex, String mount, String name, String urlHash, JsonNode body)
            throws IOException, GeneralSecurityException, CryptoException {
        TransitKey k = transitKeys.get(mount + "/" + name);
        if (k == null) {
            send(ex, 400, errors("encryption key not found"));
            return;
        }
        String hashName = urlHash != null ? urlHash : body.path("hash_algorithm").asString(body.path("algorithm").asString("sha2-256"));
        Hash hash = Hash.of(hashName);
        if (hash == null) {
            send(ex, 400, errors("invalid hash algorithm \"" + hashName + "\""));
            return;
        }
        String marshaling = body.path("marshaling_algorithm").asString("asn1");
        if (!marshaling.equals("asn1") && !(marshaling.equals("jws") && k.type.startsWith("ecdsa"))) {
            send(ex, 400, errors("invalid marshaling type \"" + marshaling + "\""));
            return;
        }
        byte[] input;
        try {
            input = Base64.getDecoder().decode(body.path("input").asString(""));
        } catch (IllegalArgumentException e) {
            send(ex, 400, errors("unable to decode input as base64: " + e.getMessage()));
            return;
        }
        if (!bool(body.get("prehashed"))) {
            input = MessageDigest.getInstance(hash.jca).digest(input);
        }
        KeyPair pair;
        int version;
        synchronized (k) {
            int requested = body.path("key_version").asInt(0);
            if (requested > k.versions.size()) {
                send(ex, 400, errors("requested version for signing is higher than the latest key version"));
                return;
            }
            version = requested <= 0 ? k.versions.size() : requested;
            pair = k.versions.get(version - 1);
        }
        byte[] sig;
        if (k.type.startsWith("ecdsa")) {
            Signature s = Signature.getInstance("NONEwithECDSA", BC);
            s.initSign(pair.getPrivate(), RANDOM);
            s.update(input);
            sig = s.sign();
            if (marshaling.equals("jws")) {
                sig = derToJws(sig, k.type);
            }
        } else {
            if (input.length != hash.size) {
                throw new IllegalArgumentException("crypto/rsa: input must be hashed message");
            }
            String algorithm = body.path("signature_algorithm").asString("pss");
            if (algorithm.isEmpty() || algorithm.equals("pss")) {
                RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) pair.getPrivate();
                int emLen = (rsa.getModulus().bitLength() - 1 + 7) / 8;
                String saltParam = body.path("salt_length").asString("auto");
                int salt;
                if (ignoreSaltLength || saltParam.equals("auto")) {
                    salt = emLen - hash.size - 2;
                } else if (saltParam.equals("hash")) {
                    salt = hash.size;
                } else {
                    salt = Integer.parseInt(saltParam);
                }
                PSSSigner pss = PSSSigner.createRawSigner(new RSABlindedEngine(), hash.digest(), hash.digest(), salt,
                        PSSSigner.TRAILER_IMPLICIT);
                pss.init(true, new ParametersWithRandom(new RSAPrivateCrtKeyParameters(rsa.getModulus(), rsa.getPublicExponent(),
                        rsa.getPrivateExponent(), rsa.getPrimeP(), rsa.getPrimeQ(), rsa.getPrimeExponentP(), rsa.getPrimeExponentQ(),
                        rsa.getCrtCoefficient()), RANDOM));
                pss.update(input, 0, input.length);
                sig = pss.generateSignature();
            } else if (algorithm.equals("pkcs1v15")) {
                byte[] digestInfo;
                try {
                    digestInfo = new DigestInfo(new AlgorithmIdentifier(hash.oid, DERNull.INSTANCE), input).getEncoded("DER");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                Signature s = Signature.getInstance("NONEwithRSA", BC);
                s.initSign(pair.getPrivate());
                s.update(digestInfo);
                sig = s.sign();
            } else {
                send(ex, 400, errors("unsupported rsa signature algorithm " + algorithm));
                return;
            }
        }
        ObjectNode d = json.createObjectNode();
        Base64.Encoder enc = marshaling.equals("jws") ? Base64.getUrlEncoder().withoutPadding() : Base64.getEncoder();
        d.put("signature", "vault:v" + version + ":" + enc.encodeToString(sig));
        d.put("key_version", version);
        send(ex, 200, envelope(d, "transit"));
    }

    private enum Hash {
        SHA256("sha2-256", "SHA-256", 32, NISTObjectIdentifiers.id_sha256),
        SHA384("sha2-384", "SHA-384", 48, NISTObjectIdentifiers.id_sha384),
        SHA512("sha2-512", "SHA-512", 64, NISTObjectIdentifiers.id_sha512);

        final String vault;
        final String jca;
        final int size;
        final org.bouncycastle.asn1.ASN1ObjectIdentifier oid;

        Hash(String vault, String jca, int size, org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
            this.vault = vault;
            this.jca = jca;
            this.size = size;
            this.oid = oid;
        }

        Digest digest() {
            switch (this) {
                case SHA384:
                    return new SHA384Digest();
                case SHA512:
                    return new SHA512Digest();
                default:
                    return new SHA256Digest();
            }
        }

        static Hash of(String vaultName) {
            for (Hash h : values()) {
                if (h.vault.equals(vaultName)) {
                    return h;
                }
            }
            return null;
        }
    }

    private static KeyPair generate(String type) throws GeneralSecurityException {
        if (type.startsWith("ecdsa-p")) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(new ECGenParameterSpec("secp" + type.substring(7) + "r1"), RANDOM);
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", BC);
        g.initialize(new RSAKeyGenParameterSpec(Integer.parseInt(type.substring(4)), RSAKeyGenParameterSpec.F4), RANDOM);
        return g.generateKeyPair();
    }

    private static byte[] derToJws(byte[] der, String type) {
        org.bouncycastle.asn1.ASN1Sequence seq = org.bouncycastle.asn1.ASN1Sequence.getInstance(der);
        int size = type.equals("ecdsa-p256") ? 32 : type.equals("ecdsa-p384") ? 48 : 66;
        byte[] out = new byte[2 * size];
        for (int i = 0; i < 2; i++) {
            BigInteger v = org.bouncycastle.asn1.ASN1Integer.getInstance(seq.getObjectAt(i)).getValue();
            byte[] b = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(size, v);
            System.arraycopy(b, 0, out, i * size, size);
        }
        return out;
    }

    // --- kv v2 ------------------------------------------------------------------------------

    private void readSecret(HttpExchange ex, String key) throws IOException {
        List<ObjectNode> versions = kv.get(key);
        if (versions == null) {
            send(ex, 404, errors());
            return;
        }
        ObjectNode d = json.createObjectNode();
        synchronized (versions) {
            ObjectNode latest = versions.get(versions.size() - 1);
            d.set("data", latest.get("data").deepCopy());
            d.set("metadata", latest.get("metadata").deepCopy());
        }
        send(ex, 200, envelope(d, "kv"));
    }

    private void writeSecret(HttpExchange ex, String key, JsonNode body) throws IOException {
        JsonNode data = body.get("data");
        if (data == null || !data.isObject()) {
            send(ex, 400, errors("no data provided"));
            return;
        }
        List<ObjectNode> versions = kv.computeIfAbsent(key, k -> new ArrayList<>());
        ObjectNode metadata = json.createObjectNode();
        synchronized (versions) {
            metadata.put("created_time", Instant.now().toString());
            metadata.putNull("custom_metadata");
            metadata.put("deletion_time", "");
            metadata.put("destroyed", false);
            metadata.put("version", versions.size() + 1);
            ObjectNode v = json.createObjectNode();
            v.set("data", data.deepCopy());
            v.set("metadata", metadata);
            versions.add(v);
        }
        send(ex, 200, envelope(metadata.deepCopy(), "kv"));
    }

    // --- answers ----------------------------------------------------------------------------

    private ObjectNode envelope(ObjectNode data, String mountType) {
        ObjectNode o = json.createObjectNode();
        o.put("request_id", UUID.randomUUID().toString());
        o.put("lease_id", "");
        o.put("renewable", false);
        o.put("lease_duration", 0);
        o.set("data", data);
        o.putNull("wrap_info");
        o.putNull("warnings");
        o.putNull("auth");
        o.put("mount_type", mountType);
        return o;
    }

    private ObjectNode errors(String... messages) {
        ObjectNode o = json.createObjectNode();
        var a = o.putArray("errors");
        for (String m : messages) {
            a.add(m);
        }
        return o;
    }

    private void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static boolean bool(JsonNode n) {
        return n != null && (n.isBoolean() ? n.booleanValue() : "true".equalsIgnoreCase(n.asString("")));
    }

    private static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
    }
}
