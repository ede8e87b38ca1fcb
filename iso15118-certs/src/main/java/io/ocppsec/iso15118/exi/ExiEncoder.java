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

/** Walks the element grammars and writes first-level event codes and typed values. */
final class ExiEncoder {
    private static final int MAX_DEPTH = 32;
    final BitWriter out;
    private final State[] stack = new State[MAX_DEPTH];
    private int depth;
    private State current;

    ExiEncoder(int capacity) {
        out = new BitWriter(capacity);
        out.bits(0x80, 8); // EXI header: distinguishing bits 10, no options, final version 1
    }

    /** Starts the root element whose code in the document/fragment grammar the caller wrote. */
    void root(ElementDecl d) {
        depth = 0;
        current = d.start();
    }

    void start(ElementDecl d) throws ExiException {
        Production p = current.find(Kind.SE, d);
        if (p == null) {
            throw new ExiException(Reason.INVALID, "element " + d + " not allowed here");
        }
        out.bits(p.code, current.width);
        stack[depth++] = p.next;
        current = d.start();
    }

    void attribute(AttributeUse a, Object value) throws ExiException {
        Production p = current.find(Kind.AT, a);
        if (p == null) {
            throw new ExiException(Reason.INVALID, "attribute " + a.name() + " not allowed here");
        }
        out.bits(p.code, current.width);
        value(a.type(), value, a.name().local());
        current = p.next;
    }

    void characters(Object value, String what) throws ExiException {
        Production p = current.ch();
        if (p == null) {
            throw new ExiException(Reason.INVALID, "characters not allowed here");
        }
        if (Grammar.isEmptyBinary(value) && p.datatype instanceof Binary b && b.minLength() > 0) {
            throw new ExiException(Reason.LIMIT_EXCEEDED, what + ": empty, at least " + b.minLength() + " bytes needed");
        }
        if (Grammar.isEmptyBinary(value) && !current.hasEE) {
            // An empty binary element: EXIficient (and so ISO 15118 peers using it) ends the element with the
            // second-level "EE undeclared" production instead of CH with a zero-length value.
            out.bits(current.productions.length, current.width);
            out.bits(0, current.secondLevelWidth);
            current = depth == 0 ? null : stack[--depth];
            endedEarly = true;
            return;
        }
        out.bits(p.code, current.width);
        value(p.datatype, value, what);
        current = p.next;
    }

    private boolean endedEarly;

    void end() throws ExiException {
        if (endedEarly) {
            endedEarly = false;
            return;
        }
        Production p = current.find(Kind.EE, null);
        if (p == null) {
            throw new ExiException(Reason.INVALID, "element end not allowed here (missing content)");
        }
        out.bits(p.code, current.width);
        current = depth == 0 ? null : stack[--depth];
    }

    /** A simple element: SE, CH, EE. */
    void simple(ElementDecl d, Object value) throws ExiException {
        start(d);
        characters(value, d.name.local());
        end();
    }

    private void value(Datatype t, Object v, String what) throws ExiException {
        if (t instanceof Binary b) {
            byte[] bytes = (byte[]) v;
            if (bytes.length > b.maxLength() || bytes.length < b.minLength()) {
                throw new ExiException(Reason.LIMIT_EXCEEDED, what + ": " + bytes.length + " bytes outside "
                        + b.minLength() + ".." + b.maxLength());
            }
            out.binary(bytes);
        } else if (t instanceof Str s) {
            String str = (String) v;
            int cps = str.codePointCount(0, str.length());
            if (cps < s.minLength() || cps > s.maxLength()) {
                throw new ExiException(Reason.LIMIT_EXCEEDED, what + ": length " + cps + " outside "
                        + s.minLength() + ".." + s.maxLength());
            }
            out.stringLiteral(str, cps);
        } else if (t instanceof Int i) {
            BigInteger n = (BigInteger) v;
            if ((i.min() != null && n.compareTo(i.min()) < 0) || (i.max() != null && n.compareTo(i.max()) > 0)
                    || n.abs().bitLength() > 7 * i.maxGroups()) {
                throw new ExiException(Reason.LIMIT_EXCEEDED, what + ": integer out of range");
            }
            out.integer(n);
        } else if (t instanceof Grammar.Unsigned u) {
            BigInteger n = (BigInteger) v;
            if (n.signum() < 0 || n.bitLength() > 7 * u.maxGroups()) {
                throw new ExiException(Reason.LIMIT_EXCEEDED, what + ": unsigned integer out of range");
            }
            out.unsignedBig(n);
        } else if (t instanceof Grammar.NBit nb) {
            int n = (Integer) v;
            if (n < nb.min() || n > nb.max()) {
                throw new ExiException(Reason.LIMIT_EXCEEDED, what + ": " + n + " outside " + nb.min() + ".." + nb.max());
            }
            out.bits(n - nb.min(), nb.width());
        } else {
            Enumeration e = (Enumeration) t;
            out.bits((Integer) v, e.width());
        }
    }

    byte[] finish() {
        return out.toByteArray();
    }
}
