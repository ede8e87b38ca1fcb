package io.ocppsec.terminator.session;

import io.ocppsec.security.auth.StationIdentity;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The stations connected to this terminator, by canonical identity. A newer connection replaces an older one. */
public final class Sessions {
    private final Map<String, StationSession> byKey = new ConcurrentHashMap<>();

    /** Registers {@code session}; returns the one it replaces, if any. */
    public Optional<StationSession> put(StationSession session) {
        return Optional.ofNullable(byKey.put(session.identity().canonicalKey(), session));
    }

    /** Removes {@code session} if it is still the registered one. */
    public boolean remove(StationSession session) {
        return byKey.remove(session.identity().canonicalKey(), session);
    }

    public Optional<StationSession> get(StationIdentity identity) {
        return Optional.ofNullable(byKey.get(identity.canonicalKey()));
    }

    public Collection<StationSession> all() {
        return byKey.values();
    }

    public int size() {
        return byKey.size();
    }
}
