package dev.finote.server.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web app's scripts, styles and icon under {@code /assets/**}, from
 * {@code classpath:/static/assets/}. This is the only static mapping (Spring Boot's default
 * {@code /**} one is off), so unknown paths stay JSON 404s; and resource handlers are consulted
 * after every annotated route, so an asset can never shadow an API route.
 */
@Configuration
public class AppAssets implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**")
                .addResourceLocations("classpath:/static/assets/")
                .setCacheControl(AppPages.REVALIDATE)
                .setUseLastModified(true);
    }
}
