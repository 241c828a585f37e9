package cn.qxqy.pipeline.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 8's scale part, after the write path's loads and checks (the live projector's lag is 0 by then): the event
 * store is seeded directly with {@code bench.scale.projects} projects ({@code SEED-0000001} …) and, issue 27,
 * {@code bench.scale.one-event-projects} one-event projects ({@code ONE-0000001} …), PostgreSQL's raw
 * limits are measured on it, the read models are rebuilt through the admin API and checked; then the simulation reads
 * every endpoint alone ({@link #reads}) and sends conditional requests. The blocking steps here run on a thread of
 * their own ({@link #prepare()}), never on Gatling's event loops.
 */
final class ScalePart {

    private static final String CAMPAIGN = "/api/v1/campaigns/" + Projects.CAMPAIGN;

    /**
     * One read endpoint, measured alone after its warm-up; {@code shown}: its path as the results show it;
     * {@code conditional}: it is probed with If-None-Match; {@code goalMillis}: the p99 its issue asks for.
     */
    record Read(String name, String shown, Supplier<String> path, boolean conditional, int goalMillis, Phase warmup,
                Phase measured) {

        Read(String name, String shown, Supplier<String> path, boolean conditional, int goalMillis) {
            this(name, shown, path, conditional, goalMillis,
                    new Phase(name + " warm-up", "GET " + name + " (warm-up)", false), new Phase(name, "GET " + name, true));
        }

        Read(String name, String shown, Supplier<String> path, boolean conditional) {
            this(name, shown, path, conditional, 20);
        }

        /** A path that is the same on every request. */
        Read(String name, String path, boolean conditional) {
            this(name, path, () -> path, conditional);
        }

        /** Issue 25: the read as of a random day of the seeded campaign's year, p99 ≤ 100 ms. */
        static Read asOfRandomDay(String name, String path) {
            String separator = path.contains("?") ? "&" : "?";
            return new Read(name + " as of a random day", path + separator + "asOf={random day of 2024}",
                    () -> path + separator + "asOf=" + LocalDate.of(2024, 1, 1)
                            .plusDays(ThreadLocalRandom.current().nextInt(366)), false, 100);
        }
    }

    /** A GET, then the same GET with If-None-Match: the first answer's ETag; {@code conditionalStatus} -1 if none. */
    record Probe(int status, String etag, int conditionalStatus) {

        @Override
        public String toString() {
            return status + (etag == null ? ", no ETag" : ", ETag " + etag + " → " + conditionalStatus);
        }
    }

    private final BenchConfig config;
    private final Harness harness;

    final List<Read> reads;
    final Read summary;
    final Phase conditionalWarmup = new Phase("conditional summary warm-up", "GET summary If-None-Match (warm-up)", false);
    final Phase conditionalSummary = new Phase("conditional summary", "GET summary If-None-Match", true);
    /** Issue 27: every read endpoint of {@link #reads} at random, closed-loop then open-loop. */
    final Phase mixedClosedWarmup;
    final Phase mixedClosed;
    final Phase mixedOpenWarmup;
    final Phase mixedOpen;

    private volatile boolean prepared;
    private volatile Map<String, String> seeded = Map.of();
    private volatile Map<String, String> seededOneEvent = Map.of();
    private volatile JsonNode rebuild;
    private volatile JsonNode rebuildWarmup;
    private volatile double rebuildWarmupSeconds = Double.NaN;
    private volatile double rebuildWaitSeconds = Double.NaN;
    private volatile JsonNode check;
    private volatile double checkSeconds = Double.NaN;
    private volatile JsonNode projectorAfterCheck;
    private final Map<String, Probe> probes = new LinkedHashMap<>();

    ScalePart(BenchConfig config, Harness harness) {
        this.config = config;
        this.harness = harness;
        summary = new Read("summary", CAMPAIGN + "/summary", true);
        String name = "氢能产业";
        String q = URLEncoder.encode(name, StandardCharsets.UTF_8);
        reads = List.of(summary,
                new Read("breakdown by region", CAMPAIGN + "/breakdown?by=region", true),
                new Read("breakdown by chain", CAMPAIGN + "/breakdown?by=chain", true),
                new Read("breakdown by category", CAMPAIGN + "/breakdown?by=category", true),
                Read.asOfRandomDay("summary", CAMPAIGN + "/summary"),
                Read.asOfRandomDay("breakdown by region", CAMPAIGN + "/breakdown?by=region"),
                Read.asOfRandomDay("breakdown by chain", CAMPAIGN + "/breakdown?by=chain"),
                Read.asOfRandomDay("breakdown by category", CAMPAIGN + "/breakdown?by=category"),
                new Read("progress", CAMPAIGN + "/progress", true),
                new Read("timeline", CAMPAIGN + "/timeline", true),
                new Read("project by id", "/api/v1/projects/{random seeded: SEED- or ONE-}",
                        () -> "/api/v1/projects/" + seededProjectId(), false),
                new Read("search in a region by planned investment", "/api/v1/projects?campaignId=" + Projects.CAMPAIGN
                        + "&regionCode=141102&sort=-plannedInvestment&size=20", false),
                new Read("search by name", "/api/v1/projects?q=" + name + "&size=20&page={0–20}",
                        () -> "/api/v1/projects?q=" + q + "&size=20&page=" + ThreadLocalRandom.current().nextInt(21),
                        false, 50));
        String closed = "mixed reads, " + config.mixedConnections + " connections";
        String open = String.format(Locale.ROOT, "mixed reads, %,d/s open-loop", config.mixedRate);
        mixedClosedWarmup = new Phase(closed + " warm-up", "GET mixed closed-loop (warm-up)", false);
        mixedClosed = new Phase(closed, "GET mixed closed-loop", true);
        mixedOpenWarmup = new Phase(open + " warm-up", "GET mixed open-loop (warm-up)", false);
        mixedOpen = new Phase(open, "GET mixed open-loop", true);
    }

    /** One of the reads, at random: the leaders' mix, each endpoint as often as the others. */
    String mixedPath() {
        return reads.get(ThreadLocalRandom.current().nextInt(reads.size())).path().get();
    }

    /**
     * A random seeded project, of either seed: 'SEED-' or 'ONE-' and its number, zero-padded to 7 digits (as
     * seed-events.sql and seed-one-event-projects.sql name them).
     */
    private String seededProjectId() {
        int n = ThreadLocalRandom.current().nextInt(config.scaleProjects + config.oneEventProjects);
        return n < config.scaleProjects ? String.format(Locale.ROOT, "SEED-%07d", 1 + n)
                : String.format(Locale.ROOT, "ONE-%07d", 1 + n - config.scaleProjects);
    }

    /**
     * Both seeds, the raw event stream, the rebuild until DONE, the check, the Kafka Streams reference, the raw lookups,
     * the conditional probes; stops at the first step that fails (the read phases then do not run).
     */
    void prepare() throws Exception {
        seeded = harness.seed();
        seededOneEvent = harness.seedOneEventProjects();
        harness.runEventStreamLimit();
        // An uncounted first rebuild, like every write phase's warm-up: the service has not replayed a history yet,
        // and its first pages run in the interpreter.
        rebuild();
        rebuildWarmup = rebuild;
        rebuildWarmupSeconds = rebuildSeconds();
        rebuild();
        checkAfterRebuild();
        // After the rebuild, on the same store: its reference would otherwise share the cores with it.
        harness.runStreamsReference();
        harness.runLookupLimit();
        probeConditionalRequests();
        prepared = true;
    }

    private void rebuild() throws Exception {
        CpuClock.Sample cpuBefore = harness.cpu();
        long start = System.nanoTime();
        HttpResponse<String> started = harness.postAsAdmin("/api/v1/admin/projections/rebuild", Duration.ofSeconds(30));
        if (started.statusCode() != 202) {
            throw new IOException("POST /api/v1/admin/projections/rebuild answered " + started.statusCode() + ": "
                    + started.body());
        }
        System.out.println("[bench] rebuild: started");
        long deadline = start + config.rebuildTimeout.toNanos();
        long lastReport = start;
        while (true) {
            JsonNode status = harness.projection("rebuild");
            rebuild = status;
            String state = status.path("state").asText();
            long now = System.nanoTime();
            if (!"RUNNING".equals(state) || now > deadline || !harness.serviceAlive()) {
                rebuildWaitSeconds = (now - start) / 1e9;
                System.out.printf(Locale.ROOT, "[bench] rebuild: %s after %.1f s, %,d events, %s events/s by the service%n",
                        state, rebuildWaitSeconds, status.path("eventsDone").asLong(), status.path("eventsPerSecond").asText());
                if (!"DONE".equals(state)) {
                    throw new IllegalStateException("the rebuild ended " + state + " after " + rebuildWaitSeconds
                            + " s (bound " + config.rebuildTimeout + "): " + status);
                }
                rebuildCpu = harness.cpu().minus(cpuBefore);
                rebuildPhases = harness.lastServiceLogLine("projection rebuild: replayed in");
                return;
            }
            if (now - lastReport > 10_000_000_000L) {
                lastReport = now;
                System.out.printf(Locale.ROOT, "[bench] rebuild: %,d of %,d projects, %,d events after %.0f s%n",
                        status.path("projectsDone").asLong(), status.path("projectsTotal").asLong(),
                        status.path("eventsDone").asLong(), (now - start) / 1e9);
            }
            Thread.sleep(config.rebuildPollInterval.toMillis());
        }
    }

    private void checkAfterRebuild() throws Exception {
        long start = System.nanoTime();
        check = harness.getJson("/api/v1/admin/projections/check", true, config.checkTimeout);
        checkSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "[bench] check after the rebuild: consistent=%s, %,d events in %.1f s%n",
                check.path("consistent").asText(), check.path("checkedEvents").asLong(), checkSeconds);
        projectorAfterCheck = harness.projector();
    }

    private void probeConditionalRequests() throws Exception {
        for (Read read : reads) {
            if (!read.conditional()) {
                continue;
            }
            String path = read.path().get();
            HttpResponse<String> first = harness.read(path, null, Duration.ofSeconds(30));
            String etag = first.headers().firstValue("ETag").orElse(null);
            int conditional = -1;
            if (etag != null) {
                conditional = harness.read(path, etag, Duration.ofSeconds(30)).statusCode();
            }
            synchronized (probes) {
                probes.put(read.name(), new Probe(first.statusCode(), etag, conditional));
            }
        }
        System.out.println("[bench] conditional requests: " + probes());
    }

    // --- what it found ----------------------------------------------------------------------------------------------

    boolean prepared() {
        return prepared;
    }

    Map<String, String> seeded() {
        return seeded;
    }

    /** What seed-one-event-projects.sql wrote, counted in the store (the store's totals after both seeds). */
    Map<String, String> seededOneEvent() {
        return seededOneEvent;
    }

    /** Events in the store after seeding (nothing writes afterwards); -1 if not seeded. */
    long storeEvents() {
        return Long.parseLong(seededOneEvent.getOrDefault("store.events", "-1"));
    }

    /** Projects in the store after seeding; -1 if not seeded. */
    long storeProjects() {
        return Long.parseLong(seededOneEvent.getOrDefault("store.projects", "-1"));
    }

    JsonNode rebuildStatus() {
        return rebuild;
    }

    /** The uncounted first rebuild's last status, and its window in seconds. */
    JsonNode rebuildWarmupStatus() {
        return rebuildWarmup;
    }

    double rebuildWarmupSeconds() {
        return rebuildWarmupSeconds;
    }

    double rebuildWaitSeconds() {
        return rebuildWaitSeconds;
    }

    /** The rebuild's own window, startedAt to finishedAt (the swap included), in seconds; NaN until it finished. */
    private volatile CpuClock.Sample rebuildCpu;
    private volatile String rebuildPhases;

    /** The measured rebuild's CPU (service, PostgreSQL + Kafka; µs) from its request until DONE. */
    CpuClock.Sample rebuildCpu() {
        return rebuildCpu;
    }

    /** The service's log line with the measured rebuild's phase times (replay, index build, catch-up and swap). */
    String rebuildPhases() {
        return rebuildPhases;
    }

    double rebuildSeconds() {
        JsonNode status = rebuild;
        if (status == null || !status.path("startedAt").isTextual() || !status.path("finishedAt").isTextual()) {
            return Double.NaN;
        }
        return Duration.between(OffsetDateTime.parse(status.path("startedAt").asText()),
                OffsetDateTime.parse(status.path("finishedAt").asText())).toNanos() / 1e9;
    }

    /** eventsDone over the rebuild's window; NaN until it finished. */
    double rebuildEventsPerSecond() {
        double seconds = rebuildSeconds();
        return seconds > 0 ? rebuild.path("eventsDone").asLong() / seconds : Double.NaN;
    }

    JsonNode check() {
        return check;
    }

    double checkSeconds() {
        return checkSeconds;
    }

    JsonNode projectorAfterCheck() {
        return projectorAfterCheck;
    }

    Map<String, Probe> probes() {
        synchronized (probes) {
            return new LinkedHashMap<>(probes);
        }
    }

    /** The summary's ETag from its probe, for the conditional phase; null if it has none. */
    String summaryEtag() {
        Probe probe = probes().get(summary.name());
        return probe == null ? null : probe.etag();
    }
}
