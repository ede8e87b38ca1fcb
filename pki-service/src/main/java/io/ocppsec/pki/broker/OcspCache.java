package io.ocppsec.pki.broker;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verified answers by CertID (and source), kept until their nextUpdate or the maximum TTL,
 * whichever comes first. A hit is one map lookup and one clock comparison. Bounded: when full,
 * expired entries are swept, and if that frees nothing new answers are simply not cached.
 */
public final class OcspCache {

    /** A cached, verified answer. {@code base64} is precomputed so a hit allocates nothing. */
    public record Entry(OcspVerifier.CertState state, byte[] der, String base64, Instant nextUpdate, long expiresAtMillis) {
    }

    private final ConcurrentHashMap<Object, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;

    public OcspCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The live entry for {@code key}, or null. */
    public Entry get(Object key, long nowMillis) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (e.expiresAtMillis() <= nowMillis) {
            entries.remove(key, e);
            return null;
        }
        return e;
    }

    public void put(Object key, Entry entry, long nowMillis) {
        if (entries.size() >= maxEntries && !entries.containsKey(key)) {
            entries.values().removeIf(e -> e.expiresAtMillis() <= nowMillis);
            if (entries.size() >= maxEntries) {
                return;
            }
        }
        entries.put(key, entry);
    }

    public void remove(Object key) {
        entries.remove(key);
    }

    public int size() {
        return entries.size();
    }

    public void clear() {
        entries.clear();
    }
}
