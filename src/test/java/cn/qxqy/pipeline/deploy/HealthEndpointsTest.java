package cn.qxqy.pipeline.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoints the Kubernetes probes call answer on the running application (a real Kafka broker and PostgreSQL,
 * started by the global test resource): the paths are taken from the rendered prod Deployment where kubectl is
 * installed, else the three that the manifests use.
 */
@QuarkusTest
class HealthEndpointsTest {

    @Test
    void theProbesOfTheDeploymentAnswerUp() {
        Map<String, String> probes = probePaths();
        assertEquals(3, probes.size(), "startup, liveness and readiness probes: " + probes);
        probes.forEach((probe, path) -> given().when().get(path).then()
                .statusCode(200)
                .body("status", equalTo("UP")));
    }

    @Test
    void readinessReportsTheDatabaseAndTheBroker() {
        JsonPath ready = given().when().get(probePaths().get("readinessProbe")).then()
                .statusCode(200).extract().jsonPath();
        List<String> checks = ready.getList("checks.name", String.class);
        assertFalse(checks.isEmpty(), "the readiness check lists no checks");
        String all = String.join(" | ", checks).toLowerCase(Locale.ROOT);
        assertTrue(all.contains("postgresql") || all.contains("database"), "no database check among " + checks);
        assertTrue(all.contains("messaging") || all.contains("kafka"), "no Kafka check among " + checks);
        assertEquals(List.of(), ready.getList("checks.findAll { it.status != 'UP' }.name"), "checks not UP");
    }

    @Test
    void theProbesGoToTheHttpPortOfTheProdProfile() {
        // In tests the application listens on a random test port; these endpoints answered on it, so health is on
        // the HTTP interface, not on a management port. In prod that interface is quarkus.http.port (8080 unless
        // application.properties says otherwise): the port the manifests probe.
        boolean management = ConfigProvider.getConfig().getOptionalValue("quarkus.management.enabled", Boolean.class)
                .orElse(false);
        assertFalse(management, "health is served on the management port, not on http");
        int prodPort = Integer.parseInt(ApplicationConfig.load().valueOrDefault("quarkus.http.port", "8080"));
        int probed = 8080;
        if (Manifests.kubectl().isPresent()) {
            JsonNode container = Manifests.list(Manifests.single(Manifests.render("prod"), "Deployment")
                    .path("spec").path("template").path("spec").path("containers")).get(0);
            probed = Manifests.list(container.path("ports")).stream()
                    .filter(p -> "http".equals(p.path("name").asText()))
                    .mapToInt(p -> p.path("containerPort").asInt()).findFirst().orElse(-1);
        }
        assertEquals(prodPort, probed, "the manifests probe another port than the application listens on in prod");
    }

    @Test
    void theMetricsOfTheDashboardAndTheAlertsAreServedWhereTheServiceMonitorScrapes() throws IOException {
        String path = "/q/metrics";
        if (Manifests.kubectl().isPresent()) {
            path = Manifests.list(Manifests.single(Manifests.render("prod"), "ServiceMonitor").path("spec").path("endpoints"))
                    .get(0).path("path").asText();
        }
        String body = given().when().get(path).then().statusCode(200).extract().asString();
        Set<String> served = body.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));

        Set<String> used = new TreeSet<>();
        Pattern metric = Pattern.compile("\\b((?:pipeline|jvm|http_server)_[a-z_]+)\\b");
        for (String file : List.of("k8s/base/grafana-dashboard.json", "k8s/base/prometheusrule.yaml")) {
            Matcher m = metric.matcher(Files.readString(Manifests.ROOT.resolve(file), StandardCharsets.UTF_8));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertFalse(used.isEmpty(), "no metric found in the dashboard");
        // Meters with tags known only at first use appear once something happened (an event, a request, an
        // assigned partition); the others are registered at start and must be served now.
        List<String> lazy = List.of("pipeline_events_accepted_total", "pipeline_events_refused_total",
                "pipeline_projector_partition_lag_records", "http_server_requests_seconds_count");
        // A description may name a timer's family (pipeline_append_seconds), served as _count, _sum, _bucket, _max.
        List<String> missing = used.stream().filter(name -> !lazy.contains(name))
                .filter(name -> !served.contains(name) && !served.contains(name + "_count"))
                .collect(Collectors.toList());
        assertEquals(List.of(), missing, "charted or alerted on, but not served on " + path);
    }

    private static Map<String, String> probePaths() {
        Map<String, String> paths = new LinkedHashMap<>();
        if (Manifests.kubectl().isPresent()) {
            JsonNode container = Manifests.list(Manifests.single(Manifests.render("prod"), "Deployment")
                    .path("spec").path("template").path("spec").path("containers")).get(0);
            for (String probe : new ArrayList<>(List.of("startupProbe", "livenessProbe", "readinessProbe"))) {
                String path = container.path(probe).path("httpGet").path("path").asText("");
                if (!path.isEmpty()) {
                    paths.put(probe, path);
                }
            }
        } else {
            paths.put("startupProbe", "/q/health/started");
            paths.put("livenessProbe", "/q/health/live");
            paths.put("readinessProbe", "/q/health/ready");
        }
        return paths;
    }
}
