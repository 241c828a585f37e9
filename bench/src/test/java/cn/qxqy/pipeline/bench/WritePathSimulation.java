package cn.qxqy.pipeline.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stopLoadGeneratorIf;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

/**
 * The write path under load (issue 7, "The benchmark"), against the production jar on the embedded Kafka and
 * PostgreSQL, each in its own JVM. In order, each load after an uncounted warm-up and a wait for the read models to
 * catch up (a "settle"):
 * <ol>
 * <li>before any load ({@link #before()}): the raw limits of PostgreSQL and Kafka, then the service starts;</li>
 * <li>single-event POSTs from 64 connections, then the drain (time until the projector's lag is 0 again);</li>
 * <li>single-event POSTs from 16 connections (issue 27's p99 goal), after a short warm-up of their own;</li>
 * <li>batch POSTs of 1,000 events, then the drain;</li>
 * <li>a steady 1,000 events/s (paced single POSTs), with the service's commit → read-model latency histogram read
 * before and after (each after the read models caught up, so the difference is exactly this load's events);</li>
 * <li>a burst of 20,000 events in batches while /q/health/ready is polled every 250 ms, until the lag is 0 again;</li>
 * <li>the write path's checks: the read models caught up, the service's consistency check, its figures against what
 * was posted, its peak RSS so far;</li>
 * <li>the scale part (issue 8, {@link ScalePart}): the event store seeded directly (projects with their histories,
 * then one-event projects: 200,000 in all), PostgreSQL's raw limits on it, a rebuild of the read models and its check,
 * the rebuild's reference (a Kafka Streams aggregation of the same events); then every read endpoint alone from 32
 * connections after a warm-up, conditional summary requests (If-None-Match) if the service gives ETags, and the reads
 * mixed: closed-loop from 8 connections, then open-loop at 1,000 arrivals/s (issue 27);</li>
 * <li>at the end ({@link #after()}): the scale part's checks and the peak RSS; then {@link Results} prints the table
 * and writes target/bench/results.md.</li>
 * </ol>
 * Each measured write phase's database statements are read from pg_stat_statements (reset after its settle, read
 * after its drain). A POST refused by ingest's backpressure (429/503 with Retry-After) is sent again after that delay
 * and counted per phase. Correctness is asserted (every event posted got 201 in the end, nothing failed, the figures
 * agree); the goals never fail the run.
 */
public class WritePathSimulation extends Simulation {

    final BenchConfig config = new BenchConfig();
    final Harness harness = new Harness(config);
    final Results results = new Results(config, harness);
    private volatile Projects projects;

    final Phase singleWarmup = new Phase("single POST warm-up", "single POST (warm-up)", false, harness::cpu);
    final Phase single = new Phase("single POST", "single POST", true, harness::cpu);
    final Phase single16Warmup = new Phase("single POST " + config.single16Connections + " connections warm-up",
            "single POST " + config.single16Connections + " connections (warm-up)", false, harness::cpu);
    final Phase single16 = new Phase("single POST " + config.single16Connections + " connections",
            "single POST " + config.single16Connections + " connections", true, harness::cpu);
    final Phase batchWarmup = new Phase("batch POST warm-up", "batch POST (warm-up)", false, harness::cpu);
    final Phase batch = new Phase("batch POST", "batch POST", true, harness::cpu);
    final Phase steadyWarmup = new Phase("steady warm-up", "steady POST (warm-up)", false, harness::cpu);
    final Phase steady = new Phase("steady POST", "steady POST", true, harness::cpu);
    final Phase burst = new Phase("burst", "burst batch POST", true, harness::cpu);

    final Drain settleSingle = new Drain("settle before single POST", null, config.settleTimeout);
    final Drain drainSingle = new Drain("after single POST", single, config.drainTimeout);
    final Drain settleSingle16 = new Drain("settle before single POST " + config.single16Connections + " connections",
            null, config.settleTimeout);
    final Drain drainSingle16 = new Drain("after single POST " + config.single16Connections + " connections", single16,
            config.drainTimeout);
    final Drain settleBatch = new Drain("settle before batch POST", null, config.settleTimeout);
    final Drain drainBatch = new Drain("after batch POST", batch, config.drainTimeout);
    final Drain settleSteady = new Drain("settle before steady load", null, config.settleTimeout);
    final Drain drainSteady = new Drain("after steady load", steady, config.drainTimeout);
    final Drain drainBurst = new Drain("after burst", burst, config.drainTimeout);

    final Readiness readiness = new Readiness();
    final ScalePart scale = new ScalePart(config, harness);
    private final AtomicInteger burstEventsLeft = new AtomicInteger(config.burstEvents);
    private final AtomicInteger burstPostersRunning = new AtomicInteger(config.burstConnections);
    private final HttpProtocolBuilder arrivalsProtocol;
    volatile String metricsBeforeSteady;
    volatile String metricsAfterSteady;

    {
        HttpProtocolBuilder protocol = http.baseUrl(harness.baseUrl)
                .authorizationHeader(harness.department)
                .acceptHeader("application/json")
                .contentTypeHeader("application/json")
                .disableWarmUp()
                .disableCaching()
                .disableFollowRedirect()
                .disableAutoReferer();
        // Open-loop arrivals share keep-alive connections, as behind a load balancer: one new connection per arrival
        // would measure TCP handshakes.
        arrivalsProtocol = protocol.shareConnections();

        // Each steady connection posts at most one event per period; their starts are spread over one period.
        Duration pacing = Duration.ofNanos(Math.max(1_000_000L,
                config.steadyConnections * 1_000_000_000L / Math.max(1, config.steadyRate)));

        List<PopulationBuilder> steps = new ArrayList<>();
        // Single-event POSTs: each connection posts the next event of some project as soon as the last is answered.
        if (!config.singleWarmup.isZero()) {
            steps.add(users("single POST warm-up", config.singleConnections,
                    during(config.singleWarmup, false).on(singlePost(singleWarmup))));
        }
        steps.add(one("settle 1", drain(settleSingle, null).exec(resetStatements())));
        steps.add(users("single POST", config.singleConnections,
                during(config.singleDuration, false).on(singlePost(single))));
        steps.add(one("drain after single POST", drain(drainSingle, null).exec(readStatements(single))));
        // Issue 27: fewer connections (the p99 goal's), warm already; its own short warm-up.
        if (!config.single16Warmup.isZero()) {
            steps.add(users(single16Warmup.name, config.single16Connections,
                    during(config.single16Warmup, false).on(singlePost(single16Warmup))));
        }
        steps.add(one("settle 1b", drain(settleSingle16, null).exec(resetStatements())));
        steps.add(users(single16.name, config.single16Connections,
                during(config.single16Duration, false).on(singlePost(single16))));
        steps.add(one("drain after " + single16.name, drain(drainSingle16, null).exec(readStatements(single16))));
        // Batches of 1,000 events.
        if (!config.batchWarmup.isZero()) {
            steps.add(users("batch POST warm-up", config.batchConnections,
                    during(config.batchWarmup, false).on(batchPost(batchWarmup, s -> config.batchSize))));
        }
        steps.add(one("settle 2", drain(settleBatch, null).exec(resetStatements())));
        steps.add(users("batch POST", config.batchConnections,
                during(config.batchDuration, false).on(batchPost(batch, s -> config.batchSize))));
        steps.add(one("drain after batch POST", drain(drainBatch, null).exec(readStatements(batch))));
        // A steady rate of single POSTs.
        if (!config.steadyWarmup.isZero()) {
            steps.add(users("steady warm-up", config.steadyConnections, steadyPosts(steadyWarmup, config.steadyWarmup, pacing)));
        }
        steps.add(one("settle 3", drain(settleSteady, body -> metricsBeforeSteady = body).exec(resetStatements())));
        steps.add(users("steady POST", config.steadyConnections, steadyPosts(steady, config.steadyDuration, pacing)));
        // The burst follows at once: its statements are counted from the steady load's end on.
        steps.add(one("drain after steady load", drain(drainSteady, body -> metricsAfterSteady = body)
                .exec(readStatements(steady)).exec(resetStatements())));
        // The burst's posters and the readiness poller side by side; the poller ends once the lag is 0 again.
        PopulationBuilder burstPosters = users("burst batch POST", config.burstConnections,
                exec(session -> session)
                        .asLongAs(session -> burstEventsLeft.get() > 0).on(
                                exec(session -> session.set("burstBatch", claimBurstBatch()))
                                        .doIf(session -> session.getInt("burstBatch") > 0)
                                        .then(batchPost(burst, session -> session.getInt("burstBatch"))))
                        .exec(session -> {
                            burstPostersRunning.decrementAndGet();
                            return session.remove("burstBatch");
                        }));
        // The scale part, once the burst's readiness poller has ended (the lag is 0 again); each read endpoint alone.
        List<PopulationBuilder> scaleSteps = new ArrayList<>();
        scaleSteps.add(one("write-path checks", offEventLoop("write-path checks", () -> {
            harness.statements().read(burst.name);
            results.finishWritePath(this);
        })));
        scaleSteps.add(one("scale: seed, raw limits, rebuild, check", offEventLoop("scale part", scale::prepare)));
        for (ScalePart.Read read : scale.reads) {
            if (!config.readWarmup.isZero()) {
                scaleSteps.add(readers(read.warmup().name, config.readWarmup, scale::prepared,
                        read(read.warmup(), read.path(), null)));
            }
            scaleSteps.add(readers(read.measured().name, config.readDuration, scale::prepared,
                    read(read.measured(), read.path(), null)));
        }
        // Conditional summaries only if the service gave the summary an ETag.
        Supplier<String> summary = scale.summary.path();
        BooleanSupplier summaryHasEtag = () -> scale.summaryEtag() != null;
        if (!config.readWarmup.isZero()) {
            scaleSteps.add(readers(scale.conditionalWarmup.name, config.readWarmup, summaryHasEtag,
                    read(scale.conditionalWarmup, summary, scale::summaryEtag)));
        }
        scaleSteps.add(readers(scale.conditionalSummary.name, config.conditionalDuration, summaryHasEtag,
                read(scale.conditionalSummary, summary, scale::summaryEtag)));
        // Issue 27: the reads mixed, closed-loop from a few connections, then open-loop at a constant arrival rate.
        if (!config.mixedWarmup.isZero()) {
            scaleSteps.add(users(scale.mixedClosedWarmup.name, config.mixedConnections, doIf(session -> scale.prepared())
                    .then(during(config.mixedWarmup, false).on(read(scale.mixedClosedWarmup, scale::mixedPath, null)))));
        }
        scaleSteps.add(users(scale.mixedClosed.name, config.mixedConnections, doIf(session -> scale.prepared())
                .then(during(config.mixedDuration, false).on(read(scale.mixedClosed, scale::mixedPath, null)))));
        if (!config.mixedWarmup.isZero()) {
            scaleSteps.add(arrivals(scale.mixedOpenWarmup, config.mixedWarmup));
        }
        scaleSteps.add(arrivals(scale.mixedOpen, config.mixedDuration));

        steps.add(one("burst start", exec(session -> session)).andThen(burstPosters,
                one("readiness during burst", readinessDuringBurst()).andThen(sequence(scaleSteps))));

        PopulationBuilder chain = sequence(steps);
        // Correctness only: every request answered as it should (every event 201, every read 200). No timed assertion.
        // The maximum duration only ends a run that hangs: every wait in it is bounded well below.
        Duration longest = config.singleWarmup.plus(config.singleDuration).plus(config.single16Warmup)
                .plus(config.single16Duration).plus(config.batchWarmup)
                .plus(config.batchDuration).plus(config.steadyWarmup).plus(config.steadyDuration)
                .plus(config.settleTimeout.multipliedBy(5)).plus(config.drainTimeout.multipliedBy(5))
                .plus(config.seedTimeout.multipliedBy(2)).plus(config.rebuildTimeout.multipliedBy(2))
                .plus(config.checkTimeout.multipliedBy(2)).plus(config.rawDuration.multipliedBy(2))
                .plus(config.rawLookupWarmup)
                .plus(config.readWarmup.plus(config.readDuration).multipliedBy(scale.reads.size() + 1))
                .plus(config.conditionalDuration).plus(config.mixedWarmup.plus(config.mixedDuration).multipliedBy(2))
                .plus(config.streamsTimeout).plus(config.seedTimeout).plus(Duration.ofMinutes(10));
        setUp(chain).protocols(protocol).maxDuration(longest)
                .assertions(global().failedRequests().count().is(0L));
    }

    @Override
    public void before() {
        try {
            results.started();
            harness.startInfrastructure();
            harness.runRawLimits();
            harness.startService();
            projects = new Projects(harness.reference(), config.openProjects);
            System.out.println("[bench] load starts: " + config.describe());
        } catch (Exception e) {
            results.failed("start-up: " + e.getMessage());
            results.write(this);
            harness.stop();
            throw new IllegalStateException("benchmark start-up failed", e);
        }
    }

    @Override
    public void after() {
        try {
            results.finish(this);
        } catch (Exception e) {
            results.failed("end: " + e);
        } finally {
            harness.stop();
            results.write(this);
        }
    }

    Projects projects() {
        return projects;
    }

    // --- chains -----------------------------------------------------------------------------------------------------

    private static PopulationBuilder users(String name, int users, ChainBuilder chain) {
        return scenario(name).exec(chain).injectOpen(atOnceUsers(users));
    }

    private static PopulationBuilder one(String name, ChainBuilder chain) {
        return users(name, 1, chain);
    }

    /** The populations one after the other. */
    private static PopulationBuilder sequence(List<PopulationBuilder> steps) {
        PopulationBuilder chain = steps.get(steps.size() - 1);
        for (int i = steps.size() - 2; i >= 0; i--) {
            chain = steps.get(i).andThen(chain);
        }
        return chain;
    }

    /** The read phases' connections, each reading for {@code duration} if {@code when} holds as they start. */
    private PopulationBuilder readers(String name, Duration duration, BooleanSupplier when, ChainBuilder read) {
        return users(name, config.readConnections,
                doIf(session -> when.getAsBoolean()).then(during(duration, false).on(read)));
    }

    /**
     * Open-loop reads: {@code bench.mixed.rate} arrivals per second for {@code duration}, each one read whenever the
     * answers come; an arrival finding {@code bench.mixed.max-in-flight} reads unanswered is counted as not sent.
     */
    private PopulationBuilder arrivals(Phase phase, Duration duration) {
        AtomicInteger inFlight = new AtomicInteger();
        return scenario(phase.name).exec(doIf(session -> scale.prepared()).then(
                        exec(session -> session.set("send", inFlight.incrementAndGet() <= config.mixedMaxInFlight))
                                .doIfOrElse(session -> session.getBoolean("send"))
                                .then(read(phase, scale::mixedPath, null))
                                .orElse(exec(session -> {
                                    phase.notSent();
                                    return session;
                                }))
                                .exec(session -> {
                                    inFlight.decrementAndGet();
                                    return session.remove("send");
                                })))
                .injectOpen(constantUsersPerSec(config.mixedRate).during(duration)).protocols(arrivalsProtocol);
    }

    /**
     * pg_stat_statements reset as the next measured write phase starts (after its settle: nothing else runs). Blocks
     * the one virtual user's event loop for one short JDBC call while no load runs.
     */
    private ChainBuilder resetStatements() {
        return exec(session -> {
            harness.statements().reset();
            return session;
        });
    }

    /** pg_stat_statements kept as {@code phase}'s once its events are projected (after its drain). */
    private ChainBuilder readStatements(Phase phase) {
        return exec(session -> {
            harness.statements().read(phase.name);
            return session;
        });
    }

    /** Work that blocks: JDBC, helper JVMs, admin calls that take minutes. */
    @FunctionalInterface
    private interface BlockingWork {
        void run() throws Exception;
    }

    /** Runs blocking work on a thread of its own while one virtual user waits: Gatling's event loops must not block. */
    private ChainBuilder offEventLoop(String name, BlockingWork work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        return exec(session -> {
            Thread thread = new Thread(() -> {
                try {
                    work.run();
                } catch (Exception e) {
                    System.out.println("[bench] " + name + " failed: " + e);
                    results.failed(name + ": " + e.getMessage());
                } finally {
                    done.complete(null);
                }
            }, "bench " + name);
            thread.setDaemon(true);
            thread.start();
            return session;
        }).asLongAs(session -> !done.isDone()).on(pause(Duration.ofMillis(200)));
    }

    /**
     * At most one single POST per pacing period from each connection, the connections' starts spread at random over
     * the first period: together a steady rate, as long as the service answers within the period.
     */
    private ChainBuilder steadyPosts(Phase phase, Duration duration, Duration pacing) {
        return pause(Duration.ZERO, pacing).exec(during(duration, false).on(pace(pacing).exec(singlePost(phase))));
    }

    /**
     * POST /api/v1/projects/{id}/events with a project's next event; 201 expected. Refused for now (429 or 503 with
     * Retry-After, ingest's backpressure), the same event (same eventId: idempotent) is sent again after that delay.
     */
    private ChainBuilder singlePost(Phase phase) {
        return exec(session -> {
            phase.sending();
            return session.set("event", projects.take());
        }).exec(untilNotRefused(phase, http(phase.request)
                .post(session -> "/api/v1/projects/" + session.<Projects.Pending>get("event").project().id + "/events")
                .body(StringBody(session -> session.<Projects.Pending>get("event").envelope()))
                // Saved first: a failing check stops the checks after it.
                .check(responseTimeInMillis().saveAs("rt"), status().saveAs("status"),
                        header("Retry-After").optional().saveAs("retryAfter"), status().in(201, 429, 503))))
                .exec(session -> {
                    Projects.Pending event = session.get("event");
                    boolean created = session.contains("status") && session.getInt("status") == 201;
                    projects.answered(event, created);
                    phase.answered(session.contains("rt") ? session.getInt("rt") : -1, created, created ? 1 : 0,
                            created ? 0 : 1);
                    return session.removeAll("event", "rt", "status").markAsSucceeded();
                })
                .exec(stopIfServiceGone());
    }

    /**
     * POST /api/v1/events with {@code size} events of as many projects; 200 with every item 201 expected. A refused
     * request (429 or 503 with Retry-After) is sent again, the same body, after that delay.
     */
    private ChainBuilder batchPost(Phase phase, Function<Session, Integer> size) {
        return exec(session -> {
            phase.sending();
            List<Projects.Pending> events = projects.take(size.apply(session));
            StringBuilder body = new StringBuilder(events.size() * 480).append('[');
            for (int i = 0; i < events.size(); i++) {
                body.append(i > 0 ? "," : "").append(events.get(i).batchItem());
            }
            return session.set("events", events).set("body", body.append(']').toString());
        }).exec(untilNotRefused(phase, http(phase.request)
                .post("/api/v1/events")
                .body(StringBody(session -> session.getString("body")))
                .check(responseTimeInMillis().saveAs("rt"), status().saveAs("status"),
                        header("Retry-After").optional().saveAs("retryAfter"), bodyString().saveAs("answer"),
                        status().in(200, 429, 503))))
                .exec(session -> {
                    List<Projects.Pending> events = session.get("events");
                    List<Integer> statuses = session.contains("status") && session.getInt("status") == 200
                            ? itemStatuses(session.getString("answer")) : List.of();
                    boolean complete = statuses.size() == events.size();
                    int created = 0;
                    for (int i = 0; i < events.size(); i++) {
                        boolean ok = complete && statuses.get(i) == 201;
                        projects.answered(events.get(i), ok);
                        created += ok ? 1 : 0;
                    }
                    phase.answered(session.contains("rt") ? session.getInt("rt") : -1,
                            complete && created == events.size(), created, events.size() - created);
                    return session.removeAll("events", "body", "rt", "status", "answer").markAsSucceeded();
                })
                .exec(stopIfServiceGone());
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The items' statuses of a batch's answer ({@code results[*].status}); empty if it has none. */
    private static List<Integer> itemStatuses(String answer) {
        List<Integer> statuses = new ArrayList<>();
        try {
            for (JsonNode item : JSON.readTree(answer).path("results")) {
                statuses.add(item.path("status").asInt(-1));
            }
        } catch (java.io.IOException e) {
            return List.of();
        }
        return statuses;
    }

    /**
     * Sends {@code request} until its answer is not a refusal: 429 or 503 with a Retry-After header (seconds; H2's
     * ingest gate answers 503 /problems/projector-behind, Retry-After: 1, having stored nothing), each counted in the
     * phase and followed by a pause of that delay (at most 30 s). Any other answer, a 503 without Retry-After
     * included, ends the loop for the caller to judge. A request refused at least once gets as response time the
     * department's wait: from its first attempt to the final answer.
     */
    private ChainBuilder untilNotRefused(Phase phase, HttpRequestActionBuilder request) {
        return exec(session -> session.set("refused", true).set("refusals", 0).set("firstSent", System.nanoTime()))
                .asLongAs(session -> session.getBoolean("refused")).on(
                        exec(session -> session.removeAll("rt", "status", "retryAfter", "answer"))
                                .exec(request)
                                .exec(session -> {
                                    int status = session.contains("status") ? session.getInt("status") : -1;
                                    boolean refused = (status == 429 || status == 503) && session.contains("retryAfter")
                                            && harness.serviceAlive();
                                    if (refused) {
                                        phase.refused();
                                    }
                                    return session.set("refused", refused)
                                            .set("refusals", session.getInt("refusals") + (refused ? 1 : 0));
                                })
                                .doIf(session -> session.getBoolean("refused"))
                                .then(pause(session -> retryAfter(session.getString("retryAfter")))))
                .exec(session -> {
                    Session done = session;
                    if (session.getInt("refusals") > 0 && session.contains("rt")) {
                        done = done.set("rt", (int) ((System.nanoTime() - session.getLong("firstSent")) / 1_000_000));
                    }
                    return done.removeAll("refused", "refusals", "firstSent", "retryAfter");
                });
    }

    /** Retry-After in seconds (RFC 9110: a number of seconds; a fraction is taken as given), at most 30 s. */
    private static Duration retryAfter(String header) {
        try {
            double seconds = Double.parseDouble(header.trim());
            return Duration.ofMillis(Math.max(0, Math.min(30_000, Math.round(seconds * 1000))));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1); // an HTTP date or garbage: a second, then again
        }
    }

    /**
     * GET {@code path} as the department; 200 expected, or with {@code ifNoneMatch} (the ETag to send) 200 or 304, of
     * which 304 counts as what it should get.
     */
    private ChainBuilder read(Phase phase, Supplier<String> path, Supplier<String> ifNoneMatch) {
        HttpRequestActionBuilder get = http(phase.request).get(session -> path.get());
        if (ifNoneMatch != null) {
            get = get.header("If-None-Match", session -> ifNoneMatch.get())
                    .check(responseTimeInMillis().saveAs("rt"), status().saveAs("status"), status().in(200, 304));
        } else {
            get = get.check(responseTimeInMillis().saveAs("rt"), status().saveAs("status"), status().is(200));
        }
        int expected = ifNoneMatch == null ? 200 : 304;
        return exec(session -> {
            phase.sending();
            return session;
        }).exec(get)
                .exec(session -> {
                    phase.answered(session.contains("rt") ? session.getInt("rt") : -1,
                            session.contains("status") && session.getInt("status") == expected, 0, 0);
                    return session.removeAll("rt", "status").markAsSucceeded();
                })
                .exec(stopIfServiceGone());
    }

    /** Polls the projector's lag until it is 0 or the drain's bound is reached; then, optionally, reads /q/metrics. */
    private ChainBuilder drain(Drain drain, Consumer<String> metrics) {
        ChainBuilder chain = exec(session -> {
            drain.start();
            return session;
        }).asLongAs(session -> drain.active()).on(lagPoll(drain).doIf(session -> drain.active()).then(pause(session -> drain.nextPause(config.lagInterval))));
        if (metrics != null) {
            chain = chain.exec(http("metrics: GET /q/metrics").get("/q/metrics").header("Accept", "text/plain").check(bodyString().saveAs("metrics")))
                    .exec(session -> {
                        metrics.accept(session.contains("metrics") ? session.getString("metrics") : null);
                        return session.remove("metrics");
                    });
        }
        return chain;
    }

    private ChainBuilder lagPoll(Drain drain) {
        return exec(http("lag: GET /api/v1/admin/projections").get("/api/v1/admin/projections")
                .header("Authorization", harness.admin)
                .check(jmesPath("[?name=='projector'] | [0].lag").ofLong().saveAs("lag")))
                .exec(session -> {
                    drain.sample(session.contains("lag") ? session.getLong("lag") : -1);
                    if (!harness.serviceAlive()) {
                        drain.abandon();
                    }
                    return session.remove("lag").markAsSucceeded();
                })
                .exec(stopIfServiceGone());
    }

    /** Ends the run at once if the service's process has exited: nothing after that would measure anything. */
    private ChainBuilder stopIfServiceGone() {
        return stopLoadGeneratorIf("the service's process exited (see target/bench/service.log)",
                session -> !harness.serviceAlive());
    }

    /** Claims the next batch of the burst: its size, 0 once all its events are claimed. */
    private int claimBurstBatch() {
        while (true) {
            int left = burstEventsLeft.get();
            if (left <= 0) {
                return 0;
            }
            int size = Math.min(config.batchSize, left);
            if (burstEventsLeft.compareAndSet(left, left - size)) {
                return size;
            }
        }
    }

    /**
     * GET /q/health/ready at a fixed period from the burst's first request until its posters are done and the lag
     * is 0 again (or the drain's bound is reached); once the posters are done, the lag is polled after each
     * readiness poll.
     */
    private ChainBuilder readinessDuringBurst() {
        return exec(session -> session)
                .asLongAs(session -> burstPostersRunning.get() > 0 || drainBurst.active()).on(
                        pace(config.readyInterval)
                                .exec(http("readiness: GET /q/health/ready").get("/q/health/ready")
                                        .check(status().saveAs("ready"), status().in(200, 503)))
                                .exec(session -> {
                                    readiness.poll(session.contains("ready") ? session.getInt("ready") : -1,
                                            burstPostersRunning.get() > 0);
                                    return session.remove("ready").markAsSucceeded();
                                })
                                .exec(stopIfServiceGone())
                                .doIf(session -> burstPostersRunning.get() == 0 && drainBurst.active())
                                .then(exec(session -> {
                                    drainBurst.start();
                                    return session;
                                }).exec(lagPoll(drainBurst))));
    }
}
