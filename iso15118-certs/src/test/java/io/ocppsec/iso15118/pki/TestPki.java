package io.ocppsec.iso15118.pki;

import org.bouncycastle.asn1.x500.X500Name;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Test fixture: ISO 15118 hierarchies issued with {@link Iso15118Certificates}, keys in memory. */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(0x1000);

    private TestPki() {
    }

    /** A certificate and its key pair. */
    public record Node(Iso15118Role role, X509Certificate cert, KeyPair keys) {
    }

    /** root (self-signed), optional Sub-CA 1, Sub-CA 2, leaf. */
    public record Chain(Node root, Node subCa1, Node subCa2, Node leaf) {
        /** What is sent on the wire: leaf first, then Sub-CA 2, then Sub-CA 1 (no root). */
        public List<X509Certificate> wire() {
            List<X509Certificate> l = new ArrayList<>();
            l.add(leaf.cert());
            l.add(subCa2.cert());
            if (subCa1 != null) {
                l.add(subCa1.cert());
            }
            return l;
        }
    }

    public static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    public static KeyType keyType(Edition e) {
        return e.defaultKeyType();
    }

    public static Node root(Iso15118Role role, Edition e, String cn, Instant notBefore) {
        KeyPair kp = keyType(e).generate();
        X509Certificate c = Iso15118Certificates.issue(role, e, Iso15118Certificates.subjectFor(role, cn, "Test", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(kp.getPublic()),
                Issuer.selfSigned(Iso15118Certificates.signer(kp.getPrivate(), keyType(e))),
                nextSerial(), notBefore, Urls.NONE);
        return new Node(role, c, kp);
    }

    public static Node issue(Iso15118Role role, Edition e, String cn, Node issuer, Instant notBefore, Urls urls) {
        return issue(role, e, Iso15118Certificates.subjectFor(role, cn, "Test", "DE"), issuer, notBefore, urls);
    }

    public static Node issue(Iso15118Role role, Edition e, X500Name subject, Node issuer, Instant notBefore, Urls urls) {
        KeyPair kp = keyType(e).generate();
        X509Certificate c = Iso15118Certificates.issue(role, e, subject,
                Iso15118Certificates.subjectPublicKeyInfo(kp.getPublic()),
                Issuer.ca(issuer.cert(), Iso15118Certificates.signer(issuer.keys().getPrivate(), keyType(e))),
                nextSerial(), notBefore, urls);
        return new Node(role, c, kp);
    }

    /**
     * An ISO 15118-20 OEM provisioning certificate for a fresh Ed448 key under {@code issuer}, carrying
     * {@code x448}'s public key as its "Alternate Subject Public Key" [V2G20-2534]; the node holds the Ed448 keys.
     */
    public static Node oemProvisioningWithX448(String pcid, Node issuer, Instant notBefore, KeyPair x448) {
        KeyPair ed448 = KeyType.ED448.generate();
        KeyType issuerType = KeyType.of(Iso15118Certificates.subjectPublicKeyInfo(issuer.cert().getPublicKey())).orElseThrow();
        X509Certificate c = Iso15118Certificates.issueOemProvisioningWithX448(
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_PROVISIONING, pcid, "Test", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(ed448.getPublic()), Iso15118Certificates.subjectPublicKeyInfo(x448.getPublic()),
                Issuer.ca(issuer.cert(), Iso15118Certificates.signer(issuer.keys().getPrivate(), issuerType)),
                nextSerial(), notBefore, Urls.NONE);
        return new Node(Iso15118Role.OEM_PROVISIONING, c, ed448);
    }

    /** A fresh X448 key pair (the ECDH key of an Ed448 OEM provisioning certificate). */
    public static KeyPair x448() {
        try {
            return java.security.KeyPairGenerator.getInstance("X448", Iso15118Crypto.provider()).generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A full chain for {@code leafRole} under a fresh root of its own PKI. */
    public static Chain chain(Iso15118Role leafRole, Edition e, String leafCn, Instant notBefore, Urls urls) {
        Node root = root(leafRole.ownRoot(), e, leafRole.ownRoot().name() + " Root", notBefore);
        return chainUnder(root, leafRole, e, leafCn, notBefore, urls, true);
    }

    /** A chain for {@code leafRole} under {@code root}, with or without Sub-CA 1. */
    public static Chain chainUnder(Node root, Iso15118Role leafRole, Edition e, String leafCn, Instant notBefore,
                                   Urls urls, boolean withSubCa1) {
        Node sub1 = withSubCa1 ? issue(leafRole.subCa1(), e, leafRole.subCa1().name(), root, notBefore, urls) : null;
        Node sub2 = issue(leafRole.subCa2(), e, leafRole.subCa2().name(), withSubCa1 ? sub1 : root, notBefore, urls);
        Node leaf = issue(leafRole, e, leafCn, sub2, notBefore, urls);
        return new Chain(root, sub1, sub2, leaf);
    }

    /** A CN that fits the role's rule. */
    public static String cnFor(Iso15118Role role) {
        return switch (role) {
            case CONTRACT -> "DE-ABC-C123ABC56";
            case OEM_PROVISIONING -> "WMI0123456789ABCD";
            case SECC -> "DE*ABC*S*SECC0001";
            default -> role.name();
        };
    }
}
