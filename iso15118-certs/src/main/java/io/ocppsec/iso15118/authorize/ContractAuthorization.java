package io.ocppsec.iso15118.authorize;

import io.ocppsec.iso15118.pki.ChainValidation;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Emaid;
import io.ocppsec.iso15118.pki.Iso15118ChainValidator;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.KeyType;
import io.ocppsec.iso15118.pki.Leniency;
import io.ocppsec.iso15118.pki.TrustAnchors;
import io.ocppsec.ocpp.message.type.AuthorizationStatus;
import io.ocppsec.ocpp.message.type.AuthorizeCertificateStatus;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.ocpp.message.type.OcspRequestData;
import io.ocppsec.security.cert.CertificateIdentifier;
import io.ocppsec.security.cert.HashDataCheck;
import io.ocppsec.security.cert.PemCertificates;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Decides an Authorize request carrying ISO 15118 contract data (OCPP 2.0.1/2.1 C07; decision table
 * in reference/ocpp-security.md §5), for a CSMS backend:
 * <table>
 *   <caption>C07 decision</caption>
 *   <tr><th>condition</th><th>certificateStatus</th><th>idTokenInfo.status</th></tr>
 *   <tr><td>neither certificate nor hash data</td><td>NoCertificateAvailable</td><td>Invalid</td></tr>
 *   <tr><td>leaf CN is not the idToken's eMAID (separators and case ignored)</td><td>CertChainError</td><td>Invalid</td></tr>
 *   <tr><td>chain invalid (path, profile, unknown root, not yet valid), malformed hash data</td><td>CertChainError</td><td>Invalid</td></tr>
 *   <tr><td>certificate sent with hash data, an entry of which describes no certificate of the validated path</td><td>CertChainError</td><td>Invalid</td></tr>
 *   <tr><td>a signature of the chain does not verify</td><td>SignatureError</td><td>Invalid</td></tr>
 *   <tr><td>a certificate of the chain expired</td><td>CertificateExpired</td><td>Expired</td></tr>
 *   <tr><td>OCSP: leaf or a Sub-CA revoked (C07.FR.16)</td><td>CertificateRevoked</td><td>Invalid</td></tr>
 *   <tr><td>OCSP: no answer, or "unknown"</td><td>CertChainError</td><td>Invalid</td></tr>
 *   <tr><td>certificate fine, token Blocked/Expired/Invalid/Unknown (C07.FR.13)</td><td>ContractCancelled</td><td>the token status</td></tr>
 *   <tr><td>certificate fine, any other token status (C07.FR.14)</td><td>Accepted</td><td>the token status</td></tr>
 *   <tr><td>certificate fine, idToken empty or over 255 characters (the store is not asked)</td><td>ContractCancelled</td><td>Unknown</td></tr>
 * </table>
 * Choices where the table is silent: without any certificate data the eMAID is not accepted on the
 * token alone (Invalid); a revocation status that cannot be obtained is treated as "the chain
 * cannot be verified" (CertChainError), not as good — C07.FR.05 requires the OCSP check; a bad
 * signature answers SignatureError, the enum value that names it.
 * <p>With {@code certificate} given (central contract validation, C07.FR.06 / TC_C_52) the chain
 * is validated against the trusted MO and V2G roots and the OCSP request data are computed here
 * from the validated path (SHA-256, responder URL from each certificate's AIA). Station-supplied
 * {@code iso15118CertificateHashData} sent beside it must each describe a certificate of that path
 * (leaf, a Sub-CA, or the root, which is tolerated but never checked), with the entry's own hash
 * algorithm (SHA256, SHA384 or SHA512): hash data for another contract than the certificate sent is
 * CertChainError ("iso15118CertificateHashData entry N does not describe a certificate of the
 * contract chain sent", N counting from 1), as is a malformed entry. They are not what is checked; an
 * entry only lends its responder URL to its certificate when that names none. With hash data only
 * (TC_C_50/51) the station has validated the chain; the 1..4 entries are checked for form and each
 * is looked up. Revocation is checked for the leaf and every Sub-CA, never the root. Thread-safe if
 * the lookups are.
 */
public final class ContractAuthorization {

    /** Most iso15118CertificateHashData entries (the schema's maxItems). */
    public static final int MAX_HASH_DATA = 4;
    /** Longest idToken passed to the token store (2.1's idToken limit; 2.0.1 allows 36). */
    public static final int MAX_ID_TOKEN = 255;
    /** Longest responderURL accepted (2.1; 2.0.1 allows 512). */
    public static final int MAX_RESPONDER_URL = 2000;

    private static final Set<AuthorizationStatus> CANCELLED = EnumSet.of(
            AuthorizationStatus.Blocked, AuthorizationStatus.Expired, AuthorizationStatus.Invalid, AuthorizationStatus.Unknown);

    private final Iso15118ChainValidator validator;
    private final RevocationLookup revocation;
    private final TokenStatusLookup tokens;

    /**
     * @param validator  validates contract chains (its anchors: the trusted MO and V2G roots)
     * @param revocation the OCSP broker
     * @param tokens     the contract / token store
     */
    public ContractAuthorization(Iso15118ChainValidator validator, RevocationLookup revocation, TokenStatusLookup tokens) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.revocation = Objects.requireNonNull(revocation, "revocation");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /** One-shot form with strict profile checks. */
    public static Decision decide(String emaid, List<X509Certificate> chainOrEmpty, List<OcspRequestData> hashData,
                                  TrustAnchors anchors, Instant now, RevocationLookup revocation, TokenStatusLookup tokens) {
        return new ContractAuthorization(new Iso15118ChainValidator(anchors, Leniency.strict()), revocation, tokens)
                .decide(emaid, chainOrEmpty, hashData, now);
    }

    /**
     * Decides from the Authorize request's {@code certificate} field as sent (PEM, leaf first, may be
     * null) and its {@code iso15118CertificateHashData} (may be null). PEM that cannot be read is a
     * CertChainError.
     */
    public Decision decidePem(String emaid, String certificatePem, List<OcspRequestData> hashData, Instant now) {
        List<X509Certificate> chain = List.of();
        if (certificatePem != null && !certificatePem.isBlank()) {
            try {
                chain = PemCertificates.read(certificatePem);
            } catch (IllegalArgumentException e) {
                return new Decision(AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError,
                        "certificate: " + e.getMessage());
            }
        }
        return decide(emaid, chain, hashData, now);
    }

    /**
     * Decides.
     *
     * @param emaid        idToken.idToken (type eMAID)
     * @param chainOrEmpty the contract chain, leaf first, without root; empty or null when not sent
     * @param hashData     iso15118CertificateHashData; empty or null when not sent
     * @param now          the instant of validation
     */
    public Decision decide(String emaid, List<X509Certificate> chainOrEmpty, List<OcspRequestData> hashData, Instant now) {
        Objects.requireNonNull(now, "now");
        List<X509Certificate> chain = chainOrEmpty == null ? List.of() : chainOrEmpty;
        List<OcspRequestData> supplied = hashData == null ? List.of() : hashData;
        if (chain.isEmpty() && supplied.isEmpty()) {
            return new Decision(AuthorizationStatus.Invalid, AuthorizeCertificateStatus.NoCertificateAvailable,
                    "neither a contract certificate nor OCSP hash data");
        }
        if (supplied.size() > MAX_HASH_DATA) {
            return chainError("more than " + MAX_HASH_DATA + " iso15118CertificateHashData entries");
        }
        for (int i = 0; i < supplied.size(); i++) {
            String problem = problem(supplied.get(i));
            if (problem != null) {
                return chainError("iso15118CertificateHashData entry " + (i + 1) + ": " + problem);
            }
        }
        List<OcspRequestData> toCheck;
        if (!chain.isEmpty()) {
            FromChain r = fromChain(emaid, chain, supplied, now);
            if (r.decision() != null) {
                return r.decision();
            }
            toCheck = r.toCheck();
        } else {
            toCheck = supplied;
        }

        boolean revoked = false;
        String notVerified = null;
        for (OcspRequestData d : toCheck) {
            RevocationLookup.Status s;
            try {
                s = revocation.status(d);
            } catch (RuntimeException e) {
                s = RevocationLookup.Status.UNAVAILABLE;
            }
            if (s == null) {
                s = RevocationLookup.Status.UNAVAILABLE;
            }
            switch (s) {
                case REVOKED -> revoked = true;
                case UNKNOWN -> notVerified = "the OCSP responder does not know certificate serial " + d.serialNumber();
                case UNAVAILABLE -> notVerified = "no OCSP answer for certificate serial " + d.serialNumber();
                case GOOD -> {
                }
            }
        }
        if (revoked) {
            return new Decision(AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertificateRevoked,
                    "a certificate of the contract chain is revoked (C07.FR.16)", toCheck);
        }
        if (notVerified != null) {
            return new Decision(AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError,
                    notVerified + "; the chain cannot be verified", toCheck);
        }

        AuthorizationStatus token;
        if (emaid == null || emaid.isBlank() || emaid.length() > MAX_ID_TOKEN) {
            token = AuthorizationStatus.Unknown;     // nothing the contract store could know
        } else {
            token = tokens.status(Emaid.normalize(emaid).orElse(emaid));
        }
        if (token == null) {
            token = AuthorizationStatus.Unknown;
        }
        if (CANCELLED.contains(token)) {
            return new Decision(token, AuthorizeCertificateStatus.ContractCancelled,
                    "certificate valid, contract status " + token + " (C07.FR.13)", toCheck);
        }
        return new Decision(token, AuthorizeCertificateStatus.Accepted,
                "certificate valid and not revoked, contract status " + token + " (C07.FR.14)", toCheck);
    }

    /** Either a final decision, or the OCSP request data still to check. */
    private record FromChain(Decision decision, List<OcspRequestData> toCheck) {
        static FromChain decided(Decision d) {
            return new FromChain(d, null);
        }
    }

    private FromChain fromChain(String emaid, List<X509Certificate> chain, List<OcspRequestData> supplied, Instant now) {
        X509Certificate leaf = chain.get(0);
        if (leaf == null) {
            return FromChain.decided(chainError("null certificate"));
        }
        String cn = commonName(leaf.getSubjectX500Principal());
        if (cn == null || !Emaid.same(cn, emaid)) {
            return FromChain.decided(chainError("the contract certificate's CN is not the idToken's eMAID"));
        }
        Edition edition = editionOf(leaf);
        ChainValidation v = validator.validate(chain, Iso15118Role.CONTRACT, edition, now);
        if (v instanceof ChainValidation.Invalid inv) {
            return FromChain.decided(switch (inv.kind()) {
                case EXPIRED -> new Decision(AuthorizationStatus.Expired, AuthorizeCertificateStatus.CertificateExpired,
                        inv.reason());
                case SIGNATURE_ERROR -> new Decision(AuthorizationStatus.Invalid, AuthorizeCertificateStatus.SignatureError,
                        inv.reason());
                case CHAIN_ERROR, PROFILE_VIOLATION, UNKNOWN_ROOT, NOT_YET_VALID -> chainError(inv.kind() + ": " + inv.reason());
            });
        }
        List<X509Certificate> path = ((ChainValidation.Valid) v).path();
        // C07.FR.06 / TC_C_52: the hash data are ours to compute; what the station sends beside the chain must
        // describe that chain, or it is about another contract (or garbled), and the request is contradictory
        for (int n = 0; n < supplied.size(); n++) {
            if (describedCertificate(supplied.get(n), path) < 0) {
                return FromChain.decided(chainError("iso15118CertificateHashData entry " + (n + 1)
                        + " does not describe a certificate of the contract chain sent"));
            }
        }
        List<OcspRequestData> out = new ArrayList<>();
        for (int i = 0; i < path.size() - 1; i++) {
            X509Certificate cert = path.get(i);
            X509Certificate issuer = path.get(i + 1);
            Optional<String> url = CertificateIdentifier.ocspResponderUrl(cert).filter(u -> u.length() <= MAX_RESPONDER_URL);
            if (url.isEmpty()) {
                int at = i;
                url = supplied.stream().filter(d -> describedCertificate(d, path) == at)
                        .map(OcspRequestData::responderURL).findFirst();
            }
            if (url.isEmpty()) {
                return FromChain.decided(chainError("certificate serial " + cert.getSerialNumber().toString(16)
                        + " names no OCSP responder; revocation cannot be checked"));
            }
            out.add(CertificateIdentifier.of(cert, issuer, HashAlgorithm.SHA256, url.get()));
        }
        return new FromChain(null, out);
    }

    /**
     * The index in {@code path} (leaf first, root last) of the certificate a well-formed supplied entry
     * describes, computed with the entry's hash algorithm; -1 when none. The root is its own issuer.
     */
    private static int describedCertificate(OcspRequestData d, List<X509Certificate> path) {
        for (int i = 0; i < path.size(); i++) {
            X509Certificate issuer = path.get(Math.min(i + 1, path.size() - 1));
            if (CertificateIdentifier.identifies(d.certificateHashData(), path.get(i), issuer)) {
                return i;
            }
        }
        return -1;
    }

    /** What is wrong with a station-supplied OCSPRequestData, or null. */
    private static String problem(OcspRequestData d) {
        if (d == null) {
            return "null entry";
        }
        HashDataCheck c = CertificateIdentifier.validate(d.certificateHashData());
        if (c instanceof HashDataCheck.Malformed m) {
            return m.detail();
        }
        String url = d.responderURL();
        if (url == null || url.isBlank() || url.length() > MAX_RESPONDER_URL) {
            return "responderURL missing or longer than " + MAX_RESPONDER_URL;
        }
        return null;
    }

    private static Edition editionOf(X509Certificate leaf) {
        try {
            KeyType t = KeyType.of(SubjectPublicKeyInfo.getInstance(leaf.getPublicKey().getEncoded())).orElse(KeyType.SECP256R1);
            return t == KeyType.SECP256R1 ? Edition.ISO_15118_2 : Edition.ISO_15118_20;
        } catch (RuntimeException e) {
            return Edition.ISO_15118_2;
        }
    }

    private static String commonName(X500Principal p) {
        try {
            org.bouncycastle.asn1.x500.X500Name n = org.bouncycastle.asn1.x500.X500Name.getInstance(p.getEncoded());
            org.bouncycastle.asn1.x500.RDN[] rdns = n.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
            if (rdns.length != 1 || rdns[0].getFirst() == null) {
                return null;
            }
            return org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(rdns[0].getFirst().getValue());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Decision chainError(String reason) {
        return new Decision(AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError, reason);
    }
}
