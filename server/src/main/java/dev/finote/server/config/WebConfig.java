package dev.finote.server.config;

import dev.finote.server.web.BodySizeLimitFilter;
import dev.finote.server.web.ErrorResponses;
import dev.finote.server.web.MetricsTokenFilter;
import dev.finote.server.web.RequestBodyFormatFilter;
import dev.finote.server.web.SameOriginFilter;
import dev.finote.server.web.RequestMetricsFilter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Servlet filters that wrap everything, the security chain included. */
@Configuration
public class WebConfig {

    @Bean
    FilterRegistrationBean<RequestMetricsFilter> requestMetricsFilter(
            MeterRegistry registry, @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping routes) {
        var registration = new FilterRegistrationBean<>(new RequestMetricsFilter(registry, routes));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** After the metrics filter (refusals are counted), before everything that reads or writes. */
    @Bean
    FilterRegistrationBean<SameOriginFilter> sameOriginFilter(FinoteSettings settings, ErrorResponses errors) {
        var registration = new FilterRegistrationBean<>(new SameOriginFilter(settings.corsOrigins(), errors));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    /** METRICS_TOKEN set: /metrics needs it; unset, the filter is not installed at all. */
    @Bean
    FilterRegistrationBean<MetricsTokenFilter> metricsTokenFilter(FinoteSettings settings, ErrorResponses errors) {
        var registration = new FilterRegistrationBean<>(new MetricsTokenFilter(settings.metricsToken().orElse(""), errors));
        registration.setEnabled(settings.metricsToken().isPresent());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestBodyFormatFilter> requestBodyFormatFilter(ErrorResponses errors) {
        var registration = new FilterRegistrationBean<>(new RequestBodyFormatFilter(errors));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 4);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(ErrorResponses errors) {
        var registration = new FilterRegistrationBean<>(new BodySizeLimitFilter(errors));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
