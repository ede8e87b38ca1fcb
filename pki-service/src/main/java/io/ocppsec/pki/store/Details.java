package io.ocppsec.pki.store;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Builds the short JSON {@code details} of an audit record. */
public final class Details {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Details() {
    }

    /** {@code {"k1":v1,"k2":v2,...}} from alternating keys and values; null values are left out. */
    public static String of(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                m.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
            }
        }
        return JSON.writeValueAsString(m);
    }
}
