package io.ocppsec.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Printing what the API returns: safe single lines, tables, key/value blocks and pretty JSON. */
final class Text {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_LINE = 500;

    private Text() {
    }

    /**
     * {@code s} as one line that is safe on a terminal: control characters (which could move the
     * cursor or inject escape sequences) become spaces, and it is cut at {@value #MAX_LINE} characters.
     */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_LINE));
        for (int i = 0; i < s.length() && b.length() < MAX_LINE; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || (c >= 0x7f && c < 0xa0) ? ' ' : c);
        }
        if (s.length() > MAX_LINE) {
            b.append("...");
        }
        return b.toString().strip();
    }

    /** The text of a field, or null when it is missing or null. */
    static String str(JsonNode node, String field) {
        return scalar(node.path(field));
    }

    /** A value as text (objects and arrays as compact JSON), or null when it is missing or null. */
    static String scalar(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return null;
        }
        return v.isContainer() ? v.toString() : v.asString();
    }

    /** A field as shown in a table: safe, "-" when absent. */
    static String cell(JsonNode node, String field) {
        String v = str(node, field);
        return v == null || v.isEmpty() ? "-" : oneLine(v);
    }

    /** An instant as shown to people: ISO-8601 to the second. */
    static String time(JsonNode node, String field) {
        String v = str(node, field);
        if (v == null) {
            return "-";
        }
        try {
            return Instant.parse(v).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return oneLine(v);
        }
    }

    /** The strings of an array field joined with commas, "-" when empty. */
    static String list(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : node.path(field).values()) {
            out.add(oneLine(scalar(v)));
        }
        return out.isEmpty() ? "-" : String.join(",", out);
    }

    static String yesNo(JsonNode node, String field) {
        return node.path(field).asBoolean(false) ? "yes" : "no";
    }

    static String pretty(JsonNode node) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    static void printJson(JsonNode node) {
        System.out.println(pretty(node));
    }

    /** Key/value lines, keys padded to one column. */
    static void printFields(PrintStream out, String... keysAndValues) {
        int width = 0;
        for (int i = 0; i < keysAndValues.length; i += 2) {
            width = Math.max(width, keysAndValues[i].length());
        }
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.println(pad(keysAndValues[i], width) + "  " + keysAndValues[i + 1]);
        }
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** A plain text table with a header row; columns as wide as their widest cell. */
    static final class Table {
        private final String[] headers;
        private final List<String[]> rows = new ArrayList<>();

        Table(String... headers) {
            this.headers = headers;
        }

        Table row(String... cells) {
            if (cells.length != headers.length) {
                throw new IllegalArgumentException("expected " + headers.length + " cells");
            }
            rows.add(cells);
            return this;
        }

        void print(PrintStream out) {
            int[] width = new int[headers.length];
            for (int i = 0; i < headers.length; i++) {
                width[i] = headers[i].length();
                for (String[] r : rows) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            line(out, headers, width);
            for (String[] r : rows) {
                line(out, r, width);
            }
        }

        private static void line(PrintStream out, String[] cells, int[] width) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                b.append(i == cells.length - 1 ? cells[i] : pad(cells[i], width[i]) + "  ");
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
