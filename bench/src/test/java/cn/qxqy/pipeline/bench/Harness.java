package cn.qxqy.pipeline.bench;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.qxqy.pipeline.embedded.EmbeddedIssuer;
import cn.qxqy.pipeline.embedded.EmbeddedIssuer.Claims;

/**
 * The processes under test and the calls around the load: the embedded Kafka and PostgreSQL in their own JVM, the
 * raw-limit clients and the event store's seed in others, the production jar in one more; the OIDC issuer of the
 * bearer tokens it accepts, in this JVM; the admin, metrics and read endpoints.
 * <p>
 * Every process it starts is stopped by {@link #stop()}, also from a shutdown hook; their pids are written to
 * target/bench/*.pid so that bench/run can stop what a killed run left behind.
 */
final class Harness {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer than any run (the simulation's maximum duration, the sum of its bounds, is a few hours). */
    private static final Duration TOKEN_LIFETIME = Duration.ofDays(1);
    /** The load's department: the city's 发改委, holding every county of 吕梁 (141100), the regions of the projects. */
    private static final Claims DEPARTMENT = Claims.of("fgw", List.of("department"), List.of("141100"))
            .lifetime(TOKEN_LIFETIME);
    private static final Claims ADMIN = Claims.of("ops-console", List.of("admin"), null).lifetime(TOKEN_LIFETIME);

    final BenchConfig config;
    final int servicePort;
    final String baseUrl;
    /** The Authorization headers of the load's department and of the administrator. */
    final String department;
    final String admin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private EmbeddedIssuer issuer;
    private Process infra;
    private OutputStream infraStdin;
    private Process service;
    private long servicePid = -1;
    private final CpuClock cpuClock = new CpuClock();
    private volatile PgStatements statements;
    /** The service's memory cgroup (issue 27), or null if the machine did not let the benchmark create one. */
    private MemoryCgroup cgroup;
    private final Map<String, String> infraInfo = new LinkedHashMap<>();
    private final Map<String, String> rawInfo = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    Harness(BenchConfig config) {
        this.config = config;
        this.servicePort = freePort();
        this.baseUrl = "http://localhost:" + servicePort;
        this.issuer = EmbeddedIssuer.start();
        this.department = "Bearer " + issuer.token(DEPARTMENT);
        this.admin = "Bearer " + issuer.token(ADMIN);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "bench-harness-stop"));
    }

    // --- processes --------------------------------------------------------------------------------------------------

    void startInfrastructure() throws Exception {
        Files.createDirectories(config.benchDir());
        Path log = config.benchDir().resolve("infra.log");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", helperClasspath(), "cn.qxqy.pipeline.bench.BenchInfrastructure",
                config.benchDir().resolve("infra").toString(), "fsync=" + config.fsync));
        infra = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        infraStdin = infra.getOutputStream(); // kept open: closing it (or our death) stops the infrastructure
        writePid("infra.pid", infra.pid());
        String line = awaitLine(infra, log, "BENCH-INFRA ", Duration.ofSeconds(120));
        infraInfo.putAll(keyValues(line));
        System.out.println("[bench] infrastructure: " + line);
        statements = new PgStatements(infraInfo.get("postgres"), infraInfo.get("user"), infraInfo.get("password"),
                config.topStatements);
    }

    /** pg_stat_statements of the benchmark's PostgreSQL, per measured write phase. */
    PgStatements statements() {
        return statements;
    }

    Map<String, String> infra() {
        return infraInfo;
    }

    Map<String, String> raw() {
        return rawInfo;
    }

    List<String> notes() {
        return notes;
    }

    void runRawLimits() throws Exception {
        double seconds = config.rawDuration.toMillis() / 1000.0;
        System.out.printf("[bench] raw limits: PostgreSQL inserts then Kafka producer, %.1f s each (log %s)%n", seconds,
                config.benchDir().resolve("raw.log"));
        rawInfo.putAll(runHelper("RawLimits", "raw.log", "BENCH-RAW ", Duration.ofSeconds((long) (seconds * 2 + 180)),
                "--kafka", infraInfo.get("kafka"), "--seconds", String.valueOf(seconds),
                "--clients", String.valueOf(config.rawClients), "--pool", String.valueOf(config.rawPool)));
    }

    /** Seeds the event store directly with src/bench/resources/seed-events.sql; what it wrote, counted in the store. */
    Map<String, String> seed() throws Exception {
        System.out.printf("[bench] seeding the event store with %,d projects (log %s)%n", config.scaleProjects,
                config.benchDir().resolve("seed.log"));
        return runHelper("EventStoreSeed", "seed.log", "BENCH-SEED ", config.seedTimeout,
                "--projects", String.valueOf(config.scaleProjects), "--prefix", "SEED-",
                "--script", config.root.resolve("src/bench/resources/seed-events.sql").toString());
    }

    /** Issue 27: the one-event projects of src/bench/resources/seed-one-event-projects.sql, beside the seed's. */
    Map<String, String> seedOneEventProjects() throws Exception {
        System.out.printf("[bench] seeding the event store with %,d one-event projects (log %s)%n",
                config.oneEventProjects, config.benchDir().resolve("seed-one-event.log"));
        return runHelper("EventStoreSeed", "seed-one-event.log", "BENCH-SEED ", config.seedTimeout,
                "--projects", String.valueOf(config.oneEventProjects), "--prefix", "ONE-",
                "--script", config.root.resolve("src/bench/resources/seed-one-event-projects.sql").toString());
    }

    /** The raw limit of PostgreSQL streaming the event rows in the rebuild's order. */
    void runEventStreamLimit() throws Exception {
        System.out.printf("[bench] raw limit: PostgreSQL streams the event rows in the rebuild's order (log %s)%n",
                config.benchDir().resolve("raw-event-stream.log"));
        rawInfo.putAll(runHelper("ReadLimits", "raw-event-stream.log", "BENCH-RAW ", config.seedTimeout,
                "--measure", "event-stream"));
    }

    /**
     * Issue 27: the rebuild's reference, a Kafka Streams aggregation of the store's events on the benchmark's broker
     * (src/bench/java StreamsReference): its events/s into {@link #raw()} ({@code streams.*}).
     */
    void runStreamsReference() throws Exception {
        System.out.printf("[bench] raw limit: Kafka Streams aggregates the store's events, %d threads (log %s)%n",
                config.streamsThreads, config.benchDir().resolve("raw-streams.log"));
        rawInfo.putAll(runHelper("StreamsReference", "raw-streams.log", "BENCH-STREAMS ",
                config.streamsTimeout.plus(config.seedTimeout), "--kafka", infraInfo.get("kafka"),
                "--threads", String.valueOf(config.streamsThreads),
                "--timeout", String.valueOf(config.streamsTimeout.toSeconds()),
                "--state-dir", config.benchDir().resolve("streams-state").toString()));
    }

    /** The raw limit of PostgreSQL answering primary-key lookups of seeded projects from the read phases' connections. */
    void runLookupLimit() throws Exception {
        double seconds = config.rawDuration.toMillis() / 1000.0;
        double warmup = config.rawLookupWarmup.toMillis() / 1000.0;
        System.out.printf("[bench] raw limit: PostgreSQL primary-key lookups in project_view, %d clients, %.1f s after "
                + "%.1f s of warm-up (log %s)%n", config.readConnections, seconds, warmup,
                config.benchDir().resolve("raw-lookups.log"));
        rawInfo.putAll(runHelper("ReadLimits", "raw-lookups.log", "BENCH-RAW ",
                Duration.ofSeconds((long) (warmup + seconds + 180)),
                "--measure", "lookups", "--warmup", String.valueOf(warmup), "--seconds", String.valueOf(seconds),
                "--clients", String.valueOf(config.readConnections), "--projects", String.valueOf(config.scaleProjects)));
    }

    /**
     * Runs a helper of src/bench/java in a JVM of its own against the benchmark's PostgreSQL; its result line (the
     * first starting with {@code resultPrefix}) as key=value pairs.
     */
    private Map<String, String> runHelper(String mainClass, String logName, String resultPrefix, Duration timeout,
                                          String... args) throws Exception {
        Path log = config.benchDir().resolve(logName);
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", helperClasspath(), "cn.qxqy.pipeline.bench." + mainClass,
                "--postgres", infraInfo.get("postgres"), "--user", infraInfo.get("user"),
                "--password", infraInfo.get("password")));
        command.addAll(List.of(args));
        Process helper = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!helper.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            helper.destroyForcibly();
            throw new IllegalStateException(mainClass + " did not finish within " + timeout + "; see " + log);
        }
        String line = Files.readAllLines(log).stream().filter(l -> l.startsWith(resultPrefix)).findFirst()
                .orElseThrow(() -> new IllegalStateException(mainClass + " failed (exit " + helper.exitValue() + "):\n"
                        + tail(log)));
        System.out.println("[bench] " + line);
        return keyValues(line);
    }

    void startService() throws Exception {
        Path jar = config.target().resolve("quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw clean package (bench/run does)");
        }
        Path log = config.benchDir().resolve("service.log");
        List<String> args = new ArrayList<>(Arrays.asList(config.serviceJvmArgs.trim().split("\\s+")));
        args.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
        args.add("-Dquarkus.http.port=" + servicePort);
        args.add("-jar");
        args.add(jar.toString());
        // The arguments go through a file (java @file): the machine may be shared, and other runs of the service that
        // stop "every quarkus-run.jar" by name (pkill -f) must not stop this one in the middle of a measurement.
        Path argFile = config.benchDir().resolve("service.args");
        StringBuilder quoted = new StringBuilder();
        for (String arg : args) {
            quoted.append('"').append(arg.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        Files.writeString(argFile, quoted, StandardCharsets.UTF_8);
        List<String> command = List.of(java, "@" + argFile);
        cgroup = config.cgroupMemoryMiB > 0 ? MemoryCgroup.create("bench-service-" + ProcessHandle.current().pid(),
                config.cgroupMemoryMiB, notes) : null;
        if (cgroup != null) {
            command = cgroup.wrap(command);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(config.benchDir().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // The production profile's own variables (README, "Production configuration").
        // The image's malloc setting (its JVM settings are in the arguments).
        if (config.image.containsKey("MALLOC_ARENA_MAX")) {
            builder.environment().put("MALLOC_ARENA_MAX", config.image.get("MALLOC_ARENA_MAX"));
        }
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", infraInfo.get("kafka"));
        builder.environment().put("DB_URL", infraInfo.get("postgres"));
        builder.environment().put("DB_USER", infraInfo.get("user"));
        builder.environment().put("DB_PASSWORD", infraInfo.get("password"));
        builder.environment().put("OIDC_ISSUER", issuer.url());
        // The benchmark measures what one pod can take: the per-department rate limit (2,000 events/s by default,
        // README "Security") would measure the limit instead.
        builder.environment().put("PIPELINE_INGEST_EVENTS_PER_DEPARTMENT_PER_SECOND", "100000000");
        // One token per caller outlasts the run: longer than the 2 h a token may live by default.
        builder.environment().put("OIDC_TOKEN_MAX_LIFETIME", TOKEN_LIFETIME.plusMinutes(5).toString());
        System.out.println("[bench] service: " + java + " " + String.join(" ", args) + " (through " + argFile
                + "; log " + log + (cgroup == null ? "" : "; in the memory cgroup " + cgroup) + ")");
        service = builder.start();
        servicePid = service.pid();
        writePid("service.pid", servicePid);

        long deadline = System.nanoTime() + config.serviceStartTimeout.toNanos();
        long started = System.nanoTime();
        while (true) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service exited with " + service.exitValue() + " while starting:\n" + tail(log));
            }
            Optional<HttpResponse<String>> r = tryGet("/q/health/started", null);
            if (r.isPresent() && r.get().statusCode() == 200) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the service did not report started within " + config.serviceStartTimeout
                        + ":\n" + tail(log));
            }
            Thread.sleep(200);
        }
        System.out.printf("[bench] service started in %.1f s on %s (pid %d)%n", (System.nanoTime() - started) / 1e9,
                baseUrl, servicePid);
    }

    boolean serviceAlive() {
        return service != null && service.isAlive();
    }

    /** Why the service is not running any more, if it is not. */
    String serviceExit() {
        if (service == null || service.isAlive()) {
            return "";
        }
        int code = service.exitValue();
        return "exit code " + code + (code == 143 ? " (SIGTERM from outside the benchmark: another process stopped it)"
                : code == 137 ? " (SIGKILL from outside the benchmark)"
                : code == 3 ? " (OutOfMemoryError: -XX:+ExitOnOutOfMemoryError exits so)" : "");
    }

    /** The last line of the service's log containing {@code text}, from it on (to the end of its JSON string); null if none. */
    String lastServiceLogLine(String text) {
        try (java.util.stream.Stream<String> lines = Files.lines(config.benchDir().resolve("service.log"), StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains(text)).reduce((a, b) -> b)
                    .map(line -> line.substring(line.indexOf(text)))
                    .map(line -> line.indexOf('"') < 0 ? line : line.substring(0, line.indexOf('"'))).orElse(null);
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    /** CPU used so far by the service and by the infrastructure (broker JVM, PostgreSQL and its backends). */
    CpuClock.Sample cpu() {
        return cpuClock.sample(servicePid, infra == null ? -1 : infra.pid(),
                Long.parseLong(infraInfo.getOrDefault("postmaster", "-1")));
    }

    /** From /proc/PID/status: VmHWM (peak resident set) and VmRSS, in KiB. */
    Map<String, Long> serviceMemory() {
        Map<String, Long> memory = new LinkedHashMap<>();
        if (servicePid < 0) {
            return memory;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(servicePid), "status"))) {
                Matcher m = Pattern.compile("^(VmHWM|VmRSS):\\s+(\\d+) kB").matcher(line);
                if (m.find()) {
                    memory.put(m.group(1), Long.parseLong(m.group(2)));
                }
            }
        } catch (IOException e) {
            notes.add("could not read /proc/" + servicePid + "/status: " + e.getMessage());
        }
        return memory;
    }

    /** The service's memory cgroup: its limit, peak usage, OOM kills; null if the service does not run in one. */
    MemoryCgroup cgroup() {
        return cgroup;
    }

    synchronized void stop() {
        if (statements != null) {
            statements.close();
        }
        if (service != null) {
            stopProcess(service, "service", Duration.ofSeconds(40));
            service = null;
        }
        if (cgroup != null) {
            cgroup.remove();
        }
        if (infra != null) {
            try {
                infraStdin.close();
            } catch (IOException ignored) {
                // it stops on SIGTERM too
            }
            if (!waitFor(infra, Duration.ofSeconds(60))) {
                stopProcess(infra, "infrastructure", Duration.ofSeconds(30));
            }
            infra = null;
        }
        if (issuer != null) {
            issuer.close();
            issuer = null;
        }
        try {
            Files.deleteIfExists(config.benchDir().resolve("service.pid"));
            Files.deleteIfExists(config.benchDir().resolve("infra.pid"));
        } catch (IOException ignored) {
            // bench/run checks that the pids are not ours any more
        }
    }

    private static void stopProcess(Process process, String what, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: Quarkus and the infrastructure's shutdown hook stop cleanly
        if (!waitFor(process, grace)) {
            System.out.println("[bench] " + what + " did not stop within " + grace + ": killing it");
            process.destroyForcibly();
            waitFor(process, Duration.ofSeconds(10));
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // --- HTTP -------------------------------------------------------------------------------------------------------

    JsonNode getJson(String path, boolean asAdmin, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> r;
        try {
            r = get(path, asAdmin, timeout);
        } catch (IOException e) {
            throw new IOException("GET " + path + ": " + e.getMessage(), e); // the client's own message names no request
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** GET as the administrator, or else as the load's department (reads need a role too). */
    HttpResponse<String> get(String path, boolean asAdmin, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = request(path, timeout).GET().header("Authorization", asAdmin ? admin : department).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A read as the load's requests make it (the department's token), conditional if {@code ifNoneMatch} is set. */
    HttpResponse<String> read(String path, String ifNoneMatch, Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path, timeout).GET().header("Authorization", department);
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> postAsAdmin(String path, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = request(path, timeout).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", admin).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Accept", path.startsWith("/q/metrics") ? "text/plain" : "application/json");
    }

    private Optional<HttpResponse<String>> tryGet(String path, Duration timeout) {
        try {
            return Optional.of(get(path, false, timeout == null ? Duration.ofSeconds(2) : timeout));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The projector's lag from GET /api/v1/admin/projections (exact, computed from the store on each call). */
    long lag() throws IOException, InterruptedException {
        return projector().path("lag").asLong(-1);
    }

    JsonNode projector() throws IOException, InterruptedException {
        return projection("projector");
    }

    /** One element of GET /api/v1/admin/projections: "projector" (the live one) or "rebuild". */
    JsonNode projection(String name) throws IOException, InterruptedException {
        for (JsonNode status : getJson("/api/v1/admin/projections", true, Duration.ofSeconds(30))) {
            if (name.equals(status.path("name").asText())) {
                return status;
            }
        }
        throw new IOException("GET /api/v1/admin/projections lists no projection named " + name);
    }

    Map<String, List<Projects.Code>> reference() throws IOException, InterruptedException {
        Map<String, List<Projects.Code>> reference = new LinkedHashMap<>();
        for (String kind : List.of("regions", "industry-chains", "categories")) {
            List<Projects.Code> codes = new ArrayList<>();
            for (JsonNode code : getJson("/api/v1/reference/" + kind, false, Duration.ofSeconds(30))) {
                codes.add(new Projects.Code(code.path("code").asText(), code.path("nameZh").asText()));
            }
            reference.put(kind, codes);
        }
        return reference;
    }

    String metrics() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/q/metrics", false, Duration.ofSeconds(30));
        if (r.statusCode() != 200) {
            throw new IOException("GET /q/metrics answered " + r.statusCode());
        }
        return r.body();
    }

    /** The cumulative buckets of a Prometheus histogram ({@code le} → count), summed over any other labels. */
    static TreeMap<Double, Double> histogram(String metrics, String name) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "_bucket\\{([^}]*)}\\s+(\\S+)");
        Pattern le = Pattern.compile("le=\"([^\"]+)\"");
        for (String l : metrics.split("\n")) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                Matcher bound = le.matcher(m.group(1));
                if (bound.find()) {
                    double upper = bound.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound.group(1));
                    buckets.merge(upper, Double.parseDouble(m.group(2)), Double::sum);
                }
            }
        }
        return buckets;
    }

    /** The sum of a counter or gauge over all its label sets; NaN if absent. */
    static double sum(String metrics, String name) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})?\\s+(\\S+)");
        double sum = 0;
        boolean found = false;
        for (String l : metrics.split("\n")) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                sum += Double.parseDouble(m.group(2));
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private String helperClasspath() throws IOException {
        Path file = config.benchDir().resolve("classpath.txt");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: build with ./mvnw -Pbench clean package first (bench/run does)");
        }
        return config.target().resolve("test-classes") + File.pathSeparator + Files.readString(file).trim();
    }

    private void writePid(String file, long pid) throws IOException {
        Files.writeString(config.benchDir().resolve(file), pid + "\n");
    }

    private static String awaitLine(Process process, Path log, String prefix, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
                    Optional<String> line = lines.filter(l -> l.startsWith(prefix)).findFirst();
                    if (line.isPresent()) {
                        return line.get();
                    }
                } catch (UncheckedIOException ignored) {
                    // a partly written line: try again
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("process exited with " + process.exitValue() + ":\n" + tail(log));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no '" + prefix.trim() + "' line within " + timeout + ":\n" + tail(log));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static Map<String, String> keyValues(String line) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String token : line.trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                map.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return map;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
