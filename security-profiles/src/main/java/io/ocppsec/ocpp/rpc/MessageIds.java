package io.ocppsec.ocpp.rpc;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * OCPP-J message id rules (Part 4 §4.1.4): a string of at most 36 characters, unique per sender
 * for every CALL and SEND to the same station identity across connections; a CALLRESULT or
 * CALLERROR carries the id of its CALL; a CALLERROR about a message whose id cannot be read uses
 * {@value #UNREADABLE}.
 */
public final class MessageIds {
    /** Maximum length of a message id (string[36], room for a UUID). */
    public static final int MAX_LENGTH = 36;
    /** The id of a CALLERROR answering a message whose id could not be read (§4.2.3). */
    public static final String UNREADABLE = "-1";

    private MessageIds() {
    }

    /**
     * Whether {@code id} is a usable message id: 1 to 36 characters. An empty string is refused:
     * it cannot be told apart from a missing id and cannot be echoed meaningfully.
     */
    public static boolean isValid(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_LENGTH;
    }

    /**
     * Generates message ids for the CALLs this service sends: random (version 4) UUIDs, so ids
     * stay unique across connections, terminator instances and restarts without coordination.
     * Thread-safe.
     */
    public static final class Generator {
        private final ThreadLocal<SplittableRandom> random;

        public Generator() {
            SecureRandom seeds = new SecureRandom();
            this.random = ThreadLocal.withInitial(() -> new SplittableRandom(seeds.nextLong()));
        }

        public String next() {
            SplittableRandom r = random.get();
            long hi = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
            long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
            return new java.util.UUID(hi, lo).toString();
        }
    }
}
