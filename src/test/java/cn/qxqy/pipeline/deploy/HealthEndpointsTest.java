package cn.qxqy.pipeline.deploy;

import cn.qxqy.pipeline.testing.Api;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
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

import static cn.qxqy.pipeline.testing.Api.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoints the Kubernetes probes call answer on the running application (a real Kafka broker and PostgreSQL,
 * started by the global test resource): the paths are taken from the rendered prod Deployment where kubectl is
 * installed, else the three that the manifests use (a missing kubectl fails the test under CI=true). Readiness reports this pod only; the dependencies that every
 * replica shares are in the health group the runbook names.
 */
@QuarkusTest
class HealthEndpointsTest {

    /** Where the dependencies every replica shares are reported instead of readiness. */
    private static final String DEPENDENCIES = "/q/health/group/dependencies";
    /** Check names that would mean readiness depends on the database, the broker or the projector. */
    private static final Pattern SHARED = Pattern.compile("(?i)postgres|database|datasource|messaging|kafka|lag|outbox");

    @Test
    void theProbesOfTheDeploymentAnswerUp() {
        Map<String, String> probes = probePaths();
        assertEquals(3, probes.size(), "startup, liveness and readiness probes: " + probes);
        probes.forEach((probe, path) -> given().when().get(path).then()
                .statusCode(200)
                .body("status", equalTo("UP")));
    }

    @Test
    void readinessDescribesThisPodAndNotTheDependenciesEveryReplicaShares() {
        JsonPath ready = given().when().get(probePaths().get("readinessProbe")).then()
                .statusCode(200).extract().jsonPath();
        List<String> checks = ready.getList("checks.name", String.class);
        assertTrue(checks.contains("Graceful Shutdown"), "readiness does not turn DOWN when the pod shuts down: " + checks);
        for (String check : checks) {
            assertFalse(SHARED.matcher(check).find(), "readiness reports a shared dependency: " + check);
        }
        assertEquals(List.of(), ready.getList("checks.findAll { it.status != 'UP' }.name"), "checks not UP");
    }

    @Test
    void theDependenciesGroupReportsTheDatabaseTheBrokerAndTheLag() {
        Api.awaitProjected();
        JsonPath dependencies = await().atMost(Duration.ofSeconds(10)).until(
                () -> given().when().get(DEPENDENCIES).then().extract().jsonPath(), d -> "UP".equals(d.getString("status")));
        assertEquals(List.of("kafka", "postgresql", "project-intake", "projector-lag"),
                dependencies.getList("checks.name", String.class).stream().sorted().collect(Collectors.toList()));
        Map<String, Object> kafka = dependencies.getMap("checks.find { it.name == 'kafka' }.data");
        ApplicationConfig app = ApplicationConfig.load();
        for (ApplicationConfig.Channel channel : app.kafkaChannels()) {
            // A channel out of SmallRye Reactive Messaging's checks (the intake: not in liveness) has a check of its own.
            if (Boolean.parseBoolean(app.valueOrDefault("mp.messaging." + channel.direction() + "." + channel.name()
                    + ".health-enabled", "true"))) {
                assertTrue(String.valueOf(kafka.get(channel.name())).startsWith("UP"), "channel " + channel.name() + ": " + kafka);
            } else {
                assertEquals("UP", dependencies.getString("checks.find { it.name == '" + channel.name() + "' }.status"),
                        "channel " + channel.name());
            }
        }
        assertTrue(kafka.containsKey("outboxBacklogEvents"), "no outbox backlog: " + kafka);
        assertTrue(dependencies.getMap("checks.find { it.name == 'projector-lag' }.data").containsKey("maxLagEvents"));
    }

    @Test
    void aPodStartsOnlyOnceItHasReachedTheDatabaseAndTheBroker() {
        List<String> checks = given().when().get(probePaths().get("startupProbe")).then().statusCode(200)
                .extract().jsonPath().getList("checks.name", String.class);
        String all = String.join(" | ", checks).toLowerCase(Locale.ROOT);
        assertTrue(all.contains("postgresql"), "no database check among " + checks);
        assertTrue(all.contains("messaging"), "no Kafka check among " + checks);
    }

    @Test
    void theHealthPathsTheRunbookNamesAnswer() throws IOException {
        Set<String> paths = new TreeSet<>();
        Pattern path = Pattern.compile("/q/health(?:/[a-z-]+)*");
        for (String file : List.of("README.md", "k8s/base/deployment.yaml", "k8s/base/prometheusrule.yaml",
                "k8s/base/kustomization.yaml")) {
            Matcher m = path.matcher(Files.readString(Manifests.ROOT.resolve(file), StandardCharsets.UTF_8));
            while (m.find()) {
                paths.add(m.group());
            }
        }
        assertTrue(paths.contains(DEPENDENCIES), "the runbook does not name " + DEPENDENCIES + ": " + paths);
        for (String named : paths) {
            // 503 is a DOWN report, still an answer; 404 is a path that does not exist.
            given().when().get(named).then().statusCode(anyOf(equalTo(200), equalTo(503))).body("status", notNullValue());
        }
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
        if (Manifests.canRender()) {
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
        if (Manifests.canRender()) {
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

        // The dependencies the alerts name are those the application reports.
        Matcher dependency = Pattern.compile("pipeline_dependency_up\\{[^}]*dependency=\"([^\"]+)\"")
                .matcher(Files.readString(Manifests.ROOT.resolve("k8s/base/prometheusrule.yaml"), StandardCharsets.UTF_8));
        while (dependency.find()) {
            String series = "pipeline_dependency_up{dependency=\"" + dependency.group(1) + "\"}";
            assertTrue(body.contains(series), series + " is alerted on, but not served");
        }
    }

    private static Map<String, String> probePaths() {
        Map<String, String> paths = new LinkedHashMap<>();
        if (Manifests.canRender()) {
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
