package cn.qxqy.pipeline.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The end of the run: the final checks, then one table (figure | service | raw limit | ratio | goal | met?) on the
 * console and in target/bench/results.md with the details under it, and target/bench/correctness.txt, which bench/run
 * reads to fail the run. Goals never fail it; only correctness does.
 */
final class Results {

    /** A drain counts as a projector rate only when this many events were waiting when it started. */
    private static final long MEASURABLE_LAG = 1000;

    record Check(String name, boolean passed, String detail) {
    }

    private final BenchConfig config;
    private final Harness harness;
    private final List<Check> checks = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private ZonedDateTime startedAt;
    private String loadAtStart = "?";
    private String loadAtEnd = "?";
    /** The service's memory after the write path's loads, and at the end (after the scale part). */
    private Map<String, Long> memory = Map.of();
    private Map<String, Long> memoryAtEnd = Map.of();
    /** The service's memory cgroup at the end (issue 27); null if it ran in none. */
    private MemoryCgroup.Usage cgroupAtEnd;
    private volatile boolean writePathChecked;
    private JsonNode consistency;
    private JsonNode projectorAtEnd;
    private double acceptedMetric = Double.NaN;
    private double finalSettleSeconds = Double.NaN;
    private long finalLag = -1;
    private boolean written;

    Results(BenchConfig config, Harness harness) {
        this.config = config;
        this.harness = harness;
    }

    void started() {
        startedAt = ZonedDateTime.now(ZoneId.of("UTC"));
        loadAtStart = loadAverage();
    }

    synchronized void failed(String failure) {
        failures.add(failure);
    }

    /**
     * After the write path's loads, before the scale part seeds the store: the read models catch up, then the
     * service's own check and its figures against ours.
     */
    void finishWritePath(WritePathSimulation sim) throws Exception {
        writePathChecked = true;
        if (!harness.serviceAlive()) {
            return; // finish() reports it
        }
        memory = harness.serviceMemory();

        long start = System.nanoTime();
        long deadline = start + config.settleTimeout.toNanos();
        while (true) {
            finalLag = harness.lag();
            if (finalLag == 0 || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(200);
        }
        finalSettleSeconds = (System.nanoTime() - start) / 1e9;
        check("the read models caught up with the event store at the end", finalLag == 0,
                finalLag == 0 ? String.format(Locale.ROOT, "lag 0 after %.1f s more", finalSettleSeconds)
                        : "lag " + finalLag + " after waiting " + config.settleTimeout);

        Projects projects = sim.projects();
        long posted = projects == null ? 0 : projects.accepted();
        check("every event posted got 201", projects != null && projects.refused() == 0 && posted > 0,
                String.format(Locale.ROOT, "%,d accepted, %,d not", posted, projects == null ? 0 : projects.refused()));
        for (Phase phase : phases(sim)) {
            check(phase.name + " accepted events", phase.accepted() > 0 && phase.failedRequests() == 0,
                    String.format(Locale.ROOT, "%,d events in %,d requests, %,d failed requests", phase.accepted(),
                            phase.requests(), phase.failedRequests()));
        }
        for (Drain drain : drains(sim)) {
            check("lag polls " + drain.name + " answered", drain.failedSamples() == 0,
                    drain.failedSamples() + " failed polls");
        }
        check("readiness was polled during the burst", sim.readiness.polls() > 0, sim.readiness.polls() + " polls");

        projectorAtEnd = harness.projector();
        long eventsDone = projectorAtEnd.path("eventsDone").asLong(-1);
        check("the read models hold every accepted event (GET /api/v1/admin/projections eventsDone)", eventsDone == posted,
                String.format(Locale.ROOT, "%,d in the read models, %,d accepted", eventsDone, posted));
        String metrics = harness.metrics();
        acceptedMetric = Harness.sum(metrics, "pipeline_events_accepted_total");
        check("pipeline_events_accepted_total counts every accepted event", acceptedMetric == posted,
                String.format(Locale.ROOT, "%,.0f counted, %,d accepted", acceptedMetric, posted));
        TreeMap<Double, Double> latency = steadyLatency(sim);
        check("pipeline_projection_latency_seconds recorded the steady load", latency != null && total(latency) > 0,
                latency == null ? "histogram missing" : String.format(Locale.ROOT, "%,.0f samples", total(latency)));

        consistency = harness.getJson("/api/v1/admin/projections/check", true, Duration.ofMinutes(15));
        boolean consistent = consistency.path("consistent").asBoolean(false)
                && consistency.path("differenceCount").asLong(-1) == 0
                && consistency.path("pendingProjects").asLong(-1) == 0;
        check("GET /api/v1/admin/projections/check reports no difference", consistent,
                String.format(Locale.ROOT, "consistent=%s, %,d differences, %,d pending projects, %,d events checked",
                        consistency.path("consistent").asText(), consistency.path("differenceCount").asLong(-1),
                        consistency.path("pendingProjects").asLong(-1), consistency.path("checkedEvents").asLong(-1)));
        check("the raw limits were measured", number(harness.raw().get("pg.tps")) > 0 && number(harness.raw().get("kafka.rps")) > 0,
                harness.raw().toString());
    }

    /** At the end: the write path's checks if the run stopped before them, then the scale part's. */
    void finish(WritePathSimulation sim) throws Exception {
        loadAtEnd = loadAverage();
        // Read also when the service is gone: an OOM kill in its cgroup is what this row is for.
        cgroupAtEnd = harness.cgroup() == null ? null : harness.cgroup().usage();
        check("the service is still running", harness.serviceAlive(),
                harness.serviceAlive() ? "" : harness.serviceExit() + ": see target/bench/service.log");
        if (!harness.serviceAlive()) {
            return;
        }
        if (!writePathChecked) {
            finishWritePath(sim);
        }
        memoryAtEnd = harness.serviceMemory();
        finishScale(sim.scale);
    }

    private void finishScale(ScalePart scale) {
        Map<String, String> seeded = scale.seeded();
        long storeEvents = scale.storeEvents();
        check("the event store was seeded directly with " + String.format(Locale.ROOT, "%,d", config.scaleProjects)
                        + " projects (counted in the store)",
                number(seeded.get("seed.projects")) == config.scaleProjects && number(seeded.get("seed.events")) > 0,
                seeded.isEmpty() ? "not seeded" : String.format(Locale.ROOT, "%,.0f projects and %,.0f events seeded, "
                        + "%,d events in the store", number(seeded.get("seed.projects")),
                        number(seeded.get("seed.events")), storeEvents));

        Map<String, String> oneEvent = scale.seededOneEvent();
        check("the event store was seeded directly with " + String.format(Locale.ROOT, "%,d", config.oneEventProjects)
                        + " one-event projects (counted in the store)",
                number(oneEvent.get("seed.projects")) == config.oneEventProjects
                        && number(oneEvent.get("seed.events")) == config.oneEventProjects,
                oneEvent.isEmpty() ? "not seeded" : String.format(Locale.ROOT, "%,.0f projects and %,.0f events seeded, "
                        + "%,d projects in the store", number(oneEvent.get("seed.projects")),
                        number(oneEvent.get("seed.events")), scale.storeProjects()));

        JsonNode rebuild = scale.rebuildStatus();
        check("the rebuild finished (state DONE)", rebuild != null && "DONE".equals(rebuild.path("state").asText()),
                rebuild == null ? "not started" : rebuild.path("state").asText() + " after " + seconds(scale.rebuildWaitSeconds())
                        + (rebuild.path("lastError").isTextual() ? ": " + rebuild.path("lastError").asText() : ""));
        long replayed = rebuild == null ? -1 : rebuild.path("eventsDone").asLong(-1);
        check("the rebuild replayed every event in the store", storeEvents > 0 && replayed == storeEvents,
                String.format(Locale.ROOT, "%,d replayed, %,d in the store", replayed, storeEvents));

        JsonNode report = scale.check();
        check("after the rebuild GET /api/v1/admin/projections/check is consistent over every event in the store",
                report != null && report.path("consistent").asBoolean(false)
                        && report.path("differenceCount").asLong(-1) == 0 && report.path("pendingProjects").asLong(-1) == 0
                        && report.path("checkedEvents").asLong(-1) == storeEvents,
                report == null ? "not run" : String.format(Locale.ROOT, "consistent=%s, %,d differences, %,d pending "
                                + "projects, %,d of %,d events checked in %s", report.path("consistent").asText(),
                        report.path("differenceCount").asLong(-1), report.path("pendingProjects").asLong(-1),
                        report.path("checkedEvents").asLong(-1), storeEvents, seconds(scale.checkSeconds())));
        JsonNode projector = scale.projectorAfterCheck();
        long live = projector == null ? -1 : projector.path("eventsDone").asLong(-1);
        check("after the rebuild the read models hold every event (projector eventsDone, lag 0)",
                projector != null && live == storeEvents && projector.path("lag").asLong(-1) == 0,
                projector == null ? "not read" : String.format(Locale.ROOT, "%,d in the read models, %,d in the store, lag %,d",
                        live, storeEvents, projector.path("lag").asLong(-1)));

        Map<String, String> raw = harness.raw();
        check("the scale part's raw limits were measured", number(raw.get("stream.rps")) > 0 && number(raw.get("lookup.qps")) > 0,
                String.format(Locale.ROOT, "event stream %s rows/s, lookups %s queries/s", raw.getOrDefault("stream.rps", "?"),
                        raw.getOrDefault("lookup.qps", "?")));
        check("the Kafka Streams reference summed every event of the store into its campaigns",
                storeEvents > 0 && number(raw.get("streams.events")) == storeEvents,
                String.format(Locale.ROOT, "%s events summed, %,d in the store", raw.getOrDefault("streams.events", "no"),
                        storeEvents));
        for (Phase mixed : List.of(scale.mixedClosedWarmup, scale.mixedClosed, scale.mixedOpenWarmup, scale.mixedOpen)) {
            if (mixed.counted || mixed.started()) {
                check("GET " + mixed.name + " answered 200", mixed.requests() > 0 && mixed.failedRequests() == 0,
                        String.format(Locale.ROOT, "%,d requests, %,d not 200", mixed.requests(), mixed.failedRequests()));
            }
        }
        for (ScalePart.Read read : scale.reads) {
            Phase measured = read.measured();
            long failed = measured.failedRequests() + read.warmup().failedRequests();
            check("GET " + read.name() + " answered 200", measured.requests() > 0 && failed == 0,
                    String.format(Locale.ROOT, "%,d requests (warm-up included), %,d not 200",
                            measured.requests() + read.warmup().requests(), failed));
        }
        Map<String, ScalePart.Probe> probes = scale.probes();
        boolean probed = !probes.isEmpty() && probes.size() == scale.reads.stream().filter(ScalePart.Read::conditional).count()
                && probes.values().stream().allMatch(p -> p.status() == 200
                && (p.etag() == null || p.conditionalStatus() == 200 || p.conditionalStatus() == 304));
        check("the conditional probes answered 200, then 304 or 200 to If-None-Match", probed,
                probes.isEmpty() ? "not run" : probes.toString());
    }

    private synchronized void check(String name, boolean passed, String detail) {
        checks.add(new Check(name, passed, detail));
    }

    // --- output -----------------------------------------------------------------------------------------------------

    synchronized void write(WritePathSimulation sim) {
        if (written) {
            return;
        }
        written = true;
        StringBuilder md = new StringBuilder();
        String date = (startedAt == null ? ZonedDateTime.now(ZoneId.of("UTC")) : startedAt)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        md.append("# Benchmark: write path and scale").append(config.smoke ? " — SMOKE RUN (shortened phases: not a measurement)" : "")
                .append("\n\n");
        md.append(date).append(", ").append(machine()).append(", commit ").append(commit()).append('\n');
        md.append("Load average (1/5/15 min) at start ").append(loadAtStart).append(", at end ").append(loadAtEnd)
                .append(" — anything above ~0.5 before the start means other work shared the cores.\n\n");

        md.append(table(sim)).append('\n');
        md.append(scaleTable(sim.scale)).append('\n');

        boolean passed = failures.isEmpty() && !checks.isEmpty() && checks.stream().allMatch(Check::passed);
        md.append("Correctness: ").append(passed ? "PASS" : "FAIL").append('\n');
        for (String failure : failures) {
            md.append("- FAIL ").append(failure).append('\n');
        }
        for (Check check : checks) {
            md.append("- ").append(check.passed() ? "ok   " : "FAIL ").append(check.name())
                    .append(check.detail().isEmpty() ? "" : ": " + check.detail()).append('\n');
        }
        String summary = md.toString();
        md.append('\n').append(details(sim));

        String text = md.toString();
        System.out.println("\n" + summary + "\nDetails: target/bench/results.md\n");
        try {
            Files.createDirectories(config.benchDir());
            Files.writeString(config.benchDir().resolve("results.md"), text, StandardCharsets.UTF_8);
            if (sim.metricsBeforeSteady != null) {
                Files.writeString(config.benchDir().resolve("metrics-before-steady.txt"), sim.metricsBeforeSteady, StandardCharsets.UTF_8);
            }
            if (sim.metricsAfterSteady != null) {
                Files.writeString(config.benchDir().resolve("metrics-after-steady.txt"), sim.metricsAfterSteady, StandardCharsets.UTF_8);
            }
            StringBuilder correctness = new StringBuilder(passed ? "PASS\n" : "FAIL\n");
            failures.forEach(f -> correctness.append("FAIL ").append(f).append('\n'));
            checks.forEach(c -> correctness.append(c.passed() ? "ok   " : "FAIL ").append(c.name()).append(": ")
                    .append(c.detail()).append('\n'));
            Files.writeString(config.benchDir().resolve("correctness.txt"), correctness, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.out.println("[bench] could not write the results: " + e);
        }
    }

    private String table(WritePathSimulation sim) {
        Map<String, String> raw = harness.raw();
        double pgTps = number(raw.get("pg.tps"));
        double kafkaRps = number(raw.get("kafka.rps"));
        String pgRaw = Double.isNaN(pgTps) ? "—" : String.format(Locale.ROOT, "PostgreSQL %,.0f insert tx/s", pgTps);
        String kafkaRaw = Double.isNaN(kafkaRps) ? "—" : String.format(Locale.ROOT, "Kafka %,.0f records/s", kafkaRps);

        StringBuilder t = new StringBuilder();
        t.append("| figure | service | raw limit (same run) | ratio | goal | met? |\n");
        t.append("|---|---|---|---|---|---|\n");

        double single = sim.single.acceptedPerSecond();
        row(t, "single-event POST, " + config.singleConnections + " connections: accepted events/s",
                rate(single), pgRaw, ratio(single, pgTps), "≥ 5,000/s", met(single >= 5000));
        long p99 = sim.single.percentile(99);
        row(t, "single-event POST, " + config.singleConnections + " connections: p99 response time (p50)",
                p99 < 0 ? "—" : p99 + " ms (" + sim.single.percentile(50) + " ms)", "—", "—",
                "— (the goal is at " + config.single16Connections + ")", "—");
        double single16 = sim.single16.acceptedPerSecond();
        long p99at16 = sim.single16.percentile(99);
        row(t, "single-event POST, " + config.single16Connections + " connections (after the "
                        + config.singleConnections + "): p99 response time (p50; accepted events/s)",
                p99at16 < 0 ? "—" : String.format(Locale.ROOT, "%d ms (%d ms; %s)", p99at16, sim.single16.percentile(50),
                        rate(single16)), pgRaw, ratio(single16, pgTps), "p99 ≤ 50 ms", met(p99at16 >= 0 && p99at16 <= 50));
        row(t, "refusals by ingest's backpressure (429/503 + Retry-After, retried): single, "
                        + config.single16Connections + " connections, batch, steady, burst",
                String.format(Locale.ROOT, "%,d / %,d / %,d / %,d / %,d", sim.single.refusals(), sim.single16.refusals(),
                        sim.batch.refusals(), sim.steady.refusals(), sim.burst.refusals()), "—", "—",
                "— (counted; every event 201 in the end)", "—");

        double batch = sim.batch.acceptedPerSecond();
        row(t, "batch POST, " + String.format(Locale.ROOT, "%,d", config.batchSize) + " events per request, "
                        + config.batchConnections + " connections: accepted events/s",
                rate(batch), kafkaRaw, ratio(batch, kafkaRps), "≥ 50,000/s", met(batch >= 50_000));

        cpuRow(t, "single-event POST", sim.single, 250, 200);
        cpuRow(t, "single-event POST " + config.single16Connections + " connections", sim.single16, 250, 200);
        cpuRow(t, "batch POST", sim.batch, 60, 80);
        cpuRow(t, "steady single POSTs", sim.steady, 250, 200);
        cpuRow(t, "burst of batches", sim.burst, 60, 80);

        double projector = Double.NaN;
        String projectorFrom = "";
        for (Drain drain : drains(sim)) {
            double r = drain.projectedPerSecond(MEASURABLE_LAG);
            if (!Double.isNaN(r) && (Double.isNaN(projector) || r > projector)) {
                projector = r;
                projectorFrom = drain.name;
            }
        }
        if (!Double.isNaN(projector)) {
            row(t, "projector: events projected/s while draining (" + projectorFrom + ")", rate(projector), kafkaRaw,
                    ratio(projector, kafkaRps), "≥ 20,000/s", met(projector >= 20_000));
        } else {
            // Never more than MEASURABLE_LAG behind: it kept up with every load; the fastest load bounds it from below.
            double keptUp = 0;
            for (Phase phase : phases(sim)) {
                keptUp = Math.max(keptUp, phase.acceptedPerSecond());
            }
            row(t, "projector: kept up with every load (never " + MEASURABLE_LAG + " events behind when a load stopped)",
                    "≥ " + rate(keptUp), kafkaRaw, ratio(keptUp, kafkaRps), "≥ 20,000/s",
                    keptUp >= 20_000 ? "yes" : "not shown (no load was that fast)");
        }

        double worst = 0;
        String worstText = null;
        boolean allZero = true;
        for (Drain drain : drains(sim)) {
            if (!drain.reachedZero()) {
                allZero = false;
                worstText = String.format(Locale.ROOT, "not within %s s %s (lag %,d left)",
                        config.drainTimeout.toSeconds(), drain.name, drain.lagLeft());
            } else if (allZero && drain.secondsToZero() >= worst) {
                worst = drain.secondsToZero();
                worstText = String.format(Locale.ROOT, "%.1f s (%s)", worst, drain.name);
            }
        }
        row(t, "lag back to 0 after a load stops (worst of single, single " + config.single16Connections
                        + " connections, batch, steady, burst)",
                worstText == null ? "—" : worstText, "—", "—", "≤ 5 s", met(allZero && worstText != null && worst <= 5));

        TreeMap<Double, Double> latency = steadyLatency(sim);
        double e2e = latency == null ? Double.NaN : quantileUpperBound(latency, 0.99);
        String e2eText = latency == null || total(latency) == 0 ? "—" : quantile(latency, 0.99);
        row(t, "end to end, commit → read model: p99 at a steady " + String.format(Locale.ROOT, "%,d", config.steadyRate)
                        + " events/s (achieved " + rate(sim.steady.acceptedPerSecond()) + ")",
                e2eText, "—", "—", "≤ 50 ms", met(!Double.isNaN(e2e) && e2e <= 0.050));

        Long hwm = memory.get("VmHWM");
        row(t, "service peak RSS (VmHWM), " + config.serviceJvmArgs, hwm == null ? "—" : String.format(Locale.ROOT, "%,d MiB", hwm / 1024),
                "—", "—", "≤ 768 MiB (the Deployment's limit)", met(hwm != null && hwm <= 768 * 1024));

        Readiness r = sim.readiness;
        row(t, "/q/health/ready during a " + String.format(Locale.ROOT, "%,d", config.burstEvents) + "-event burst: polls not UP",
                String.format(Locale.ROOT, "%d of %d", r.notUp(), r.polls()), "—", "—", "0 (stays UP)",
                met(r.polls() > 0 && r.notUp() == 0));
        return t.toString();
    }

    private String scaleTable(ScalePart scale) {
        Map<String, String> seeded = scale.seeded();
        long storeEvents = scale.storeEvents();
        StringBuilder t = new StringBuilder("**Scale part** (issue 8): ");
        if (seeded.isEmpty()) {
            t.append("the event store was not seeded (see the checks).\n\n");
        } else {
            Map<String, String> oneEvent = scale.seededOneEvent();
            t.append(String.format(Locale.ROOT, "%,.0f projects and %,.0f events seeded directly into the event store "
                            + "(src/bench/resources/seed-events.sql) in %s, then %,.0f one-event projects "
                            + "(seed-one-event-projects.sql) in %s; with the write path's, %,d events of %,d "
                            + "projects.%n%n", number(seeded.get("seed.projects")), number(seeded.get("seed.events")),
                    seconds(number(seeded.get("seed.seconds"))), number(oneEvent.get("seed.projects")),
                    seconds(number(oneEvent.get("seed.seconds"))), storeEvents, scale.storeProjects()));
        }
        t.append("| figure | service | raw limit (same run) | ratio | goal | met? |\n");
        t.append("|---|---|---|---|---|---|\n");

        Map<String, String> raw = harness.raw();
        double stream = number(raw.get("stream.rps"));
        double rebuild = scale.rebuildEventsPerSecond();
        row(t, String.format(Locale.ROOT, "rebuild of %,d events (POST /api/v1/admin/projections/rebuild until DONE, "
                        + "after an uncounted one): events/s = eventsDone ÷ (finishedAt − startedAt), the swap included",
                        storeEvents),
                Double.isNaN(rebuild) ? "—" : rate(rebuild) + " (" + seconds(scale.rebuildSeconds()) + ")",
                Double.isNaN(stream) ? "—" : String.format(Locale.ROOT, "PostgreSQL streams %,.0f event rows/s in the "
                        + "rebuild's order", stream), ratio(rebuild, stream), "≥ 100,000/s", met(rebuild >= 100_000));

        double streams = number(raw.get("streams.eps"));
        row(t, String.format(Locale.ROOT, "rebuild against a Kafka Streams aggregation of the same %,d events (per-project "
                        + "state, then per-campaign sums; produced to a topic of its own first, not timed): events/s",
                        storeEvents),
                rate(rebuild), Double.isNaN(streams) ? "—" : String.format(Locale.ROOT, "Kafka Streams %,.0f events/s "
                        + "(%s, %s threads)", streams, seconds(number(raw.get("streams.seconds"))),
                        raw.getOrDefault("streams.threads", "?")),
                Double.isNaN(rebuild) || Double.isNaN(streams) || streams <= 0 ? "—"
                        : String.format(Locale.ROOT, "%.2f×", rebuild / streams),
                "≥ 2× Kafka Streams", met(!Double.isNaN(streams) && rebuild >= 2 * streams));

        CpuClock.Sample rebuildCpu = scale.rebuildCpu();
        long rebuilt = scale.rebuildStatus() == null ? 0 : scale.rebuildStatus().path("eventsDone").asLong();
        row(t, "CPU per event, rebuild: service / PostgreSQL + Kafka; the service's phase times",
                rebuildCpu == null || rebuilt == 0 ? "—" : String.format(Locale.ROOT, "%.1f µs / %.1f µs; %s",
                        (double) rebuildCpu.serviceMicros() / rebuilt, (double) rebuildCpu.infraMicros() / rebuilt,
                        scale.rebuildPhases()), "—", "—", "index phase ≤ 30 % of the rebuild", indexShare(scale.rebuildPhases()));

        JsonNode report = scale.check();
        boolean consistent = report != null && report.path("consistent").asBoolean(false)
                && report.path("checkedEvents").asLong(-1) == storeEvents;
        row(t, "consistency check after the rebuild (GET /api/v1/admin/projections/check)",
                report == null ? "—" : String.format(Locale.ROOT, "%s, %,d of %,d events checked in %s",
                        report.path("consistent").asBoolean(false) ? "consistent" : "NOT consistent",
                        report.path("checkedEvents").asLong(-1), storeEvents, seconds(scale.checkSeconds())),
                "—", "—", "consistent, every event", met(consistent));

        double lookupQps = number(raw.get("lookup.qps"));
        String lookupRaw = Double.isNaN(lookupQps) ? "—" : String.format(Locale.ROOT,
                "PostgreSQL primary-key lookup: p99 %s ms, %,.0f queries/s", raw.get("lookup.p99ms"), lookupQps);
        for (ScalePart.Read read : scale.reads) {
            Phase p = read.measured();
            row(t, "GET " + read.shown() + ", " + config.readConnections + " connections: p99 (p50, mean; requests/s)",
                    p.started() ? latency(p) : "not run", lookupRaw, p.started() ? ratio(p.requestsPerSecond(), lookupQps) : "—",
                    "p99 ≤ " + read.goalMillis() + " ms",
                    p.started() ? met(p.percentile(99) >= 0 && p.percentile(99) <= read.goalMillis()) : "—");
        }

        for (Phase p : List.of(scale.mixedClosed, scale.mixedOpen)) {
            String notSent = p.notSentCount() == 0 ? "" : String.format(Locale.ROOT, "; %,d arrivals not sent (%,d "
                    + "unanswered already)", p.notSentCount(), config.mixedMaxInFlight);
            row(t, "GET " + p.name + String.format(Locale.ROOT, " (the %d reads above at random, %,d projects): p99 "
                            + "(p50, mean; requests/s)", scale.reads.size(), scale.storeProjects()),
                    p.started() ? latency(p) + notSent : "not run", lookupRaw,
                    p.started() ? ratio(p.requestsPerSecond(), lookupQps) : "—", "p99 ≤ 20 ms",
                    p.started() ? met(p.percentile(99) >= 0 && p.percentile(99) <= 20 && p.notSentCount() == 0) : "—");
        }

        Map<String, ScalePart.Probe> probes = scale.probes();
        long withEtag = probes.values().stream().filter(p -> p.etag() != null).count();
        long notModified = probes.values().stream().filter(p -> p.conditionalStatus() == 304).count();
        row(t, "conditional GET (If-None-Match: its ETag) of " + scale.reads.stream().filter(ScalePart.Read::conditional)
                        .map(ScalePart.Read::name).collect(Collectors.joining(", ")),
                probes.isEmpty() ? "—" : withEtag == 0 ? "no ETag"
                        : String.format(Locale.ROOT, "%d of %d with an ETag, %d answered 304", withEtag, probes.size(), notModified),
                "—", "—", "304", met(!probes.isEmpty() && notModified == probes.size()));
        Phase conditional = scale.conditionalSummary;
        row(t, "GET " + scale.summary.shown() + " with If-None-Match, " + config.readConnections
                        + " connections: p99 (p50, mean; requests/s)",
                conditional.started() ? latency(conditional) + String.format(Locale.ROOT, ", %,d of %,d answered 304",
                        conditional.requests() - conditional.failedRequests(), conditional.requests()) : "not run (no ETag)",
                lookupRaw, conditional.started() ? ratio(conditional.requestsPerSecond(), lookupQps) : "—", "p99 ≤ 20 ms",
                conditional.started() ? met(conditional.percentile(99) >= 0 && conditional.percentile(99) <= 20) : "—");

        Long hwm = memoryAtEnd.get("VmHWM");
        row(t, "service peak RSS (VmHWM) at the end, after the rebuild and the reads, " + config.serviceJvmArgs,
                hwm == null ? "—" : String.format(Locale.ROOT, "%,d MiB", hwm / 1024), "—", "—", "≤ 768 MiB (the Deployment's limit)",
                met(hwm != null && hwm <= 768 * 1024));
        MemoryCgroup.Usage cgroup = cgroupAtEnd;
        row(t, "service in a memory cgroup of " + config.cgroupMemoryMiB + " MiB: peak usage (page cache included), "
                        + "limit hits, OOM kills",
                cgroup == null ? "not run in one (see the notes): MaxRAM only"
                        : String.format(Locale.ROOT, "%,d MiB, %,d hits, %s OOM kills", cgroup.peakBytes() / 1024 / 1024,
                        cgroup.limitHits(), cgroup.oomKills() < 0 ? "?" : String.valueOf(cgroup.oomKills())),
                "—", "—", "0 OOM kills", cgroup == null ? "—" : met(cgroup.oomKills() == 0));
        return t.toString();
    }

    private String scaleDetails(ScalePart scale) {
        StringBuilder d = new StringBuilder("\n### Scale part\n\n");
        Map<String, String> raw = harness.raw();
        d.append("Raw limits on the seeded store: PostgreSQL streamed ").append(raw.getOrDefault("stream.rows", "?"))
                .append(" event rows (every column, ORDER BY project_id, version) to one JDBC client in ")
                .append(raw.getOrDefault("stream.seconds", "?")).append(" s, fetch size ")
                .append(raw.getOrDefault("stream.fetchSize", "?")).append("; ")
                .append(raw.getOrDefault("lookup.count", "?")).append(" primary-key lookups of seeded projects in project_view in ")
                .append(raw.getOrDefault("lookup.seconds", "?")).append(" s after ")
                .append(config.rawLookupWarmup.toMillis() / 1000.0).append(" s of warm-up, from ")
                .append(raw.getOrDefault("lookup.clients", "?"))
                .append(" clients on as many connections (Vert.x client): p50 ").append(raw.getOrDefault("lookup.p50ms", "?"))
                .append(" ms, p99 ").append(raw.getOrDefault("lookup.p99ms", "?")).append(" ms, ")
                .append(raw.getOrDefault("lookup.misses", "?")).append(" not found.\n");
        JsonNode warmup = scale.rebuildWarmupStatus();
        if (warmup != null) {
            d.append(String.format(Locale.ROOT, "Rebuild warm-up (not counted): %s, %,d events in %s.%n",
                    warmup.path("state").asText(), warmup.path("eventsDone").asLong(),
                    seconds(scale.rebuildWarmupSeconds())));
        }
        JsonNode rebuild = scale.rebuildStatus();
        if (rebuild != null) {
            d.append(String.format(Locale.ROOT, "Rebuild: %s, %,d of %,d projects, %,d events, startedAt %s, finishedAt %s "
                            + "(%s), the service's eventsPerSecond %s; DONE seen %s after the POST (polled every %d ms).%n",
                    rebuild.path("state").asText(), rebuild.path("projectsDone").asLong(), rebuild.path("projectsTotal").asLong(),
                    rebuild.path("eventsDone").asLong(), rebuild.path("startedAt").asText(), rebuild.path("finishedAt").asText(),
                    seconds(scale.rebuildSeconds()), rebuild.path("eventsPerSecond").asText(),
                    seconds(scale.rebuildWaitSeconds()), config.rebuildPollInterval.toMillis()));
        }
        JsonNode report = scale.check();
        if (report != null) {
            d.append(String.format(Locale.ROOT, "Check after the rebuild: consistent=%s, checkedProjects=%s, checkedEvents=%s, "
                            + "pendingProjects=%s, differenceCount=%s, in %s.%n", report.path("consistent").asText(),
                    report.path("checkedProjects").asText(), report.path("checkedEvents").asText(),
                    report.path("pendingProjects").asText(), report.path("differenceCount").asText(),
                    seconds(scale.checkSeconds())));
        }
        if (raw.containsKey("streams.eps")) {
            d.append(String.format(Locale.ROOT, "Kafka Streams reference (src/bench/java StreamsReference, after the "
                            + "rebuild's check): %s events produced to a topic of %s partitions in %s (not timed), then "
                            + "aggregated by %s stream threads (in-memory stores, commit interval 500 ms) into %s projects "
                            + "of %s campaigns in %s.%n", raw.get("streams.events"), raw.get("streams.partitions"),
                    seconds(number(raw.get("streams.produceSeconds"))), raw.get("streams.threads"),
                    raw.get("streams.projects"), raw.get("streams.campaigns"), seconds(number(raw.get("streams.seconds")))));
        }
        d.append('\n');
        d.append("| read | path | requests | not as expected | window | requests/s | mean | p50 | p95 | p99 | max |\n");
        d.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ScalePart.Read read : scale.reads) {
            readRow(d, read.warmup(), read.shown());
            readRow(d, read.measured(), read.shown());
        }
        readRow(d, scale.conditionalWarmup, scale.summary.shown() + " with If-None-Match (304 expected)");
        readRow(d, scale.conditionalSummary, scale.summary.shown() + " with If-None-Match (304 expected)");
        String mix = "every read above at random";
        readRow(d, scale.mixedClosedWarmup, mix);
        readRow(d, scale.mixedClosed, mix);
        readRow(d, scale.mixedOpenWarmup, mix + String.format(Locale.ROOT, ", %,d arrivals/s", config.mixedRate));
        readRow(d, scale.mixedOpen, mix + String.format(Locale.ROOT, ", %,d arrivals/s", config.mixedRate));
        d.append('\n');
        scale.probes().forEach((name, probe) -> d.append(String.format(Locale.ROOT,
                "Conditional probe of %s: %d, ETag %s, with If-None-Match %s.%n", name, probe.status(),
                probe.etag() == null ? "none" : probe.etag(),
                probe.conditionalStatus() < 0 ? "not sent" : String.valueOf(probe.conditionalStatus()))));
        if (!memoryAtEnd.isEmpty()) {
            d.append("Service memory at the end: ").append(memoryAtEnd).append(" KiB.\n");
        }
        if (cgroupAtEnd != null) {
            d.append(String.format(Locale.ROOT, "Service memory cgroup %s: limit %,d MiB, peak usage %,d MiB (RSS and "
                            + "page cache charged to it), limit hit %,d times, %s OOM kills.%n", harness.cgroup(),
                    cgroupAtEnd.limitBytes() / 1024 / 1024, cgroupAtEnd.peakBytes() / 1024 / 1024, cgroupAtEnd.limitHits(),
                    cgroupAtEnd.oomKills() < 0 ? "?" : String.valueOf(cgroupAtEnd.oomKills())));
        }
        return d.toString();
    }

    /** A read phase's row; none for a warm-up that did not run (no warm-ups in the smoke run). */
    private static void readRow(StringBuilder d, Phase p, String path) {
        if (!p.counted && !p.started()) {
            return;
        }
        d.append(String.format(Locale.ROOT, "| %s%s | %s | %,d | %,d | %.1f s | %,.0f | %s | %s | %s | %s | %s |%n",
                p.name, p.counted ? "" : " (not counted)", path, p.requests(), p.failedRequests(), p.seconds(),
                p.requestsPerSecond(), Double.isNaN(p.meanMillis()) ? "—" : String.format(Locale.ROOT, "%.1f ms", p.meanMillis()),
                ms(p.percentile(50)), ms(p.percentile(95)), ms(p.percentile(99)), ms(p.percentile(100))));
    }

    private String details(WritePathSimulation sim) {
        StringBuilder d = new StringBuilder("## Details\n\n");
        d.append("Settings: ").append(config.describe()).append("\n\n");
        Map<String, String> infra = harness.infra();
        d.append("Infrastructure (own JVM): Kafka ").append(infra.getOrDefault("kafka", "?"))
                .append(", PostgreSQL ").append(infra.getOrDefault("postgresVersion", "?"))
                .append(" at ").append(infra.getOrDefault("postgres", "?"))
                .append(": fsync ").append(infra.getOrDefault("fsync", "?"))
                .append(", full_page_writes ").append(infra.getOrDefault("fullPageWrites", "?"))
                .append(", synchronous_commit for new sessions ").append(infra.getOrDefault("synchronousCommit", "?"))
                .append(" (the server was started with ").append(infra.getOrDefault("serverSynchronousCommit", "?"))
                .append("; the benchmark sets the database's default to on)\n\n");
        Map<String, String> raw = harness.raw();
        d.append("Raw limits: PostgreSQL ").append(raw.getOrDefault("pg.count", "?")).append(" single-row insert transactions in ")
                .append(raw.getOrDefault("pg.seconds", "?")).append(" s from ").append(raw.getOrDefault("pg.clients", "?"))
                .append(" clients on a Vert.x pool of ").append(raw.getOrDefault("pg.pool", "?"))
                .append(" (session synchronous_commit ").append(raw.getOrDefault("pg.synchronousCommit", "?"))
                .append("); Kafka ").append(raw.getOrDefault("kafka.count", "?")).append(" records of ")
                .append(raw.getOrDefault("kafka.recordBytes", "?")).append(" bytes with acks=all in ")
                .append(raw.getOrDefault("kafka.seconds", "?")).append(" s on ")
                .append(raw.getOrDefault("kafka.partitions", "?")).append(" partitions\n\n");

        d.append("Response times: Gatling's, of each request; a request refused by ingest's backpressure (429/503 with "
                + "Retry-After, sent again after that delay) counts from its first attempt to its final answer.\n\n");
        d.append("| phase | requests | events accepted | not accepted | refusals retried | window | events/s | p50 | p95 | p99 | max |\n");
        d.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Phase p : allPhases(sim)) {
            d.append(String.format(Locale.ROOT, "| %s%s | %,d | %,d | %,d | %,d | %.1f s | %,.0f | %s | %s | %s | %s |%n",
                    p.name, p.counted ? "" : " (not counted)", p.requests(), p.accepted(), p.notAccepted(), p.refusals(),
                    p.seconds(), p.acceptedPerSecond(), ms(p.percentile(50)), ms(p.percentile(95)), ms(p.percentile(99)),
                    ms(p.percentile(100))));
        }
        d.append('\n');
        d.append("| wait for lag 0 | lag at first poll | reached 0 | after the load stopped | waited | projected/s while draining |\n");
        d.append("|---|---|---|---|---|---|\n");
        for (Drain drain : List.of(sim.settleSingle, sim.drainSingle, sim.settleSingle16, sim.drainSingle16,
                sim.settleBatch, sim.drainBatch, sim.settleSteady, sim.drainSteady, sim.drainBurst)) {
            double rate = drain.projectedPerSecond(MEASURABLE_LAG);
            d.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %.1f s | %s |%n", drain.name, drain.firstLag(),
                    drain.reachedZero() ? "yes" : String.format(Locale.ROOT, "no, %,d left", drain.lagLeft()),
                    drain.load == null || !drain.reachedZero() ? "—" : String.format(Locale.ROOT, "%.1f s", drain.secondsToZero()),
                    drain.secondsWaited(),
                    Double.isNaN(rate) ? "— (under " + MEASURABLE_LAG + " waiting)" : rate(rate)));
        }
        d.append('\n');
        Readiness r = sim.readiness;
        d.append(String.format(Locale.ROOT, "Readiness during the burst: %d polls every %d ms, %d not UP (%d while posting), "
                        + "longest run not UP %d polls.%n", r.polls(), config.readyInterval.toMillis(), r.notUp(),
                r.notUpWhilePosting(), r.longestNotUpStreak()));
        TreeMap<Double, Double> latency = steadyLatency(sim);
        if (latency != null && total(latency) > 0) {
            double sum = Harness.sum(sim.metricsAfterSteady, "pipeline_projection_latency_seconds_sum")
                    - Harness.sum(sim.metricsBeforeSteady, "pipeline_projection_latency_seconds_sum");
            d.append(String.format(Locale.ROOT, "Commit → read model during the steady load (pipeline_projection_latency_seconds, "
                            + "%,.0f events; a quantile is given by the bounds of its histogram bucket): p50 %s, p95 %s, p99 %s, "
                            + "mean %s (the difference of _sum over _count). The two scrapes: target/bench/metrics-*-steady.txt.%n",
                    total(latency), quantile(latency, 0.50), quantile(latency, 0.95), quantile(latency, 0.99),
                    millis(sum / total(latency))));
        }
        Projects projects = sim.projects();
        if (projects != null) {
            d.append(String.format(Locale.ROOT, "Events posted: %,d accepted (service's counter: %,.0f), %,d projects started, %,d completed.%n",
                    projects.accepted(), acceptedMetric, projects.projectsStarted(), projects.projectsCompleted()));
        }
        if (!Double.isNaN(finalSettleSeconds)) {
            d.append(String.format(Locale.ROOT, "Final wait for lag 0: %.1f s (lag %,d).%n", finalSettleSeconds, finalLag));
        }
        if (!memory.isEmpty()) {
            d.append("Service memory after the write path's loads: ").append(memory).append(" KiB.\n");
        }
        if (consistency != null) {
            d.append("Consistency check: consistent=").append(consistency.path("consistent").asText())
                    .append(", checkedProjects=").append(consistency.path("checkedProjects").asText())
                    .append(", checkedEvents=").append(consistency.path("checkedEvents").asText())
                    .append(", differenceCount=").append(consistency.path("differenceCount").asText()).append(".\n");
        }
        d.append(statementDetails(sim));
        d.append(scaleDetails(sim.scale)).append('\n');
        latestGatlingReport().ifPresent(report -> d.append("Gatling report: ").append(report).append('\n'));
        d.append("Logs: target/bench/service.log, target/bench/infra.log, target/bench/raw.log, target/bench/seed.log, "
                + "target/bench/seed-one-event.log, target/bench/raw-event-stream.log, target/bench/raw-streams.log, "
                + "target/bench/raw-lookups.log.\n");
        harness.notes().forEach(n -> d.append("Note: ").append(n).append('\n'));
        return d.toString();
    }

    /** Issue 27: the database's share of each measured write phase, from pg_stat_statements. */
    private String statementDetails(WritePathSimulation sim) {
        StringBuilder d = new StringBuilder("\n### The database's share (pg_stat_statements)\n\n");
        PgStatements statements = harness.statements();
        if (statements == null || statements.shares().isEmpty()) {
            d.append("Not measured").append(statements == null || statements.unavailable() == null ? ""
                    : ": " + statements.unavailable()).append(".\n");
            return d.toString();
        }
        d.append("Reset as each measured write phase started (after its settle), read once its events were projected "
                + "(after its drain; the burst's at the write-path checks). Execution time in PostgreSQL only (planning "
                + "and the wait for the commit's WAL flush are not in it); the top statements by total time.\n");
        Map<String, Phase> byName = new java.util.HashMap<>();
        phases(sim).forEach(p -> byName.put(p.name, p));
        statements.shares().forEach((phase, share) -> {
            Phase p = byName.get(phase);
            long events = p == null ? 0 : p.accepted();
            d.append(String.format(Locale.ROOT, "%n**%s**: %,d statements, %,d calls, %,.0f ms executing%s%n%n", phase,
                    share.statements(), share.calls(), share.totalMillis(), events == 0 ? ""
                            : String.format(Locale.ROOT, " = %,.1f µs per accepted event, %.2f calls per event",
                            share.totalMillis() * 1000 / events, (double) share.calls() / events)));
            d.append("| statement | calls | total | share | mean | rows |\n|---|---|---|---|---|---|\n");
            for (PgStatements.Row row : share.top()) {
                String query = row.query().length() > 160 ? row.query().substring(0, 157) + "…" : row.query();
                d.append(String.format(Locale.ROOT, "| `%s` | %,d | %,.0f ms | %.1f %% | %.3f ms | %,d |%n",
                        query.replace("|", "\\|").replace("`", "'"), row.calls(), row.totalMillis(),
                        share.totalMillis() > 0 ? 100 * row.totalMillis() / share.totalMillis() : 0, row.meanMillis(),
                        row.rows()));
            }
        });
        return d.toString();
    }

    // --- figures ----------------------------------------------------------------------------------------------------

    private static List<Phase> phases(WritePathSimulation sim) {
        return List.of(sim.single, sim.single16, sim.batch, sim.steady, sim.burst);
    }

    private static List<Phase> allPhases(WritePathSimulation sim) {
        return List.of(sim.singleWarmup, sim.single, sim.single16Warmup, sim.single16, sim.batchWarmup, sim.batch,
                sim.steadyWarmup, sim.steady, sim.burst);
    }

    private static List<Drain> drains(WritePathSimulation sim) {
        return List.of(sim.drainSingle, sim.drainSingle16, sim.drainBatch, sim.drainSteady, sim.drainBurst);
    }

    /** The steady load's events in pipeline_projection_latency_seconds: the buckets after minus before; null if absent. */
    private static TreeMap<Double, Double> steadyLatency(WritePathSimulation sim) {
        if (sim.metricsBeforeSteady == null || sim.metricsAfterSteady == null) {
            return null;
        }
        TreeMap<Double, Double> before = Harness.histogram(sim.metricsBeforeSteady, "pipeline_projection_latency_seconds");
        TreeMap<Double, Double> after = Harness.histogram(sim.metricsAfterSteady, "pipeline_projection_latency_seconds");
        if (after.isEmpty()) {
            return null;
        }
        TreeMap<Double, Double> diff = new TreeMap<>();
        after.forEach((le, count) -> diff.put(le, count - before.getOrDefault(le, 0.0)));
        return diff;
    }

    private static double total(TreeMap<Double, Double> cumulative) {
        return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
    }

    /** "≤ upper bound" of the bucket holding the quantile, or "> largest bound" when it is in the +Inf bucket. */
    private static String quantile(TreeMap<Double, Double> cumulative, double q) {
        double bound = quantileUpperBound(cumulative, q);
        if (!Double.isInfinite(bound)) {
            return "≤ " + millis(bound);
        }
        Double largest = cumulative.lowerKey(Double.POSITIVE_INFINITY);
        return largest == null ? "?" : "> " + millis(largest);
    }

    /** The smallest bucket bound under which at least {@code q} of the samples fall (cumulative buckets). */
    private static double quantileUpperBound(TreeMap<Double, Double> cumulative, double q) {
        double total = total(cumulative);
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= q * total) {
                return bucket.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /**
     * Issue 27: CPU per accepted event of a load, from its first request until the projector had it all (/proc: user
     * + system time of the service's JVM, and of the broker's JVM with PostgreSQL and its backends).
     */
    private static void cpuRow(StringBuilder t, String load, Phase phase, long serviceGoal, long infraGoal) {
        CpuClock.Sample perEvent = phase.cpuPerEvent();
        row(t, "CPU per event, " + load + ", until projected: service / PostgreSQL + Kafka",
                perEvent == null ? "—" : String.format(Locale.ROOT, "%,d µs / %,d µs", perEvent.serviceMicros(),
                        perEvent.infraMicros()), "—", "—",
                String.format(Locale.ROOT, "≤ %d µs / ≤ %d µs", serviceGoal, infraGoal),
                perEvent == null ? "—" : met(perEvent.serviceMicros() <= serviceGoal && perEvent.infraMicros() <= infraGoal));
    }

    /** From "replayed in R ms, indexed in I ms, caught up and swapped in S ms": whether I ≤ 30 % of the whole. */
    private static String indexShare(String phases) {
        java.util.regex.Matcher m = phases == null ? null : java.util.regex.Pattern
                .compile("replayed in (\\d+) ms, indexed in (\\d+) ms, caught up and swapped in (\\d+) ms").matcher(phases);
        if (m == null || !m.find()) {
            return "—";
        }
        double replay = Double.parseDouble(m.group(1));
        double index = Double.parseDouble(m.group(2));
        double swap = Double.parseDouble(m.group(3));
        double share = index / (replay + index + swap);
        return String.format(Locale.ROOT, "%s (%.0f %%)", met(share <= 0.30), 100 * share);
    }

    // --- formatting -------------------------------------------------------------------------------------------------

    private static void row(StringBuilder t, String figure, String service, String raw, String ratio, String goal, String met) {
        t.append("| ").append(figure).append(" | ").append(service).append(" | ").append(raw).append(" | ")
                .append(ratio).append(" | ").append(goal).append(" | ").append(met).append(" |\n");
    }

    private static String met(boolean met) {
        return met ? "yes" : "no";
    }

    private static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "—" : String.format(Locale.ROOT, "%,.0f/s", perSecond);
    }

    private static String ratio(double service, double raw) {
        if (Double.isNaN(service) || Double.isNaN(raw) || raw <= 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.1f %%", 100 * service / raw);
    }

    /** "p99 (p50 …, mean …; …/s)" of a read phase. */
    private static String latency(Phase p) {
        if (p.percentile(99) < 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%d ms (p50 %d ms, mean %.1f ms; %,.0f/s)", p.percentile(99), p.percentile(50),
                p.meanMillis(), p.requestsPerSecond());
    }

    private static String seconds(double seconds) {
        return Double.isNaN(seconds) ? "—" : String.format(Locale.ROOT, "%.1f s", seconds);
    }

    private static String ms(long millis) {
        return millis < 0 ? "—" : millis + " ms";
    }

    private static String millis(double seconds) {
        if (Double.isInfinite(seconds)) {
            return "∞";
        }
        double ms = seconds * 1000;
        return ms < 10 ? String.format(Locale.ROOT, "%.1f ms", ms) : String.format(Locale.ROOT, "%,.0f ms", ms);
    }

    private static double number(String text) {
        try {
            return text == null ? Double.NaN : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    // --- machine ----------------------------------------------------------------------------------------------------

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String machine() {
        String cpu = "?";
        String memory = "?";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("?");
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            memory = lines.filter(l -> l.startsWith("MemTotal")).findFirst()
                    .map(l -> String.format(Locale.ROOT, "%.1f GiB RAM",
                            Long.parseLong(l.replaceAll("\\D+", "")) / 1024.0 / 1024.0))
                    .orElse("?");
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version");
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memory + ", " + os
                + ", Java " + System.getProperty("java.version");
    }

    private String commit() {
        try {
            Process git = new ProcessBuilder("git", "-C", config.root.toString(), "describe", "--always", "--dirty")
                    .redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 ? out : "?";
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private Optional<Path> latestGatlingReport() {
        Path dir = config.target().resolve("gatling");
        try (Stream<Path> runs = Files.list(dir)) {
            return runs.filter(Files::isDirectory)
                    .max(Comparator.comparingLong(p -> p.toFile().lastModified()))
                    .map(p -> config.root.relativize(p.resolve("index.html")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
