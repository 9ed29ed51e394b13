package dev.finote.server.config;

import dev.finote.server.web.GuardedNioProtocol;
import dev.finote.server.web.JsonErrorReportValve;
import dev.finote.server.web.SlowHeaderGuard;
import dev.finote.server.web.TrustedProxyValve;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The servlet container's part of hardening: Tomcat's own error answers in JSON, the client
 * address taken from forwarded headers only behind TRUSTED_PROXIES, and a connector whose
 * connections {@link SlowHeaderGuard} can see (timeouts are in application.properties).
 */
@Configuration
public class TomcatConfig {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> finoteTomcat(FinoteSettings settings) {
        return factory -> {
            factory.setProtocol(GuardedNioProtocol.class.getName());
            if (!settings.trustedProxies().isEmpty()) factory.addEngineValves(new TrustedProxyValve(settings.trustedProxies()));
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            });
        };
    }
}
