package io.ocppsec.bench.pnc;

import io.ocppsec.iso15118.exi.CertificateInstallationReq;
import io.ocppsec.iso15118.exi.Header;
import io.ocppsec.iso15118.exi.Iso15118_2Codec;
import io.ocppsec.iso15118.exi.RootCertificateId;
import io.ocppsec.iso15118.exi.Iso15118_20;
import io.ocppsec.iso15118.exi.Iso15118_20Codec;
import io.ocppsec.iso15118.exi.V2gMessage;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118Certificates;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.Issuer;
import io.ocppsec.iso15118.pki.KeyType;
import io.ocppsec.iso15118.pki.Urls;
import io.ocppsec.iso15118.xmldsig.ExiSignatures;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import io.ocppsec.security.cert.PemCertificates;
import java.io.BufferedWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Prepares a Get15118EVCertificate load run against a running pki-service with local provisioning:
 * creates a test OEM PKI (root and Sub-CA 2, P-256), has pki-service trust it, adds one contract per
 * simulated car (PCID to eMAID; at most 99,999) and writes one API request body per car, each an EV's signed
 * CertificateInstallationReq as OCPP 2.0.1 sends it. Every request makes pki-service decode, verify
 * the signature and the OEM chain, issue and record a contract certificate, wrap its key and sign the
 * response: a repeated body is a new installation, not a cached answer. {@code wrk} then sends them
 * with {@code benchmarks/wrk/ev-certificate.lua}; see docs/benchmarks.md.
 *
 * <p>With a fifth argument {@code 20}: ISO 15118-20 instead, as OCPP 2.1 sends it (M01): a secp521r1 OEM PKI, an
 * 18-character PCID per car, the CertificateInstallationReq of the -20 CommonMessages signed with ecdsa-sha512 over
 * OEMProvisioningCertificateChain, listing the -20 V2G root, MaximumContractCertificateChains 1; each answer is the
 * last of its series, so a repeated body is again a new installation.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.ocppsec.bench.pnc.EvCertificateLoad \
 *     http://127.0.0.1:18080 data/admin-token 256 /tmp/ev-bodies.jsonl [2|20]</pre>
 */
public final class EvCertificateLoad {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private EvCertificateLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4 && args.length != 5) {
            System.err.println("usage: EvCertificateLoad API_URL TOKEN_FILE CARS OUT_FILE [2|20]");
            System.exit(2);
        }
        boolean minus20 = args.length == 5 && args[4].equals("20");
        if (args.length == 5 && !minus20 && !args[4].equals("2")) {
            throw new IllegalArgumentException("the edition is 2 or 20");
        }
        Edition edition = minus20 ? Edition.ISO_15118_20 : Edition.ISO_15118_2;
        KeyType keyType = minus20 ? KeyType.SECP521R1 : KeyType.SECP256R1;
        String api = args[0];
        String token = Files.readString(Path.of(args[1])).trim();
        int cars = Integer.parseInt(args[2]);
        if (cars < 1 || cars > 99_999) {
            throw new IllegalArgumentException("CARS must be 1 to 99999");
        }
        Path out = Path.of(args[3]);
        long run = new SecureRandom().nextInt(10_000);

        Instant t0 = Instant.now().minus(Duration.ofDays(1));
        KeyPair rootKey = keyType.generate();
        KeyPair subKey = keyType.generate();
        X509Certificate root = Iso15118Certificates.issue(Iso15118Role.OEM_ROOT, edition,
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_ROOT, "Load OEM Root " + run, "Load OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(rootKey.getPublic()),
                Issuer.selfSigned(Iso15118Certificates.signer(rootKey.getPrivate(), keyType)), BigInteger.valueOf(run * 10 + 1), t0, Urls.NONE);
        X509Certificate sub = Iso15118Certificates.issue(Iso15118Role.OEM_SUB_CA_2, edition,
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_SUB_CA_2, "Load OEM Sub-CA " + run, "Load OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(subKey.getPublic()),
                Issuer.ca(root, Iso15118Certificates.signer(rootKey.getPrivate(), keyType)), BigInteger.valueOf(run * 10 + 2), t0, Urls.NONE);
        ObjectNode oem = JSON.createObjectNode().put("certificate", pem(root) + pem(sub));
        expect(post(api + "/api/v1/pnc/oem-roots", token, oem), 201);

        JsonNode roots = JSON.readTree(send(HttpRequest.newBuilder(URI.create(api + "/api/v1/pnc/roots"))
                .header("Authorization", "Bearer " + token).GET().build()).body());
        X509Certificate v2g = null;
        for (JsonNode r : roots) {
            if ("V2G".equals(r.path("type").asString()) && r.path("role").asString().endsWith("_20") == minus20) {
                v2g = PemCertificates.read(r.path("certificate").asString()).get(0);
                break;
            }
        }
        if (v2g == null) {
            throw new IllegalStateException("pki-service lists no V2G root: is the Plug & Charge PKI there?");
        }
        RootCertificateId rootId = new RootCertificateId(v2g.getSubjectX500Principal().getName(), v2g.getSerialNumber());

        try (BufferedWriter w = Files.newBufferedWriter(out)) {
            for (int i = 0; i < cars; i++) {
                // -20: exactly 18 characters, as the envelope binds them [V2G20-2492]
                String pcid = minus20 ? String.format("WMILE%06d%07d", run, i) : String.format("WMILD%06d%06d", run, i);
                // eMAID: country, provider, 9 alphanumerics (ISO 15118-2 Annex H), unique per run and car
                String emaid = "DELOD" + String.format("%09d", run * 100_000 + i);
                ObjectNode contract = JSON.createObjectNode().put("pcid", pcid).put("emaid", emaid);
                HttpResponse<String> c = post(api + "/api/v1/pnc/contracts", token, contract);
                if (c.statusCode() != 201 && c.statusCode() != 409) {
                    throw new IllegalStateException("cannot add contract " + emaid + ": " + c.statusCode() + " " + c.body());
                }
                KeyPair carKey = keyType.generate();
                X509Certificate car = Iso15118Certificates.issue(Iso15118Role.OEM_PROVISIONING, edition,
                        Iso15118Certificates.subjectFor(Iso15118Role.OEM_PROVISIONING, pcid, "Load OEM", "DE"),
                        Iso15118Certificates.subjectPublicKeyInfo(carKey.getPublic()),
                        Issuer.ca(sub, Iso15118Certificates.signer(subKey.getPrivate(), keyType)),
                        BigInteger.valueOf(run * 100_000 + 100 + i), Instant.now().minus(Duration.ofHours(1)), Urls.NONE);
                if (minus20) {
                    w.write(JSON.writeValueAsString(body20(car, sub, carKey, rootId)));
                    w.newLine();
                    continue;
                }
                CertificateInstallationReq req = new CertificateInstallationReq("ID1", car.getEncoded(), List.of(rootId));
                var sig = ExiSignatures.sign(Iso15118_2Codec.signedFragments(req), ExiSigner.ecdsaP256(carKey.getPrivate()));
                byte[] session = new byte[8];
                new SecureRandom().nextBytes(session);
                String exi = Base64.getEncoder().encodeToString(Iso15118_2Codec.encode(new V2gMessage(new Header(session, null, sig), req)));
                ObjectNode body = JSON.createObjectNode().put("station", "LOAD-EV").put("ocppVersion", "ocpp2.0.1");
                body.putObject("request").put("iso15118SchemaVersion", "urn:iso:15118:2:2013:MsgDef").put("action", "Install")
                        .put("exiRequest", exi);
                w.write(JSON.writeValueAsString(body));
                w.newLine();
            }
        }
        System.out.println("wrote " + cars + " Get15118EVCertificate bodies (ISO 15118-" + (minus20 ? "20" : "2") + ") to " + out);
    }

    /** The OCPP 2.1 API body of a -20 CertificateInstallationReq signed by the car over OEMProvisioningCertificateChain. */
    private static ObjectNode body20(X509Certificate car, X509Certificate sub, KeyPair carKey, RootCertificateId rootId) throws Exception {
        var chain = new Iso15118_20.CertificateChain("id1", car.getEncoded(), List.of(sub.getEncoded()));
        var sig = ExiSignatures.sign(Map.of(chain.id(), Iso15118_20Codec.encodeOemProvisioningChainFragment(chain)),
                ExiSigner.ecdsaP521(carKey.getPrivate()));
        byte[] session = new byte[8];
        new SecureRandom().nextBytes(session);
        byte[] exi = Iso15118_20Codec.encode(new Iso15118_20.CertificateInstallationReq(
                new Iso15118_20.Header(session, BigInteger.valueOf(Instant.now().getEpochSecond()), sig), chain, List.of(rootId), 1, null));
        ObjectNode body = JSON.createObjectNode().put("station", "LOAD-EV20").put("ocppVersion", "ocpp2.1");
        body.putObject("request").put("iso15118SchemaVersion", "urn:iso:std:iso:15118:-20:CommonMessages").put("action", "Install")
                .put("exiRequest", Base64.getEncoder().encodeToString(exi)).put("maximumContractCertificateChains", 1);
        return body;
    }

    private static String pem(X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    private static HttpResponse<String> post(String url, String token, ObjectNode body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    private static HttpResponse<String> send(HttpRequest r) throws Exception {
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status && r.statusCode() != 409) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
        }
    }
}
