package io.ocppsec.iso15118.exi;

import io.ocppsec.iso15118.xmldsig.XmlSignature;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * ISO 15118-20 certificate installation messages ({@code urn:iso:std:iso:15118:-20:CommonMessages}), as
 * {@link Iso15118_20Codec} reads and writes them. Absent optionals are {@code null}; byte arrays are copied.
 */
public final class Iso15118_20 {

    private Iso15118_20() {
    }

    /** A -20 message this codec supports. */
    public sealed interface Message permits CertificateInstallationReq, CertificateInstallationRes {
        Header header();
    }

    /** {@code responseCodeType} of ISO 15118-20, in schema order. */
    public enum ResponseCode {
        OK, OK_CertificateExpiresSoon, OK_NewSessionEstablished,
        OK_OldSessionJoined, OK_PowerToleranceConfirmed, WARNING_AuthorizationSelectionInvalid,
        WARNING_CertificateExpired, WARNING_CertificateNotYetValid, WARNING_CertificateRevoked,
        WARNING_CertificateValidationError, WARNING_ChallengeInvalid, WARNING_EIMAuthorizationFailure,
        WARNING_eMSPUnknown, WARNING_EVPowerProfileViolation, WARNING_GeneralPnCAuthorizationError,
        WARNING_NoCertificateAvailable, WARNING_NoContractMatchingPCIDFound, WARNING_PowerToleranceNotConfirmed,
        WARNING_ScheduleRenegotiationFailed, WARNING_StandbyNotAllowed, WARNING_WPT,
        FAILED, FAILED_AssociationError, FAILED_ContactorError,
        FAILED_EVPowerProfileInvalid, FAILED_EVPowerProfileViolation, FAILED_MeteringSignatureNotValid,
        FAILED_NoEnergyTransferServiceSelected, FAILED_NoServiceRenegotiationSupported, FAILED_PauseNotAllowed,
        FAILED_PowerDeliveryNotApplied, FAILED_PowerToleranceNotConfirmed, FAILED_ScheduleRenegotiation,
        FAILED_ScheduleSelectionInvalid, FAILED_SequenceError, FAILED_ServiceIDInvalid,
        FAILED_ServiceSelectionInvalid, FAILED_SignatureError, FAILED_UnknownSession,
        FAILED_WrongChargeParameter
    }

    /** {@code processingType}. */
    public enum Processing {
        Finished, Ongoing, Ongoing_WaitingForCustomerInteraction
    }

    /** {@code ecdhCurveType}. */
    public enum EcdhCurve {
        SECP521, X448
    }

    /** Which encrypted private key element SignedInstallationData carries (94, 84 or 206 bytes). */
    public enum EncryptedKeyType {
        SECP521(94), X448(84), TPM(206);

        private final int length;

        EncryptedKeyType(int length) {
            this.length = length;
        }

        public int length() {
            return length;
        }
    }

    /** {@code MessageHeaderType}: SessionID (8 bytes), TimeStamp (unsignedLong), optional Signature. */
    public record Header(byte[] sessionId, BigInteger timeStamp, XmlSignature signature) {
        public Header {
            sessionId = Bytes.copy(sessionId, "sessionId");
            Objects.requireNonNull(timeStamp, "timeStamp");
        }

        @Override
        public byte[] sessionId() {
            return sessionId.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Header h && Arrays.equals(sessionId, h.sessionId) && timeStamp.equals(h.timeStamp)
                    && Objects.equals(signature, h.signature);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(sessionId), timeStamp, signature);
        }

        @Override
        public String toString() {
            return "Header[sessionId=" + Bytes.hex(sessionId) + ", timeStamp=" + timeStamp + ", signature=" + signature + "]";
        }
    }

    /**
     * A certificate chain: leaf and SubCertificates (0..3; empty = absent). {@code id} is required for
     * {@code SignedCertificateChainType} (OEMProvisioningCertificateChain) and absent (null) otherwise.
     */
    public record CertificateChain(String id, byte[] certificate, List<byte[]> subCertificates) {
        public CertificateChain {
            certificate = Bytes.copy(certificate, "certificate");
            subCertificates = Bytes.copy(subCertificates, "subCertificates");
        }

        @Override
        public byte[] certificate() {
            return certificate.clone();
        }

        @Override
        public List<byte[]> subCertificates() {
            return subCertificates.stream().map(byte[]::clone).toList();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CertificateChain c && Objects.equals(id, c.id) && Arrays.equals(certificate, c.certificate)
                    && Bytes.equal(subCertificates, c.subCertificates);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, Arrays.hashCode(certificate), Bytes.hash(subCertificates));
        }

        @Override
        public String toString() {
            return "CertificateChain[id=" + id + ", certificate=" + certificate.length + " bytes, subCertificates="
                    + subCertificates.size() + "]";
        }
    }

    /** {@code CertificateInstallationReq} (-20). */
    public record CertificateInstallationReq(Header header, CertificateChain oemProvisioningChain,
            List<RootCertificateId> rootCertificateIds, int maximumContractCertificateChains,
            List<String> prioritizedEmaids) implements Message {
        public CertificateInstallationReq {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(oemProvisioningChain, "oemProvisioningChain");
            rootCertificateIds = List.copyOf(rootCertificateIds);
            prioritizedEmaids = prioritizedEmaids == null ? null : List.copyOf(prioritizedEmaids);
        }
    }

    /** {@code SignedInstallationDataType}: the element the CPS signs (Id required). */
    public record SignedInstallationData(String id, CertificateChain contractChain, EcdhCurve ecdhCurve,
            byte[] dhPublicKey, EncryptedKeyType encryptedKeyType, byte[] encryptedPrivateKey) {
        public SignedInstallationData {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(contractChain, "contractChain");
            Objects.requireNonNull(ecdhCurve, "ecdhCurve");
            dhPublicKey = Bytes.copy(dhPublicKey, "dhPublicKey");
            Objects.requireNonNull(encryptedKeyType, "encryptedKeyType");
            encryptedPrivateKey = Bytes.copy(encryptedPrivateKey, "encryptedPrivateKey");
        }

        @Override
        public byte[] dhPublicKey() {
            return dhPublicKey.clone();
        }

        @Override
        public byte[] encryptedPrivateKey() {
            return encryptedPrivateKey.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SignedInstallationData d && id.equals(d.id) && contractChain.equals(d.contractChain)
                    && ecdhCurve == d.ecdhCurve && Arrays.equals(dhPublicKey, d.dhPublicKey)
                    && encryptedKeyType == d.encryptedKeyType && Arrays.equals(encryptedPrivateKey, d.encryptedPrivateKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, contractChain, ecdhCurve, Arrays.hashCode(dhPublicKey), encryptedKeyType,
                    Arrays.hashCode(encryptedPrivateKey));
        }

        @Override
        public String toString() {
            return "SignedInstallationData[id=" + id + ", contractChain=" + contractChain + ", ecdhCurve=" + ecdhCurve
                    + ", " + encryptedKeyType + "]";
        }
    }

    /** {@code CertificateInstallationRes} (-20). */
    public record CertificateInstallationRes(Header header, ResponseCode responseCode, Processing evseProcessing,
            CertificateChain cpsChain, SignedInstallationData signedInstallationData,
            int remainingContractCertificateChains) implements Message {
        public CertificateInstallationRes {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(responseCode, "responseCode");
            Objects.requireNonNull(evseProcessing, "evseProcessing");
            Objects.requireNonNull(cpsChain, "cpsChain");
            Objects.requireNonNull(signedInstallationData, "signedInstallationData");
        }
    }
}
