package io.ocppsec.iso15118.exi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Schema-informed EXI grammars (EXI 1.0 §8.5.4) derived from our own declarations of the schema subset:
 * proto-grammars built from particles (sequence, choice, element, wildcard with min/max occurs) and
 * attribute uses, normalized (epsilon productions folded in), event codes assigned in the order of
 * §8.5.4.3 (AT(qname) sorted, AT(*), SE(qname) in schema order, SE(*), EE, CH), non-strict: every element
 * grammar state has second-level productions (xsi:type, xsi:nil, AT(*), SE(*), CH, EE undeclared), so
 * its first-level code width is ceil(log2(n + 1)). Built once; immutable afterwards.
 */
final class Grammar {

    private Grammar() {
    }

    static final int UNBOUNDED = Integer.MAX_VALUE;

    /** Number of bits for {@code n} distinct codes. */
    static int codingLength(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    // ------------------------------------------------------------------ datatypes

    sealed interface Datatype permits Binary, Str, Int, Unsigned, NBit, Enumeration {
    }

    /** base64Binary / hexBinary with length facets (or our bound). */
    record Binary(int minLength, int maxLength) implements Datatype {
        Binary(int maxLength) {
            this(0, maxLength);
        }
    }

    /** Integer types with a lower bound 0 and a range above 4096 (unsignedLong ...): EXI Unsigned Integer. */
    record Unsigned(int maxGroups) implements Datatype {
    }

    /** Integer types with a bounded range of at most 4096 (unsignedByte ...): n-bit offset from min. */
    record NBit(int min, int max) implements Datatype {
        int width() {
            return codingLength(max - min + 1);
        }
    }

    /** string, ID, anyURI: min/max length in code points (facets or our bound). */
    record Str(int minLength, int maxLength) implements Datatype {
    }

    /** xs:integer family encoded as EXI Integer; bounded to maxGroups 7-bit groups on decode. */
    record Int(int maxGroups, java.math.BigInteger min, java.math.BigInteger max) implements Datatype {
    }

    /** Enumeration: n-bit index. */
    record Enumeration(List<String> values) implements Datatype {
        int width() {
            return codingLength(values.size());
        }
    }

    // ------------------------------------------------------------------ declarations

    record QName(String uri, String local) {
        static final Comparator<QName> EXI_ORDER =
                Comparator.comparing(QName::local).thenComparing(QName::uri);

        @Override
        public String toString() {
            return local;
        }
    }

    record AttributeUse(QName name, Datatype type, boolean required) {
    }

    /** An element declaration; its type is set once while the schema is declared. */
    static final class ElementDecl {
        final QName name;
        private Type type;
        private State start;

        ElementDecl(String uri, String local) {
            this.name = new QName(uri, local);
        }

        ElementDecl type(Type t) {
            this.type = t;
            return this;
        }

        Type type() {
            return type;
        }

        /** Start state of this element's type grammar (null for declarations we refuse to process). */
        State start() {
            return start;
        }

        @Override
        public String toString() {
            return name.local;
        }
    }

    /**
     * A type: attributes, and either simple content (a datatype), element content (a particle), or
     * nothing; or "unsupported" (element declared only so the surrounding grammar is right).
     */
    record Type(List<AttributeUse> attributes, Datatype simple, Particle content, boolean mixed, String unsupported) {
        static Type simple(Datatype d) {
            return new Type(List.of(), d, null, false, null);
        }

        static Type simpleContent(Datatype d, AttributeUse... attrs) {
            return new Type(List.of(attrs), d, null, false, null);
        }

        static Type complex(Particle content, AttributeUse... attrs) {
            return new Type(List.of(attrs), null, content, false, null);
        }

        static Type mixed(Particle content, AttributeUse... attrs) {
            return new Type(List.of(attrs), null, content, true, null);
        }

        /** Declared so the surrounding grammar is exact, refused when it occurs ({@code what} names it). */
        static Type unsupported(String what) {
            return new Type(List.of(), null, null, false, what);
        }
    }

    sealed interface Particle permits Elem, Any, Seq, Choice {
        int min();

        int max();
    }

    record Elem(ElementDecl decl, int min, int max) implements Particle {
    }

    /** Wildcard ##any / ##other: SE(*) in EXI. */
    record Any(int min, int max) implements Particle {
    }

    record Seq(List<Particle> items, int min, int max) implements Particle {
    }

    record Choice(List<Particle> items, int min, int max) implements Particle {
    }

    static Elem el(ElementDecl d) {
        return new Elem(d, 1, 1);
    }

    static Elem el(ElementDecl d, int min, int max) {
        return new Elem(d, min, max);
    }

    static Seq seq(Particle... items) {
        return new Seq(List.of(items), 1, 1);
    }

    // ------------------------------------------------------------------ normalized grammar

    enum Kind { AT, AT_ANY, SE, SE_ANY, EE, CH, CH_UNTYPED }

    static final class Production {
        final Kind kind;
        final ElementDecl element; // SE
        final AttributeUse attribute; // AT
        final Datatype datatype; // CH
        State next;
        int code;

        Production(Kind kind, ElementDecl element, AttributeUse attribute, Datatype datatype, State next) {
            this.kind = kind;
            this.element = element;
            this.attribute = attribute;
            this.datatype = datatype;
            this.next = next;
        }

        boolean sameEvent(Production o) {
            return kind == o.kind && element == o.element && attribute == o.attribute && next == o.next;
        }

        @Override
        public String toString() {
            return switch (kind) {
                case AT -> "AT(" + attribute.name() + ")";
                case SE -> "SE(" + element + ")";
                default -> kind.name();
            };
        }
    }

    /** A grammar non-terminal with its productions in event-code order. */
    /** Role of a state in its element grammar; it fixes the non-strict second-level productions. */
    enum Role {
        /** First state: EE?, xsi:type, xsi:nil, AT(*), AT(*)[invalid], SE(*), CH. */
        FIRST_START_TAG(6),
        /** Other attribute states and the content start: EE?, AT(*), AT(*)[invalid], SE(*), CH. */
        START_TAG(4),
        /** Content states: EE?, SE(*), CH. */
        ELEMENT(2);

        final int secondLevel;

        Role(int secondLevel) {
            this.secondLevel = secondLevel;
        }
    }

    static final class State {
        Production[] productions = new Production[0];
        int width; // first-level event code width (non-strict: n + 1 codes)
        Role role = Role.ELEMENT;
        boolean hasEE;
        int secondLevelWidth; // width of second-level codes; "EE undeclared" is code 0 when !hasEE
        private List<Production> building = new ArrayList<>(); // construction only; null once frozen

        Production find(Kind kind, Object key) {
            for (Production p : productions) {
                if (p.kind == kind && (key == null || p.element == key || p.attribute == key)) {
                    return p;
                }
            }
            return null;
        }

        Production ch() {
            for (Production p : productions) {
                if (p.kind == Kind.CH) {
                    return p;
                }
            }
            return null;
        }

        void add(Production p) {
            for (Production q : building) {
                if (q.sameEvent(p)) {
                    return;
                }
            }
            building.add(p);
        }

        void addAll(State other) {
            for (Production p : other.building) {
                add(new Production(p.kind, p.element, p.attribute, p.datatype, p.next));
            }
        }

        @Override
        public String toString() {
            return java.util.Arrays.toString(productions) + "/" + width;
        }
    }

    // ------------------------------------------------------------------ construction

    /** Builds (once) the grammars of every element reachable from the given roots. */
    static void build(ElementDecl... roots) {
        Map<Type, State> byType = new IdentityHashMap<>();
        List<ElementDecl> todo = new ArrayList<>(List.of(roots));
        List<State> all = new ArrayList<>();
        while (!todo.isEmpty()) {
            ElementDecl d = todo.remove(todo.size() - 1);
            if (d.start != null || d.type.unsupported() != null) {
                continue;
            }
            State s = byType.get(d.type);
            if (s == null) {
                s = typeGrammar(d.type, all, todo);
                byType.put(d.type, s);
            }
            d.start = s;
        }
        for (State s : all) {
            freeze(s);
        }
        release(all);
    }

    private static State typeGrammar(Type t, List<State> all, List<ElementDecl> todo) {
        State end = state(all);
        end.add(new Production(Kind.EE, null, null, null, null));
        State content;
        if (t.simple() != null) {
            content = state(all);
            content.add(new Production(Kind.CH, null, null, t.simple(), end));
        } else if (t.content() != null) {
            int before = all.size();
            content = particle(t.content(), end, all, todo);
            if (t.mixed()) {
                for (int i = before; i < all.size(); i++) {
                    State s = all.get(i);
                    s.add(new Production(Kind.CH_UNTYPED, null, null, null, s));
                }
                end.add(new Production(Kind.CH_UNTYPED, null, null, null, end));
            }
        } else {
            content = end;
        }
        List<AttributeUse> attrs = new ArrayList<>(t.attributes());
        attrs.sort(Comparator.comparing(AttributeUse::name, QName.EXI_ORDER));
        State next = content;
        content.role = Role.START_TAG;
        for (int i = attrs.size() - 1; i >= 0; i--) {
            State s = state(all);
            s.role = Role.START_TAG;
            s.add(new Production(Kind.AT, null, attrs.get(i), attrs.get(i).type(), next));
            if (!attrs.get(i).required()) {
                s.addAll(next);
            }
            next = s;
        }
        next.role = Role.FIRST_START_TAG;
        return next;
    }

    private static State state(List<State> all) {
        State s = new State();
        all.add(s);
        return s;
    }

    private static State particle(Particle p, State k, List<State> all, List<ElementDecl> todo) {
        int min = p.min();
        int max = p.max();
        State cur;
        if (max == UNBOUNDED) {
            State loop = state(all);
            State body = term(p, loop, all, todo);
            loop.addAll(body);
            loop.addAll(k);
            cur = loop;
        } else {
            cur = k;
            for (int i = 0; i < max - min; i++) {
                State s = state(all);
                s.addAll(term(p, cur, all, todo));
                s.addAll(k);
                cur = s;
            }
        }
        for (int i = 0; i < min; i++) {
            cur = term(p, cur, all, todo);
        }
        return cur;
    }

    private static State term(Particle p, State k, List<State> all, List<ElementDecl> todo) {
        if (p instanceof Elem e) {
            State s = state(all);
            s.add(new Production(Kind.SE, e.decl(), null, null, k));
            todo.add(e.decl());
            return s;
        }
        if (p instanceof Any) {
            State s = state(all);
            s.add(new Production(Kind.SE_ANY, null, null, null, k));
            return s;
        }
        if (p instanceof Seq q) {
            State cur = k;
            for (int i = q.items().size() - 1; i >= 0; i--) {
                cur = particle(q.items().get(i), cur, all, todo);
            }
            return cur;
        }
        Choice c = (Choice) p;
        State s = state(all);
        for (Particle item : c.items()) {
            s.addAll(particle(item, k, all, todo));
        }
        return s;
    }

    private static void freeze(State s) {
        List<Production> ps = new ArrayList<>(s.building);
        ps.sort(Comparator.comparingInt((Production p) -> p.kind.ordinal())
                .thenComparing((a, b) -> a.kind == Kind.AT ? QName.EXI_ORDER.compare(a.attribute.name(), b.attribute.name()) : 0));
        // CH and CH_UNTYPED share the CH slot; at most one of them exists in a state
        s.productions = ps.toArray(new Production[0]);
        for (int i = 0; i < s.productions.length; i++) {
            s.productions[i].code = i;
        }
        s.width = codingLength(s.productions.length + 1);
        s.hasEE = s.find(Kind.EE, null) != null;
        s.secondLevelWidth = codingLength(s.role.secondLevel + (s.hasEE ? 0 : 1));
    }

    private static void release(List<State> all) {
        for (State s : all) {
            s.building = null;
        }
    }

    /**
     * Whether an element of type {@code t} may be empty and so may end with "EE undeclared" instead of CH.
     * EXIficient writes empty base64Binary/hexBinary elements that way (an empty string gets CH "").
     */
    static boolean emptyAllowed(Datatype t) {
        return t instanceof Binary || t instanceof Str s && s.minLength() == 0;
    }

    /** A value EXIficient (and so we) encodes as "EE undeclared": an empty binary. */
    static boolean isEmptyBinary(Object value) {
        return value instanceof byte[] b && b.length == 0;
    }
}
