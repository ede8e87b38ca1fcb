package io.ocppsec.iso15118.pki;

import org.bouncycastle.asn1.x509.KeyUsage;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The certificates of the ISO 15118 PKIs (ISO 15118-2 Annex F, -20 Annex B; reference
 * iso15118.md §1.1/§1.2) with their profile: CA or leaf, pathLen, KeyUsage bits, the Domain
 * Component the subject carries, and the validity our issuer uses by default.
 *
 * <pre>
 * V2G root ─┬─ CPO Sub-CA 1 (pathLen 1) ── CPO Sub-CA 2 (pathLen 0) ── SECC      (DC=CPO)
 *           └─ CPS Sub-CA 1 (pathLen 1) ── CPS Sub-CA 2 (pathLen 0) ── CPS leaf  (DC=CPS)
 * MO root   ── MO Sub-CA 1  (pathLen 1) ── MO Sub-CA 2  (pathLen 0) ── contract  (CN=eMAID, DC=MO)
 * OEM root  ── OEM Sub-CA 1 (pathLen 1) ── OEM Sub-CA 2 (pathLen 0) ── OEM prov. (CN=PCID, DC=OEM)
 * </pre>
 * Sub-CA 1 is optional (a root may sign a Sub-CA 2 directly), and a V2G root may stand in for the
 * MO or OEM root ("V2G-rooted" MO/OEM PKIs).
 */
public enum Iso15118Role {
    V2G_ROOT(Pki.V2G, Tier.ROOT, "V2G", KeyUsage.keyCertSign | KeyUsage.cRLSign, 3650),
    CPO_SUB_CA_1(Pki.V2G, Tier.SUB_CA_1, "V2G", KeyUsage.keyCertSign | KeyUsage.cRLSign, 1460),
    CPO_SUB_CA_2(Pki.V2G, Tier.SUB_CA_2, "V2G", KeyUsage.keyCertSign | KeyUsage.cRLSign, 365),
    SECC(Pki.V2G, Tier.LEAF, "CPO", KeyUsage.digitalSignature | KeyUsage.keyAgreement, 60),
    CPS_SUB_CA_1(Pki.CPS, Tier.SUB_CA_1, "CPS", KeyUsage.keyCertSign | KeyUsage.cRLSign, 1460),
    CPS_SUB_CA_2(Pki.CPS, Tier.SUB_CA_2, "CPS", KeyUsage.keyCertSign | KeyUsage.cRLSign, 730),
    CPS_LEAF(Pki.CPS, Tier.LEAF, "CPS", KeyUsage.digitalSignature, 90),
    MO_ROOT(Pki.MO, Tier.ROOT, "MO", KeyUsage.keyCertSign | KeyUsage.cRLSign, 3650),
    MO_SUB_CA_1(Pki.MO, Tier.SUB_CA_1, "MO", KeyUsage.keyCertSign | KeyUsage.cRLSign, 1460),
    /** Also signs SalesTariffs in -2, hence digitalSignature and nonRepudiation. */
    MO_SUB_CA_2(Pki.MO, Tier.SUB_CA_2, "MO",
            KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyCertSign | KeyUsage.cRLSign, 1460),
    /** keyAgreement: the old contract key is the ECDH receiver of a CertificateUpdate [V2G2-821]. */
    CONTRACT(Pki.MO, Tier.LEAF, "MO",
            KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyEncipherment | KeyUsage.keyAgreement, 730),
    OEM_ROOT(Pki.OEM, Tier.ROOT, "OEM", KeyUsage.keyCertSign | KeyUsage.cRLSign, 3650),
    OEM_SUB_CA_1(Pki.OEM, Tier.SUB_CA_1, "OEM", KeyUsage.keyCertSign | KeyUsage.cRLSign, 1460),
    OEM_SUB_CA_2(Pki.OEM, Tier.SUB_CA_2, "OEM", KeyUsage.keyCertSign | KeyUsage.cRLSign, 1460),
    /** keyAgreement: the ECDH receiver of a CertificateInstallation [V2G2-820/822]. */
    OEM_PROVISIONING(Pki.OEM, Tier.LEAF, "OEM", KeyUsage.digitalSignature | KeyUsage.keyAgreement, 1460);

    /** Which PKI a role belongs to. The CPO and CPS branches hang below the V2G root. */
    public enum Pki { V2G, CPS, MO, OEM }

    /** Position in a chain. */
    public enum Tier {
        /** Self-signed trust anchor; BasicConstraints CA without pathLen. */
        ROOT,
        /** Below the root; pathLen 1. */
        SUB_CA_1,
        /** Issues leaves; pathLen 0. */
        SUB_CA_2,
        /** End entity; CA:false. */
        LEAF
    }

    private final Pki pki;
    private final Tier tier;
    private final String domainComponent;
    private final int keyUsage;
    private final Duration defaultValidity;

    Iso15118Role(Pki pki, Tier tier, String domainComponent, int keyUsage, int defaultValidityDays) {
        this.pki = pki;
        this.tier = tier;
        this.domainComponent = domainComponent;
        this.keyUsage = keyUsage;
        this.defaultValidity = Duration.ofDays(defaultValidityDays);
    }

    public Pki pki() {
        return pki;
    }

    public Tier tier() {
        return tier;
    }

    /** True for roots and Sub-CAs. */
    public boolean isCa() {
        return tier != Tier.LEAF;
    }

    /** True for the four end-entity roles. */
    public boolean isLeaf() {
        return tier == Tier.LEAF;
    }

    /** BasicConstraints pathLen: 1 for Sub-CA 1, 0 for Sub-CA 2, -1 (absent) for roots and leaves. */
    public int pathLength() {
        return switch (tier) {
            case SUB_CA_1 -> 1;
            case SUB_CA_2 -> 0;
            case ROOT, LEAF -> -1;
        };
    }

    /** The Domain Component (OID 0.9.2342.19200300.100.1.25) of the subject: V2G, CPO, CPS, MO or OEM. */
    public String domainComponent() {
        return domainComponent;
    }

    /** The KeyUsage bits of the profile (BC {@link KeyUsage} constants OR'ed). */
    public int keyUsage() {
        return keyUsage;
    }

    /**
     * The validity our issuer gives by default (the values of the ISO reference generators: roots
     * 10 y, Sub-CA 1 4 y, CPO Sub-CA 2 1 y, SECC 60 d, contract 2 y, CPS leaf 90 d, ...).
     */
    public Duration defaultValidity() {
        return defaultValidity;
    }

    /** The Sub-CA 2 of this role's PKI (the CA that issues its leaves). */
    public Iso15118Role subCa2() {
        return role(Tier.SUB_CA_2);
    }

    /** The Sub-CA 1 of this role's PKI. Both throw for V2G_ROOT, which belongs to no branch. */
    public Iso15118Role subCa1() {
        return role(Tier.SUB_CA_1);
    }

    /** The root of this role's own PKI (V2G root for the CPO and CPS branches). */
    public Iso15118Role ownRoot() {
        return switch (pki) {
            case V2G, CPS -> V2G_ROOT;
            case MO -> MO_ROOT;
            case OEM -> OEM_ROOT;
        };
    }

    /**
     * The root kinds a chain of this role may end in [V2G2-925]: the V2G root for SECC and CPS; the
     * MO root or a V2G root for contracts; the OEM root or a V2G root for OEM provisioning.
     */
    public Set<Iso15118Role> acceptedRoots() {
        return switch (pki) {
            case V2G, CPS -> EnumSet.of(V2G_ROOT);
            case MO -> EnumSet.of(MO_ROOT, V2G_ROOT);
            case OEM -> EnumSet.of(OEM_ROOT, V2G_ROOT);
        };
    }

    private Iso15118Role role(Tier t) {
        for (Iso15118Role r : values()) {
            if (r.pki == pki && r.tier == t) {
                return r;
            }
        }
        throw new IllegalStateException("no " + t + " in " + pki);
    }
}
