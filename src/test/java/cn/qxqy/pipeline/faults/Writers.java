package cn.qxqy.pipeline.faults;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * The load: K department systems, each a thread that owns its projects ({@code F-<run>-<writer>-<n>}) and posts their
 * lifecycle events one after the other with {@code expectedVersion}, to a replica that is ready (as a Service would
 * route them). An event is posted until a replica acknowledges it (200/201): after a 503 (waiting its Retry-After), a
 * refused or reset connection or a timeout, the same event (same eventId, same body) goes to the next ready replica.
 * Every attempt is recorded.
 */
final class Writers {

    private static final LocalDate RESERVED_ON = LocalDate.of(2024, 3, 1);
    private static final String[] REGIONS = {"141102", "141123", "141125", "141181"};
    private static final String[] CHAINS = {"coal", "hydrogen", "aluminium-magnesium"};
    private static final List<List<String>> CATEGORIES = List.of(List.of(), List.of("chain-extension"),
            List.of("private-capital", "special-bond"));
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** How long writers may take to get their last event acknowledged once asked to stop. */
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(90);

    /**
     * An event as posted: {@code amount} is the planned, signed or reported investment, by type; {@code annual} the
     * annual planned investment of a reservation, {@code period} the month of a report.
     */
    record Sent(UUID eventId, String projectId, long version, String type, BigDecimal amount, BigDecimal annual,
                String period) {
    }

    /** A 200/201 for an event of a writer's, with the version the service gave it. */
    record Ack(UUID eventId, String projectId, long version, int status, int writer, int replica, long receivedNanos) {
    }

    /**
     * One request: {@code status} 0 is a connection error (refused, reset, timeout), described by {@code error};
     * {@code retryAfter} is the header's value, or null.
     */
    record Attempt(UUID eventId, int replica, long sentNanos, long receivedNanos, int status, String retryAfter,
                   String error) {
        boolean connectionError() {
            return status == 0;
        }
    }

    final String run = Long.toString(System.currentTimeMillis() % 2_176_782_336L, 36);
    private final Cluster cluster;
    private final String campaignId;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<UUID, Sent> sent = new ConcurrentHashMap<>();
    private final Map<UUID, Ack> acks = new ConcurrentHashMap<>();
    /** Events given up without an acknowledgement: they may or may not be stored. */
    private final Set<UUID> unresolved = ConcurrentHashMap.newKeySet();
    private final Collection<Attempt> attempts = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;
    private volatile boolean abandon;
    private long startedNanos;

    Writers(Cluster cluster, String campaignId, int count) {
        this.cluster = cluster;
        this.campaignId = campaignId;
        for (int w = 0; w < count; w++) {
            int writer = w;
            threads.add(new Thread(() -> write(writer), "fault-writer-" + w));
        }
    }

    /** The prefix of every project id of this load. */
    String projectPrefix() {
        return "F-" + run + "-";
    }

    String campaignId() {
        return campaignId;
    }

    void start() {
        startedNanos = System.nanoTime();
        threads.forEach(Thread::start);
        System.out.printf("[faults] %s: %d writers started (projects %s*)%n", cluster.name, threads.size(), projectPrefix());
    }

    /** Lets every writer finish the event it is posting (until it is acknowledged), then stops them. */
    void stop() throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + FINISH_TIMEOUT.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        abandon = true;
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        System.out.printf("[faults] %s: writers stopped after %.1f s: %d events acknowledged, %d given up%n", cluster.name,
                Cluster.seconds(startedNanos), acks.size(), unresolved.size());
    }

    Map<UUID, Sent> sent() {
        return sent;
    }

    Map<UUID, Ack> acks() {
        return acks;
    }

    Set<UUID> unresolved() {
        return unresolved;
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Answers other than 200/201 with the right version and 503 (connection errors aside): failures of the service. */
    List<Attempt> unexpected() {
        return attempts.stream().filter(a -> !a.connectionError()
                && (a.error() != null || (a.status() != 503 && a.status() != 200 && a.status() != 201))).toList();
    }

    /** Of the {@code started} writers that started on a replica, {@code movedOn} got acknowledgements after a time. */
    record Moved(long started, long movedOn) {
    }

    /** How many of the writers that started on {@code replica} got acknowledgements after {@code nanos}. */
    Moved movedOn(int replica, long nanos) {
        long started = IntStream.range(0, threads.size()).filter(w -> homeReplica(w) == replica).count();
        long moved = acks.values().stream().filter(a -> homeReplica(a.writer()) == replica && a.receivedNanos() > nanos)
                .map(Ack::writer).distinct().count();
        return new Moved(started, moved);
    }

    /** The replica a writer starts with: writers are spread evenly over the replicas. */
    int homeReplica(int writer) {
        return writer % cluster.replicas().size();
    }

    /** The first 201 (an event appended, not a re-post of a stored one) received after {@code nanos}. */
    Optional<Ack> firstCreatedAfter(long nanos) {
        return acks.values().stream().filter(a -> a.status() == 201 && a.receivedNanos() > nanos)
                .min((a, b) -> Long.compare(a.receivedNanos(), b.receivedNanos()));
    }

    /** Waits until at least {@code count} more events than now have been acknowledged. */
    void awaitMoreAcks(int count, Duration timeout) throws InterruptedException {
        int target = acks.size() + count;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acks.size() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the writers got fewer than " + count + " acknowledgements within " + timeout
                        + " (" + (acks.size() - target + count) + ")");
            }
            Thread.sleep(50);
        }
    }

    // --- one writer -------------------------------------------------------------------------------------------------

    private void write(int writer) {
        int replica = homeReplica(writer);
        for (int n = 0; !stopping; n++) {
            String projectId = projectPrefix() + writer + "-" + n;
            for (Sent event : lifecycle(projectId, writer, n)) {
                int answeredBy = post(writer, event, replica);
                if (answeredBy < 0) {
                    break; // this project's next version is unknown: go on with a new one
                }
                replica = answeredBy;
                if (stopping) {
                    return;
                }
            }
        }
    }

    /**
     * The project's events in order, each with a fresh eventId: 储备, 签约 (three in four), 开工, two monthly reports,
     * 竣工; amounts in 万元 with two fraction digits.
     */
    private static List<Sent> lifecycle(String projectId, int writer, int n) {
        long k = writer * 10_000L + n;
        BigDecimal planned = BigDecimal.valueOf(1_000_000 + 137 * k, 2);
        List<Sent> events = new ArrayList<>();
        events.add(new Sent(UUID.randomUUID(), projectId, 1, "ProjectReserved", planned,
                BigDecimal.valueOf(300_000 + 59 * k, 2), null));
        if (n % 4 != 3) { // government projects start unsigned
            events.add(new Sent(UUID.randomUUID(), projectId, events.size() + 1, "ProjectSigned", planned, null, null));
        }
        events.add(new Sent(UUID.randomUUID(), projectId, events.size() + 1, "ConstructionStarted", null, null, null));
        events.add(new Sent(UUID.randomUUID(), projectId, events.size() + 1, "InvestmentReported",
                BigDecimal.valueOf(10_000 + 7 * k, 2), null, "2024-04"));
        events.add(new Sent(UUID.randomUUID(), projectId, events.size() + 1, "InvestmentReported",
                BigDecimal.valueOf(20_000 + 7 * k, 2), null, "2024-05"));
        events.add(new Sent(UUID.randomUUID(), projectId, events.size() + 1, "ProjectCompleted", null, null, null));
        return events;
    }

    private String body(Sent event) throws JsonProcessingException {
        Map<String, Object> data = new LinkedHashMap<>();
        LocalDate on;
        switch (event.type()) {
            case "ProjectReserved" -> {
                on = RESERVED_ON;
                int i = Math.floorMod(event.projectId().hashCode(), 12);
                data.put("name", "故障测试项目 " + event.projectId());
                data.put("campaignId", campaignId);
                data.put("regionCode", REGIONS[i % REGIONS.length]);
                data.put("industryChain", CHAINS[i % CHAINS.length]);
                data.put("categories", CATEGORIES.get(i % CATEGORIES.size()));
                data.put("plannedInvestment", event.amount());
                data.put("annualPlannedInvestment", event.annual());
            }
            case "ProjectSigned" -> {
                on = RESERVED_ON.plusDays(4);
                data.put("signedInvestment", event.amount());
                data.put("investor", "山西某投资有限公司");
            }
            case "ConstructionStarted" -> on = RESERVED_ON.plusDays(9);
            case "InvestmentReported" -> {
                on = YearMonth.parse(event.period()).plusMonths(1).atDay(5);
                data.put("period", event.period());
                data.put("investmentToDate", event.amount());
            }
            case "ProjectCompleted" -> on = LocalDate.of(2024, 12, 20);
            default -> throw new IllegalArgumentException(event.type());
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("eventId", event.eventId().toString());
        envelope.put("type", event.type());
        envelope.put("occurredOn", on.toString());
        envelope.put("expectedVersion", event.version() - 1);
        envelope.put("data", data);
        return Cluster.JSON.writeValueAsString(envelope);
    }

    /**
     * Posts until a replica acknowledges the event; the replica that did, or -1 if it was given up (an answer that a
     * retry cannot change, or the writers were told to abandon).
     */
    private int post(int writer, Sent event, int firstReplica) {
        sent.put(event.eventId(), event);
        String body;
        try {
            body = body(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String authorization = cluster.bearer(Cluster.DEPARTMENT);
        int replica = firstReplica;
        while (true) {
            if (abandon) {
                unresolved.add(event.eventId());
                return -1;
            }
            replica = route(replica);
            Replica target = cluster.replica(replica);
            HttpRequest request = HttpRequest.newBuilder(URI.create(target.baseUrl() + "/api/v1/projects/"
                            + event.projectId() + "/events"))
                    .timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                    .header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
            long sentNanos = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                attempts.add(new Attempt(event.eventId(), replica, sentNanos, System.nanoTime(), 0, null,
                        e.getClass().getSimpleName() + ": " + e.getMessage()));
                pause(100);
                replica = next(replica);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unresolved.add(event.eventId());
                return -1;
            }
            long received = System.nanoTime();
            int status = response.statusCode();
            String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
            if (status == 200 || status == 201) {
                long version = version(response.body());
                if (version != event.version()) {
                    attempts.add(new Attempt(event.eventId(), replica, sentNanos, received, status, retryAfter,
                            "acknowledged as version " + version + ", expected " + event.version()));
                    unresolved.add(event.eventId());
                    return -1;
                }
                attempts.add(new Attempt(event.eventId(), replica, sentNanos, received, status, retryAfter, null));
                acks.put(event.eventId(), new Ack(event.eventId(), event.projectId(), version, status, writer, replica,
                        received));
                return replica;
            }
            attempts.add(new Attempt(event.eventId(), replica, sentNanos, received, status, retryAfter,
                    status == 503 ? null : abbreviate(response.body())));
            if (status == 503) {
                pause(retryAfter == null ? 250 : retryAfterMillis(retryAfter));
            } else if (status >= 400 && status < 500) {
                unresolved.add(event.eventId());
                return -1;
            } else {
                pause(500);
            }
            replica = next(replica);
        }
    }

    /**
     * Posts an event of this load again with its eventId, on the caller's thread once the writers are stopped, as its
     * department re-posts what a restore lost; whether it was acknowledged.
     */
    boolean repost(UUID eventId) {
        Sent event = sent.get(eventId);
        if (event == null) {
            throw new IllegalArgumentException(eventId + " was not posted by these writers");
        }
        abandon = false;
        return post(0, event, 0) >= 0;
    }

    /** As a load balancer routes: to {@code replica} if it is ready, else to the next ready one; if none is, to it. */
    private int route(int replica) {
        int n = cluster.replicas().size();
        for (int k = 0; k < n; k++) {
            int candidate = (replica + k) % n;
            if (cluster.replica(candidate).ready()) {
                return candidate;
            }
        }
        return replica;
    }

    /** The replica after {@code replica}, for a retry elsewhere ({@link #route} skips those not ready). */
    private int next(int replica) {
        return (replica + 1) % cluster.replicas().size();
    }

    private static long version(String body) {
        try {
            JsonNode json = Cluster.JSON.readTree(body);
            return json.path("version").asLong(-1);
        } catch (JsonProcessingException e) {
            return -1;
        }
    }

    /** Retry-After in seconds (the service sends 5), capped so that a wrong value cannot stall the test. */
    private static long retryAfterMillis(String retryAfter) {
        try {
            return Math.min(10_000, Long.parseLong(retryAfter.trim()) * 1000);
        } catch (NumberFormatException e) {
            return 1000;
        }
    }

    private static void pause(long millis) {
        try {
            // A little jitter, so that the writers do not come back in lockstep.
            Thread.sleep(millis + ThreadLocalRandom.current().nextLong(millis / 10 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String abbreviate(String body) {
        return body == null || body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }
}
