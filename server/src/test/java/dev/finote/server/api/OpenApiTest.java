package dev.finote.server.api;

import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/openapi.json: an OpenAPI 3.1 description, public, that documents every route the server answers. */
@ExtendWith(FinoteExtension.class)
class OpenApiTest {

    /** The servlet container's error dispatch: answered, but not an API route anyone should call. */
    private static final Set<String> NOT_API = Set.of("/error");

    private final TestServer server;

    OpenApiTest(TestServer server) {
        this.server = server;
    }

    @Test
    void theDescriptionIsOpenApi31AndPublic() {
        Api.Response response = server.api().get("/api/openapi.json");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.json().get("openapi").stringValue()).startsWith("3.1.");
        // the rest of /api still needs a session
        assertThat(server.api().get("/api/notes").status()).isEqualTo(401);
    }

    @Test
    void everyRouteTheServerAnswersIsInTheDocument() {
        JsonNode paths = server.api().get("/api/openapi.json").json().get("paths");
        RequestMappingHandlerMapping mapping = server.context().getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        List<String> routes = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
            if (entry.getValue().getBeanType().getPackageName().startsWith("org.springdoc")) continue; // the document itself
            Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
            for (String path : entry.getKey().getPathPatternsCondition().getPatternValues()) {
                if (NOT_API.contains(path)) continue;
                assertThat(methods).as("methods of %s", path).isNotEmpty();
                for (RequestMethod method : methods) {
                    routes.add(method + " " + path);
                    assertThat(paths.path(path).has(method.name().toLowerCase(Locale.ROOT)))
                            .as("%s %s in /api/openapi.json (paths: %s)", method, path, paths.propertyNames()).isTrue();
                }
            }
        }
        assertThat(routes).contains("GET /api/notes", "POST /api/notes/import", "GET /api/notes/trash", "DELETE /api/notes/trash/{id}",
                "POST /api/auth/login", "GET /healthz");
    }

    @Test
    void theNotesListDescribesItsParametersAndAnswer() {
        JsonNode list = server.api().get("/api/openapi.json").json().path("paths").path("/api/notes").path("get");
        List<String> parameters = new ArrayList<>();
        list.path("parameters").forEach(p -> parameters.add(p.path("name").stringValue()));
        assertThat(parameters).contains("q", "tag", "pinned", "limit", "cursor");
        assertThat(list.path("responses").path("200").path("content").path("application/json").path("schema").path("type").stringValue())
                .isEqualTo("array");
    }
}
