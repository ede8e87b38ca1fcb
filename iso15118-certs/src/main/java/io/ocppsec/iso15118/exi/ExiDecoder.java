package io.ocppsec.iso15118.exi;

import io.ocppsec.iso15118.exi.ExiException.Reason;
import io.ocppsec.iso15118.exi.Grammar.AttributeUse;
import io.ocppsec.iso15118.exi.Grammar.Binary;
import io.ocppsec.iso15118.exi.Grammar.Datatype;
import io.ocppsec.iso15118.exi.Grammar.ElementDecl;
import io.ocppsec.iso15118.exi.Grammar.Enumeration;
import io.ocppsec.iso15118.exi.Grammar.Int;
import io.ocppsec.iso15118.exi.Grammar.Kind;
import io.ocppsec.iso15118.exi.Grammar.Production;
import io.ocppsec.iso15118.exi.Grammar.State;
import io.ocppsec.iso15118.exi.Grammar.Str;
import java.math.BigInteger;

/**
 * Reads first-level event codes against the element grammars. Second-level (schema deviation) events,
 * wildcard content, string-table hits and declarations we do not process are refused with a typed error.
 */
final class ExiDecoder {
    private static final int MAX_DEPTH = 32;
    final BitReader in;
    private final State[] stack = new State[MAX_DEPTH];
    private final ElementDecl[] names = new ElementDecl[MAX_DEPTH];
    private int depth;
    private State current;
    private ElementDecl element;

    /** The last event read. */
    Production event;
    /** The value of the last AT or CH event (String, byte[], BigInteger, Integer enum index). */
    Object value;

    ExiDecoder(byte[] data) throws ExiException {
        in = new BitReader(data);
        int header = in.bits(8);
        if (header != 0x80) {
            throw new ExiException(Reason.UNSUPPORTED, String.format(
                    "EXI header 0x%02X: expected 0x80 (no cookie, no options, version 1)", header));
        }
    }

    void root(ElementDecl d) {
        depth = 0;
        element = d;
        current = d.start();
    }

    /** Reads the next event; returns its kind. */
    private static final Production UNDECLARED_EE = new Production(Kind.EE, null, null, null, null);
    private boolean pendingEnd;

    Kind next() throws ExiException {
        if (pendingEnd) {
            pendingEnd = false;
            event = UNDECLARED_EE;
            value = null;
            popElement();
            return Kind.EE;
        }
        int code = in.bits(current.width);
        Production[] ps = current.productions;
        if (code == ps.length && !current.hasEE && current.ch() != null
                && Grammar.emptyAllowed(current.ch().datatype)) {
            if (current.ch().datatype instanceof Grammar.Binary b && b.minLength() > 0) {
                throw new ExiException(Reason.INVALID, element + ": empty, at least " + b.minLength() + " bytes");
            }
            // "EE undeclared" where a value is expected: an empty element (how EXIficient writes one)
            if (in.bits(current.secondLevelWidth) != 0) {
                throw new ExiException(Reason.UNSUPPORTED, "schema deviation (second-level event) in " + element
                        + ": not supported");
            }
            Production ch = current.ch();
            event = ch;
            value = ch.datatype instanceof Grammar.Binary ? new byte[0] : "";
            pendingEnd = true;
            return Kind.CH;
        }
        if (code >= ps.length) {
            throw new ExiException(Reason.UNSUPPORTED, "schema deviation (second-level event) in " + element
                    + ": not supported");
        }
        Production p = ps[code];
        event = p;
        value = null;
        switch (p.kind) {
            case SE -> {
                ElementDecl d = p.element;
                if (d.start() == null) {
                    throw new ExiException(Reason.UNSUPPORTED, d.type().unsupported() + " " + d.name.local());
                }
                if (depth == MAX_DEPTH) {
                    throw new ExiException(Reason.LIMIT_EXCEEDED, "nesting too deep");
                }
                names[depth] = element;
                stack[depth++] = p.next;
                element = d;
                current = d.start();
            }
            case AT -> {
                AttributeUse a = p.attribute;
                value = value(a.type(), a.name().local());
                current = p.next;
            }
            case CH -> {
                value = value(p.datatype, element.name.local());
                current = p.next;
            }
            case EE -> popElement();
            default -> throw new ExiException(Reason.UNSUPPORTED,
                    "wildcard or mixed content in " + element + " is not supported");
        }
        return p.kind;
    }

    private void popElement() {
        if (depth == 0) {
            current = null;
        } else {
            current = stack[--depth];
            element = names[depth];
        }
    }

    /** Expects the next event to be SE(d). */
    void expectStart(ElementDecl d) throws ExiException {
        if (next() != Kind.SE || event.element != d) {
            throw unexpected(d.name.local());
        }
    }

    void expectEnd() throws ExiException {
        if (next() != Kind.EE) {
            throw unexpected("end of " + element);
        }
    }

    /** Reads SE(d) CH EE and returns the value. */
    Object simple(ElementDecl d) throws ExiException {
        expectStart(d);
        Object v = characters();
        expectEnd();
        return v;
    }

    Object characters() throws ExiException {
        if (next() != Kind.CH) {
            throw unexpected("characters");
        }
        return value;
    }

    boolean isStart(ElementDecl d) {
        return event.kind == Kind.SE && event.element == d;
    }

    boolean isAttribute(AttributeUse a) {
        return event.kind == Kind.AT && event.attribute == a;
    }

    ExiException unexpected(String expected) {
        return new ExiException(Reason.INVALID, "unexpected " + event + " (expected " + expected + ")");
    }

    private Object value(Datatype t, String what) throws ExiException {
        if (t instanceof Binary b) {
            byte[] v = in.binary(b.maxLength(), what);
            if (v.length < b.minLength()) {
                throw new ExiException(Reason.INVALID, what + ": " + v.length + " bytes, at least " + b.minLength());
            }
            return v;
        }
        if (t instanceof Grammar.Unsigned u) {
            return in.unsignedBig(u.maxGroups(), what);
        }
        if (t instanceof Grammar.NBit nb) {
            int v = in.bits(nb.width()) + nb.min();
            if (v > nb.max()) {
                throw new ExiException(Reason.INVALID, what + ": " + v + " above " + nb.max());
            }
            return v;
        }
        if (t instanceof Str s) {
            long n = in.unsignedInt(s.maxLength() + 2L, what + " length");
            if (n < 2) {
                throw new ExiException(Reason.UNSUPPORTED, what + ": string table hit (not used with valuePartitionCapacity 0)");
            }
            int len = (int) (n - 2);
            if (len < s.minLength()) {
                throw new ExiException(Reason.INVALID, what + ": length " + len + " below " + s.minLength());
            }
            return in.chars(len, what);
        }
        if (t instanceof Int i) {
            BigInteger v = in.integer(i.maxGroups(), what);
            if ((i.min() != null && v.compareTo(i.min()) < 0) || (i.max() != null && v.compareTo(i.max()) > 0)) {
                throw new ExiException(Reason.INVALID, what + ": integer out of range");
            }
            return v;
        }
        Enumeration e = (Enumeration) t;
        int idx = in.bits(e.width());
        if (idx >= e.values().size()) {
            throw new ExiException(Reason.INVALID, what + ": enumeration index " + idx + " out of range");
        }
        return idx;
    }
}
