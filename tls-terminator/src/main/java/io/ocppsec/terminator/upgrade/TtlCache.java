package io.ocppsec.terminator.upgrade;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A bounded cache of asynchronous answers with two ages: a fresh answer is used without asking
 * again; an older one is refreshed, and used when the refresh fails (stale-if-error up to
 * {@code staleMillis}), so pki-service being away for a while does not lock out stations it has
 * already answered for. Concurrent misses for one key share one request.
 */
final class TtlCache<K, V> {
    private record Entry<V>(V value, long fetchedAt) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Map<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();
    private final long freshMillis;
    private final long staleMillis;
    private final int maxEntries;

    TtlCache(long freshMillis, long staleMillis, int maxEntries) {
        this.freshMillis = freshMillis;
        this.staleMillis = staleMillis;
        this.maxEntries = maxEntries;
    }

    /** The cached answer when fresh, otherwise {@code loader}'s (or a stale one when it fails). */
    CompletableFuture<V> get(K key, Function<K, CompletableFuture<V>> loader) {
        long now = System.currentTimeMillis();
        Entry<V> e = entries.get(key);
        if (e != null && now - e.fetchedAt < freshMillis) {
            return CompletableFuture.completedFuture(e.value);
        }
        return inFlight.computeIfAbsent(key, k -> {
            CompletableFuture<V> f = loader.apply(k).handle((v, err) -> {
                if (err == null) {
                    put(k, v);
                    return v;
                }
                Entry<V> old = entries.get(k);
                if (old != null && System.currentTimeMillis() - old.fetchedAt < staleMillis && isUnreachable(err)) {
                    return old.value;
                }
                throw err instanceof java.util.concurrent.CompletionException ce ? ce : new java.util.concurrent.CompletionException(err);
            });
            f.whenComplete((v, err) -> inFlight.remove(k));
            return f;
        });
    }

    /** The cached answer if it is fresh. */
    V fresh(K key) {
        Entry<V> e = entries.get(key);
        return e != null && System.currentTimeMillis() - e.fetchedAt < freshMillis ? e.value : null;
    }

    void put(K key, V value) {
        if (entries.size() >= maxEntries) {
            evict();
        }
        entries.put(key, new Entry<>(value, System.currentTimeMillis()));
    }

    void invalidate(K key) {
        entries.remove(key);
    }

    int size() {
        return entries.size();
    }

    private void evict() {
        long now = System.currentTimeMillis();
        entries.values().removeIf(e -> now - e.fetchedAt >= staleMillis);
        Iterator<K> it = entries.keySet().iterator();
        while (entries.size() >= maxEntries && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private static boolean isUnreachable(Throwable err) {
        Throwable c = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
        return c instanceof io.ocppsec.terminator.pki.PkiClient.PkiException p && (p.status() == 0 || p.status() >= 500);
    }
}
