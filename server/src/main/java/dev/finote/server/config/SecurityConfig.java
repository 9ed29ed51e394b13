package dev.finote.server.config;

import dev.finote.server.auth.SessionAuthenticationFilter;
import dev.finote.server.auth.SessionCookies;
import dev.finote.server.auth.SessionStore;
import dev.finote.server.auth.SessionTokens;
import dev.finote.server.web.ApiError;
import dev.finote.server.web.ErrorResponses;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Authentication is always on: every {@code /api/**} route needs a session except
 * register, login and logout. There is no HTTP session and no form login; our own filter
 * reads the session cookie. CSRF tokens are not part of the old contract; cross-site
 * writes are prevented instead by SameSite cookies, the exact-origin CORS list and the
 * JSON-only request bodies (a form cannot send application/json without a preflight).
 */
@Configuration
public class SecurityConfig {

    /**
     * No Micrometer observation around each security filter and authorization decision: with
     * observations merely disabled, every request still went through a decorator per filter
     * (measured on the benchmark's hot path). Our request counter is the metric the HTTP contract asks for.
     */
    @Bean
    static SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, FinoteSettings settings, SessionCookies cookies,
                                            SessionTokens tokens, SessionStore sessions, ErrorResponses errors) throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                // No anonymous token and no servlet-API wrapper: nothing reads them, and every
                // filter here runs on every request (the benchmark's hot path).
                .anonymous(AbstractHttpConfigurer::disable)
                .servletApi(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilter(corsFilter(settings, errors))
                .addFilterBefore(new SessionAuthenticationFilter(cookies, tokens, sessions, errors), AuthorizationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/api/auth/register", "/api/auth/login", "/api/auth/logout", "/api/openapi.json").permitAll()
                        .requestMatchers("/api/**").authenticated()
                        .anyRequest().permitAll())
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((request, response, e) ->
                                errors.write(response, HttpServletResponse.SC_UNAUTHORIZED, ApiError.of("unauthorized")))
                        .accessDeniedHandler((request, response, e) ->
                                errors.write(response, HttpServletResponse.SC_FORBIDDEN, ApiError.of("forbidden"))));
        return http.build();
    }

    /**
     * Credentials-bearing cross-origin calls only from the exact origins in CORS_ORIGIN. An
     * empty list allows none (the old backend reflected any origin, letting any website read
     * a logged-in user's notes).
     */
    private static CorsFilter corsFilter(FinoteSettings settings, ErrorResponses errors) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!settings.corsOrigins().isEmpty()) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(settings.corsOrigins());
            cors.setAllowCredentials(true);
            cors.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE", "OPTIONS"));
            cors.setAllowedHeaders(List.of("Content-Type", "Accept", "X-Requested-With"));
            cors.setMaxAge(Duration.ofHours(1));
            source.registerCorsConfiguration("/**", cors);
        }
        CorsFilter filter = new CorsFilter(source);
        filter.setCorsProcessor(new JsonRejectingCorsProcessor());
        return filter;
    }

    /** Spring's processor answers a refused origin with plain text; ours keeps the API's JSON shape. */
    private static final class JsonRejectingCorsProcessor extends DefaultCorsProcessor {
        @Override
        protected void rejectRequest(ServerHttpResponse response) throws IOException {
            response.setStatusCode(org.springframework.http.HttpStatus.FORBIDDEN);
            response.getHeaders().setContentType(org.springframework.http.MediaType.APPLICATION_JSON);
            response.getBody().write("{\"message\":\"cors_origin_not_allowed\"}".getBytes(StandardCharsets.UTF_8));
            response.flush();
        }
    }
}
