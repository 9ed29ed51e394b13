package dev.finote.server.ops;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/** Liveness and readiness probes (no authentication, outside /api). */
@RestController
public class HealthController {

    private final ReadinessCheck readiness;

    public HealthController(ReadinessCheck readiness) {
        this.readiness = readiness;
    }

    /** Liveness: the process runs and serves HTTP. Never touches the database. */
    @GetMapping("/healthz")
    Map<String, String> health() {
        return Map.of("status", "ok");
    }

    /** Readiness: the database answers and its schema is what this build needs. */
    @GetMapping("/readyz")
    ResponseEntity<Map<String, String>> ready() {
        ReadinessCheck.Result result = readiness.check();
        if (result.ready()) return ResponseEntity.ok(Map.of("status", "ready"));
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", "not-ready");
        body.put("reason", result.reason());
        body.put("detail", result.detail());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
