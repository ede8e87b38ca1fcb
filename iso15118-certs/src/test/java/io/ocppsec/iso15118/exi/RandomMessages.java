package io.ocppsec.iso15118.exi;

import io.ocppsec.iso15118.xmldsig.Reference;
import io.ocppsec.iso15118.xmldsig.SignedInfo;
import io.ocppsec.iso15118.xmldsig.XmlSignature;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random ISO 15118-2 certificate messages within the schema facets (seeded, reproducible). */
final class RandomMessages {
    private static final String ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String[] TEXT_EXTRA = {" ", "-", ",", "=", "é", "€", "ß", "\uD834\uDD1E", "<", "&"};
    private final Random rnd;

    RandomMessages(long seed) {
        rnd = new Random(seed);
    }

    V2gMessage message() {
        return new V2gMessage(header(), body());
    }

    Header header() {
        Notification n = null;
        if (rnd.nextInt(4) == 0) {
            n = new Notification(FaultCode.values()[rnd.nextInt(3)], rnd.nextBoolean() ? text(1, 64) : null);
        }
        return new Header(bytes(1, 8), n, rnd.nextBoolean() ? signature() : null);
    }

    Body body() {
        return switch (rnd.nextInt(4)) {
            case 0 -> installationReq();
            case 1 -> updateReq();
            case 2 -> installationRes();
            default -> updateRes();
        };
    }

    CertificateInstallationReq installationReq() {
        return new CertificateInstallationReq(id(), bytes(1, 800), roots());
    }

    CertificateUpdateReq updateReq() {
        return new CertificateUpdateReq(id(), chain(true), emaid(), roots());
    }

    CertificateInstallationRes installationRes() {
        return new CertificateInstallationRes(responseCode(), chain(rnd.nextInt(4) == 0), chain(true),
                new EncryptedPrivateKey(id(), bytes(1, 48)), new DhPublicKey(id(), bytes(1, 65)), new Emaid(id(), emaid()));
    }

    CertificateUpdateRes updateRes() {
        Short retry = rnd.nextBoolean() ? (short) rnd.nextInt(65536) : null;
        return new CertificateUpdateRes(responseCode(), chain(rnd.nextInt(4) == 0), chain(true),
                new EncryptedPrivateKey(id(), bytes(1, 48)), new DhPublicKey(id(), bytes(1, 65)), new Emaid(id(), emaid()),
                retry);
    }

    XmlSignature signature() {
        int n = 1 + rnd.nextInt(4);
        List<Reference> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> transforms = rnd.nextInt(5) == 0 ? List.of()
                    : rnd.nextInt(10) == 0 ? List.of(SignedInfo.CANONICAL_EXI, uri()) : List.of(SignedInfo.CANONICAL_EXI);
            refs.add(new Reference(rnd.nextInt(10) == 0 ? id() : null, rnd.nextInt(10) == 0 ? null : "#" + id(),
                    rnd.nextInt(10) == 0 ? uri() : null, transforms, uri(), bytes(rnd.nextBoolean() ? 32 : 1, 64)));
        }
        SignedInfo si = new SignedInfo(rnd.nextInt(10) == 0 ? id() : null,
                rnd.nextInt(10) == 0 ? uri() : SignedInfo.CANONICAL_EXI, uri(), refs);
        return new XmlSignature(rnd.nextInt(10) == 0 ? id() : null, si, bytes(rnd.nextBoolean() ? 64 : 1, 132),
                rnd.nextInt(10) == 0 ? id() : null);
    }

    private String uri() {
        return switch (rnd.nextInt(4)) {
            case 0 -> "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
            case 1 -> "http://www.w3.org/2001/04/xmlenc#sha256";
            case 2 -> "urn:iso:std:iso:15118:-20:Security:xmldsig#Ed448";
            default -> "http://example.com/" + word(1, 40);
        };
    }

    private ResponseCode responseCode() {
        return ResponseCode.values()[rnd.nextInt(ResponseCode.values().length)];
    }

    CertificateChain chain(boolean withId) {
        int subs = rnd.nextInt(5);
        List<byte[]> list = new ArrayList<>();
        for (int i = 0; i < subs; i++) {
            list.add(bytes(1, 800));
        }
        return new CertificateChain(withId ? id() : null, bytes(1, 800), list);
    }

    private List<RootCertificateId> roots() {
        int n = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 20 : 3);
        List<RootCertificateId> roots = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BigInteger serial = new BigInteger(1 + rnd.nextInt(160), rnd);
            if (rnd.nextInt(8) == 0) {
                serial = serial.negate();
            }
            roots.add(new RootCertificateId(text(1, 120), serial));
        }
        return roots;
    }

    String emaid() {
        return word(14, 15);
    }

    private int idSequence;

    /** Distinct Ids (a message never reuses one). */
    String id() {
        return "id" + word(1, 6) + (idSequence++ % 1000);
    }

    private String word(int min, int max) {
        int len = min + rnd.nextInt(max - min + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append(ALPHA.charAt(rnd.nextInt(ALPHA.length())));
        }
        return sb.toString();
    }

    /** Text that starts and ends with a letter (whitespace at the edges is not what we test here). */
    private String text(int min, int max) {
        if (rnd.nextInt(25) == 0) {
            return "";
        }
        int len = Math.max(min, Math.min(max, 1 + rnd.nextInt(max)));
        StringBuilder sb = new StringBuilder();
        int cps = 0;
        while (cps < len) {
            boolean edge = cps == 0 || cps == len - 1;
            if (!edge && rnd.nextInt(6) == 0) {
                sb.append(TEXT_EXTRA[rnd.nextInt(TEXT_EXTRA.length)]);
            } else {
                sb.append(ALPHA.charAt(rnd.nextInt(ALPHA.length())));
            }
            cps++;
        }
        return sb.toString();
    }

    /** Random bytes; one in 25 is empty (all binary facets allow it; EXI then uses "EE undeclared"). */
    byte[] bytes(int min, int max) {
        if (rnd.nextInt(25) == 0) {
            return new byte[0];
        }
        byte[] b = new byte[min + rnd.nextInt(max - min + 1)];
        rnd.nextBytes(b);
        return b;
    }
}
