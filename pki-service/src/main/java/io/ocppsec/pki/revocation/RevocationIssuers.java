package io.ocppsec.pki.revocation;

import io.ocppsec.pki.ca.Issuer;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.ca.SerialNumbers;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import io.ocppsec.pki.store.CaCertificateRecord.CaStatus;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The CAs we answer revocation questions for: every CSMS root and station CA whose key we hold
 * and whose own certificate has not expired, ACTIVE or RETIRED (a retired CA's certificates
 * expire no later than it does, so "until its last certificate expires" is "until it expires").
 * For each, the CertID hashes (RFC 6960 §4.1.1) in SHA-1 and SHA-256 and who signs its OCSP
 * responses: the newest ACTIVE, unexpired OCSP_SIGNER whose parent it is, else the CA key itself
 * (RFC 6960 §4.2.2.2 allows the CA to sign; the CSMS root has no delegated signer by default).
 */
public final class RevocationIssuers {
    private final IssuerRegistry registry;
    private volatile List<Entry> entries = List.of();

    public RevocationIssuers(IssuerRegistry registry) {
        this.registry = registry;
    }

    /** One CA we answer for. */
    public record Entry(Issuer ca, Issuer signer, java.util.Map<String, byte[][]> hashes, Set<String> childSerials) {
        /**
         * Whether a CertID's hashes, made with the JCA digest {@code algorithm} (SHA-1, SHA-256,
         * SHA-384 or SHA-512), name this CA (a constant-size comparison, no secret involved).
         */
        boolean matches(String algorithm, byte[] nameHash, byte[] keyHash) {
            byte[][] h = hashes.get(algorithm);
            return h != null && Arrays.equals(h[0], nameHash) && Arrays.equals(h[1], keyHash);
        }
    }

    /**
     * The CertID hash algorithms answered: SHA-1 (what most OCSP clients send) and the SHA-2 family
     * (OCPP's OCSPRequestData names SHA256, SHA384 and SHA512; the broker asks in the station's).
     */
    static final List<String> ALGORITHMS = List.of("SHA-1", "SHA-256", "SHA-384", "SHA-512");

    /**
     * The roles whose certificates we answer for: the CSMS root and station CA, and the Plug &
     * Charge CAs whose keys we hold (the development V2G and MO roots and their sub-CAs, which
     * issue SECC, CPS and contract certificates).
     */
    private static boolean answersFor(CaRole role) {
        return switch (role) {
            case CSMS_ROOT, STATION_CA, V2G_ROOT, CPO_SUB_CA_1, CPO_SUB_CA_2, CPS_SUB_CA_1, CPS_SUB_CA_2,
                 MO_ROOT, MO_SUB_CA_1, MO_SUB_CA_2, V2G_ROOT_20, CPS_SUB_CA_1_20, CPS_SUB_CA_2_20,
                 MO_ROOT_20, MO_SUB_CA_1_20, MO_SUB_CA_2_20, CPO_SUB_CA_1_20, CPO_SUB_CA_2_20, MANUFACTURER_ROOT -> true;
            default -> false;
        };
    }

    /** Rebuilds the list from the registry (after a CA change; the poller calls it too). */
    public void refresh() {
        Instant now = Instant.now();
        List<Issuer> all = registry.all();
        List<Entry> next = new ArrayList<>();
        for (Issuer ca : all) {
            CaRole role = ca.record().role();
            if (!answersFor(role) || ca.key() == null || !ca.notAfter().isAfter(now)) {
                continue;
            }
            Issuer signer = ca;
            Set<String> children = new HashSet<>();
            for (Issuer other : all) {
                if (!ca.id().equals(other.record().parentId()) || other.id().equals(ca.id())) {
                    continue;
                }
                children.add(SerialNumbers.hex(other.certificate().getSerialNumber()));
                if (other.record().role() == CaRole.OCSP_SIGNER && other.record().status() == CaStatus.ACTIVE
                        && other.key() != null && other.notAfter().isAfter(now) && other.notBefore().isBefore(now)
                        && (signer == ca || other.record().createdAt().isAfter(signer.record().createdAt()))) {
                    signer = other;
                }
            }
            byte[] name = ca.certificate().getSubjectX500Principal().getEncoded();
            byte[] key;
            try {
                key = SubjectPublicKeyInfo.getInstance(new X509CertificateHolder(ca.certificate().getEncoded())
                        .getSubjectPublicKeyInfo()).getPublicKeyData().getBytes();
            } catch (java.io.IOException | CertificateEncodingException e) {
                throw new IllegalStateException("CA certificate cannot be read: " + ca.id(), e);
            }
            java.util.Map<String, byte[][]> hashes = new java.util.HashMap<>();
            for (String alg : ALGORITHMS) {
                hashes.put(alg, new byte[][] {digest(alg, name), digest(alg, key)});
            }
            next.add(new Entry(ca, signer, java.util.Map.copyOf(hashes), Set.copyOf(children)));
        }
        entries = List.copyOf(next);
    }

    public List<Entry> all() {
        return entries;
    }

    public Optional<Entry> byId(String issuerId) {
        for (Entry e : entries) {
            if (e.ca().id().equals(issuerId)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The CA a CertID names, if we run it. */
    public Optional<Entry> byCertId(String algorithm, byte[] nameHash, byte[] keyHash) {
        for (Entry e : entries) {
            if (e.matches(algorithm, nameHash, keyHash)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
