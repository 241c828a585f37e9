package cn.qxqy.pipeline.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pipeline's own metrics (Prometheus names in brackets): what operators watch to see events flow from
 * departments through the store, the outbox and Kafka to the read models.
 */
@ApplicationScoped
public class PipelineMetrics {

    private final MeterRegistry registry;
    private final Timer append;
    private final Timer publish;
    private final Timer projection;
    private final Counter deadLetters;
    private final Counter truncatedDeadLetters;
    private final AtomicLong deadLettersWaiting = new AtomicLong();
    private final AtomicLong outboxBacklog = new AtomicLong();
    private final AtomicLong projectorBacklog = new AtomicLong();
    private final Counter backpressured;
    private final AtomicLong projectorLag = new AtomicLong();
    private final AtomicLong laggingProjects = new AtomicLong();
    private final AtomicLong parkedProjects = new AtomicLong();
    private final AtomicLong checkDifferences = new AtomicLong(-1);
    private final AtomicLong checkPending = new AtomicLong(-1);
    private final AtomicLong checkFinished = new AtomicLong();
    private final AtomicReference<Double> rebuildProgress = new AtomicReference<>(0.0);
    private final AtomicLong recoveryPending = new AtomicLong();
    private final AtomicLong recoveryLostEvents = new AtomicLong();
    private final AtomicReference<Double> republishProgress = new AtomicReference<>(0.0);
    private final Map<Integer, AtomicLong> partitionLags = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> dependencies = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.append = Timer.builder("pipeline.append").description("Time to validate and append one event")
                .publishPercentileHistogram().register(registry);
        this.publish = Timer.builder("pipeline.outbox.publish")
                .description("From an event's commit (recordedAt) to Kafka's acknowledgement of it")
                .publishPercentileHistogram().register(registry);
        this.projection = Timer.builder("pipeline.projection.latency")
                .description("From an event's commit (recordedAt) to its application to the read models")
                .publishPercentileHistogram().register(registry);
        this.deadLetters = Counter.builder("pipeline.intake.dead.letters")
                .description("Intake records refused and sent to project-intake-dlq").register(registry);
        this.truncatedDeadLetters = Counter.builder("pipeline.intake.dead.letters.truncated")
                .description("Intake dead letters too large to produce whole, produced truncated").register(registry);
        registry.gauge("pipeline.intake.dead.letters.waiting", deadLettersWaiting);
        registry.gauge("pipeline.outbox.backlog", outboxBacklog);
        registry.gauge("pipeline.projector.backlog.events", projectorBacklog);
        this.backpressured = Counter.builder("pipeline.ingest.backpressured")
                .description("Appends refused with 503 projector-behind while the projector caught up").register(registry);
        registry.gauge("pipeline.projector.lag.events", projectorLag);
        registry.gauge("pipeline.projector.lag.projects", laggingProjects);
        registry.gauge("pipeline.projector.dead.letters", parkedProjects);
        registry.gauge("pipeline.consistency.differences", checkDifferences);
        registry.gauge("pipeline.consistency.pending.projects", checkPending);
        registry.gauge("pipeline.consistency.finished.timestamp.seconds", checkFinished);
        registry.gauge("pipeline.rebuild.progress.ratio", rebuildProgress, AtomicReference::get);
        registry.gauge("pipeline.recovery.pending", recoveryPending);
        registry.gauge("pipeline.recovery.lost.events", recoveryLostEvents);
        registry.gauge("pipeline.republish.progress.ratio", republishProgress, AtomicReference::get);
    }

    /** [pipeline_events_accepted_total{type}] */
    public void accepted(String type) {
        registry.counter("pipeline.events.accepted", "type", type).increment();
    }

    /** [pipeline_events_refused_total{type,reason}]; the reason is the problem's type, e.g. version_conflict. */
    public void refused(String type, String reason) {
        registry.counter("pipeline.events.refused", "type", type,
                "reason", reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")).increment();
    }

    /** [pipeline_append_seconds] */
    public Timer append() {
        return append;
    }

    /** [pipeline_outbox_publish_seconds] */
    public void published(OffsetDateTime recordedAt) {
        publish.record(Duration.between(recordedAt, OffsetDateTime.now()));
    }

    /** [pipeline_projection_latency_seconds] */
    public void projected(OffsetDateTime recordedAt) {
        projection.record(Duration.between(recordedAt, OffsetDateTime.now()));
    }

    /** [pipeline_intake_dead_letters_total] */
    public void deadLettered() {
        deadLetters.increment();
    }

    /** [pipeline_intake_dead_letters_truncated_total]: also counted in pipeline_intake_dead_letters_total. */
    public void deadLetterTruncated() {
        truncatedDeadLetters.increment();
    }

    /**
     * [pipeline_intake_dead_letters_waiting]: refused intake records whose dead letter Kafka has not taken yet (the
     * broker is down or refuses it); the intake retries them and commits no offset past them meanwhile.
     */
    public void deadLettersWaiting(long delta) {
        deadLettersWaiting.addAndGet(delta);
    }

    public long deadLettersWaiting() {
        return deadLettersWaiting.get();
    }

    /** [pipeline_outbox_backlog] */
    public void outboxBacklog(long rows) {
        outboxBacklog.set(rows);
    }

    public long outboxBacklog() {
        return outboxBacklog.get();
    }

    /**
     * [pipeline_projector_backlog_events]: events committed but not yet projected, from the outbox and the projector
     * group's lag on Kafka, sampled every 200 ms for the backpressure on ingest.
     */
    public void projectorBacklog(long events) {
        projectorBacklog.set(events);
    }

    /** [pipeline_ingest_backpressured_total]: appends refused while the projector's backlog was over its bound. */
    public void backpressured() {
        backpressured.increment();
    }

    /** [pipeline_projector_lag_events] */
    public void projectorLag(long events) {
        projectorLag.set(events);
    }

    public long projectorLag() {
        return projectorLag.get();
    }

    /** [pipeline_projector_lag_projects]: projects whose view is behind their history. */
    public void laggingProjects(long projects) {
        laggingProjects.set(projects);
    }

    /** [pipeline_projector_dead_letters]: projects parked by the projector, waiting for an admin's re-drive. */
    public void parkedProjects(long projects) {
        parkedProjects.set(projects);
    }

    /**
     * The last consistency check, whichever replica ran it, until the next one: [pipeline_consistency_differences]
     * rows of the read models that differ from the recomputation of the read side's own versions, a bug whenever
     * above 0; [pipeline_consistency_pending_projects] projects whose latest events were not projected yet when it
     * looked, normal under load and never counted as differences; [pipeline_consistency_finished_timestamp_seconds]
     * when it finished (-1 and 0 before the first check).
     */
    public void consistencyCheck(long differences, long pendingProjects, long finishedEpochSecond) {
        checkDifferences.set(differences);
        checkPending.set(pendingProjects);
        checkFinished.set(finishedEpochSecond);
    }

    /** [pipeline_projector_partition_lag_records{partition}]: records of project-events not yet consumed. */
    public void partitionLag(int partition, long records) {
        partitionLags.computeIfAbsent(partition, p -> registry.gauge("pipeline.projector.partition.lag.records",
                Tags.of("partition", String.valueOf(p)), new AtomicLong())).set(records);
    }

    /**
     * [pipeline_dependency_up{dependency}]: 1 while this pod reaches the dependency, 0 when not. Readiness does not
     * report shared dependencies, so this is what alerts on an outage.
     */
    public void dependencyUp(String dependency, boolean up) {
        dependencies.computeIfAbsent(dependency, d -> registry.gauge("pipeline.dependency.up",
                Tags.of("dependency", d), new AtomicLong())).set(up ? 1 : 0);
    }

    /** [pipeline_rebuild_progress_ratio]: projects replayed / projects in the store; 1 when done. */
    public void rebuildProgress(double ratio) {
        rebuildProgress.set(ratio);
    }

    /**
     * [pipeline_recovery_pending]: 1 while a restore of the store waits for an admin's acknowledgement and appends
     * are answered 503; [pipeline_recovery_lost_events]: the events project-events carried that it lost.
     */
    public void recovery(boolean pending, long lostEvents) {
        recoveryPending.set(pending ? 1 : 0);
        recoveryLostEvents.set(pending ? lostEvents : 0);
    }

    /** [pipeline_republish_progress_ratio]: positions republished / positions to republish; 1 when done. */
    public void republishProgress(double ratio) {
        republishProgress.set(ratio);
    }
}
