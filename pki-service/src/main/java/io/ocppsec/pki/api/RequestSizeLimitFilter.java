package io.ocppsec.pki.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every request body on {@code /api/**} to 1 MiB: a declared larger Content-Length is
 * refused before reading, and a chunked body is cut off as soon as it passes the limit. The one
 * exception is a firmware image streamed to {@code /api/v1/firmware/sign} or {@code /verify}
 * (octet-stream or multipart): it is hashed as it arrives and bounded by
 * {@code ocppsec.firmware.max-image-size} there.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestSizeLimitFilter extends OncePerRequestFilter {
    static final long LIMIT = 1024 * 1024;

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/api") || isFirmwareImage(path, request.getContentType());
    }

    static boolean isFirmwareImage(String path, String contentType) {
        if (contentType == null || !(path.equals("/api/v1/firmware/sign") || path.equals("/api/v1/firmware/verify"))) {
            return false;
        }
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        return type.startsWith("application/octet-stream") || type.startsWith("multipart/form-data");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > LIMIT) {
            response.setStatus(413);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream().write(("{\"type\":\"urn:ocppsec:problem:body-too-large\",\"title\":\"Content Too Large\","
                    + "\"status\":413,\"code\":\"body-too-large\",\"detail\":\"request body exceeds " + LIMIT + " bytes\"}")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(new Bounded(request), response);
    }

    private static final class Bounded extends HttpServletRequestWrapper {
        private ServletInputStream stream;

        Bounded(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) {
                        read += n;
                        if (read > LIMIT) {
                            throw new RequestTooLargeException(LIMIT);
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
