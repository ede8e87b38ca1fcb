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
    public record Entry(Issuer ca, Issuer signer, byte[] sha1Name, byte[] sha1Key, byte[] sha256Name, byte[] sha256Key,
                        Set<String> childSerials) {
        /** Whether a CertID's hashes name this CA (a constant-size comparison, no secret involved). */
        boolean matches(boolean sha256, byte[] nameHash, byte[] keyHash) {
            return sha256 ? Arrays.equals(sha256Name, nameHash) && Arrays.equals(sha256Key, keyHash)
                    : Arrays.equals(sha1Name, nameHash) && Arrays.equals(sha1Key, keyHash);
        }
    }

    /** Rebuilds the list from the registry (after a CA change; the poller calls it too). */
    public void refresh() {
        Instant now = Instant.now();
        List<Issuer> all = registry.all();
        List<Entry> next = new ArrayList<>();
        for (Issuer ca : all) {
            CaRole role = ca.record().role();
            if ((role != CaRole.CSMS_ROOT && role != CaRole.STATION_CA) || ca.key() == null || !ca.notAfter().isAfter(now)) {
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
            next.add(new Entry(ca, signer, digest("SHA-1", name), digest("SHA-1", key), digest("SHA-256", name),
                    digest("SHA-256", key), Set.copyOf(children)));
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
    public Optional<Entry> byCertId(boolean sha256, byte[] nameHash, byte[] keyHash) {
        for (Entry e : entries) {
            if (e.matches(sha256, nameHash, keyHash)) {
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
