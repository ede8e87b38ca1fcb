package io.ocppsec.pki.api;

import io.ocppsec.pki.auth.Caller;
import io.ocppsec.pki.auth.TokenService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requires {@code Authorization: Bearer <token>} on {@code /api/**} and records who is calling;
 * {@link RoleInterceptor} then checks the role each handler needs. A refusal is an RFC 9457
 * problem with status 401 that says nothing about the token. Health, metrics and the OpenAPI
 * document stay open.
 */
@Component
public class ApiTokenFilter extends OncePerRequestFilter {
    private final TokenService tokens;

    public ApiTokenFilter(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.equals("/api") || path.startsWith("/api/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.length() > 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim() : null;
        Optional<Caller> caller = tokens.authenticate(presented);
        if (caller.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"ocppsec\"");
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream().write(("{\"type\":\"urn:ocppsec:problem:unauthorized\",\"title\":\"Unauthorized\","
                    + "\"status\":401,\"code\":\"unauthorized\",\"detail\":\"A valid bearer token is required for /api "
                    + "(the first admin token is in the admin-token file of the data directory).\"}")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        request.setAttribute(Caller.class.getName(), caller.get());
        chain.doFilter(request, response);
    }
}
