package io.ocppsec.iso15118.provisioning;

import io.ocppsec.iso15118.envelope.Iso15118_20Envelope;
import io.ocppsec.iso15118.envelope.SealedKey;
import io.ocppsec.iso15118.exi.ExiException;
import io.ocppsec.iso15118.exi.Iso15118_20;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateChain;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateInstallationReq;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateInstallationRes;
import io.ocppsec.iso15118.exi.Iso15118_20.EcdhCurve;
import io.ocppsec.iso15118.exi.Iso15118_20.EncryptedKeyType;
import io.ocppsec.iso15118.exi.Iso15118_20.Header;
import io.ocppsec.iso15118.exi.Iso15118_20.Processing;
import io.ocppsec.iso15118.exi.Iso15118_20.ResponseCode;
import io.ocppsec.iso15118.exi.Iso15118_20.SignedInstallationData;
import io.ocppsec.iso15118.exi.Iso15118_20Codec;
import io.ocppsec.iso15118.exi.RootCertificateId;
import io.ocppsec.iso15118.pki.AlternatePublicKey;
import io.ocppsec.iso15118.pki.ChainValidation;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118ChainValidator;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.KeyType;
import io.ocppsec.iso15118.pki.Pcid;
import io.ocppsec.iso15118.xmldsig.ExiSignatureAlgorithm;
import io.ocppsec.iso15118.xmldsig.ExiSignatures;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import io.ocppsec.iso15118.xmldsig.Reference;
import io.ocppsec.iso15118.xmldsig.SignatureVerification;
import io.ocppsec.iso15118.xmldsig.XmlSignature;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * ISO 15118-20 contract certificate installation with us in the MO and CPS roles (OCPP 2.1 M01 for
 * {@code urn:iso:std:iso:15118:-20:CommonMessages}, issue 6 scopes 4–6): decode the EV's
 * CertificateInstallationReq, verify its header signature with the OEM provisioning key, validate the OEM
 * chain (-20 profile: secp521r1 + ecdsa-with-SHA512 or Ed448) against the OEM roots, require our V2G root in
 * ListOfRootCertificateIDs, pick the next contract of the PCID (ordered by the EXI PrioritizedEMAIDs, then by
 * OCPP's prioritizedEMAIDs, capped by MaximumContractCertificateChains and OCPP's
 * maximumContractCertificateChains), issue a contract certificate for a fresh secp521r1 key, seal that key for
 * the EV (ECDH P-521 or X448 + ConcatKDF SHA-512 + AES-256-GCM, AAD = PCID ‖ contract SKI hex,
 * {@link Iso15118_20Envelope}), sign SignedInstallationData with the CPS leaf (ecdsa-sha512 or Ed448) and encode
 * the response with the request's SessionID and our TimeStamp.
 *
 * <h2>Which element the EV signs</h2>
 * {@code CertificateInstallationReqType} has no Id attribute, so a {@code Reference URI="#…"} cannot name it;
 * its {@code OEMProvisioningCertificateChain} ({@code SignedCertificateChainType}, Id required) can. That
 * element is what Josev's -20 EVCC signs (id1, EcoG-io/iso15118 evcc/states/iso15118_20_states.py) and what
 * EVerest's cbexigen fragment coder adds for [V2G20-1548] (EVerest/cbexigen PR #138). An earlier EVerest
 * libiso15118 d20 crypto digests the whole CertificateInstallationReq fragment with the header Signature left
 * out, under a single reference. We verify the OEMProvisioningCertificateChain reading first and, when that
 * fails and the signature has exactly one reference, accept the whole-request reading too (it covers the chain
 * as well, so nothing less is authenticated). {@link Outcome.Answered#signedElement()} says which matched.
 *
 * <h2>Repeated requests (OCPP 2.1 M01.FR.04/06/07)</h2>
 * The EV asks once per contract. The caller passes how many contracts of this installation series it has
 * already delivered; we answer with the next one and {@code remaining} = how many more may follow (also written
 * as RemainingContractCertificateChains). A request after the last one is answered
 * WARNING_NoCertificateAvailable.
 *
 * <h2>Response codes</h2>
 * -20 has no FAILED_CertChainError / FAILED_NoCertificateAvailable / FAILED_ContractCanceled; refusals use the
 * -20 vocabulary: FAILED_SignatureError, WARNING_CertificateExpired / WARNING_CertificateNotYetValid,
 * WARNING_CertificateValidationError, WARNING_NoCertificateAvailable, WARNING_NoContractMatchingPCIDFound and
 * FAILED. {@link Refusal} tells the caller why (e.g. cancelled vs unknown contract) for OCPP statusInfo.
 *
 * <h2>ECDHCurve and the contract key</h2>
 * The ECDH follows the OEM provisioning certificate ({@link #receiverFor}): a secp521r1 key is the receiver itself
 * (ECDHCurve SECP521, DHPublicKey 133 bytes); an Ed448 certificate signs with its Ed448 key and offers an X448 key
 * for the ECDH, its "Alternate Subject Public Key" [V2G20-2534], which we read as the subjectAltPublicKeyInfo
 * extension (2.5.29.72, our reading: the ISO text names the extension but not its OID, see
 * {@link AlternatePublicKey}); with it the answer is ECDHCurve X448 and a 56-byte DHPublicKey, unpadded
 * [V2G20-2495], the session key per [V2G20-2535] with the RFC 7748 X448 secret. The contract key is independent of
 * that [V2G20-2493] NOTE 1: our MO issues secp521r1 contract certificates, the mandatory default [V2G20-2674], so
 * the key always travels as SECP521_EncryptedPrivateKey (94 bytes) under whichever session key [V2G20-2500]. An
 * Ed448 certificate without that extension, or with anything but a 56-byte X448 key of full order in it, and any
 * other OEM key type, are refused as {@link Refusal#UNSUPPORTED_KEY} (ResponseCode FAILED) with the reason.
 *
 * <p>Every decodable request gets a signed EXI answer (refusals carry a placeholder SignedInstallationData that
 * fits the schema's facets); only a request that cannot be decoded gets none ({@link Outcome.Unanswerable}).
 * Thread-safe; one instance serves all stations.
 */
public final class ContractInstallation20 {

    /** The contracts we know, by the EV's PCID. */
    public interface ContractDirectory {
        /** Every contract for a PCID (active or cancelled), in the directory's own order; empty when none. */
        List<ContractInstallation.Contract> forPcid(String pcid);
    }

    /**
     * Issues a contract certificate (CN = eMAID, -20 profile) for a public key: leaf first, then the MO Sub-CAs
     * (1..3, no root).
     */
    public interface ContractIssuer {
        List<X509Certificate> issue(String emaid, PublicKey contractKey) throws GeneralSecurityException;
    }

    /**
     * @param cpsChain  the -20 CPS leaf first, then its Sub-CAs, without the V2G root (CPSCertificateChain)
     * @param cpsRoot   the V2G root above the CPS chain: the EV must list it in ListOfRootCertificateIDs
     * @param cpsSigner signs SignedInfo with the CPS leaf key: ecdsa-sha512 ({@link ExiSigner#ecdsaP521} or a
     *                  custody {@link ExiSigner#fromDerEcdsa}) or Ed448
     * @param validator validates the OEM provisioning chain against the OEM (or V2G) roots
     * @param oemSubCas OEM Sub-CAs known to us, used when the request's chain carries no SubCertificates
     * @param clock     validity checks and the response TimeStamp
     */
    public record Settings(List<X509Certificate> cpsChain, X509Certificate cpsRoot, ExiSigner cpsSigner,
                           Iso15118ChainValidator validator, List<X509Certificate> oemSubCas, Clock clock) {
        public Settings {
            cpsChain = List.copyOf(cpsChain);
            if (cpsChain.isEmpty() || cpsChain.size() > 4) {
                throw new IllegalArgumentException("the CPS chain needs the leaf and at most 3 Sub-CAs");
            }
            Objects.requireNonNull(cpsRoot, "cpsRoot");
            Objects.requireNonNull(cpsSigner, "cpsSigner");
            if (!isMinus20Method(cpsSigner.signatureMethod())) {
                throw new IllegalArgumentException("an ISO 15118-20 CPS signer signs ecdsa-sha512 or Ed448, not "
                        + cpsSigner.signatureMethod());
            }
            Objects.requireNonNull(validator, "validator");
            oemSubCas = List.copyOf(oemSubCas);
            Objects.requireNonNull(clock, "clock");
        }
    }

    /**
     * The OCPP 2.1 Get15118EVCertificateRequest fields that steer a -20 installation.
     *
     * @param maximumContractCertificateChains OCPP's maximumContractCertificateChains, or null when absent
     * @param prioritizedEmaids                OCPP's prioritizedEMAIDs (0..8), applied after the EXI's own list
     */
    public record OcppParameters(Integer maximumContractCertificateChains, List<String> prioritizedEmaids) {
        public OcppParameters {
            if (maximumContractCertificateChains != null && maximumContractCertificateChains < 0) {
                throw new IllegalArgumentException("maximumContractCertificateChains must not be negative");
            }
            prioritizedEmaids = prioritizedEmaids == null ? List.of() : List.copyOf(prioritizedEmaids);
            if (prioritizedEmaids.size() > 8) {
                throw new IllegalArgumentException("prioritizedEMAIDs holds at most 8 entries");
            }
        }

        public static OcppParameters none() {
            return new OcppParameters(null, List.of());
        }
    }

    /** Why a request was refused (NONE when a contract was delivered); for OCPP statusInfo and logs. */
    public enum Refusal {
        NONE,
        /** No header signature, or it does not verify with the OEM provisioning key. */
        SIGNATURE,
        /** A certificate of the OEM chain is expired or not yet valid. */
        OEM_CERTIFICATE_EXPIRED,
        /** The OEM chain does not validate (unknown OEM root, profile, signatures, structure). */
        OEM_CHAIN,
        /** ListOfRootCertificateIDs does not name the V2G root above our CPS chain. */
        UNKNOWN_ROOT,
        /** No contract for the PCID. */
        NO_CONTRACT,
        /** The PCID's contracts are all cancelled. */
        CONTRACT_CANCELLED,
        /** Every contract of the series was already delivered, or the EV takes none (maximum 0). */
        NO_MORE_CONTRACTS,
        /**
         * The OEM certificate offers no key we can do ECDH with: an Ed448 certificate without a usable X448
         * Alternate Subject Public Key [V2G20-2534], or a key of another type.
         */
        UNSUPPORTED_KEY,
        /** Issuing, sealing or signing failed on our side. */
        INTERNAL
    }

    /** Which reading of the EV's signature matched (see the class comment). */
    public enum SignedElement { OEM_PROVISIONING_CHAIN, WHOLE_REQUEST }

    /** What became of a request. */
    public sealed interface Outcome {
        /**
         * A signed -20 CertificateInstallationRes.
         *
         * @param exi           the whole EXI document (OCPP's exiResponse, base64-encoded by the caller)
         * @param code          its ResponseCode
         * @param refusal       NONE when a contract was delivered, else why not
         * @param reason        human-readable, for statusInfo and logs (no key material)
         * @param emaid         the contract installed (without separators), or null
         * @param remaining     how many more contracts follow (OCPP remainingContracts; the EXI's
         *                      RemainingContractCertificateChains)
         * @param signedElement which element the EV's verified signature covered, or null when not verified
         */
        record Answered(byte[] exi, ResponseCode code, Refusal refusal, String reason, String emaid, int remaining,
                        SignedElement signedElement) implements Outcome {
            public Answered {
                exi = exi.clone();
                Objects.requireNonNull(code, "code");
                Objects.requireNonNull(refusal, "refusal");
            }

            @Override
            public byte[] exi() {
                return exi.clone();
            }

            public boolean ok() {
                return refusal == Refusal.NONE;
            }
        }

        /** No EXI answer can be built: the request does not decode as a -20 CertificateInstallationReq. */
        record Unanswerable(String reason) implements Outcome {
        }
    }

    static final String SIGNED_DATA_ID = "id1";

    private final Settings settings;
    private final ContractDirectory contracts;
    private final ContractIssuer issuer;
    private final CertificateChain cpsChain;

    public ContractInstallation20(Settings settings, ContractDirectory contracts, ContractIssuer issuer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.contracts = Objects.requireNonNull(contracts, "contracts");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.cpsChain = encodeChain(settings.cpsChain());
    }

    /** The first request of a series, no OCPP parameters. */
    public Outcome handle(byte[] exiRequest) {
        return handle(exiRequest, OcppParameters.none(), 0);
    }

    /**
     * Handles one -20 CertificateInstallationReq (the decoded base64 of OCPP's exiRequest).
     *
     * @param exiRequest the EXI document
     * @param ocpp       OCPP 2.1 maximumContractCertificateChains / prioritizedEMAIDs
     * @param delivered  how many contracts of this series the caller already delivered for this EV (0 for the
     *                   first request); the answer carries the contract at that position of the ordered list
     */
    public Outcome handle(byte[] exiRequest, OcppParameters ocpp, int delivered) {
        Objects.requireNonNull(ocpp, "ocpp");
        if (delivered < 0) {
            throw new IllegalArgumentException("delivered must not be negative");
        }
        Iso15118_20.Message message;
        try {
            message = Iso15118_20Codec.decode(exiRequest);
        } catch (ExiException | RuntimeException e) {
            return new Outcome.Unanswerable("the exiRequest is not an ISO 15118-20 certificate message: " + e.getMessage());
        }
        if (!(message instanceof CertificateInstallationReq req)) {
            return new Outcome.Unanswerable("the exiRequest holds a CertificateInstallationRes, not a request");
        }
        try {
            return install(req, ocpp, delivered);
        } catch (RuntimeException e) {
            return failed(req.header(), ResponseCode.FAILED, Refusal.INTERNAL, null,
                    "the request could not be processed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Outcome install(CertificateInstallationReq req, OcppParameters ocpp, int delivered) {
        Header header = req.header();
        List<X509Certificate> sent;
        try {
            sent = certificates(req.oemProvisioningChain());
        } catch (CertificateException e) {
            return failed(header, ResponseCode.WARNING_CertificateValidationError, Refusal.OEM_CHAIN, null,
                    "OEMProvisioningCertificateChain holds something that is not an X.509 certificate");
        }
        X509Certificate oem = sent.get(0);
        SignedElement signed = verifySignature(req, oem.getPublicKey());
        if (signed == null) {
            return failed(header, ResponseCode.FAILED_SignatureError, Refusal.SIGNATURE, null, signatureProblem(req, oem));
        }
        List<X509Certificate> oemChain = sent.size() > 1 ? sent : ContractInstallation.withSubCas(oem, settings.oemSubCas());
        ChainValidation v = settings.validator().validate(oemChain, Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_20,
                settings.clock().instant());
        if (v instanceof ChainValidation.Invalid invalid) {
            return switch (invalid.kind()) {
                case EXPIRED -> failed(header, ResponseCode.WARNING_CertificateExpired, Refusal.OEM_CERTIFICATE_EXPIRED, signed,
                        "OEM provisioning chain: " + invalid.reason());
                case NOT_YET_VALID -> failed(header, ResponseCode.WARNING_CertificateNotYetValid,
                        Refusal.OEM_CERTIFICATE_EXPIRED, signed, "OEM provisioning chain: " + invalid.reason());
                default -> failed(header, ResponseCode.WARNING_CertificateValidationError, Refusal.OEM_CHAIN, signed,
                        "OEM provisioning chain: " + invalid.reason());
            };
        }
        if (!namesRoot(settings.cpsRoot(), req.rootCertificateIds())) {
            return failed(header, ResponseCode.WARNING_NoCertificateAvailable, Refusal.UNKNOWN_ROOT, signed,
                    "the EV trusts none of our V2G roots (ListOfRootCertificateIDs does not name "
                            + settings.cpsRoot().getSubjectX500Principal().getName() + ")");
        }
        String cn = ContractInstallation.commonName(oem);
        String pcid = cn == null ? null : cn.toUpperCase(Locale.ROOT);
        List<ContractInstallation.Contract> all = pcid == null ? List.of() : listOrEmpty(contracts.forPcid(cn));
        if (all.isEmpty()) {
            return failed(header, ResponseCode.WARNING_NoContractMatchingPCIDFound, Refusal.NO_CONTRACT, signed,
                    "no contract for PCID " + (cn == null ? "(the OEM certificate has no CN)" : cn));
        }
        List<ContractInstallation.Contract> active = order(all.stream().filter(ContractInstallation.Contract::active).toList(),
                req.prioritizedEmaids(), ocpp.prioritizedEmaids());
        if (active.isEmpty()) {
            return failed(header, ResponseCode.WARNING_NoContractMatchingPCIDFound, Refusal.CONTRACT_CANCELLED, signed,
                    "every contract for PCID " + cn + " is cancelled");
        }
        int cap = req.maximumContractCertificateChains();
        if (ocpp.maximumContractCertificateChains() != null) {
            cap = Math.min(cap, ocpp.maximumContractCertificateChains());
        }
        int total = Math.min(active.size(), cap);
        if (delivered >= total) {
            return failed(header, ResponseCode.WARNING_NoCertificateAvailable, Refusal.NO_MORE_CONTRACTS, signed,
                    total == 0 ? "the EV takes no contract certificate chain (maximum 0)"
                            : "all " + total + " contract(s) for PCID " + cn + " were delivered");
        }
        if (!Pcid.isValidForIso15118_20(pcid)) {
            return failed(header, ResponseCode.FAILED, Refusal.INTERNAL, signed,
                    "the PCID " + cn + " is not 18 letters or digits, the -20 envelope AAD cannot be built [V2G20-2492]");
        }
        Receiver receiver = receiverFor(oem);
        if (receiver instanceof Receiver.None none) {
            return failed(header, ResponseCode.FAILED, Refusal.UNSUPPORTED_KEY, signed, none.reason());
        }
        return issueAndAnswer(header, signed, active.get(delivered), pcid, (Receiver.Key) receiver, total - delivered - 1);
    }

    private Outcome issueAndAnswer(Header header, SignedElement signed, ContractInstallation.Contract contract, String pcid,
                                   Receiver.Key receiver, int remaining) {
        String emaid = contract.emaid().replace("-", "");
        SignedInstallationData data;
        try {
            KeyPair contractKey = KeyType.SECP521R1.generate();
            List<X509Certificate> issued = issuer.issue(contract.emaid(), contractKey.getPublic());
            if (issued == null || issued.size() < 2 || issued.size() > 4) {
                return failed(header, ResponseCode.FAILED, Refusal.INTERNAL, signed,
                        "the contract issuer returned no leaf with 1..3 Sub-CAs");
            }
            if (!issued.get(0).getPublicKey().equals(contractKey.getPublic())) {
                return failed(header, ResponseCode.FAILED, Refusal.INTERNAL, signed,
                        "the contract certificate does not carry the generated key");
            }
            byte[] ski = subjectKeyIdentifier(issued.get(0));
            if (ski == null) {
                return failed(header, ResponseCode.FAILED, Refusal.INTERNAL, signed,
                        "the contract certificate has no SubjectKeyIdentifier for the envelope AAD");
            }
            // a secp521r1 contract key [V2G20-2674] under the OEM certificate's ECDH [V2G20-2500], [V2G20-2493] NOTE 1
            SealedKey sealed = Iso15118_20Envelope.wrap(receiver.envelopeEcdh(), Iso15118_20Envelope.ContractKey.SECP521,
                    contractKey.getPrivate(), receiver.key(), pcid, ski);
            data = new SignedInstallationData(SIGNED_DATA_ID, encodeChain(issued), receiver.curve(), sealed.dhPublicKey(),
                    EncryptedKeyType.SECP521, sealed.encryptedPrivateKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            return failed(header, ResponseCode.FAILED, Refusal.INTERNAL, signed,
                    "the contract certificate could not be issued: " + e.getClass().getSimpleName());
        }
        return answer(header, ResponseCode.OK, Refusal.NONE, data, remaining, "installed " + emaid, emaid, signed);
    }

    /** The ordered active contracts: EXI PrioritizedEMAIDs first, then OCPP's, then the rest in directory order. */
    static List<ContractInstallation.Contract> order(List<ContractInstallation.Contract> active, List<String> exiPriority,
                                                     List<String> ocppPriority) {
        Map<String, ContractInstallation.Contract> byEmaid = new LinkedHashMap<>();
        for (ContractInstallation.Contract c : active) {
            byEmaid.putIfAbsent(normalize(c.emaid()), c);
        }
        List<ContractInstallation.Contract> out = new ArrayList<>();
        for (List<String> priority : List.of(exiPriority == null ? List.<String>of() : exiPriority, ocppPriority)) {
            for (String e : priority) {
                ContractInstallation.Contract c = e == null ? null : byEmaid.remove(normalize(e));
                if (c != null) {
                    out.add(c);
                }
            }
        }
        out.addAll(byEmaid.values());
        return out;
    }

    /** Whom the contract key is sealed for: an ECDHCurve and its receiver key, or why there is none. */
    sealed interface Receiver permits Receiver.Key, Receiver.None {
        /** ECDH on {@code curve} with {@code key}. */
        record Key(EcdhCurve curve, PublicKey key) implements Receiver {
            public Key {
                Objects.requireNonNull(curve, "curve");
                Objects.requireNonNull(key, "key");
            }

            Iso15118_20Envelope.Ecdh envelopeEcdh() {
                return switch (curve) {
                    case SECP521 -> Iso15118_20Envelope.Ecdh.SECP521;
                    case X448 -> Iso15118_20Envelope.Ecdh.X448;
                };
            }
        }

        /** No ECDH we can do; {@code reason} for the refusal. */
        record None(String reason) implements Receiver {
        }
    }

    /**
     * The ECDH for an OEM provisioning certificate: SECP521 with its secp521r1 key; X448 with the X448 "Alternate
     * Subject Public Key" of an Ed448 certificate [V2G20-2534] (subjectAltPublicKeyInfo, 2.5.29.72: our reading);
     * none for an Ed448 certificate without a usable one, or any other key. Total.
     */
    static Receiver receiverFor(X509Certificate oem) {
        PublicKey key = oem.getPublicKey();
        KeyType type;
        try {
            type = KeyType.of(SubjectPublicKeyInfo.getInstance(key.getEncoded())).orElse(null);
        } catch (RuntimeException e) {
            type = null;
        }
        if (type == KeyType.SECP521R1) {
            return new Receiver.Key(EcdhCurve.SECP521, key);
        }
        if (type != KeyType.ED448) {
            return new Receiver.None("the OEM provisioning key (" + key.getAlgorithm() + ") allows no ECDH we support "
                    + "(secp521r1, or Ed448 with an X448 Alternate Subject Public Key)");
        }
        AlternatePublicKey.X448Lookup alternate = AlternatePublicKey.x448(oem);
        if (alternate instanceof AlternatePublicKey.Found found) {
            return new Receiver.Key(EcdhCurve.X448, found.key());
        }
        if (alternate instanceof AlternatePublicKey.Unusable unusable) {
            return new Receiver.None("the Ed448 OEM provisioning certificate's X448 Alternate Subject Public Key is unusable: "
                    + unusable.reason() + " [V2G20-2534]");
        }
        return new Receiver.None("the Ed448 OEM provisioning certificate carries no X448 Alternate Subject Public Key "
                + "(subjectAltPublicKeyInfo, " + AlternatePublicKey.OID + ") to seal the contract key for [V2G20-2534]");
    }

    /** The reading of the EV's signature that verifies, or null when none does. */
    private SignedElement verifySignature(CertificateInstallationReq req, PublicKey key) {
        XmlSignature sig = req.header().signature();
        if (sig == null || !isMinus20Method(sig.signedInfo().signatureMethod())) {
            return null;
        }
        CertificateChain chain = req.oemProvisioningChain();
        try {
            byte[] chainFragment = Iso15118_20Codec.encodeOemProvisioningChainFragment(chain);
            if (ExiSignatures.verify(sig, Map.of(chain.id(), chainFragment), key).isValid()) {
                return SignedElement.OEM_PROVISIONING_CHAIN;
            }
        } catch (ExiException e) {
            return null;
        }
        List<Reference> refs = sig.signedInfo().references();
        if (refs.size() != 1 || refs.get(0).uri() == null || !refs.get(0).uri().startsWith("#")) {
            return null;
        }
        try {
            CertificateInstallationReq unsigned = new CertificateInstallationReq(
                    new Header(req.header().sessionId(), req.header().timeStamp(), null), chain, req.rootCertificateIds(),
                    req.maximumContractCertificateChains(), req.prioritizedEmaids());
            byte[] whole = Iso15118_20Codec.encodeFragment(unsigned);
            return ExiSignatures.verify(sig, Map.of(refs.get(0).uri().substring(1), whole), key).isValid()
                    ? SignedElement.WHOLE_REQUEST : null;
        } catch (ExiException e) {
            return null;
        }
    }

    private static String signatureProblem(CertificateInstallationReq req, X509Certificate oem) {
        XmlSignature sig = req.header().signature();
        if (sig == null) {
            return "the request is not signed";
        }
        if (!isMinus20Method(sig.signedInfo().signatureMethod())) {
            return "SignatureMethod " + sig.signedInfo().signatureMethod() + " is not an ISO 15118-20 one (ecdsa-sha512, Ed448)";
        }
        try {
            CertificateChain chain = req.oemProvisioningChain();
            SignatureVerification sv = ExiSignatures.verify(sig,
                    Map.of(chain.id(), Iso15118_20Codec.encodeOemProvisioningChainFragment(chain)), oem.getPublicKey());
            return "request signature: " + (sv instanceof SignatureVerification.Invalid i ? i.reason() : "does not verify");
        } catch (ExiException e) {
            return "request signature: the signed element cannot be encoded";
        }
    }

    /** ecdsa-sha512 or Ed448, the -20 SignatureMethods [V2G20-2473..2476]. */
    static boolean isMinus20Method(String signatureMethod) {
        return ExiSignatureAlgorithm.ECDSA_SHA512.signatureMethod().equals(signatureMethod)
                || ExiSignatureAlgorithm.ED448.signatureMethod().equals(signatureMethod);
    }

    static boolean namesRoot(X509Certificate root, List<RootCertificateId> ids) {
        X500Name ours = X500Name.getInstance(root.getSubjectX500Principal().getEncoded());
        String ourCn = ContractInstallation.commonName(root);
        for (RootCertificateId id : ids) {
            if (!root.getSerialNumber().equals(id.serial())) {
                continue;
            }
            try {
                if (BCStyle.INSTANCE.areEqual(ours, new X500Name(BCStyle.INSTANCE, id.issuerName()))) {
                    return true;
                }
            } catch (IllegalArgumentException notAName) {
                // not an RFC 4514 name: compare the CN alone below
            }
            if (ourCn != null && id.issuerName().contains("CN=" + ourCn)) {
                return true;
            }
        }
        return false;
    }

    private Outcome failed(Header header, ResponseCode code, Refusal refusal, SignedElement signed, String reason) {
        SignedInstallationData placeholder = new SignedInstallationData(SIGNED_DATA_ID,
                new CertificateChain(null, new byte[0], List.of(new byte[0])), EcdhCurve.SECP521,
                new byte[Iso15118_20Envelope.SECP521_DH_PUBLIC_KEY_LENGTH], EncryptedKeyType.SECP521,
                new byte[Iso15118_20Envelope.SECP521_ENCRYPTED_KEY_LENGTH]);
        return answer(header, code, refusal, placeholder, 0, reason, null, signed);
    }

    private Outcome answer(Header request, ResponseCode code, Refusal refusal, SignedInstallationData data, int remaining,
                           String reason, String emaid, SignedElement signed) {
        try {
            XmlSignature signature = ExiSignatures.sign(Map.of(data.id(), Iso15118_20Codec.encodeFragment(data)),
                    settings.cpsSigner());
            Header header = new Header(request.sessionId(),
                    BigInteger.valueOf(Math.max(0, settings.clock().instant().getEpochSecond())), signature);
            byte[] exi = Iso15118_20Codec.encode(new CertificateInstallationRes(header, code, Processing.Finished, cpsChain,
                    data, Math.min(remaining, 255)));
            return new Outcome.Answered(exi, code, refusal, reason, emaid, remaining, signed);
        } catch (ExiException | GeneralSecurityException | RuntimeException e) {
            return new Outcome.Unanswerable("the response could not be built (" + e.getClass().getSimpleName() + "); " + reason);
        }
    }

    private static CertificateChain encodeChain(List<X509Certificate> chain) {
        try {
            List<byte[]> subs = new ArrayList<>();
            for (int i = 1; i < chain.size(); i++) {
                subs.add(chain.get(i).getEncoded());
            }
            return new CertificateChain(null, chain.get(0).getEncoded(), subs);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a certificate cannot be encoded", e);
        }
    }

    private static List<X509Certificate> certificates(CertificateChain c) throws CertificateException {
        List<X509Certificate> out = new ArrayList<>();
        out.add(certificate(c.certificate()));
        for (byte[] sub : c.subCertificates()) {
            out.add(certificate(sub));
        }
        return out;
    }

    private static X509Certificate certificate(byte[] der) throws CertificateException {
        if (der.length == 0) {
            throw new CertificateException("empty");
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (RuntimeException e) {
            throw new CertificateException("malformed", e);
        }
    }

    private static byte[] subjectKeyIdentifier(X509Certificate c) {
        byte[] v = c.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (v == null) {
            return null;
        }
        byte[] ski = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(v).getOctets()).getKeyIdentifier();
        return ski.length == 0 || ski.length > Iso15118_20Envelope.MAX_SKI_LENGTH ? null : ski;
    }

    private static <T> List<T> listOrEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static String normalize(String emaid) {
        return emaid.replace("-", "").toUpperCase(Locale.ROOT);
    }
}
