package io.ocppsec.pki.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The audit chain's hash: SHA-256 over the previous record's hash and every field of this record,
 * each field length-prefixed so that no two different records serialize alike. The timestamp
 * counts in microseconds, the precision both databases keep.
 */
final class AuditHash {
    static final String GENESIS = "0".repeat(64);
    private static final HexFormat HEX = HexFormat.of();

    private AuditHash() {
    }

    static String of(String prevHash, long seq, Instant at, AuditEntry e) {
        MessageDigest md = sha256();
        md.update(prevHash.getBytes(StandardCharsets.US_ASCII));
        md.update(ByteBuffer.allocate(16).putLong(seq).putLong(micros(at)).array());
        field(md, e.actor());
        field(md, e.action());
        field(md, e.subject());
        field(md, e.outcome().name());
        field(md, e.reason());
        field(md, e.details());
        return HEX.formatHex(md.digest());
    }

    static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    private static void field(MessageDigest md, String value) {
        if (value == null) {
            md.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(4).putInt(b.length).array());
        md.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
