package cn.qxqy.pipeline.testing.history;

import cn.qxqy.pipeline.testing.Api;
import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.assertj.core.api.SoftAssertions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import static cn.qxqy.pipeline.testing.history.BodyFields.assertFields;

/**
 * Rebuilds of the read models ({@code POST /api/v1/admin/projections/rebuild}) while a reader polls the figures, with
 * or without events posted meanwhile. A rebuild of this small store takes a fraction of a second, so each scenario
 * repeats it until it has seen enough reads or writes while one ran, and fails when it has not.
 */
public final class Rebuilds {

    /** Reads the reader must have made while rebuilds ran, for "never saw a half-built figure" to mean much. */
    private static final int MIN_READS_DURING_REBUILD = 20;
    /** Rebuilds are repeated, up to this many, until they have seen enough reads, or enough writes. */
    private static final int MAX_REBUILD_ROUNDS = 6;
    /** Events posted during each rebuild with writes: at least these, then on until it is done. */
    private static final int MIN_WRITES_PER_REBUILD = 6;
    private static final int MIN_WRITES_DURING_REBUILD = 20;
    /** Events accepted while a rebuild was still RUNNING that the rounds aim for. */
    private static final int MIN_ACCEPTED_DURING_REBUILD = 8;

    /** What the rebuilds of one scenario reported, and what went on around them. */
    public record Run(int rounds, double seconds, JsonNode last, long reads, int distinctBodies, int writes,
                      int acceptedWhileRunning) {
        @Override
        public String toString() {
            return String.format("%d round(s), %.2f s in all (last: %s, projects %s/%s, events %s, %s events/s); "
                            + "reader %d reads during them, %d distinct answers; %d events posted during them, %d "
                            + "accepted while one ran", rounds, seconds, last.path("state").asText(),
                    last.path("projectsDone"), last.path("projectsTotal"), last.path("eventsDone"),
                    last.path("eventsPerSecond"), reads, distinctBodies, writes, acceptedWhileRunning);
        }
    }

    private final RandomHistory history;
    private final SoftAssertions softly;

    public Rebuilds(RandomHistory history, SoftAssertions softly) {
        this.history = history;
        this.softly = softly;
    }

    /**
     * Rebuilds while a reader polls summary, a breakdown and the timeline of campaign A as fast as it can. Nothing is
     * written meanwhile, so the figures before and after are the same, and every body the reader sees must be that
     * one: a half-built figure, an error during the swap or an empty table would show as another body. Repeated until
     * the reader has made enough reads while one ran.
     */
    public Run whileReading() {
        String where = "rebuild while reading";
        String campaign = history.campaignA;
        List<String> paths = List.of("/api/v1/campaigns/" + campaign + "/summary",
                "/api/v1/campaigns/" + campaign + "/breakdown?by=category",
                "/api/v1/campaigns/" + campaign + "/summary",
                "/api/v1/campaigns/" + campaign + "/timeline?granularity=month");
        Map<String, String> before = new HashMap<>();
        for (String path : new TreeSet<>(paths)) {
            Response r = Api.given().accept("application/json").get(path);
            if (r.statusCode() != 200) {
                throw new AssertionError(where + ": GET " + path + " before the rebuild: " + r.statusCode() + " "
                        + r.asString());
            }
            before.put(path, r.asString());
        }
        Reader reader = Reader.start(paths);
        int rounds = 0;
        long readsDuring = 0;
        double seconds = 0;
        JsonNode status;
        try {
            do {
                rounds++;
                long readsAtStart = reader.reads.get();
                long t = System.nanoTime();
                status = awaitRebuild(where, startRebuild(where));
                readsDuring += reader.reads.get() - readsAtStart;
                seconds += RandomHistory.seconds(t);
                checkFinished(where + " (round " + rounds + ")", status, history.projectCount(),
                        history.acceptedCount());
            } while (rounds < MAX_REBUILD_ROUNDS && readsDuring < 3L * MIN_READS_DURING_REBUILD);
        } finally {
            reader.stop();
        }
        softly.assertThat(reader.thread.isAlive()).as(where + ": the reader still runs 15 s after it was stopped")
                .isFalse();
        checkReads(where, reader, before);
        softly.assertThat(readsDuring).as(where + ": reads while " + rounds + " rebuild(s) ran (" + reader.reads.get()
                + " in all); fewer show too little").isGreaterThanOrEqualTo(MIN_READS_DURING_REBUILD);
        return new Run(rounds, seconds, status, readsDuring, reader.seen.size(), 0, 0);
    }

    /**
     * Rebuilds while the history goes on posting generated events (valid and refused), a few and then until the
     * rebuild reports it is done, so that events land before the replay reads their project, after it (for the
     * catch-up) and around the swap; a reader polls meanwhile and must never get an error. Repeated until enough
     * events were accepted while a rebuild ran. Afterwards the read models must hold every accepted event, as the
     * caller checks.
     */
    public Run whileWriting() {
        String where = "rebuild while writing";
        Reader reader = Reader.start(List.of("/api/v1/campaigns/" + history.campaignA + "/summary",
                "/api/v1/campaigns/" + history.campaignA + "/timeline?granularity=month"));
        int rounds = 0;
        int writes = 0;
        int acceptedWhileRunning = 0;
        long readsDuring = 0;
        double seconds = 0;
        JsonNode status;
        try {
            do {
                rounds++;
                int projectsAtStart = history.projectCount();
                int eventsAtStart = history.acceptedCount();
                long readsAtStart = reader.reads.get();
                long t = System.nanoTime();
                String startedBefore = startRebuild(where);
                status = rebuildStatus();
                for (int w = 0; w < MIN_WRITES_PER_REBUILD || !finished(status, startedBefore) && w < 100; w++) {
                    int acceptedBefore = history.acceptedCount();
                    history.postNext(softly);
                    writes++;
                    status = rebuildStatus();
                    if ("RUNNING".equals(status.path("state").asText())) {
                        acceptedWhileRunning += history.acceptedCount() - acceptedBefore;
                    }
                }
                if (!finished(status, startedBefore)) {
                    status = awaitRebuild(where, startedBefore);
                }
                readsDuring += reader.reads.get() - readsAtStart;
                seconds += RandomHistory.seconds(t);
                checkFinished(where + " (round " + rounds + ")", status, projectsAtStart, eventsAtStart);
            } while (rounds < MAX_REBUILD_ROUNDS
                    && (writes < MIN_WRITES_DURING_REBUILD || acceptedWhileRunning < MIN_ACCEPTED_DURING_REBUILD)
                    || acceptedWhileRunning == 0 && rounds < 3 * MAX_REBUILD_ROUNDS);
        } finally {
            reader.stop();
        }
        checkReads(where, reader, null);
        softly.assertThat(acceptedWhileRunning).as(where + ": events accepted while a rebuild ran (" + writes
                + " posted in " + rounds + " rounds); with none this shows nothing about writes during a rebuild")
                .isPositive();
        return new Run(rounds, seconds, status, readsDuring, reader.seen.size(), writes, acceptedWhileRunning);
    }

    /** The rebuild's row of {@code GET /api/v1/admin/projections}. */
    private static JsonNode rebuildStatus() {
        Response r = Api.admin().accept("application/json").get("/api/v1/admin/projections");
        JsonNode list = Json.parse(r.asString());
        if (r.statusCode() == 200 && list.isArray()) {
            for (JsonNode row : list) {
                if ("rebuild".equals(row.path("name").asText())) {
                    return row;
                }
            }
        }
        throw new AssertionError("GET /api/v1/admin/projections: no rebuild row in " + r.statusCode() + " "
                + r.asString());
    }

    /** Starts a rebuild; returns the startedAt of the rebuild before it, to tell this run's end from an earlier one's. */
    private static String startRebuild(String where) {
        String startedBefore = rebuildStatus().path("startedAt").asText("");
        Response r = Api.admin().post("/api/v1/admin/projections/rebuild");
        if (r.statusCode() != 202) {
            throw new AssertionError(where + ": POST /api/v1/admin/projections/rebuild: expected 202, got "
                    + r.statusCode() + " " + r.asString());
        }
        return startedBefore;
    }

    /** Whether the status shows that this run (not an earlier one) has ended, well or not. */
    private static boolean finished(JsonNode status, String startedBefore) {
        String state = status.path("state").asText();
        return ("DONE".equals(state) || "FAILED".equals(state))
                && !startedBefore.equals(status.path("startedAt").asText(""));
    }

    private static JsonNode awaitRebuild(String where, String startedBefore) {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (true) {
            JsonNode status = rebuildStatus();
            if (finished(status, startedBefore)) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(where + ": the rebuild did not finish within 90 s: " + status);
            }
            sleep(10);
        }
    }

    /**
     * A run's final status: DONE without error, every project and event of the store at its start replayed (the
     * store holds other tests' too, so at least this test's).
     */
    private void checkFinished(String where, JsonNode status, int projectsAtStart, int eventsAtStart) {
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("state", "DONE");
        done.put("lastError", null);
        assertFields(softly, where + ": the rebuild's end", status, done);
        long projectsTotal = status.path("projectsTotal").asLong(-1);
        softly.assertThat(projectsTotal).as(where + ": projects the rebuild found, at least the " + projectsAtStart
                + " this test alone had when it started: " + status).isGreaterThanOrEqualTo(projectsAtStart);
        softly.assertThat(status.path("projectsDone").asLong(-1))
                .as(where + ": projects the rebuild replayed, every one it found: " + status)
                .isGreaterThanOrEqualTo(projectsTotal);
        softly.assertThat(status.path("eventsDone").asLong(-1)).as(where + ": events the rebuild replayed, at least the "
                + eventsAtStart + " this test alone had accepted when it started: " + status)
                .isGreaterThanOrEqualTo(eventsAtStart);
    }

    /** Every answer the reader got must be a 200 with a JSON body, and with {@code expected} when given. */
    private void checkReads(String where, Reader reader, Map<String, String> expected) {
        for (Map.Entry<String, LongAdder> seen : reader.seen.entrySet()) {
            String[] parts = seen.getKey().split("\n", 3);
            String path = parts[0];
            String status = parts[1];
            String body = parts[2];
            long times = seen.getValue().sum();
            if (!"200".equals(status) || Json.parse(body).isMissingNode()) {
                softly.fail(where + ": GET " + path + " answered " + status + " (" + times + " time(s)) while "
                        + "rebuilds ran: " + Json.abbreviate(body, 600));
            } else if (expected != null && !body.equals(expected.get(path))
                    && !Json.parse(body).equals(Json.parse(expected.get(path)))) {
                List<String> differences = new ArrayList<>();
                diff("", Json.parse(expected.get(path)), Json.parse(body), differences);
                softly.fail(where + ": GET " + path + " showed, " + times + " time(s), a body that is neither the "
                        + "figures before nor after the rebuild (they are equal): " + differences.stream().limit(8)
                        .collect(Collectors.joining("; ")) + (differences.size() > 8 ? "; ..." : ""));
            }
        }
    }

    /** Where two JSON documents differ, as path: expected -> actual, to say briefly what a reader saw. */
    private static void diff(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.equals(actual)) {
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            Set<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                diff(path + "." + name, expected.path(name), actual.path(name), out);
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                diff(path + "[" + i + "]", expected.get(i), actual.get(i), out);
            }
        } else {
            out.add((path.isEmpty() ? "body" : path) + ": " + Json.abbreviate(expected.toString(), 200) + " -> "
                    + Json.abbreviate(actual.toString(), 200));
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
