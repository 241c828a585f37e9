package cn.qxqy.pipeline.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one load phase did, as the load generator saw it: its window (first request sent to last answer received),
 * requests, events accepted (201) and not (none for reads), and the requests' response times (1 ms resolution, as
 * Gatling measures them; the same figures as in Gatling's report for the phase's request name).
 */
final class Phase {

    private static final int MAX_MILLIS = 120_000;

    final String name;
    /** The request name in Gatling's report. */
    final String request;
    final boolean counted;
    private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder requests = new LongAdder();
    private final LongAdder failedRequests = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder notAccepted = new LongAdder();
    private final LongAdder refusals = new LongAdder();
    private final LongAdder notSent = new LongAdder();
    private final AtomicLongArray millis = new AtomicLongArray(MAX_MILLIS + 1);
    private final LongAdder answeredMillis = new LongAdder();

    private final java.util.function.Supplier<CpuClock.Sample> cpu;
    private volatile CpuClock.Sample cpuAtStart;
    private volatile CpuClock.Sample cpuUntilProjected;

    /** A phase whose CPU is not measured (the reads: no drain ends them). */
    Phase(String name, String request, boolean counted) {
        this(name, request, counted, () -> null);
    }

    Phase(String name, String request, boolean counted, java.util.function.Supplier<CpuClock.Sample> cpu) {
        this.name = name;
        this.request = request;
        this.counted = counted;
        this.cpu = cpu;
    }

    /** A request is about to be sent. */
    void sending() {
        if (first.get() == Long.MAX_VALUE && first.compareAndSet(Long.MAX_VALUE, System.nanoTime())) {
            cpuAtStart = cpu.get();
            System.out.printf("[bench] %s: started%n", name);
        }
    }

    String summary() {
        return String.format(java.util.Locale.ROOT, "%s: %,d events accepted (%,d not) in %,d requests over %.1f s = %,.0f events/s,"
                        + " response time p50 %d ms, p99 %d ms; %,d refusals retried", name, accepted(), notAccepted(),
                requests(), seconds(), acceptedPerSecond(), percentile(50), percentile(99), refusals());
    }

    /**
     * A request's answer.
     *
     * @param responseMillis Gatling's response time, or -1 if the request failed before one
     * @param ok             the request got what it should (every event 201; for a read, its expected status)
     */
    void answered(int responseMillis, boolean ok, int eventsAccepted, int eventsNotAccepted) {
        last.accumulateAndGet(System.nanoTime(), Math::max);
        requests.increment();
        if (!ok) {
            failedRequests.increment();
        }
        accepted.add(eventsAccepted);
        notAccepted.add(eventsNotAccepted);
        if (responseMillis >= 0) {
            millis.incrementAndGet(Math.min(responseMillis, MAX_MILLIS));
            answeredMillis.add(responseMillis);
        }
    }

    /**
     * The service refused a request for now (429 or 503 with Retry-After: ingest's backpressure); the load generator
     * sends it again, unchanged, after that delay. Not an answer: the request's answer is the one that is not refused.
     */
    void refused() {
        refusals.increment();
    }

    long refusals() {
        return refusals.sum();
    }

    /** An open-loop arrival not sent: too many of the phase's requests were waiting for their answers already. */
    void notSent() {
        notSent.increment();
    }

    long notSentCount() {
        return notSent.sum();
    }

    /** The projector has caught up with this load (its drain found the lag at 0): the phase's CPU ends here. */
    void projected() {
        if (cpuAtStart != null && cpuUntilProjected == null) {
            cpuUntilProjected = cpu.get().minus(cpuAtStart);
        }
    }

    /**
     * CPU per accepted event from the phase's first request until the last event was projected, in µs: the service's
     * and the infrastructure's; null if the projector did not catch up (or a process could not be read).
     */
    CpuClock.Sample cpuPerEvent() {
        CpuClock.Sample used = cpuUntilProjected;
        long events = accepted();
        if (used == null || events == 0 || used.serviceMicros() < 0 || used.infraMicros() < 0) {
            return null;
        }
        return new CpuClock.Sample(used.serviceMicros() / events, used.infraMicros() / events);
    }

    boolean started() {
        return first.get() != Long.MAX_VALUE;
    }

    long startNanos() {
        return first.get();
    }

    long endNanos() {
        return last.get();
    }

    double seconds() {
        return started() && last.get() > first.get() ? (last.get() - first.get()) / 1e9 : 0;
    }

    long requests() {
        return requests.sum();
    }

    long failedRequests() {
        return failedRequests.sum();
    }

    long accepted() {
        return accepted.sum();
    }

    long notAccepted() {
        return notAccepted.sum();
    }

    /** Accepted events per second over the phase's window. */
    double acceptedPerSecond() {
        double s = seconds();
        return s > 0 ? accepted() / s : 0;
    }

    /** Requests answered per second over the phase's window. */
    double requestsPerSecond() {
        double s = seconds();
        return s > 0 ? requests() / s : 0;
    }

    /** The mean response time in ms; NaN without answers. */
    double meanMillis() {
        long answers = 0;
        for (int i = 0; i < millis.length(); i++) {
            answers += millis.get(i);
        }
        return answers == 0 ? Double.NaN : (double) answeredMillis.sum() / answers;
    }

    /** The response time at or under which {@code percent} % of the answers came, in ms; -1 without answers. */
    long percentile(double percent) {
        long total = 0;
        for (int i = 0; i < millis.length(); i++) {
            total += millis.get(i);
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(total * percent / 100.0);
        long seen = 0;
        for (int i = 0; i < millis.length(); i++) {
            seen += millis.get(i);
            if (seen >= rank) {
                return i;
            }
        }
        return MAX_MILLIS;
    }
}
