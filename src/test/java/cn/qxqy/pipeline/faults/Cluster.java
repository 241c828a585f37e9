package cn.qxqy.pipeline.faults;

import cn.qxqy.pipeline.embedded.EmbeddedDatabase;
import cn.qxqy.pipeline.embedded.EmbeddedInfrastructure;
import cn.qxqy.pipeline.embedded.EmbeddedIssuer.Claims;
import cn.qxqy.pipeline.embedded.EmbeddedIssuer;
import cn.qxqy.pipeline.embedded.EmbeddedKafka;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The processes a fault test runs against, one set per test class: a real Kafka broker in this JVM, a real PostgreSQL
 * server (a child process whose data directory survives a stop, so that it can be started again on the same data and
 * port), an OIDC issuer in this JVM whose bearer tokens the replicas verify, and N replicas of the production jar.
 * Everything is stopped by {@link #close()}, also from a shutdown hook.
 */
final class Cluster implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("faults.root", ".")).toAbsolutePath().normalize();
    static final Path JAR = ROOT.resolve("target/quarkus-app/quarkus-run.jar");
    /** Logs, argument files and data of the fault tests. */
    static final Path DIR = ROOT.resolve("target/faults");
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    static final Duration PROBE_INTERVAL = Duration.ofMillis(250);
    /** Amounts are read exactly, as BigDecimal. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** Longer than any fault test runs (each gives up within minutes), so that one token per caller serves it all. */
    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    /** The writers' department: the city's 发改委, holding every county of 吕梁 (141100). */
    static final Claims DEPARTMENT = Claims.of("fgw", List.of("department"), List.of("141100"))
            .lifetime(TOKEN_LIFETIME);
    static final Claims ADMIN = Claims.of("ops-console", List.of("admin"), null).lifetime(TOKEN_LIFETIME);
    /** Reads need a role too. */
    static final Claims VIEWER = Claims.of("dashboard", List.of("viewer"), null).lifetime(TOKEN_LIFETIME);

    /** The test JVM's own Kafka clients (verification, AdminClient) would otherwise log every configuration at INFO. */
    @SuppressWarnings("unused")
    private static final java.util.logging.Logger KAFKA_CLIENTS = quiet("org.apache.kafka");

    final String name;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final EmbeddedKafka kafka;
    private final EmbeddedIssuer issuer;
    private final Map<Claims, String> tokens = new ConcurrentHashMap<>();
    private final Path databaseDir;
    private final int databasePort;
    private volatile EmbeddedDatabase database;
    private final List<Replica> replicas = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::close, "fault-cluster-stop");
    /** The writers' load balancer: routes to the replicas whose readiness it last saw UP, like a Service. */
    private final ScheduledExecutorService balancer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "fault-cluster-readiness");
        thread.setDaemon(true);
        return thread;
    });
    private boolean closed;

    private Cluster(String name, EmbeddedKafka kafka, EmbeddedDatabase database, EmbeddedIssuer issuer) {
        this.name = name;
        this.kafka = kafka;
        this.issuer = issuer;
        this.database = database;
        this.databaseDir = database.dataDir();
        this.databasePort = database.port();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the OIDC issuer, then Kafka and PostgreSQL in parallel, then {@code replicaCount} replicas in parallel, and
     * waits until all are ready.
     */
    static Cluster start(String name, int replicaCount) throws Exception {
        return start(name, replicaCount, Map.of());
    }

    /** As {@link #start(String, int)}, with {@code environment} added to the replicas' (more departments, say). */
    static Cluster start(String name, int replicaCount, Map<String, String> environment) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the fault tests with ./mvnw -Pfaults verify");
        }
        Files.createDirectories(DIR);
        Path kafkaDir = DIR.resolve("kafka").resolve(name);
        Path databaseDir = DIR.resolve("postgres").resolve(name);
        EmbeddedInfrastructure.deleteRecursively(kafkaDir);
        clearDatabase(databaseDir);
        EmbeddedIssuer issuer = EmbeddedIssuer.start();
        CompletableFuture<EmbeddedKafka> kafka = CompletableFuture.supplyAsync(() -> EmbeddedKafka.start(kafkaDir, 0, 0));
        CompletableFuture<EmbeddedDatabase> database =
                CompletableFuture.supplyAsync(() -> EmbeddedDatabase.startPersistent(databaseDir, 0));
        try {
            CompletableFuture.allOf(kafka, database).join();
        } catch (RuntimeException e) {
            issuer.close();
            kafka.thenAccept(EmbeddedKafka::close);
            database.thenAccept(EmbeddedDatabase::close);
            throw e;
        }
        Cluster cluster = new Cluster(name, kafka.join(), database.join(), issuer);
        try {
            Map<String, String> replicaEnvironment = new HashMap<>(cluster.environment());
            replicaEnvironment.putAll(environment);
            for (int i = 1; i <= replicaCount; i++) {
                cluster.replicas.add(new Replica(name + "-r" + i, freePort(), replicaEnvironment));
            }
            cluster.start(IntStream.range(0, replicaCount).toArray());
            cluster.balancer.scheduleWithFixedDelay(() -> cluster.replicas.forEach(r -> r.probe(cluster.http)), 0,
                    PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            System.out.printf("[faults] %s: Kafka %s, PostgreSQL %s, %d replicas ready (logs %s/%s-r*.log)%n", name,
                    cluster.kafka.bootstrapServers(), cluster.jdbcUrl(), replicaCount, DIR, name);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * The production profile's variables (README, "Production configuration"), the Deployment's shutdown timeout, and
     * the regions of the writers' department for its Kafka intake records, which carry no token.
     */
    private Map<String, String> environment() {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "DB_URL", "postgresql://localhost:" + databasePort + "/" + EmbeddedDatabase.DATABASE,
                "DB_USER", EmbeddedDatabase.USERNAME,
                "DB_PASSWORD", EmbeddedDatabase.PASSWORD,
                "OIDC_ISSUER", issuer.url(),
                "PIPELINE_DEPARTMENTS_" + DEPARTMENT.client().toUpperCase(Locale.ROOT) + "_REGIONS",
                String.join(",", DEPARTMENT.regions()),
                "QUARKUS_SHUTDOWN_TIMEOUT", "30s");
    }

    // --- replicas ---------------------------------------------------------------------------------------------------

    List<Replica> replicas() {
        return replicas;
    }

    Replica replica(int index) {
        return replicas.get(index);
    }

    /** Starts the given replicas (indexes) at once and waits until each is ready. */
    void start(int... indexes) throws InterruptedException {
        long started = System.nanoTime();
        for (int i : indexes) {
            replicas.get(i).start();
        }
        for (int i : indexes) {
            replicas.get(i).awaitReady(http, START_TIMEOUT);
        }
        System.out.printf("[faults] %s: started %s in %.1f s%n", name,
                IntStream.of(indexes).mapToObj(i -> replicas.get(i).name()).toList(), seconds(started));
    }

    /** The first live replica, for the admin and read calls of the verification. */
    Replica live() {
        return replicas.stream().filter(Replica::alive).findFirst()
                .orElseThrow(() -> new IllegalStateException("no replica is running"));
    }

    // --- PostgreSQL -------------------------------------------------------------------------------------------------

    /** A fast shutdown (pg_ctl stop -m fast): open connections are terminated; the data directory stays. */
    void stopDatabase() {
        database.close();
    }

    /** Starts PostgreSQL again on the same data directory and port. */
    void startDatabase() {
        database = EmbeddedDatabase.startPersistent(databaseDir, databasePort);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + databasePort + "/" + EmbeddedDatabase.DATABASE;
    }

    Connection jdbc() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), EmbeddedDatabase.USERNAME, EmbeddedDatabase.PASSWORD);
    }

    /** The eventIds in the outbox: committed, not yet published. */
    Set<UUID> outbox() throws SQLException {
        Set<UUID> ids = new HashSet<>();
        try (Connection db = jdbc();
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT e.event_id FROM outbox o JOIN events e ON e.position = o.position")) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    // --- Kafka ------------------------------------------------------------------------------------------------------

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Stops the broker for good: the replicas keep running without Kafka until {@link #close()}. */
    void stopKafka() {
        kafka.close();
    }

    /** Which of the eventIds the event store holds, once it holds them all or the timeout passed. */
    Set<UUID> awaitStored(Set<UUID> eventIds, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<UUID> stored = new HashSet<>();
        while (stored.size() < eventIds.size() && System.nanoTime() < deadline) {
            stored.clear();
            try (Connection db = jdbc(); PreparedStatement query = db.prepareStatement(
                    "SELECT event_id FROM events WHERE event_id = ANY(?)")) {
                query.setArray(1, db.createArrayOf("uuid", eventIds.toArray()));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        stored.add(rows.getObject(1, UUID.class));
                    }
                }
            }
            Thread.sleep(250);
        }
        return stored;
    }

    // --- HTTP -------------------------------------------------------------------------------------------------------

    /** The Authorization header of a caller: a bearer token of the cluster's issuer, one per caller. */
    String bearer(Claims caller) {
        return "Bearer " + tokens.computeIfAbsent(caller, issuer::token);
    }

    /** GET as the admin, or else as a viewer. */
    HttpResponse<String> get(Replica replica, String path, boolean asAdmin, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(replica.baseUrl() + path)).timeout(timeout)
                .header("Accept", "application/json").header("Authorization", bearer(asAdmin ? ADMIN : VIEWER))
                .GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** GET on a live replica, which must answer 200 with JSON. */
    JsonNode getJson(String path, boolean asAdmin, Duration timeout) throws IOException, InterruptedException {
        Replica replica = live();
        HttpResponse<String> r = get(replica, path, asAdmin, timeout);
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " on " + replica.name() + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** One row of GET /api/v1/admin/projections: "projector" or "rebuild". */
    Optional<JsonNode> projection(String projection) throws IOException, InterruptedException {
        for (JsonNode status : getJson("/api/v1/admin/projections", true, Duration.ofSeconds(30))) {
            if (projection.equals(status.path("name").asText())) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    /**
     * A campaign of the test's own, so that its figures are the test's alone: created through the admin API of every
     * replica, since each takes a campaign created elsewhere only when its cached reference codes expire.
     */
    String createCampaign() throws IOException, InterruptedException {
        String campaignId = "f-" + UUID.randomUUID().toString().substring(0, 8);
        String body = JSON.writeValueAsString(Map.of("nameZh", "故障测试会战", "nameEn", "Fault test campaign",
                "year", 2024, "cityCode", "141100"));
        for (Replica replica : replicas) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/api/v1/admin/campaigns/" + campaignId))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("Authorization", bearer(ADMIN))
                    .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() != 200 && r.statusCode() != 201) {
                throw new IOException("PUT campaign on " + replica.name() + " answered " + r.statusCode() + ": " + r.body());
            }
        }
        return campaignId;
    }

    // --- shutdown ---------------------------------------------------------------------------------------------------

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
        balancer.shutdownNow();
        CompletableFuture.allOf(replicas.stream().map(r -> CompletableFuture.runAsync(r::stop))
                .toArray(CompletableFuture[]::new)).join();
        issuer.close();
        try {
            kafka.close();
        } finally {
            database.close();
            EmbeddedInfrastructure.deleteRecursively(kafka.logDir());
            EmbeddedInfrastructure.deleteRecursively(databaseDir);
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    /**
     * Removes a data directory left by an earlier run. A run killed with its PostgreSQL up leaves the server running
     * on it: starting on the directory stops that server first (EmbeddedDatabase), then it is stopped cleanly.
     */
    private static void clearDatabase(Path dir) {
        if (Files.exists(dir.resolve("postmaster.pid"))) {
            try {
                EmbeddedDatabase.startPersistent(dir, 0).close();
            } catch (RuntimeException e) {
                System.out.println("[faults] could not start and stop the PostgreSQL left in " + dir + ": " + e.getMessage());
            }
        }
        EmbeddedInfrastructure.deleteRecursively(dir);
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static java.util.logging.Logger quiet(String category) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(category);
        logger.setLevel(Level.WARNING);
        return logger;
    }
}
