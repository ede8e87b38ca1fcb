package io.ocppsec.pki.api;

import io.ocppsec.pki.auth.Caller;
import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/** Checks {@link RequiresRole} on {@code /api} handlers; a handler without it needs ADMIN. */
@Component
public class RoleInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        if (!(handler instanceof HandlerMethod method) || !request.getRequestURI().startsWith(request.getContextPath() + "/api")) {
            return true;
        }
        RequiresRole annotation = method.getMethodAnnotation(RequiresRole.class);
        if (annotation == null) {
            annotation = method.getBeanType().getAnnotation(RequiresRole.class);
        }
        Role required = annotation == null ? Role.ADMIN : annotation.value();
        Caller caller = Caller.of(request);
        if (caller.role().includes(required)) {
            return true;
        }
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(("{\"type\":\"urn:ocppsec:problem:forbidden\",\"title\":\"Forbidden\",\"status\":403,"
                + "\"code\":\"forbidden\",\"detail\":\"this needs the " + required.name().toLowerCase(java.util.Locale.ROOT)
                + " role; the token has " + caller.role().name().toLowerCase(java.util.Locale.ROOT) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        return false;
    }
}
