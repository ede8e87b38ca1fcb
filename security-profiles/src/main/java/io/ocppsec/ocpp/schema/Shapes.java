package io.ocppsec.ocpp.schema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Factory for {@link Shape}s: the vocabulary in which the message rules are written.
 */
public final class Shapes {
    private static final ObjectShape CUSTOM_DATA = new ObjectShape(
            Map.of("vendorId", new ObjectShape.Property(new StringShape(255, null, false), true)), false);

    private Shapes() {
    }

    /** A string of at most {@code maxLength} code points. */
    public static StringShape string(int maxLength) {
        return new StringShape(maxLength, null, false);
    }

    /** A string of any length. */
    public static StringShape string() {
        return new StringShape(-1, null, false);
    }

    /** An RFC 3339 date-time string. */
    public static StringShape dateTime() {
        return new StringShape(-1, null, true);
    }

    /** One of the given string values. */
    public static StringShape oneOf(List<String> values) {
        return new StringShape(-1, values, false);
    }

    /**
     * The constants of an enum type as string values, leaving out {@code excluded} (values a
     * version does not have yet).
     */
    @SafeVarargs
    public static <E extends Enum<E>> StringShape enumOf(Class<E> type, E... excluded) {
        Set<E> skip = EnumSet.noneOf(type);
        for (E e : excluded) {
            skip.add(e);
        }
        List<String> values = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (!skip.contains(e)) {
                values.add(e.name());
            }
        }
        return oneOf(values);
    }

    public static IntegerShape integer() {
        return new IntegerShape(null, null);
    }

    public static IntegerShape integer(long minimum) {
        return new IntegerShape(minimum, null);
    }

    public static NumberShape number() {
        return new NumberShape(null);
    }

    public static NumberShape number(long minimum) {
        return new NumberShape(BigDecimal.valueOf(minimum));
    }

    public static BooleanShape bool() {
        return BooleanShape.INSTANCE;
    }

    /** An array of at least {@code minItems} items. */
    public static ArrayShape array(Shape items, int minItems) {
        return new ArrayShape(items, minItems, -1);
    }

    /** An array of {@code minItems} to {@code maxItems} items. */
    public static ArrayShape array(Shape items, int minItems, int maxItems) {
        return new ArrayShape(items, minItems, maxItems);
    }

    /** CustomDataType: an open object that must name its vendor. */
    public static ObjectShape customData() {
        return CUSTOM_DATA;
    }

    /** A closed OCPP object; the optional {@code customData} property is added by {@link ObjectBuilder#build()}. */
    public static ObjectBuilder object() {
        return new ObjectBuilder();
    }

    /** Builds a closed object shape property by property. */
    public static final class ObjectBuilder {
        private final Map<String, ObjectShape.Property> properties = new LinkedHashMap<>();

        private ObjectBuilder() {
        }

        public ObjectBuilder required(String name, Shape shape) {
            return put(name, shape, true);
        }

        public ObjectBuilder optional(String name, Shape shape) {
            return put(name, shape, false);
        }

        /** Adds an optional property only when {@code present} (a field a version does not have is left out). */
        public ObjectBuilder optionalIf(boolean present, String name, Shape shape) {
            return present ? put(name, shape, false) : this;
        }

        private ObjectBuilder put(String name, Shape shape, boolean required) {
            if (properties.putIfAbsent(name, new ObjectShape.Property(shape, required)) != null) {
                throw new IllegalStateException("duplicate property " + name);
            }
            return this;
        }

        public ObjectShape build() {
            properties.putIfAbsent("customData", new ObjectShape.Property(CUSTOM_DATA, false));
            return new ObjectShape(properties, true);
        }
    }

    static List<String> list(String... values) {
        return Arrays.asList(values);
    }
}
