package io.ocppsec.pki.revocation;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The unauthenticated HTTP side of revocation, as plain servlets (no MVC dispatch on the OCSP hot
 * path): {@code POST /ocsp} (application/ocsp-request), {@code GET /ocsp/{url-encoded base64}}
 * (RFC 6960 appendix A.1) and {@code GET /crl/{issuerId}.crl} (DER, application/pkix-crl).
 */
final class RevocationEndpoints {
    private RevocationEndpoints() {
    }

    static final String OCSP_RESPONSE = "application/ocsp-response";

    /** {@code /ocsp} and {@code /ocsp/*}. */
    static final class Ocsp extends HttpServlet {
        private final transient OcspResponder responder;

        Ocsp(OcspResponder responder) {
            this.responder = responder;
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            long declared = req.getContentLengthLong();
            if (declared > OcspResponder.MAX_REQUEST) {
                write(resp, 413, OcspResponder.MALFORMED);
                return;
            }
            byte[] body = readBounded(req.getInputStream(), declared);
            if (body == null) {
                write(resp, 413, OcspResponder.MALFORMED);
                return;
            }
            write(resp, 200, responder.respond(body));
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            // The raw URI: the servlet container's decoded path would merge the "//" base64 may hold.
            String uri = req.getRequestURI();
            String prefix = req.getContextPath() + "/ocsp/";
            if (!uri.startsWith(prefix)) {
                write(resp, 200, OcspResponder.MALFORMED);
                return;
            }
            String encoded = uri.substring(prefix.length());
            if (encoded.length() > OcspResponder.MAX_REQUEST * 2) {
                write(resp, 414, OcspResponder.MALFORMED);
                return;
            }
            byte[] request;
            try {
                // Path segment decoding: '+' stays '+', %2B/%2F/%3D are decoded.
                request = Base64.getDecoder().decode(URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                write(resp, 200, OcspResponder.MALFORMED);
                return;
            }
            if (request.length > OcspResponder.MAX_REQUEST) {
                write(resp, 414, OcspResponder.MALFORMED);
                return;
            }
            write(resp, 200, responder.respond(request));
        }

        /** The body, or null when it passes the limit (a chunked body is cut off there). */
        private static byte[] readBounded(InputStream in, long declared) throws IOException {
            int limit = OcspResponder.MAX_REQUEST;
            if (declared >= 0) {
                byte[] buf = new byte[(int) declared];
                int n = in.readNBytes(buf, 0, buf.length);
                return n == buf.length ? buf : java.util.Arrays.copyOf(buf, n);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            byte[] chunk = new byte[2048];
            int r;
            while ((r = in.read(chunk)) >= 0) {
                if (out.size() + r > limit) {
                    return null;
                }
                out.write(chunk, 0, r);
            }
            return out.toByteArray();
        }

        private static void write(HttpServletResponse resp, int status, byte[] der) throws IOException {
            resp.setStatus(status);
            resp.setContentType(OCSP_RESPONSE);
            resp.setContentLength(der.length);
            resp.getOutputStream().write(der);
        }
    }

    /** {@code /crl/*}. */
    static final class Crl extends HttpServlet {
        private static final Pattern NAME = Pattern.compile("/([A-Za-z0-9._-]{1,64})\\.crl");
        private final transient CrlService crls;

        Crl(CrlService crls) {
            this.crls = crls;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String path = req.getPathInfo();
            var m = path == null ? null : NAME.matcher(path);
            Optional<CrlService.Crl> crl = m != null && m.matches() ? crls.current(m.group(1)) : Optional.empty();
            if (crl.isEmpty()) {
                resp.setStatus(404);
                resp.setContentType("application/problem+json");
                resp.getOutputStream().write(("{\"type\":\"urn:ocppsec:problem:crl-unknown\",\"title\":\"Not Found\","
                        + "\"status\":404,\"code\":\"CRL_UNKNOWN\",\"detail\":\"no CRL here: the name must be "
                        + "/crl/<issuerId>.crl of a CA this service runs\"}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            CrlService.Crl c = crl.get();
            resp.setStatus(200);
            resp.setContentType("application/pkix-crl");
            resp.setDateHeader("Last-Modified", c.thisUpdate().toEpochMilli());
            resp.setDateHeader("Expires", c.nextUpdate().toEpochMilli());
            resp.setContentLength(c.der().length);
            resp.getOutputStream().write(c.der());
        }
    }
}
