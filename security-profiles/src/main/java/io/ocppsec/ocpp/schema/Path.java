package io.ocppsec.ocpp.schema;

/**
 * Where the checker is in the payload. Built as a cheap linked list while descending and turned
 * into a JSON Pointer (RFC 6901) only when there is something to report.
 */
final class Path {
    static final Path ROOT = new Path(null, null, -1);

    private final Path parent;
    private final String property;
    private final int index;

    private Path(Path parent, String property, int index) {
        this.parent = parent;
        this.property = property;
        this.index = index;
    }

    Path property(String name) {
        return new Path(this, name, -1);
    }

    Path index(int i) {
        return new Path(this, null, i);
    }

    String pointer() {
        if (parent == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        append(sb);
        return sb.toString();
    }

    private void append(StringBuilder sb) {
        if (parent == null) {
            return;
        }
        parent.append(sb);
        sb.append('/');
        if (property != null) {
            sb.append(property.replace("~", "~0").replace("/", "~1"));
        } else {
            sb.append(index);
        }
    }
}
