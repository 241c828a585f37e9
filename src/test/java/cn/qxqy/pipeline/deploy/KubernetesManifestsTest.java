package cn.qxqy.pipeline.deploy;

import cn.qxqy.pipeline.testing.RequiredTools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static cn.qxqy.pipeline.deploy.Manifests.list;
import static cn.qxqy.pipeline.deploy.Manifests.name;
import static cn.qxqy.pipeline.deploy.Manifests.ofKind;
import static cn.qxqy.pipeline.deploy.Manifests.selects;
import static cn.qxqy.pipeline.deploy.Manifests.single;
import static cn.qxqy.pipeline.deploy.Manifests.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Renders {@code k8s/overlays/dev} and {@code k8s/overlays/prod} with {@code kubectl kustomize} and checks them
 * against the application: its health and metrics endpoints and port, the environment variables its prod profile
 * reads (its OIDC issuer among them), its Kafka topics, non-root, the migration step, graceful shutdown, and that the
 * autoscaler, disruption budget, network policy and monitoring select the server pods.
 * <p>
 * Skipped only where {@code kubectl} is not installed, and then not under {@code CI=true}, where that fails; if it is
 * installed, a rendering error fails the test.
 */
class KubernetesManifestsTest {

    private static final ApplicationConfig APP = ApplicationConfig.load();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The metrics the dashboard must chart (Micrometer names in Prometheus form). */
    static final List<String> DASHBOARD_METRICS = List.of(
            "pipeline_events_accepted_total", "pipeline_events_refused_total", "pipeline_append_seconds",
            "pipeline_outbox_backlog", "pipeline_outbox_publish_seconds", "pipeline_projector_lag_events",
            "pipeline_projector_partition_lag_records", "pipeline_projector_dead_letters", "pipeline_consistency_differences",
            "pipeline_projection_latency_seconds_bucket", "pipeline_rebuild_progress_ratio",
            "pipeline_intake_dead_letters_total", "pipeline_dependency_up", "http_server_requests_seconds_count",
            "jvm_memory_used_bytes");

    @BeforeAll
    static void kubectlIsInstalled() {
        RequiredTools.require("kubectl", Manifests.KUBECTL_MISSING);
    }

    // --- what is rendered

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void rendersEveryObjectOfTheDeploymentInOneNamespace(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        for (String kind : List.of("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                "ServiceMonitor", "PrometheusRule", "Job")) {
            single(objects, kind);
        }
        assertFalse(ofKind(objects, "ConfigMap").isEmpty(), "no ConfigMap");
        assertFalse(ofKind(objects, "NetworkPolicy").isEmpty(), "no NetworkPolicy");
        assertFalse(ofKind(objects, "KafkaTopic").isEmpty(), "no KafkaTopic");
        Set<String> namespaces = objects.stream().map(o -> o.path("metadata").path("namespace").asText(""))
                .collect(Collectors.toSet());
        assertEquals(1, namespaces.size(), () -> "objects in several namespaces: " + namespaces);
        assertFalse(namespaces.contains(""), "the overlay sets no namespace");
    }

    // --- health, port, metrics path: those of the application

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void probesAreTheApplicationsHealthEndpointsOnItsHttpPort(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        JsonNode container = serverContainer(objects);
        int appPort = healthPort();

        Map<String, String> expected = Map.of(
                "startupProbe", healthPath("quarkus.smallrye-health.startup-path", "started"),
                "livenessProbe", healthPath("quarkus.smallrye-health.liveness-path", "live"),
                "readinessProbe", healthPath("quarkus.smallrye-health.readiness-path", "ready"));
        expected.forEach((probe, path) -> {
            JsonNode get = container.path(probe).path("httpGet");
            assertFalse(get.isMissingNode(), () -> overlay + ": no " + probe + " with httpGet");
            assertEquals(path, get.path("path").asText(), overlay + ": " + probe + " path");
            assertEquals(appPort, resolvePort(container, get.path("port")), overlay + ": " + probe + " port");
        });
        JsonNode http = list(container.path("ports")).stream()
                .filter(p -> "http".equals(p.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no container port named http"));
        assertEquals(httpPort(), http.path("containerPort").asInt(), overlay + ": container port http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theServiceMonitorScrapesTheApplicationsMetricsThroughTheService(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        JsonNode deployment = single(objects, "Deployment");
        JsonNode service = single(objects, "Service");
        JsonNode monitor = single(objects, "ServiceMonitor");
        Map<String, String> podLabels = strings(deployment.path("spec").path("template").path("metadata").path("labels"));

        assertTrue(selects(strings(service.path("spec").path("selector")), podLabels),
                overlay + ": the Service does not select the Deployment's pods");
        assertTrue(selects(strings(monitor.path("spec").path("selector").path("matchLabels")),
                strings(service.path("metadata").path("labels"))), overlay + ": the ServiceMonitor does not select the Service");

        JsonNode endpoint = list(monitor.path("spec").path("endpoints")).stream().findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": ServiceMonitor without endpoints"));
        assertEquals(nonApplicationPath(APP.valueOrDefault("quarkus.micrometer.export.prometheus.path", "metrics")),
                endpoint.path("path").asText(), overlay + ": scrape path");
        JsonNode servicePort = list(service.path("spec").path("ports")).stream()
                .filter(p -> endpoint.path("port").asText().equals(p.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": the ServiceMonitor's port is not a Service port"));
        assertEquals(httpPort(), resolvePort(serverContainer(objects), servicePort.path("targetPort")),
                overlay + ": the Service's target port");
    }

    // --- environment

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyVariableTheApplicationReadsInProdIsSupplied(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        Set<ApplicationConfig.Expression> required = APP.required();
        assertFalse(required.isEmpty(), "application.properties reads no variable in prod: is the parser broken?");
        for (JsonNode workload : List.of(single(objects, "Deployment"), single(objects, "Job"))) {
            for (JsonNode container : list(workload.path("spec").path("template").path("spec").path("containers"))) {
                Set<String> supplied = suppliedVariables(objects, container);
                List<String> missing = required.stream()
                        .filter(e -> !supplied.contains(e.environmentName()))
                        .map(e -> e.environmentName() + " (" + e.property() + ")")
                        .distinct().collect(Collectors.toList());
                assertTrue(missing.isEmpty(), () -> overlay + ": " + workload.path("kind").asText() + " "
                        + name(workload) + "/" + container.path("name").asText() + " lacks " + missing);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theConfigMapValuesHaveTheFormTheApplicationExpects(String overlay) {
        Map<String, String> env = configMapVariables(Manifests.render(overlay), serverContainer(Manifests.render(overlay)));
        boolean derivesJdbc = APP.properties().values().stream().anyMatch(v -> v.contains("jdbc:${DB_URL}"));
        if (derivesJdbc && env.containsKey("DB_URL")) {
            assertTrue(env.get("DB_URL").matches("postgresql://[^/\\s]+:\\d+/[^/\\s]+"),
                    () -> overlay + ": DB_URL must read postgresql://host:port/db (jdbc: is added): " + env.get("DB_URL"));
        }
        if (env.containsKey("KAFKA_BOOTSTRAP_SERVERS")) {
            assertTrue(env.get("KAFKA_BOOTSTRAP_SERVERS").matches("[^,:\\s]+:\\d+(,[^,:\\s]+:\\d+)*"),
                    () -> overlay + ": KAFKA_BOOTSTRAP_SERVERS must be host:port[,host:port]");
        }
        // The issuer as the tokens name it: Quarkus appends the discovery path itself.
        if (env.containsKey("OIDC_ISSUER")) {
            String issuer = env.get("OIDC_ISSUER");
            assertThat(issuer).as(overlay + ": OIDC_ISSUER").matches("https?://[^/\\s]+(/\\S*)?")
                    .doesNotContain("/.well-known/");
            if (overlay.equals("prod")) {
                assertThat(issuer).as("prod: the issuer's signing keys come over TLS").startsWith("https://");
            }
        }
    }

    // --- Kafka topics

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyKafkaTopicTheApplicationUsesHasAKafkaTopic(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        Set<String> declared = new TreeSet<>();
        for (JsonNode topic : ofKind(objects, "KafkaTopic")) {
            assertEquals("kafka.strimzi.io/v1beta2", topic.path("apiVersion").asText(), name(topic));
            String cluster = topic.path("metadata").path("labels").path("strimzi.io/cluster").asText("");
            assertFalse(cluster.isEmpty(), () -> name(topic) + " has no strimzi.io/cluster label");
            assertTrue(topic.path("spec").path("partitions").asInt() > 0, name(topic) + " partitions");
            assertTrue(topic.path("spec").path("replicas").asInt() > 0, name(topic) + " replicas");
            declared.add(topic.path("spec").path("topicName").asText(name(topic)));
            // The topics must be created in the cluster the application talks to.
            String bootstrap = configMapVariables(objects, serverContainer(objects)).getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "");
            assertTrue(bootstrap.startsWith(cluster + "-kafka-bootstrap"),
                    () -> overlay + ": " + name(topic) + " is for Strimzi cluster " + cluster
                            + " but the application connects to " + bootstrap);
        }
        List<ApplicationConfig.Channel> channels = APP.kafkaChannels();
        assertFalse(channels.isEmpty(), "no Kafka channel found in application.properties");
        Set<String> used = channels.stream().flatMap(c -> c.topics().stream()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(declared);
        // A channel that follows a pattern (the intake's project-intake.<department>) needs one topic of it at least.
        Set<String> patterns = channels.stream().filter(c -> APP.valueOrDefault("mp.messaging." + c.direction() + "."
                        + c.name() + ".pattern", "false").equals("true"))
                .flatMap(c -> c.topics().stream()).collect(Collectors.toSet());
        missing.removeIf(topic -> patterns.contains(topic) && declared.stream().anyMatch(d -> d.matches(topic)));
        assertTrue(missing.isEmpty(), () -> overlay + ": topics without a KafkaTopic: " + missing + " (used: " + used + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void topicsKeepTheirRecordsAsLongAsTheyAreNeeded(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        Map<String, JsonNode> topics = ofKind(objects, "KafkaTopic").stream().collect(Collectors.toMap(
                t -> t.path("spec").path("topicName").asText(name(t)), t -> t.path("spec")));
        // The event log feeds downstream systems that may rebuild from offset 0: all of it, forever, not compacted.
        JsonNode events = topics.get("project-events");
        assertNotNull(events, "no KafkaTopic project-events");
        assertEquals("-1", events.path("config").path("retention.ms").asText(), "project-events retention.ms");
        assertFalse(events.path("config").path("cleanup.policy").asText("delete").contains("compact"),
                "project-events must not be compacted: it keeps every event, not the last per project");
        // A republish after a lost topic, and the recovery's list of events a restore lost, read the topic whole.
        assertEquals("-1", events.path("config").path("retention.bytes").asText("-1"), "project-events retention.bytes");
        List<String> intake = topics.keySet().stream().filter(t -> t.startsWith("project-intake.")).toList();
        assertThat(intake).as(overlay + ": intake topics project-intake.<department>").isNotEmpty();
        intake.forEach(t -> assertThat(retentionDays(topics.get(t))).as(overlay + ": " + t + " retention in days")
                .isGreaterThanOrEqualTo(1));
        assertTrue(retentionDays(topics.get("project-intake-dlq")) >= 30, "project-intake-dlq kept less than 30 days");
        if (overlay.equals("prod")) {
            topics.forEach((topic, spec) -> {
                int replicas = spec.path("replicas").asInt();
                assertTrue(replicas >= 3, topic + ": fewer than 3 replicas in prod");
                int minIsr = Integer.parseInt(spec.path("config").path("min.insync.replicas").asText("1"));
                assertTrue(minIsr >= 2 && minIsr < replicas, topic + ": min.insync.replicas " + minIsr);
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyIntakeTopicsDepartmentHasItsRegionsInTheConfigThePodsRead(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        JsonNode configMap = ofKind(objects, "ConfigMap").stream()
                .filter(c -> name(c).startsWith("project-pipeline-departments")).findFirst().orElseThrow();
        String properties = configMap.path("data").path("application.properties").asText();
        JsonNode pod = single(objects, "Deployment").path("spec").path("template").path("spec");
        assertThat(list(pod.path("volumes")).stream().map(v -> v.path("configMap").path("name").asText()))
                .as(overlay + ": the Deployment mounts the departments").contains(name(configMap));
        assertThat(list(pod.path("containers").get(0).path("volumeMounts")).stream().map(m -> m.path("mountPath").asText()))
                .contains("/deployments/config/application.properties");
        ofKind(objects, "KafkaTopic").stream().map(t -> t.path("spec").path("topicName").asText(name(t)))
                .filter(t -> t.startsWith("project-intake."))
                .forEach(t -> assertThat(properties).as(overlay + ": regions of " + t)
                        .containsPattern("(?m)^pipeline\\.departments\\.\"" + t.substring("project-intake.".length())
                                + "\"\\.regions=\\d{6}"));
    }

    // --- security

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void podsRunAsNonRootOnAReadOnlyRootFilesystem(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        String imageUser = Dockerfiles.user(Dockerfiles.parse(Manifests.ROOT.resolve("docker/Dockerfile.jvm")));
        for (JsonNode workload : List.of(single(objects, "Deployment"), single(objects, "Job"))) {
            String what = overlay + ": " + workload.path("kind").asText() + " " + name(workload);
            JsonNode pod = workload.path("spec").path("template").path("spec");
            JsonNode podContext = pod.path("securityContext");
            assertFalse(pod.path("hostNetwork").asBoolean(false), what + ": hostNetwork");
            Set<String> emptyDirs = list(pod.path("volumes")).stream().filter(v -> v.has("emptyDir"))
                    .map(v -> v.path("name").asText()).collect(Collectors.toSet());
            List<JsonNode> containers = new ArrayList<>(list(pod.path("containers")));
            containers.addAll(list(pod.path("initContainers")));
            for (JsonNode container : containers) {
                JsonNode context = container.path("securityContext");
                boolean nonRoot = context.path("runAsNonRoot").asBoolean(podContext.path("runAsNonRoot").asBoolean(false));
                assertTrue(nonRoot, what + ": runAsNonRoot is not set");
                int uid = context.path("runAsUser").asInt(podContext.path("runAsUser").asInt(-1));
                assertTrue(uid != 0, what + ": runs as uid 0");
                if (uid > 0 && imageUser.matches("\\d+")) {
                    assertEquals(Integer.parseInt(imageUser), uid, what + ": runAsUser differs from the image's USER");
                }
                assertTrue(context.path("readOnlyRootFilesystem").asBoolean(false), what + ": root filesystem is writable");
                assertFalse(context.path("allowPrivilegeEscalation").asBoolean(true), what + ": allowPrivilegeEscalation");
                assertTrue(list(context.path("capabilities").path("drop")).stream().anyMatch(c -> c.asText().equals("ALL")),
                        what + ": capabilities not dropped");
                assertTrue(list(container.path("volumeMounts")).stream().anyMatch(m ->
                                "/tmp".equals(m.path("mountPath").asText()) && emptyDirs.contains(m.path("name").asText())),
                        what + ": no emptyDir at /tmp for the JVM's temporary files");
            }
        }
    }

    // --- migration once per rollout

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void migrationsRunOnceInAJobAndNeverInTheReplicas(String overlay) throws IOException {
        List<JsonNode> objects = Manifests.render(overlay);
        JsonNode deployment = single(objects, "Deployment");
        JsonNode job = single(objects, "Job");
        JsonNode server = serverContainer(objects);
        JsonNode migrate = list(job.path("spec").path("template").path("spec").path("containers")).get(0);

        assertEquals("false", env(server, "QUARKUS_FLYWAY_MIGRATE_AT_START").orElse(null),
                overlay + ": the Deployment must set QUARKUS_FLYWAY_MIGRATE_AT_START=false");
        assertFalse(env(server, "QUARKUS_INIT_AND_EXIT").filter("true"::equals).isPresent(), overlay + ": server exits");
        assertEquals("true", env(migrate, "QUARKUS_INIT_AND_EXIT").orElse(null), overlay + ": the Job must init and exit");
        assertEquals("true", env(migrate, "QUARKUS_FLYWAY_MIGRATE_AT_START").orElse(null), overlay + ": the Job must migrate");
        assertEquals(server.path("image").asText(), migrate.path("image").asText(), overlay + ": the Job runs another image");
        assertTrue(Set.of("Never", "OnFailure").contains(job.path("spec").path("template").path("spec").path("restartPolicy").asText()),
                overlay + ": Job restartPolicy");
        assertTrue(job.path("spec").has("ttlSecondsAfterFinished"), overlay + ": finished Jobs are never cleaned up");
        assertFalse(job.path("metadata").has("generateName"), overlay + ": kubectl apply cannot use generateName");

        Map<String, String> jobPodLabels = strings(job.path("spec").path("template").path("metadata").path("labels"));
        assertFalse(selects(strings(deployment.path("spec").path("selector").path("matchLabels")), jobPodLabels),
                overlay + ": the Deployment's selector would adopt the migration pod");
        assertFalse(selects(strings(single(objects, "Service").path("spec").path("selector")), jobPodLabels),
                overlay + ": the Service would route to the migration pod");
        assertFalse(selects(strings(single(objects, "PodDisruptionBudget").path("spec").path("selector").path("matchLabels")),
                jobPodLabels), overlay + ": the disruption budget counts the migration pod");

        // k8s/rollout.sh applies the Job (and what it reads) first, selected by label, then the rest.
        String script = Files.readString(Manifests.ROOT.resolve("k8s/rollout.sh"), StandardCharsets.UTF_8);
        Matcher first = Pattern.compile("app\\.kubernetes\\.io/component in \\(([^)]*)\\)").matcher(script);
        assertTrue(first.find(), "k8s/rollout.sh does not apply the migration first");
        Set<String> firstPhase = Set.of(first.group(1).replace(" ", "").split(","));
        assertTrue(firstPhase.contains(job.path("metadata").path("labels").path("app.kubernetes.io/component").asText()),
                overlay + ": the first phase of k8s/rollout.sh does not select the Job");
        for (JsonNode from : list(migrate.path("envFrom"))) {
            String configMap = from.path("configMapRef").path("name").asText(null);
            if (configMap != null) {
                JsonNode cm = ofKind(objects, "ConfigMap").stream().filter(c -> configMap.equals(name(c))).findFirst()
                        .orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap " + configMap));
                assertTrue(firstPhase.contains(cm.path("metadata").path("labels").path("app.kubernetes.io/component").asText()),
                        overlay + ": ConfigMap " + configMap + " read by the Job is not applied before it");
            }
        }
        assertTrue(script.contains("delete job " + name(job)), "k8s/rollout.sh does not delete the previous Job");
        assertTrue(script.contains("--for=condition=complete job/" + name(job)), "k8s/rollout.sh does not wait for the Job");
    }

    // --- graceful shutdown

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shutdownDrainsWithinTheGracePeriod(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        JsonNode pod = single(objects, "Deployment").path("spec").path("template").path("spec");
        JsonNode server = serverContainer(objects);
        long grace = pod.path("terminationGracePeriodSeconds").asLong(30);

        JsonNode preStop = server.path("lifecycle").path("preStop");
        long sleep;
        if (preStop.has("sleep")) {
            sleep = preStop.path("sleep").path("seconds").asLong();
        } else {
            List<String> command = list(preStop.path("exec").path("command")).stream().map(JsonNode::asText)
                    .collect(Collectors.toList());
            assertTrue(command.size() == 2 && command.get(0).equals("sleep"),
                    () -> overlay + ": preStop must sleep, so that the Service stops routing first: " + command);
            sleep = Long.parseLong(command.get(1));
        }
        assertTrue(sleep >= 5, overlay + ": preStop sleep shorter than endpoint propagation");

        String timeout = env(server, "QUARKUS_SHUTDOWN_TIMEOUT")
                .or(() -> APP.value("quarkus.shutdown.timeout")).orElse(null);
        assertNotNull(timeout, overlay + ": no QUARKUS_SHUTDOWN_TIMEOUT: Quarkus would not wait for in-flight work");
        long shutdown = seconds(timeout);
        assertTrue(shutdown > 0, overlay + ": shutdown timeout");
        assertTrue(grace > sleep + shutdown, () -> overlay + ": terminationGracePeriodSeconds " + grace
                + " does not cover preStop " + sleep + " s + shutdown timeout " + shutdown + " s");
    }

    // --- scaling, disruption, network

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void autoscalerDisruptionBudgetAndNetworkPolicyCoverTheServerPods(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        JsonNode deployment = single(objects, "Deployment");
        Map<String, String> podLabels = strings(deployment.path("spec").path("template").path("metadata").path("labels"));

        JsonNode hpa = single(objects, "HorizontalPodAutoscaler").path("spec");
        assertEquals("Deployment", hpa.path("scaleTargetRef").path("kind").asText());
        assertEquals(name(deployment), hpa.path("scaleTargetRef").path("name").asText());
        assertFalse(deployment.path("spec").has("replicas"),
                overlay + ": spec.replicas would reset the autoscaled count at every apply; set HPA minReplicas");
        int min = hpa.path("minReplicas").asInt(1);
        assertEquals(overlay.equals("prod") ? 3 : 1, min, overlay + ": replicas (HPA minReplicas)");
        int partitions = ofKind(objects, "KafkaTopic").stream()
                .filter(t -> "project-events".equals(t.path("spec").path("topicName").asText(name(t))))
                .mapToInt(t -> t.path("spec").path("partitions").asInt()).findFirst().orElse(Integer.MAX_VALUE);
        assertTrue(hpa.path("maxReplicas").asInt() <= partitions,
                overlay + ": more replicas than project-events partitions: some projectors would idle");

        JsonNode pdb = single(objects, "PodDisruptionBudget").path("spec");
        assertTrue(selects(strings(pdb.path("selector").path("matchLabels")), podLabels), overlay + ": PDB selector");
        if (pdb.has("minAvailable")) {
            assertTrue(pdb.path("minAvailable").asInt() < min, overlay + ": the PDB would block every node drain");
        }

        JsonNode policy = ofKind(objects, "NetworkPolicy").stream()
                .filter(p -> selects(strings(p.path("spec").path("podSelector").path("matchLabels")), podLabels))
                .findFirst().orElseThrow(() -> new AssertionError(overlay + ": no NetworkPolicy selects the server pods"));
        Set<String> ingress = ports(policy.path("spec").path("ingress"));
        assertTrue(ingress.contains(String.valueOf(httpPort())) || ingress.contains("http"),
                () -> overlay + ": ingress does not allow " + httpPort() + ": " + ingress);
        Set<String> egress = ports(policy.path("spec").path("egress"));
        Map<String, String> env = configMapVariables(objects, serverContainer(objects));
        Set<String> needed = new LinkedHashSet<>(List.of("53"));
        portOf(env.get("DB_URL"), "5432").ifPresent(needed::add);
        Optional.ofNullable(env.get("KAFKA_BOOTSTRAP_SERVERS")).ifPresent(servers -> {
            for (String server : servers.split(",")) {
                needed.add(server.substring(server.lastIndexOf(':') + 1));
            }
        });
        if ("false".equals(env.get("OTEL_SDK_DISABLED"))) {
            portOf(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"), "4317").ifPresent(needed::add);
        }
        // The issuer's discovery document and signing keys, without which no token is accepted.
        Optional.ofNullable(env.get("OIDC_ISSUER"))
                .flatMap(issuer -> portOf(issuer, issuer.startsWith("http://") ? "80" : "443")).ifPresent(needed::add);
        assertTrue(egress.containsAll(needed), () -> overlay + ": egress " + egress + " misses one of " + needed);
    }

    /** Issue 22: the prod database archives its WAL and takes base backups; the service writes to its primary. */
    @Test
    void theProdDatabaseArchivesItsWalAndTakesBaseBackupsAndTheServiceUsesItsPrimary() {
        List<JsonNode> objects = Manifests.render("prod");
        JsonNode cluster = single(objects, "Cluster");
        assertEquals("postgresql.cnpg.io/v1", cluster.path("apiVersion").asText());
        assertThat(cluster.path("spec").path("instances").asInt()).as("instances").isGreaterThanOrEqualTo(2);
        JsonNode store = cluster.path("spec").path("backup").path("barmanObjectStore");
        assertThat(store.path("destinationPath").asText()).as("the WAL archive and base backups' bucket").startsWith("s3://");
        assertThat(store.path("wal").isMissingNode()).as("WAL archiving").isFalse();
        assertThat(cluster.path("spec").path("backup").path("retentionPolicy").asText()).matches("\\d+[dwm]");
        // WAL archived at least every minute: the RPO the README gives.
        assertEquals("60s", cluster.path("spec").path("postgresql").path("parameters").path("archive_timeout").asText());

        JsonNode scheduled = single(objects, "ScheduledBackup");
        assertEquals(name(cluster), scheduled.path("spec").path("cluster").path("name").asText());
        assertEquals("barmanObjectStore", scheduled.path("spec").path("method").asText());
        assertThat(scheduled.path("spec").path("schedule").asText().split(" ")).as("a six-field schedule").hasSize(6);

        // The service and the migrations connect to the cluster's read-write Service, as the role it creates.
        JsonNode config = ofKind(objects, "ConfigMap").stream()
                .filter(c -> name(c).startsWith("project-pipeline-config")).findFirst().orElseThrow();
        assertThat(config.path("data").path("DB_URL").asText()).startsWith("postgresql://" + name(cluster) + "-rw:5432/");
        String roleSecret = cluster.path("spec").path("bootstrap").path("initdb").path("secret").path("name").asText();
        for (JsonNode workload : List.of(single(objects, "Deployment"), single(objects, "Job"))) {
            JsonNode container = workload.path("spec").path("template").path("spec").path("containers").get(0);
            for (JsonNode env : list(container.path("env"))) {
                if (List.of("DB_USER", "DB_PASSWORD").contains(env.path("name").asText())) {
                    assertEquals(roleSecret, env.path("valueFrom").path("secretKeyRef").path("name").asText(),
                            name(workload) + " " + env.path("name").asText());
                }
            }
        }
    }

    /** Issue 11: the API, the dashboard and the API's description are public over TLS; metrics and health are not. */
    @Test
    void theProdIngressExposesTheApiOverTlsButNotMetricsOrHealth() throws IOException {
        List<JsonNode> objects = Manifests.render("prod");
        JsonNode ingress = single(objects, "Ingress").path("spec");
        String service = name(single(objects, "Service"));
        List<String> hosts = new ArrayList<>();
        list(ingress.path("tls")).forEach(tls -> {
            assertFalse(tls.path("secretName").asText().isBlank(), "a TLS entry without a certificate Secret");
            list(tls.path("hosts")).forEach(host -> hosts.add(host.asText()));
        });
        Map<String, String> paths = new LinkedHashMap<>();
        for (JsonNode rule : list(ingress.path("rules"))) {
            assertTrue(hosts.contains(rule.path("host").asText()), "host without TLS: " + rule.path("host"));
            for (JsonNode path : list(rule.path("http").path("paths"))) {
                JsonNode backend = path.path("backend").path("service");
                assertEquals(service, backend.path("name").asText(), "backend of " + path.path("path"));
                assertEquals("http", backend.path("port").path("name").asText(), "port of " + path.path("path"));
                paths.put(path.path("path").asText(), path.path("pathType").asText());
            }
        }
        assertEquals(Map.of("/api", "Prefix", "/q/openapi", "Exact", "/q/asyncapi", "Exact", "/q/swagger-ui", "Prefix",
                "/", "Exact", "/dashboard", "Prefix", "/webjars", "Prefix"), paths);
        Matcher assets = Pattern.compile("(?:src|href)=\"(/[^\"]*)\"").matcher(Files.readString(
                Manifests.ROOT.resolve("src/main/resources/META-INF/resources/index.html")));
        while (assets.find()) {
            String asset = assets.group(1);
            assertThat(paths.entrySet()).as("the dashboard's " + asset + " passes the Ingress").anySatisfy(path ->
                    assertThat(path.getValue().equals("Prefix") ? asset.startsWith(path.getKey() + "/")
                            : asset.equals(path.getKey())).isTrue());
        }
        for (String hidden : List.of("/q/metrics", "/q/health", "/q/health/ready")) {
            paths.forEach((path, type) -> assertFalse(type.equals("Prefix") ? hidden.startsWith(path) : hidden.equals(path),
                    () -> path + " (" + type + ") exposes " + hidden));
        }
    }

    // --- monitoring

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theDashboardAndTheAlertsUseTheServicesMetrics(String overlay) throws IOException {
        List<JsonNode> objects = Manifests.render(overlay);
        String service = name(single(objects, "Service"));
        JsonNode dashboardMap = ofKind(objects, "ConfigMap").stream()
                .filter(c -> "1".equals(c.path("metadata").path("labels").path("grafana_dashboard").asText()))
                .findFirst().orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap labelled grafana_dashboard=1"));
        String json = strings(dashboardMap.path("data")).entrySet().stream().filter(e -> e.getKey().endsWith(".json"))
                .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new AssertionError("no dashboard JSON"));
        List<String> panelQueries = new ArrayList<>();
        JSON.readTree(json).findValues("expr").forEach(e -> panelQueries.add(e.asText()));
        for (String metric : DASHBOARD_METRICS) {
            assertTrue(panelQueries.stream().anyMatch(q -> q.contains(metric)), overlay + ": the dashboard does not chart " + metric);
        }

        List<String> alertQueries = new ArrayList<>();
        Set<String> alerts = new HashSet<>();
        for (JsonNode group : list(single(objects, "PrometheusRule").path("spec").path("groups"))) {
            for (JsonNode rule : list(group.path("rules"))) {
                alerts.add(rule.path("alert").asText());
                alertQueries.add(rule.path("expr").asText());
            }
        }
        for (String metric : List.of("pipeline_projector_lag_events", "pipeline_outbox_backlog",
                "pipeline_intake_dead_letters_total", "pipeline_intake_dead_letters_waiting", "pipeline_projector_dead_letters", "pipeline_consistency_differences", "pipeline_dependency_up", "http_server_requests_seconds_count",
                "pipeline_recovery_pending",
                "kube_deployment_status_replicas_available")) {
            assertTrue(alertQueries.stream().anyMatch(q -> q.contains(metric)), overlay + ": no alert on " + metric);
        }
        assertTrue(alerts.size() >= 5, overlay + ": alerts " + alerts);
        // Readiness does not report what every replica shares: an outage of each must alert on its own.
        for (String dependency : List.of("postgresql", "kafka")) {
            assertTrue(alertQueries.stream().anyMatch(q -> q.contains("pipeline_dependency_up")
                    && q.contains("dependency=\"" + dependency + "\"")), overlay + ": no alert on " + dependency);
        }

        Pattern serviceLabel = Pattern.compile("service=\"([^\"]+)\"");
        for (String query : concat(panelQueries, alertQueries)) {
            Matcher m = serviceLabel.matcher(query);
            while (m.find()) {
                assertEquals(service, m.group(1), "a query selects another service: " + query);
            }
        }
    }

    @Test
    void theApplicationConfigurationIsReadable() {
        // Guards the parser the other checks rely on.
        assertTrue(APP.required().stream().anyMatch(e -> e.environmentName().equals("DB_URL")), "DB_URL not found");
        assertThat(APP.required()).as("the prod profile's variables without a default")
                .extracting(ApplicationConfig.Expression::environmentName).contains("OIDC_ISSUER");
        assertTrue(APP.kafkaChannels().stream().anyMatch(c -> c.topics().contains("project-events")), "project-events not found");
        assertEquals("x/y", ApplicationConfig.withDefaults("${A:x}/${B:${C:y}}"));
    }

    // --- helpers

    private static JsonNode serverContainer(List<JsonNode> objects) {
        List<JsonNode> containers = list(single(objects, "Deployment").path("spec").path("template").path("spec").path("containers"));
        assertEquals(1, containers.size(), "the Deployment should run one container");
        return containers.get(0);
    }

    private static int httpPort() {
        return Integer.parseInt(APP.valueOrDefault("quarkus.http.port", "8080"));
    }

    /** The port the health endpoints answer on: the HTTP port, or the management port if that interface is on. */
    private static int healthPort() {
        boolean management = Boolean.parseBoolean(APP.valueOrDefault("quarkus.management.enabled", "false"));
        return management ? Integer.parseInt(APP.valueOrDefault("quarkus.management.port", "9000")) : httpPort();
    }

    /** A path under the non-application root ({@code /q} unless configured), as Quarkus resolves it. */
    private static String nonApplicationPath(String path) {
        if (path.startsWith("/")) {
            return path;
        }
        boolean management = Boolean.parseBoolean(APP.valueOrDefault("quarkus.management.enabled", "false"));
        String root = management ? APP.valueOrDefault("quarkus.management.root-path", "q")
                : APP.valueOrDefault("quarkus.http.non-application-root-path", "q");
        if (!root.startsWith("/")) {
            root = join(APP.valueOrDefault("quarkus.http.root-path", "/"), root);
        }
        return join(root, path);
    }

    private static String healthPath(String property, String fallback) {
        String leaf = APP.valueOrDefault(property, fallback);
        if (leaf.startsWith("/")) {
            return leaf;
        }
        return join(nonApplicationPath(APP.valueOrDefault("quarkus.smallrye-health.root-path", "health")), leaf);
    }

    private static String join(String a, String b) {
        String left = a.replaceAll("^/+|/+$", "");
        String right = b.replaceAll("^/+|/+$", "");
        return left.isEmpty() ? "/" + right : "/" + left + "/" + right;
    }

    private static int resolvePort(JsonNode container, JsonNode port) {
        if (port.isInt() || port.asText().matches("\\d+")) {
            return port.asInt(Integer.parseInt(port.asText("0")));
        }
        return list(container.path("ports")).stream().filter(p -> port.asText().equals(p.path("name").asText()))
                .mapToInt(p -> p.path("containerPort").asInt()).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.asText()));
    }

    private static Optional<String> env(JsonNode container, String variable) {
        return list(container.path("env")).stream().filter(e -> variable.equals(e.path("name").asText()))
                .map(e -> e.path("value").asText()).findFirst();
    }

    /** The variables a container gets: env entries, and the keys of the ConfigMaps and Secrets of envFrom. */
    private static Set<String> suppliedVariables(List<JsonNode> objects, JsonNode container) {
        Set<String> supplied = new TreeSet<>();
        for (JsonNode e : list(container.path("env"))) {
            JsonNode from = e.path("valueFrom");
            JsonNode ref = from.has("configMapKeyRef") ? from.path("configMapKeyRef") : from.path("secretKeyRef");
            if (from.has("configMapKeyRef") || from.has("secretKeyRef")) {
                String kind = from.has("configMapKeyRef") ? "ConfigMap" : "Secret";
                Optional<JsonNode> source = find(objects, kind, ref.path("name").asText());
                if (kind.equals("ConfigMap")) {
                    assertTrue(source.isPresent(), "env " + e.path("name").asText() + " reads a ConfigMap that is not rendered");
                }
                // A Secret kept out of the manifests is declared by name and key here; a rendered one must have the key.
                source.ifPresent(s -> assertTrue(keys(s).contains(ref.path("key").asText()),
                        kind + " " + name(s) + " has no key " + ref.path("key").asText()));
                if (ref.path("optional").asBoolean(false)) {
                    continue;
                }
            }
            supplied.add(e.path("name").asText());
        }
        for (JsonNode from : list(container.path("envFrom"))) {
            String prefix = from.path("prefix").asText("");
            boolean configMap = from.has("configMapRef");
            JsonNode ref = configMap ? from.path("configMapRef") : from.path("secretRef");
            if (ref.path("optional").asBoolean(false)) {
                continue;
            }
            String kind = configMap ? "ConfigMap" : "Secret";
            JsonNode source = find(objects, kind, ref.path("name").asText()).orElseThrow(() -> new AssertionError(
                    "envFrom names " + kind + " " + ref.path("name").asText() + ", which the manifests do not contain:"
                            + " its keys cannot be checked (use env with secretKeyRef for Secrets kept outside)"));
            keys(source).forEach(k -> supplied.add(prefix + k));
        }
        return supplied;
    }

    private static Map<String, String> configMapVariables(List<JsonNode> objects, JsonNode container) {
        Map<String, String> values = new java.util.TreeMap<>();
        for (JsonNode from : list(container.path("envFrom"))) {
            if (from.has("configMapRef")) {
                find(objects, "ConfigMap", from.path("configMapRef").path("name").asText())
                        .ifPresent(cm -> strings(cm.path("data")).forEach((k, v) -> values.put(from.path("prefix").asText("") + k, v)));
            }
        }
        for (JsonNode e : list(container.path("env"))) {
            if (e.has("value")) {
                values.put(e.path("name").asText(), e.path("value").asText());
            }
        }
        return values;
    }

    private static Optional<JsonNode> find(List<JsonNode> objects, String kind, String name) {
        return ofKind(objects, kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    private static Set<String> keys(JsonNode configMapOrSecret) {
        Set<String> keys = new TreeSet<>();
        for (String field : List.of("data", "stringData", "binaryData")) {
            configMapOrSecret.path(field).fieldNames().forEachRemaining(keys::add);
        }
        return keys;
    }

    private static Set<String> ports(JsonNode rules) {
        Set<String> ports = new TreeSet<>();
        for (JsonNode rule : list(rules)) {
            for (JsonNode port : list(rule.path("ports"))) {
                ports.add(port.path("port").asText());
            }
        }
        return ports;
    }

    /** The port of a URL, or the scheme's default port when it names none. */
    private static Optional<String> portOf(String url, String defaultPort) {
        if (url == null) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile("//[^/:]+:(\\d+)").matcher(url);
        return Optional.of(m.find() ? m.group(1) : defaultPort);
    }

    private static double retentionDays(JsonNode spec) {
        assertNotNull(spec, "topic missing");
        long ms = Long.parseLong(spec.path("config").path("retention.ms").asText("604800000"));
        return ms < 0 ? Double.POSITIVE_INFINITY : ms / 86_400_000d;
    }

    /** {@code 30s}, {@code 1m}, {@code PT30S} or a number of seconds, as Quarkus reads durations. */
    static long seconds(String duration) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(duration.trim().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            return Duration.parse(duration.trim().toUpperCase(java.util.Locale.ROOT)).toSeconds();
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        switch (unit) {
            case "ms":
                return n / 1000;
            case "m":
                return n * 60;
            case "h":
                return n * 3600;
            case "d":
                return n * 86400;
            default:
                return n;
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
