package io.ocppsec.iso15118.pki;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The roots a validator trusts, by kind: a leaf must chain to a root of the kind its use requires
 * [V2G2-925] (SECC and CPS: a V2G root; contract: an MO root or a V2G root; OEM provisioning: an
 * OEM root or a V2G root).
 *
 * @param v2gRoots V2G roots (from a PKI operator, or installed as V2GRootCertificate)
 * @param moRoots  MO (eMSP) roots (MORootCertificate)
 * @param oemRoots OEM roots (OEMRootCertificate)
 */
public record TrustAnchors(List<X509Certificate> v2gRoots, List<X509Certificate> moRoots, List<X509Certificate> oemRoots) {

    public TrustAnchors {
        v2gRoots = List.copyOf(v2gRoots);
        moRoots = List.copyOf(moRoots);
        oemRoots = List.copyOf(oemRoots);
    }

    public static TrustAnchors none() {
        return new TrustAnchors(List.of(), List.of(), List.of());
    }

    public TrustAnchors withV2gRoot(X509Certificate root) {
        return new TrustAnchors(plus(v2gRoots, root), moRoots, oemRoots);
    }

    public TrustAnchors withMoRoot(X509Certificate root) {
        return new TrustAnchors(v2gRoots, plus(moRoots, root), oemRoots);
    }

    public TrustAnchors withOemRoot(X509Certificate root) {
        return new TrustAnchors(v2gRoots, moRoots, plus(oemRoots, root));
    }

    /** The roots of one kind ({@link Iso15118Role#V2G_ROOT}, {@code MO_ROOT} or {@code OEM_ROOT}). */
    public List<X509Certificate> of(Iso15118Role rootRole) {
        return switch (rootRole) {
            case V2G_ROOT -> v2gRoots;
            case MO_ROOT -> moRoots;
            case OEM_ROOT -> oemRoots;
            default -> throw new IllegalArgumentException(rootRole + " is not a root");
        };
    }

    private static List<X509Certificate> plus(List<X509Certificate> l, X509Certificate c) {
        java.util.ArrayList<X509Certificate> n = new java.util.ArrayList<>(l);
        n.add(java.util.Objects.requireNonNull(c, "root"));
        return n;
    }
}
