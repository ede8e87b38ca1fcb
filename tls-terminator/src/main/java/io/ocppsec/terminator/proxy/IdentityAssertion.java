package io.ocppsec.terminator.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The station identity the terminator asserts to the upstream CSMS, in headers on the upgrade
 * request, with an HMAC-SHA256 over them under a key shared with the CSMS (docs/tls-terminator.md
 * shows how to check it in any language):
 * <pre>
 * X-OCPP-Station-Id: CP001
 * X-OCPP-Security-Profile: 3
 * X-OCPP-Client-Cert-SHA256: 5f1c...   (lower-case hex, empty for profiles 1 and 2)
 * X-OCPP-Subprotocol: ocpp2.0.1
 * X-OCPP-Identity-Timestamp: 1795300000  (Unix seconds)
 * X-OCPP-Identity-Nonce: 22 base64url characters
 * X-OCPP-Identity-Signature: base64url(HMAC-SHA256(key, "ocppsec-identity-v1\n" + station + "\n" + profile
 *     + "\n" + fingerprint + "\n" + subprotocol + "\n" + timestamp + "\n" + nonce))
 * </pre>
 * The CSMS must check the signature in constant time, the timestamp within a small window, and may
 * remember nonces within that window to refuse replays.
 */
public final class IdentityAssertion {
    public static final String STATION = "X-OCPP-Station-Id";
    public static final String PROFILE = "X-OCPP-Security-Profile";
    public static final String FINGERPRINT = "X-OCPP-Client-Cert-SHA256";
    public static final String SUBPROTOCOL = "X-OCPP-Subprotocol";
    public static final String TIMESTAMP = "X-OCPP-Identity-Timestamp";
    public static final String NONCE = "X-OCPP-Identity-Nonce";
    public static final String SIGNATURE = "X-OCPP-Identity-Signature";
    /** The smallest key accepted. */
    public static final int MIN_KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    public IdentityAssertion(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the identity key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = key.clone();
    }

    /** The headers for one upstream connection, signed now. */
    public Map<String, String> headers(String station, int profile, String fingerprint, String subprotocol) {
        String ts = Long.toString(System.currentTimeMillis() / 1000);
        byte[] n = new byte[16];
        RANDOM.nextBytes(n);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(n);
        String fp = fingerprint == null ? "" : fingerprint;
        Map<String, String> h = new LinkedHashMap<>();
        h.put(STATION, station);
        h.put(PROFILE, Integer.toString(profile));
        h.put(FINGERPRINT, fp);
        h.put(SUBPROTOCOL, subprotocol);
        h.put(TIMESTAMP, ts);
        h.put(NONCE, nonce);
        h.put(SIGNATURE, sign(station, Integer.toString(profile), fp, subprotocol, ts, nonce));
        return h;
    }

    /** Whether signed headers are authentic and at most {@code maxSkewSeconds} old or early. */
    public boolean verify(Map<String, String> h, long maxSkewSeconds) {
        String sig = h.get(SIGNATURE);
        String ts = h.get(TIMESTAMP);
        if (sig == null || ts == null || h.get(STATION) == null || h.get(PROFILE) == null || h.get(NONCE) == null
                || h.get(SUBPROTOCOL) == null) {
            return false;
        }
        long t;
        try {
            t = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(System.currentTimeMillis() / 1000 - t) > maxSkewSeconds) {
            return false;
        }
        String expected = sign(h.get(STATION), h.get(PROFILE), h.getOrDefault(FINGERPRINT, ""), h.get(SUBPROTOCOL), ts, h.get(NONCE));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), sig.getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(String station, String profile, String fp, String subprotocol, String ts, String nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String text = "ocppsec-identity-v1\n" + station + "\n" + profile + "\n" + fp + "\n" + subprotocol + "\n" + ts + "\n" + nonce;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "IdentityAssertion[key=<redacted>]";
    }
}
