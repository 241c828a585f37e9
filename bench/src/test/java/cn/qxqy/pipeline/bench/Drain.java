package cn.qxqy.pipeline.bench;

import java.time.Duration;

/**
 * A wait for the projector's lag (events in the store not yet in the read models, from
 * {@code GET /api/v1/admin/projections}) to get back to 0, bounded: after {@code timeout} it gives up and keeps the
 * lag that was left. After a load it measures how long the read models took to catch up once the load stopped, and
 * how fast the projector went meanwhile; before a phase (a "settle") it only makes the phase start from a clean state.
 */
final class Drain {

    final String name;
    /** The load this drain follows, or null for a settle. */
    final Phase load;
    private final long timeoutNanos;
    private long startedAt = Long.MIN_VALUE;
    private long firstSampleAt;
    private long firstLag = -1;
    private long lastSampleAt;
    private long lastLag = -1;
    private long zeroAt = Long.MIN_VALUE;
    private int samples;
    private int failedSamples;
    private volatile boolean done;

    Drain(String name, Phase load, Duration timeout) {
        this.name = name;
        this.load = load;
        this.timeoutNanos = timeout.toNanos();
    }

    synchronized void start() {
        if (startedAt == Long.MIN_VALUE) {
            startedAt = System.nanoTime();
            lastReport = startedAt;
            if (load != null && load.started()) {
                System.out.println("[bench] " + load.summary());
            }
        }
    }

    private long lastReport;

    boolean active() {
        return !done;
    }

    /** A lag sample; {@code lag < 0} for a poll that failed. */
    synchronized void sample(long lag) {
        long now = System.nanoTime();
        start();
        if (lag < 0) {
            failedSamples++;
        } else {
            if (samples++ == 0) {
                firstSampleAt = now;
                firstLag = lag;
            }
            lastSampleAt = now;
            lastLag = lag;
            if (lag == 0) {
                zeroAt = now;
                done = true;
                if (load != null) {
                    load.projected();
                }
                System.out.printf(java.util.Locale.ROOT, "[bench] lag 0 %s: %.1f s%s%n", name, secondsWaited(),
                        load != null && load.started() ? String.format(java.util.Locale.ROOT,
                                " after the load stopped (lag %,d at the first poll)", firstLag) : "");
                return;
            }
        }
        if (now - startedAt > timeoutNanos) {
            done = true;
            System.out.printf(java.util.Locale.ROOT, "[bench] %s: lag still %,d after %.0f s, not waiting longer%n",
                    name, lastLag, (now - startedAt) / 1e9);
        } else if (now - lastReport > 10_000_000_000L) {
            lastReport = now;
            System.out.printf(java.util.Locale.ROOT, "[bench] %s: lag %,d after %.0f s%n", name, lastLag, (now - startedAt) / 1e9);
        }
    }

    /**
     * The pause before the next poll: {@code minimum} near the end, longer (up to 1 s) while the lag is far from 0, so
     * that the polls (each sums the versions of every project) take little from the projector being measured while
     * the moment the lag reaches 0 is still caught within a tenth of what was left.
     */
    synchronized Duration nextPause(Duration minimum) {
        if (samples < 2 || lastLag <= 0 || lastSampleAt <= firstSampleAt || firstLag <= lastLag) {
            return minimum;
        }
        double perSecond = (firstLag - lastLag) / ((lastSampleAt - firstSampleAt) / 1e9);
        long millis = (long) (lastLag / perSecond * 1000 / 10);
        return Duration.ofMillis(Math.max(minimum.toMillis(), Math.min(1000, millis)));
    }

    /** Ends the wait at once (the service is gone). */
    void abandon() {
        done = true;
    }

    synchronized boolean reachedZero() {
        return zeroAt != Long.MIN_VALUE;
    }

    synchronized long lagLeft() {
        return lastLag;
    }

    synchronized long firstLag() {
        return firstLag;
    }

    synchronized int failedSamples() {
        return failedSamples;
    }

    /** Seconds from the end of the load (its last answer) to the first sample with a lag of 0; NaN if never. */
    synchronized double secondsToZero() {
        if (!reachedZero()) {
            return Double.NaN;
        }
        long from = load != null && load.started() ? load.endNanos() : startedAt;
        return Math.max(0, (zeroAt - from) / 1e9);
    }

    /** Seconds waited in all (up to the bound). */
    synchronized double secondsWaited() {
        long end = reachedZero() ? zeroAt : lastSampleAt;
        return startedAt == Long.MIN_VALUE ? 0 : Math.max(0, (end - startedAt) / 1e9);
    }

    /**
     * Events the projector applied per second while draining: the lag of the first sample over the time it took to
     * reach 0 (or down to what was left). NaN when there was too little left to measure a rate.
     */
    synchronized double projectedPerSecond(long minimumLag) {
        if (samples < 2 || firstLag < minimumLag) {
            return Double.NaN;
        }
        long end = reachedZero() ? zeroAt : lastSampleAt;
        double seconds = (end - firstSampleAt) / 1e9;
        long projected = firstLag - Math.max(0, lastLag);
        return seconds > 0 ? projected / seconds : Double.NaN;
    }
}
