package io.ocppsec.ocpp.message.oracle;

import io.ocppsec.ocpp.rpc.RpcErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates example payloads from one official OCPP message schema: valid ones, and ones that
 * break exactly one rule at one known place, each labelled with the OCPP-J error code our codec
 * must answer with.
 *
 * <h2>Scope</h2>
 * The generator understands exactly the JSON Schema subset the official OCPP 2.0.1 / 2.1 schemas
 * use: {@code type} (object, string, integer, number, boolean, array), {@code properties},
 * {@code required}, {@code additionalProperties: false}, {@code $ref} to {@code #/definitions/...},
 * {@code enum}, {@code maxLength}, {@code minimum}, {@code minItems}, {@code maxItems},
 * {@code items} and {@code format: date-time}; anything else in a schema is treated as
 * annotation. It reads the schema itself, never our {@code MessageSchemas}, so it can serve as an
 * independent oracle.
 *
 * <h2>Valid examples</h2>
 * Each example is drawn from a seeded {@link Random} under a {@link Style}: which optional
 * properties to include (none, all, or a random subset), how long strings are, which characters
 * they use, how many array items, which integers. The first examples are fixed extremes
 * (required-only with empty strings and minimal arrays; everything present at maximum length in
 * ASCII; everything present at maximum length in astral code points, which is valid because
 * {@code maxLength} counts code points); the rest use random styles. Within a style:
 * <ul>
 *   <li>strings have a random length up to and including {@code maxLength}, the exact boundary
 *       often, and mix ASCII with non-ASCII BMP and astral (surrogate pair) code points; strings
 *       without a limit are capped at {@value #UNBOUNDED_STRING_CAP} code points;</li>
 *   <li>enumerations take a value of the schema's {@code enum};</li>
 *   <li>integers stay within {@code minimum}..{@link Integer#MAX_VALUE} (OCPP integers are
 *       32-bit, Part 2 §2.1.4), with the minimum boundary often, and are sometimes written with
 *       a zero fraction ({@code 7.0}), which JSON Schema counts as an integer;</li>
 *   <li>numbers are integral or fractional decimals;</li>
 *   <li>arrays have {@code minItems}..{@code maxItems} items, arrays without {@code maxItems}
 *       at most {@value #UNBOUNDED_ARRAY_CAP} (or {@code minItems}, when larger);</li>
 *   <li>date-times are RFC 3339 with {@code Z} or a numeric offset and 0 to 3 fraction digits;</li>
 *   <li>{@code customData} (the only open object) is included sometimes, always with its
 *       {@code vendorId} and sometimes with extra vendor properties of any JSON type.</li>
 * </ul>
 *
 * <h2>Broken examples</h2>
 * A few full bases are generated (every optional property present, {@code customData}
 * everywhere, every array non-empty). The generator then walks each base together with the
 * schema, visiting every property path (and, in arrays, the last item, so pointers carry real
 * indexes), and for each place produces copies of the base with exactly one rule broken there:
 * <ul>
 *   <li>each required property removed, an unknown property (and a wrong-case twin of a real one)
 *       added to each closed object: {@code OccurrenceConstraintViolation};</li>
 *   <li>arrays with {@code minItems - 1} and {@code maxItems + 1} items:
 *       {@code OccurrenceConstraintViolation} at the array;</li>
 *   <li>each value replaced by each JSON type the schema does not allow (string, integer,
 *       fractional number, boolean, object, array, {@code null}, a number or boolean written as a
 *       string), an integer with a fraction, a malformed date-time (no offset, month 13,
 *       February 30, date only, space instead of {@code T}, ...): {@code TypeConstraintViolation};</li>
 *   <li>each string one code point over {@code maxLength} (in ASCII and in astral code points),
 *       each enumeration value replaced by a near miss (wrong case, leading or trailing space,
 *       truncated, empty, a value only the other OCPP version has), each integer or number below
 *       its {@code minimum}: {@code PropertyConstraintViolation};</li>
 *   <li>the payload itself replaced by a non-object: {@code FormatViolation} at {@code ""}.</li>
 * </ul>
 * Because the base is valid and each copy differs from it in one place only, the expected error
 * is unambiguous: the code follows the mapping documented in {@code Violation} and the pointer is
 * the JSON Pointer (RFC 6901) of the broken place ({@code required} and unknown properties point
 * at the property itself, array-size errors at the array).
 *
 * <h2>Documented divergences</h2>
 * For every integer place the generator also emits {@link Verdict#DIVERGENT} examples: integers
 * just outside 32 bits, which the official schema accepts (it has no bound) but OCPP's integer
 * data type does not, so our codec answers {@code TypeConstraintViolation}.
 *
 * <p>Instances are immutable and thread-safe; the same seed always yields the same examples.
 */
public final class SchemaExamples {
    /** Arrays without {@code maxItems} get at most this many items (or {@code minItems}, if larger). */
    public static final int UNBOUNDED_ARRAY_CAP = 3;
    /** Strings without {@code maxLength} get at most this many code points. */
    public static final int UNBOUNDED_STRING_CAP = 40;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String DEFINITIONS = "#/definitions/";

    /** What an example is expected to be. */
    public enum Verdict {
        /** Valid for the official schema and for our codec. */
        VALID,
        /** Breaks exactly one rule of the official schema; our codec must report it. */
        BROKEN,
        /** Valid for the official schema but refused by our codec on purpose (documented difference). */
        DIVERGENT
    }

    /**
     * One example payload.
     *
     * @param label   what it is, for failure messages (unique within one generation)
     * @param payload the JSON payload
     * @param verdict what it is expected to be
     * @param code    the error code our codec must report (null for {@link Verdict#VALID})
     * @param pointer the JSON Pointer of the broken place (null for {@link Verdict#VALID})
     */
    public record Example(String label, JsonNode payload, Verdict verdict, RpcErrorCode code, String pointer) {
        public boolean officiallyValid() {
            return verdict != Verdict.BROKEN;
        }

        public boolean validForUs() {
            return verdict == Verdict.VALID;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final JsonNode root;
    private final JsonNode definitions;
    private final Map<String, ? extends Collection<String>> foreignEnums;

    /**
     * @param schema       one official message schema, with its {@code definitions}
     * @param foreignEnums enumeration definitions of the <em>other</em> OCPP version by definition
     *                     name; their values missing here become near misses (may be empty)
     */
    public SchemaExamples(JsonNode schema, Map<String, ? extends Collection<String>> foreignEnums) {
        this.root = schema;
        this.definitions = schema.path("definitions");
        this.foreignEnums = foreignEnums;
    }

    // ================================================================== public API

    /** {@code count} valid examples: the fixed extremes first, then random styles. */
    public List<Example> valid(long seed, int count) {
        Random rnd = new Random(seed);
        List<Example> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Style style = i < Style.EXTREMES.size() ? Style.EXTREMES.get(i) : Style.random(rnd);
            Gen gen = new Gen(new Random(rnd.nextLong()), style);
            out.add(new Example("valid#" + i + " (" + style.name() + ")", gen.value(root), Verdict.VALID, null, null));
        }
        return out;
    }

    /**
     * Every one-rule-broken example (and every documented divergence), over {@code variants}
     * different full bases.
     */
    public List<Example> broken(long seed, int variants) {
        Random rnd = new Random(seed);
        List<Example> out = new ArrayList<>();
        for (int v = 0; v < variants; v++) {
            Gen gen = new Gen(new Random(rnd.nextLong()), Style.base(v));
            JsonNode base = gen.value(root);
            new Breaker(base, gen, "v" + v, out).walk(root, base, new ArrayList<>(), null);
        }
        return out;
    }

    /**
     * The payload as our records can carry it, for round-trip comparison: {@code customData}
     * removed everywhere, date-times as UTC instants truncated to milliseconds, integers as plain
     * integers ({@code 7.0} becomes {@code 7}), numbers without trailing zeros.
     */
    public JsonNode canonical(JsonNode payload) {
        return canon(root, payload);
    }

    /** RFC 6901 escaping of one reference token. */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** The JSON Pointer of a path of property names and array indexes. */
    public static String pointer(List<Object> path) {
        StringBuilder sb = new StringBuilder();
        for (Object seg : path) {
            sb.append('/').append(seg instanceof String s ? escape(s) : seg.toString());
        }
        return sb.toString();
    }

    // ================================================================== schema helpers

    private JsonNode resolve(JsonNode schema) {
        JsonNode s = schema;
        for (int hops = 0; s.has("$ref"); hops++) {
            String ref = s.get("$ref").stringValue();
            if (!ref.startsWith(DEFINITIONS) || hops > 32) {
                throw new IllegalArgumentException("unsupported $ref " + ref);
            }
            JsonNode target = definitions.get(ref.substring(DEFINITIONS.length()));
            if (target == null) {
                throw new IllegalArgumentException("dangling $ref " + ref);
            }
            s = target;
        }
        return s;
    }

    private static String refName(JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        return ref != null && ref.stringValue().startsWith(DEFINITIONS) ? ref.stringValue().substring(DEFINITIONS.length()) : null;
    }

    private static String type(JsonNode s) {
        JsonNode t = s.get("type");
        if (t == null || !t.isString()) {
            throw new IllegalArgumentException("schema without a single type: " + s);
        }
        return t.stringValue();
    }

    private static boolean closed(JsonNode objectSchema) {
        JsonNode ap = objectSchema.get("additionalProperties");
        return ap != null && ap.isBoolean() && !ap.booleanValue();
    }

    private static Set<String> required(JsonNode objectSchema) {
        Set<String> out = new LinkedHashSet<>();
        objectSchema.path("required").forEach(n -> out.add(n.stringValue()));
        return out;
    }

    private static List<String> enumValues(JsonNode s) {
        JsonNode e = s.get("enum");
        if (e == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        e.forEach(n -> out.add(n.stringValue()));
        return out;
    }

    private static int intKeyword(JsonNode s, String keyword, int absent) {
        JsonNode n = s.get(keyword);
        return n == null ? absent : n.intValue();
    }

    private static boolean isDateTime(JsonNode s) {
        return "date-time".equals(s.path("format").asString(""));
    }

    // ================================================================== styles

    private enum Optionals { NONE, ALL, RANDOM }

    private enum Lengths { EMPTY, MAX, RANDOM }

    private enum Chars { ASCII, BMP, ASTRAL_ONLY, MIXED }

    private enum Counts { MIN, MAX, RANDOM, NON_EMPTY }

    private enum Ints { MIN, MAX, RANDOM }

    /** How one example is drawn. */
    private record Style(String name, Optionals optionals, double optionalRate, Lengths lengths, Chars chars,
                         Counts counts, Ints ints, double customDataRate, double vendorExtraRate,
                         double decimalIntRate, boolean utcOnly) {

        static final List<Style> EXTREMES = List.of(
                new Style("required only, empty strings, fewest items, minimum integers",
                        Optionals.NONE, 0, Lengths.EMPTY, Chars.ASCII, Counts.MIN, Ints.MIN, 0, 0, 0, true),
                new Style("everything at its maximum, ASCII",
                        Optionals.ALL, 1, Lengths.MAX, Chars.ASCII, Counts.MAX, Ints.MAX, 1, 1, 0, true),
                new Style("everything at its maximum, astral code points",
                        Optionals.ALL, 1, Lengths.MAX, Chars.ASTRAL_ONLY, Counts.MAX, Ints.MIN, 1, 0.5, 0, false),
                new Style("everything at its maximum, non-ASCII BMP",
                        Optionals.ALL, 1, Lengths.MAX, Chars.BMP, Counts.MIN, Ints.RANDOM, 0, 0, 0.5, false),
                new Style("all optional properties, random values",
                        Optionals.ALL, 1, Lengths.RANDOM, Chars.MIXED, Counts.RANDOM, Ints.RANDOM, 0.5, 0.5, 0.1, false),
                new Style("required only, random values",
                        Optionals.NONE, 0, Lengths.RANDOM, Chars.MIXED, Counts.RANDOM, Ints.RANDOM, 0, 0, 0.1, false));

        static Style random(Random rnd) {
            double o = rnd.nextDouble();
            Optionals optionals = o < 0.15 ? Optionals.NONE : o < 0.3 ? Optionals.ALL : Optionals.RANDOM;
            double l = rnd.nextDouble();
            Lengths lengths = l < 0.1 ? Lengths.EMPTY : l < 0.25 ? Lengths.MAX : Lengths.RANDOM;
            double c = rnd.nextDouble();
            Chars chars = c < 0.5 ? Chars.MIXED : c < 0.75 ? Chars.ASCII : c < 0.9 ? Chars.BMP : Chars.ASTRAL_ONLY;
            double cd = rnd.nextDouble();
            double customData = cd < 0.6 ? 0 : cd < 0.85 ? 0.5 : 1;
            return new Style("random", optionals, rnd.nextDouble(), lengths, chars,
                    rnd.nextDouble() < 0.2 ? Counts.MAX : Counts.RANDOM, Ints.RANDOM,
                    customData, 0.5, 0.05, false);
        }

        /** The full bases the broken examples are made from. */
        static Style base(int variant) {
            return switch (variant % 3) {
                case 0 -> new Style("base", Optionals.ALL, 1, Lengths.RANDOM, Chars.ASCII, Counts.NON_EMPTY,
                        Ints.RANDOM, 1, 0, 0, false);
                case 1 -> new Style("base", Optionals.ALL, 1, Lengths.MAX, Chars.MIXED, Counts.NON_EMPTY,
                        Ints.MIN, 1, 1, 0, false);
                default -> new Style("base", Optionals.ALL, 1, Lengths.RANDOM, Chars.ASTRAL_ONLY, Counts.NON_EMPTY,
                        Ints.MAX, 1, 0.5, 0, false);
            };
        }
    }

    // ================================================================== valid values

    private static final int[] BMP = {0xE9, 0xDF, 0xFC, 0xF1, 0x436, 0x3A9, 0x4E2D, 0x6587, 0x20AC, 0xA0, 0x2028, 0xFFFD, 0x5C, 0x22};
    private static final int[] ASTRAL = {0x1F600, 0x1F512, 0x1D11E, 0x10000, 0x20000, 0x1F1E9, 0x10FFFD, 0xE0041};
    private static final int[] OFFSET_MINUTES = {0, 60, -300, 330, 345, -570, 840, -720, 120, -60};

    /** Draws valid values under one style. */
    private final class Gen {
        final Random rnd;
        final Style style;

        Gen(Random rnd, Style style) {
            this.rnd = rnd;
            this.style = style;
        }

        JsonNode value(JsonNode schema) {
            JsonNode s = resolve(schema);
            return switch (type(s)) {
                case "object" -> object(s);
                case "array" -> array(s);
                case "string" -> string(s);
                case "integer" -> integer(s);
                case "number" -> number(s);
                case "boolean" -> F.booleanNode(rnd.nextBoolean());
                default -> throw new IllegalArgumentException("unsupported type in " + s);
            };
        }

        ObjectNode object(JsonNode s) {
            ObjectNode o = F.objectNode();
            Set<String> required = required(s);
            for (Map.Entry<String, JsonNode> p : s.path("properties").properties()) {
                String name = p.getKey();
                if (required.contains(name) || includeOptional(name)) {
                    o.set(name, value(p.getValue()));
                }
            }
            if (!closed(s) && rnd.nextDouble() < style.vendorExtraRate()) {
                int extras = 1 + rnd.nextInt(3);
                for (int i = 0; i < extras; i++) {
                    o.set(vendorName(i), anyJson(2));
                }
            }
            return o;
        }

        boolean includeOptional(String name) {
            if (name.equals("customData")) {
                return rnd.nextDouble() < style.customDataRate();
            }
            return switch (style.optionals()) {
                case NONE -> false;
                case ALL -> true;
                case RANDOM -> rnd.nextDouble() < style.optionalRate();
            };
        }

        String vendorName(int i) {
            String[] names = {"vendorExtension", "x-", "Vendor_", "ext", "customData", "priority"};
            return names[rnd.nextInt(names.length)] + i + (char) ('a' + rnd.nextInt(26));
        }

        /** Any JSON value, as vendor extensions in customData may carry. */
        JsonNode anyJson(int depth) {
            int pick = rnd.nextInt(depth > 0 ? 8 : 6);
            return switch (pick) {
                case 0 -> F.stringNode(text(rnd.nextInt(12), Chars.MIXED));
                case 1 -> F.numberNode(rnd.nextInt());
                case 2 -> F.numberNode(new BigDecimal(rnd.nextInt(100000)).movePointLeft(rnd.nextInt(4)));
                case 3 -> F.booleanNode(rnd.nextBoolean());
                case 4 -> F.nullNode();
                case 5 -> F.numberNode(rnd.nextLong());
                case 6 -> {
                    ObjectNode o = F.objectNode();
                    for (int i = rnd.nextInt(3); i > 0; i--) {
                        o.set("k" + i, anyJson(depth - 1));
                    }
                    yield o;
                }
                default -> {
                    ArrayNode a = F.arrayNode();
                    for (int i = rnd.nextInt(3); i > 0; i--) {
                        a.add(anyJson(depth - 1));
                    }
                    yield a;
                }
            };
        }

        ArrayNode array(JsonNode s) {
            int min = intKeyword(s, "minItems", 0);
            int max = intKeyword(s, "maxItems", -1);
            int upper = max >= 0 ? max : Math.max(min, UNBOUNDED_ARRAY_CAP);
            int lower = style.counts() == Counts.NON_EMPTY ? Math.max(min, 1) : min;
            int n = switch (style.counts()) {
                case MIN -> lower;
                case MAX -> upper;
                case RANDOM, NON_EMPTY -> lower + rnd.nextInt(upper - lower + 1);
            };
            ArrayNode a = F.arrayNode();
            for (int i = 0; i < n; i++) {
                a.add(value(s.get("items")));
            }
            return a;
        }

        JsonNode string(JsonNode s) {
            List<String> allowed = enumValues(s);
            if (allowed != null) {
                return F.stringNode(allowed.get(rnd.nextInt(allowed.size())));
            }
            if (isDateTime(s)) {
                return F.stringNode(dateTime());
            }
            int max = intKeyword(s, "maxLength", -1);
            int limit = max >= 0 ? max : UNBOUNDED_STRING_CAP;
            int length = switch (style.lengths()) {
                case EMPTY -> 0;
                case MAX -> limit;
                case RANDOM -> {
                    double r = rnd.nextDouble();
                    yield r < 0.3 ? limit : r < 0.4 ? 0 : r < 0.5 ? Math.min(1, limit) : rnd.nextInt(limit + 1);
                }
            };
            Chars chars = style.chars() == Chars.MIXED
                    ? Chars.values()[rnd.nextInt(Chars.values().length)]
                    : style.chars();
            return F.stringNode(text(length, chars));
        }

        /** {@code codePoints} code points drawn from {@code chars}. */
        String text(int codePoints, Chars chars) {
            StringBuilder sb = new StringBuilder(codePoints * 2);
            for (int i = 0; i < codePoints; i++) {
                sb.appendCodePoint(codePoint(chars));
            }
            return sb.toString();
        }

        int codePoint(Chars chars) {
            switch (chars) {
                case ASCII:
                    return ascii();
                case BMP:
                    return rnd.nextInt(3) == 0 ? ascii() : BMP[rnd.nextInt(BMP.length)];
                case ASTRAL_ONLY:
                    return ASTRAL[rnd.nextInt(ASTRAL.length)];
                default:
                    int r = rnd.nextInt(4);
                    return r < 2 ? ascii() : r == 2 ? BMP[rnd.nextInt(BMP.length)] : ASTRAL[rnd.nextInt(ASTRAL.length)];
            }
        }

        int ascii() {
            int r = rnd.nextInt(100);
            return r == 0 ? '\n' : r == 1 ? '\t' : 0x20 + rnd.nextInt(0x7F - 0x20);
        }

        JsonNode integer(JsonNode s) {
            long min = s.has("minimum") ? s.get("minimum").longValue() : Integer.MIN_VALUE;
            long v = switch (style.ints()) {
                case MIN -> min;
                case MAX -> Integer.MAX_VALUE;
                case RANDOM -> {
                    double r = rnd.nextDouble();
                    if (r < 0.15) {
                        yield min;
                    } else if (r < 0.25) {
                        yield Integer.MAX_VALUE;
                    } else if (r < 0.35) {
                        yield Math.max(min, 0);
                    } else if (r < 0.7) {
                        yield Math.max(min, 0) + rnd.nextInt(1000);
                    } else {
                        yield min + (long) (rnd.nextDouble() * ((long) Integer.MAX_VALUE - min));
                    }
                }
            };
            if (rnd.nextDouble() < style.decimalIntRate()) {
                return F.numberNode(BigDecimal.valueOf(v).setScale(1 + rnd.nextInt(2)));
            }
            return v == (int) v ? F.numberNode((int) v) : F.numberNode(v);
        }

        JsonNode number(JsonNode s) {
            BigDecimal min = s.has("minimum") ? s.get("minimum").decimalValue() : null;
            BigDecimal v = BigDecimal.valueOf(rnd.nextInt(2_000_000) - 1_000_000L).movePointLeft(rnd.nextInt(5));
            if (rnd.nextInt(8) == 0) {
                v = min != null ? min : BigDecimal.ZERO;
            }
            if (min != null && v.compareTo(min) < 0) {
                v = min.add(v.abs());
            }
            return F.numberNode(v);
        }

        String dateTime() {
            int year = 1970 + rnd.nextInt(130);
            int month = 1 + rnd.nextInt(12);
            int day = 1 + rnd.nextInt(YearMonth.of(year, month).lengthOfMonth());
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d",
                    year, month, day, rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60)));
            int digits = rnd.nextInt(4);
            if (digits > 0) {
                sb.append('.');
                for (int i = 0; i < digits; i++) {
                    sb.append((char) ('0' + rnd.nextInt(10)));
                }
            }
            if (style.utcOnly() || rnd.nextBoolean()) {
                sb.append('Z');
            } else {
                int off = OFFSET_MINUTES[rnd.nextInt(OFFSET_MINUTES.length)];
                sb.append(off < 0 ? '-' : '+').append(String.format(Locale.ROOT, "%02d:%02d", Math.abs(off) / 60, Math.abs(off) % 60));
            }
            return sb.toString();
        }
    }

    // ================================================================== broken values

    /** Walks one valid base and emits one example per broken rule and place. */
    private final class Breaker {
        final JsonNode base;
        final Gen gen;
        final String variant;
        final List<Example> out;
        final Set<String> labels = new HashSet<>();

        Breaker(JsonNode base, Gen gen, String variant, List<Example> out) {
            this.base = base;
            this.gen = gen;
            this.variant = variant;
            this.out = out;
        }

        void walk(JsonNode schema, JsonNode node, List<Object> path, String propertyName) {
            JsonNode s = resolve(schema);
            String enumKey = refName(schema) != null ? refName(schema) : propertyName;
            if (path.isEmpty()) {
                rootMutations();
            } else {
                valueMutations(s, node, path, enumKey);
            }
            switch (type(s)) {
                case "object" -> {
                    Set<String> required = required(s);
                    JsonNode props = s.path("properties");
                    for (String name : required) {
                        emitRemoval(child(path, name), RpcErrorCode.OccurrenceConstraintViolation, "required property removed");
                    }
                    if (closed(s)) {
                        for (String unknown : unknownNames(props)) {
                            emitAdd(path, unknown, F.stringNode("x"), "unknown property '" + unknown + "' added to closed object");
                        }
                    }
                    for (Map.Entry<String, JsonNode> p : props.properties()) {
                        JsonNode value = node.get(p.getKey());
                        if (value != null) {
                            walk(p.getValue(), value, child(path, p.getKey()), p.getKey());
                        }
                    }
                }
                case "array" -> {
                    if (!node.isEmpty()) {
                        int last = node.size() - 1;
                        walk(s.get("items"), node.get(last), child(path, last), propertyName);
                    }
                }
                default -> {
                    // leaves are handled by valueMutations
                }
            }
        }

        void rootMutations() {
            emit("payload is an array", List.of(), F.arrayNode().add(base.deepCopy()), RpcErrorCode.FormatViolation);
            emit("payload is a string", List.of(), F.stringNode(base.toString()), RpcErrorCode.FormatViolation);
            emit("payload is a number", List.of(), F.numberNode(0), RpcErrorCode.FormatViolation);
            emit("payload is a boolean", List.of(), F.booleanNode(true), RpcErrorCode.FormatViolation);
        }

        void valueMutations(JsonNode s, JsonNode node, List<Object> path, String enumKey) {
            String type = type(s);
            for (Wrong w : Wrong.values()) {
                if (!w.acceptedBy(type)) {
                    emit("wrong type: " + w.label, path, w.node(), RpcErrorCode.TypeConstraintViolation);
                }
            }
            switch (type) {
                case "string" -> stringMutations(s, node, path, enumKey);
                case "integer" -> {
                    if (s.has("minimum")) {
                        long min = s.get("minimum").longValue();
                        if (min - 1 >= Integer.MIN_VALUE) {
                            emit("integer below minimum " + min, path, F.numberNode(min - 1), RpcErrorCode.PropertyConstraintViolation);
                        }
                    }
                    emit("integer with a fraction near the 32-bit maximum (2147483646.5)", path,
                            F.numberNode(new BigDecimal("2147483646.5")), RpcErrorCode.TypeConstraintViolation);
                    // Documented difference: OCPP integers are 32-bit (Part 2 §2.1.4), the schema has no bound.
                    emitDivergent("integer 2^31 outside 32 bits (schema has no bound)", path,
                            F.numberNode(Integer.MAX_VALUE + 1L));
                    emitDivergent("integer 10^12 outside 32 bits (schema has no bound)", path,
                            F.numberNode(1_000_000_000_000L));
                    emitDivergent("integer 2^31 written as 2147483648.0 (schema has no bound)", path,
                            F.numberNode(new BigDecimal("2147483648.0")));
                    if (!s.has("minimum")) {
                        emitDivergent("integer -2^31-1 outside 32 bits (schema has no bound)", path,
                                F.numberNode(Integer.MIN_VALUE - 1L));
                    }
                }
                case "number" -> {
                    if (s.has("minimum")) {
                        BigDecimal min = s.get("minimum").decimalValue();
                        emit("number below minimum " + min, path, F.numberNode(min.subtract(new BigDecimal("0.5"))),
                                RpcErrorCode.PropertyConstraintViolation);
                    }
                }
                case "array" -> {
                    int min = intKeyword(s, "minItems", 0);
                    int max = intKeyword(s, "maxItems", -1);
                    if (min > 0) {
                        ArrayNode fewer = F.arrayNode();
                        for (int i = 0; i < min - 1; i++) {
                            fewer.add(node.get(i).deepCopy());
                        }
                        emit("array with minItems-1 = " + (min - 1) + " items", path, fewer, RpcErrorCode.OccurrenceConstraintViolation);
                    }
                    if (max >= 0) {
                        ArrayNode more = F.arrayNode();
                        node.forEach(n -> more.add(n.deepCopy()));
                        while (more.size() < max + 1) {
                            more.add(gen.value(s.get("items")));
                        }
                        emit("array with maxItems+1 = " + (max + 1) + " items", path, more, RpcErrorCode.OccurrenceConstraintViolation);
                    }
                }
                default -> {
                    // object: unknown properties and removals are emitted by walk; boolean: types only
                }
            }
        }

        void stringMutations(JsonNode s, JsonNode node, List<Object> path, String enumKey) {
            List<String> allowed = enumValues(s);
            String value = node.stringValue();
            if (allowed != null) {
                Set<String> misses = new LinkedHashSet<>();
                misses.add(value.toLowerCase(Locale.ROOT));
                misses.add(value.toUpperCase(Locale.ROOT));
                misses.add(value + " ");
                misses.add(" " + value);
                misses.add(value.substring(0, value.length() - 1));
                misses.add("");
                Collection<String> foreign = enumKey == null ? null : foreignEnums.get(enumKey);
                if (foreign != null) {
                    misses.addAll(foreign);
                }
                misses.removeAll(allowed);
                for (String miss : misses) {
                    String kind = foreign != null && foreign.contains(miss) ? "value of the other OCPP version" : "near miss";
                    emit("enum " + kind + " '" + miss + "' for '" + value + "'", path, F.stringNode(miss),
                            RpcErrorCode.PropertyConstraintViolation);
                }
            }
            if (isDateTime(s)) {
                String withoutOffset = value.endsWith("Z") ? value.substring(0, value.length() - 1) : value.substring(0, value.length() - 6);
                Map<String, String> malformed = new java.util.LinkedHashMap<>();
                malformed.put("missing offset", withoutOffset);
                malformed.put("space instead of T", value.replace('T', ' '));
                malformed.put("date only", value.substring(0, 10));
                malformed.put("time only", value.substring(11));
                malformed.put("month 13", "2024-13-01T00:00:00Z");
                malformed.put("February 30", "2024-02-30T12:00:00Z");
                malformed.put("hour 24", "2024-01-01T24:00:01Z");
                malformed.put("empty fraction", withoutOffset + ".Z");
                malformed.put("offset without colon", withoutOffset + "+0100");
                malformed.put("offset hour 24", withoutOffset + "+24:00");
                malformed.put("two-digit year", "24-01-01T00:00:00Z");
                malformed.put("empty string", "");
                malformed.put("not a date", "yesterday");
                for (Map.Entry<String, String> m : malformed.entrySet()) {
                    emit("malformed date-time (" + m.getKey() + ") '" + m.getValue() + "'", path, F.stringNode(m.getValue()),
                            RpcErrorCode.TypeConstraintViolation);
                }
            }
            if (s.has("maxLength") && allowed == null) {
                int max = s.get("maxLength").intValue();
                emit("string of maxLength+1 = " + (max + 1) + " ASCII characters", path,
                        F.stringNode("a".repeat(max + 1)), RpcErrorCode.PropertyConstraintViolation);
                emit("string of maxLength+1 = " + (max + 1) + " astral code points", path,
                        F.stringNode(new String(Character.toChars(0x1F512)).repeat(max + 1)), RpcErrorCode.PropertyConstraintViolation);
                emit("string of maxLength = " + max + " astral code points plus one ASCII character", path,
                        F.stringNode(new String(Character.toChars(0x10000)).repeat(max) + "z"), RpcErrorCode.PropertyConstraintViolation);
            }
        }

        List<String> unknownNames(JsonNode props) {
            List<String> names = new ArrayList<>();
            names.add("unknownProperty");
            for (String name : props.propertyNames()) {
                String twin = Character.isUpperCase(name.charAt(0))
                        ? Character.toLowerCase(name.charAt(0)) + name.substring(1)
                        : Character.toUpperCase(name.charAt(0)) + name.substring(1);
                if (!props.has(twin)) {
                    names.add(twin);
                    break;
                }
            }
            return names;
        }

        void emit(String rule, List<Object> path, JsonNode replacement, RpcErrorCode code) {
            add(rule, replaced(path, replacement), Verdict.BROKEN, code, pointer(path));
        }

        void emitDivergent(String rule, List<Object> path, JsonNode replacement) {
            add(rule, replaced(path, replacement), Verdict.DIVERGENT, RpcErrorCode.TypeConstraintViolation, pointer(path));
        }

        void emitRemoval(List<Object> path, RpcErrorCode code, String rule) {
            JsonNode copy = base.deepCopy();
            ((ObjectNode) at(copy, path.subList(0, path.size() - 1))).remove((String) path.get(path.size() - 1));
            add(rule, copy, Verdict.BROKEN, code, pointer(path));
        }

        void emitAdd(List<Object> objectPath, String name, JsonNode value, String rule) {
            JsonNode copy = base.deepCopy();
            ((ObjectNode) at(copy, objectPath)).set(name, value);
            add(rule, copy, Verdict.BROKEN, RpcErrorCode.OccurrenceConstraintViolation, pointer(child(objectPath, name)));
        }

        void add(String rule, JsonNode payload, Verdict verdict, RpcErrorCode code, String pointer) {
            String label = variant + " " + rule + " @" + (pointer.isEmpty() ? "<payload>" : pointer);
            if (labels.add(label)) {
                out.add(new Example(label, payload, verdict, code, pointer));
            }
        }

        JsonNode replaced(List<Object> path, JsonNode replacement) {
            if (path.isEmpty()) {
                return replacement;
            }
            JsonNode copy = base.deepCopy();
            JsonNode parent = at(copy, path.subList(0, path.size() - 1));
            Object last = path.get(path.size() - 1);
            if (last instanceof String name) {
                ((ObjectNode) parent).set(name, replacement);
            } else {
                ((ArrayNode) parent).set((Integer) last, replacement);
            }
            return copy;
        }
    }

    /** Wrong JSON values, and which schema types accept them. */
    private enum Wrong {
        STRING("string", "string") {
            @Override
            JsonNode node() {
                return F.stringNode("text");
            }
        },
        NUMERIC_STRING("number written as a string", "string") {
            @Override
            JsonNode node() {
                return F.stringNode("42");
            }
        },
        BOOLEAN_STRING("boolean written as a string", "string") {
            @Override
            JsonNode node() {
                return F.stringNode("true");
            }
        },
        INTEGER("integer", "integer", "number") {
            @Override
            JsonNode node() {
                return F.numberNode(42);
            }
        },
        FRACTION("number with a fraction", "number") {
            @Override
            JsonNode node() {
                return F.numberNode(new BigDecimal("1.5"));
            }
        },
        BOOLEAN("boolean", "boolean") {
            @Override
            JsonNode node() {
                return F.booleanNode(false);
            }
        },
        OBJECT("object", "object") {
            @Override
            JsonNode node() {
                return F.objectNode();
            }
        },
        ARRAY("array", "array") {
            @Override
            JsonNode node() {
                return F.arrayNode().add("text");
            }
        },
        NULL("null (OCPP-J: optional fields are omitted, never null)") {
            @Override
            JsonNode node() {
                return F.nullNode();
            }
        };

        final String label;
        final Set<String> acceptedBy;

        Wrong(String label, String... acceptedBy) {
            this.label = label;
            this.acceptedBy = Set.of(acceptedBy);
        }

        boolean acceptedBy(String schemaType) {
            return acceptedBy.contains(schemaType);
        }

        abstract JsonNode node();
    }

    // ================================================================== canonical form

    private JsonNode canon(JsonNode schema, JsonNode node) {
        JsonNode s = resolve(schema);
        switch (type(s)) {
            case "object" -> {
                if (!node.isObject()) {
                    return node;
                }
                ObjectNode o = F.objectNode();
                JsonNode props = s.path("properties");
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    if (e.getKey().equals("customData")) {
                        continue;
                    }
                    JsonNode ps = props.get(e.getKey());
                    o.set(e.getKey(), ps == null ? e.getValue().deepCopy() : canon(ps, e.getValue()));
                }
                return o;
            }
            case "array" -> {
                if (!node.isArray()) {
                    return node;
                }
                ArrayNode a = F.arrayNode();
                node.forEach(item -> a.add(canon(s.get("items"), item)));
                return a;
            }
            case "string" -> {
                if (isDateTime(s) && node.isString()) {
                    try {
                        return F.stringNode(OffsetDateTime.parse(node.stringValue()).toInstant()
                                .truncatedTo(ChronoUnit.MILLIS).toString());
                    } catch (java.time.DateTimeException e) {
                        return node;
                    }
                }
                return node;
            }
            case "integer" -> {
                if (node.isNumber()) {
                    try {
                        BigInteger v = node.decimalValue().toBigIntegerExact();
                        return v.bitLength() < 32 ? F.numberNode(v.intValue())
                                : v.bitLength() < 64 ? F.numberNode(v.longValue()) : F.numberNode(v);
                    } catch (ArithmeticException e) {
                        return node;
                    }
                }
                return node;
            }
            case "number" -> {
                return node.isNumber() ? F.numberNode(node.decimalValue().stripTrailingZeros()) : node;
            }
            default -> {
                return node;
            }
        }
    }

    // ================================================================== path helpers

    private static List<Object> child(List<Object> path, Object segment) {
        List<Object> out = new ArrayList<>(path.size() + 1);
        out.addAll(path);
        out.add(segment);
        return out;
    }

    private static JsonNode at(JsonNode root, List<Object> path) {
        JsonNode n = root;
        for (Object seg : path) {
            n = seg instanceof String s ? n.get(s) : n.get((Integer) seg);
        }
        return n;
    }
}
