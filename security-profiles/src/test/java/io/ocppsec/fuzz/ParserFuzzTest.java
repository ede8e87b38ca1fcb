package io.ocppsec.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.Action;
import io.ocppsec.ocpp.message.Decoded;
import io.ocppsec.ocpp.message.OcppCodec;
import io.ocppsec.ocpp.message.OcppRequest;
import io.ocppsec.ocpp.message.type.CertificateHashData;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.ocpp.rpc.FrameHeader;
import io.ocppsec.ocpp.rpc.FrameReader;
import io.ocppsec.ocpp.rpc.FrameWriter;
import io.ocppsec.ocpp.rpc.ReadResult;
import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.ocpp.rpc.Subprotocols;
import io.ocppsec.ocpp.schema.OcppDateTime;
import io.ocppsec.security.auth.BasicAuthHeader;
import io.ocppsec.security.auth.PasswordHasher;
import io.ocppsec.security.auth.StationIdentity;
import io.ocppsec.security.cert.CertificateIdentifier;
import io.ocppsec.security.cert.PemCertificates;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing (Jazzer) of every parser that reads network input. Each input is fed to
 * all of them: as an OCPP-J frame in 2.0.1 and 2.1 (full read, fast header path, typed decode), as
 * an HTTP Authorization header (raw and with a valid base64 wrapper so the credential split is
 * reached), as a station identity and URL path segment, a date-time, a subprotocol header, a
 * stored password hash, PEM text and CertificateHashData fields. It checks invariants, not only
 * that nothing throws:
 * <ul>
 *   <li>a reply the reader asks for can be written and reads back as a well-formed frame;</li>
 *   <li>a typed message that decodes can be encoded again (our writer never produces what our
 *       reader refuses) and decodes to the same record;</li>
 *   <li>for short frames the fast path agrees with the full read on type, id and action.</li>
 * </ul>
 * In a normal test run (regression mode) only the seed inputs in
 * {@code ParserFuzzTestInputs/} run. The {@code fuzz} surefire execution sets
 * {@code JAZZER_FUZZ=1} and runs {@value #EXECUTIONS} mutated inputs; see the module pom.
 */
class ParserFuzzTest {
    static final int EXECUTIONS = 200_000;
    private static final AtomicLong RUNS = new AtomicLong();

    private static final FrameReader R201 = new FrameReader(OcppVersion.OCPP_2_0_1);
    private static final FrameReader R21 = new FrameReader(OcppVersion.OCPP_2_1);
    private static final CertificateHashData KNOWN = new CertificateHashData(HashAlgorithm.SHA256,
            "82addb4b47026c702b9ed9d482c6e3570bbae9c49b963ec18b0a3523dfb47fe3",
            "e9d2a6d245233edbf5a8319b99087313e16307ca29b388373d951b50e93090aa", "4ed698d63c724c6a61a0ccc4ff80b383192dfd7a");

    @FuzzTest(maxExecutions = EXECUTIONS, maxDuration = "10m")
    @DictionaryEntries({"[2,\"", "[3,\"", "[4,\"", "[5,\"", "[6,\"", "\",{", "null", "true", "-1", "1e999",
            "\"SignCertificate\"", "\"CertificateSigned\"", "\"Get15118EVCertificate\"", "\"GetCertificateStatus\"",
            "\"GetCertificateChainStatus\"", "\"SecurityEventNotification\"", "\"BootNotification\"", "\"Authorize\"",
            "\"SetVariables\"", "\"SetNetworkProfile\"", "\"UpdateFirmware\"", "\"TriggerMessage\"",
            "\"csr\"", "\"certificateType\"", "\"requestId\"", "\"hashRootCertificate\"", "\"customData\"", "\"vendorId\"",
            "\"ocspRequestData\"", "\"responderURL\"", "\"hashAlgorithm\"", "\"SHA256\"", "\"timestamp\"",
            "\"2024-01-01T00:00:00Z\"", "Basic ", "%2F", "%3A", "ocpp2.0.1", "ocpp2.1", "$argon2id$v=19$m=",
            "-----BEGIN CERTIFICATE-----", "\\u0000", "\\ud800", "MEUCIQ", "==", "signingCertificate"})
    void parsersAreTotalAndConsistent(byte[] data) {
        RUNS.incrementAndGet();
        frames(R201, data);
        frames(R21, data);

        String text = new String(data, StandardCharsets.UTF_8);
        BasicAuthHeader.parse(text);
        BasicAuthHeader.parse("Basic " + Base64.getEncoder().encodeToString(data));
        StationIdentity.parse(text);
        StationIdentity.fromUrlPathSegment(text);
        OcppDateTime.parse(text).ifPresent(OcppDateTime::format);
        Subprotocols.select(Subprotocols.parse(List.of(text)), List.of(OcppVersion.OCPP_2_1, OcppVersion.OCPP_2_0_1));
        PasswordHasher.isWellFormed(text);
        try {
            PemCertificates.read(text);
        } catch (IllegalArgumentException refused) {
            // the documented refusal of text that is not PEM certificates
        }
        hashData(data, text);
        firmware(text);
    }

    private static final io.ocppsec.security.firmware.FirmwareVerifier FIRMWARE = new io.ocppsec.security.firmware.FirmwareVerifier(
            List.of(), null, io.ocppsec.security.firmware.FirmwareVerifier.RevocationPolicy.OFF);

    /**
     * UpdateFirmware's signature and signingCertificate and a given image digest (issue 7): decoding is
     * strict (what decodes re-encodes to the same text), and a check always ends in an outcome.
     */
    private static void firmware(String text) {
        try {
            byte[] sig = io.ocppsec.security.firmware.FirmwareSignatures.decode(text);
            assertThat(io.ocppsec.security.firmware.FirmwareSignatures.encode(sig)).isEqualTo(text);
        } catch (io.ocppsec.security.firmware.FirmwareSignatureException refused) {
            assertThat(refused.reason()).startsWith("SIGNATURE_");
        }
        try {
            io.ocppsec.security.firmware.ImageDigest d = io.ocppsec.security.firmware.ImageDigest.parse(text);
            assertThat(d.sha256()).hasSize(32);
        } catch (IllegalArgumentException refused) {
            // the documented refusal of text that is not 64 hex or 44 base64 characters
        }
        var v = FIRMWARE.verify(new byte[32], text, text, java.time.Instant.EPOCH);
        assertThat(v.outcome()).isNotNull();
        assertThat(v.valid()).isFalse();
    }

    private static void frames(FrameReader reader, byte[] data) {
        OcppVersion version = reader.version();
        FrameWriter writer = new FrameWriter(version);
        ReadResult result = reader.read(data);
        FrameHeader header = reader.peek(data);
        if (result instanceof ReadResult.Rejected rejected) {
            rejected.reply().ifPresent(reply ->
                    assertThat(reader.read(writer.write(reply))).isInstanceOf(ReadResult.Accepted.class));
            return;
        }
        RpcFrame frame = ((ReadResult.Accepted) result).frame();
        if (data.length < 512) {
            assertThat(header.typeNumber()).isEqualTo(frame.type().number());
            assertThat(header.messageId()).isEqualTo(frame.messageId());
        }
        if (frame instanceof RpcFrame.Call call) {
            if (data.length < 512) {
                assertThat(header.action()).isEqualTo(call.action());
            }
            Optional<Action> action = Action.fromWire(call.action()).filter(a -> a.existsIn(version));
            if (action.isPresent()) {
                OcppCodec codec = OcppCodec.of(version);
                Decoded<OcppRequest> decoded = codec.decodeRequest(action.get(), call.payload());
                if (decoded instanceof Decoded.Valid<OcppRequest> valid) {
                    // What we write is what we read back, and writing again changes nothing. Not
                    // "the same record": dateTimes are written with at most three fractional digits
                    // (OCPP Part 2 §2.1.4), so a microsecond a station sent does not survive (a
                    // finding of this test, 2026-11-22).
                    var encoded = codec.encode(valid.message());
                    Decoded<OcppRequest> again = codec.decodeRequest(action.get(), encoded);
                    assertThat(again).isInstanceOf(Decoded.Valid.class);
                    assertThat(codec.encode(((Decoded.Valid<OcppRequest>) again).message())).isEqualTo(encoded);
                } else {
                    writer.write(FrameWriter.callErrorFor(call.messageId(), ((Decoded.Invalid<OcppRequest>) decoded).violation()));
                }
            }
        }
    }

    private static void hashData(byte[] data, String text) {
        String[] f = text.split("\n", 5);
        HashAlgorithm alg = HashAlgorithm.values()[data.length == 0 ? 0 : (data[0] & 0xff) % 3];
        CertificateHashData hd = new CertificateHashData(alg,
                f.length > 0 ? f[0] : "", f.length > 1 ? f[1] : "", f.length > 2 ? f[2] : "");
        CertificateIdentifier.validate(hd);
        boolean self = CertificateIdentifier.matches(hd, hd);
        boolean known = CertificateIdentifier.matches(hd, KNOWN);
        assertThat(CertificateIdentifier.matches(KNOWN, hd)).isEqualTo(known);
        if (known) {
            assertThat(self).isTrue();
        }
    }

    @AfterAll
    static void fuzzedEnoughInputs() {
        if (isFuzzing()) {
            // The bar: at least 100k random and mutated inputs through every parser.
            assertThat(RUNS.get()).isGreaterThanOrEqualTo(100_000);
        }
    }

    private static boolean isFuzzing() {
        String v = System.getenv("JAZZER_FUZZ");
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }
}
