package io.ocppsec.pki.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Registers the role check for the API. */
@Configuration
public class WebConfiguration implements WebMvcConfigurer {
    private final RoleInterceptor roles;

    public WebConfiguration(RoleInterceptor roles) {
        this.roles = roles;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(roles).addPathPatterns("/api/**");
    }
}
