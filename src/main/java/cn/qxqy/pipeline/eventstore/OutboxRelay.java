package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import cn.qxqy.pipeline.ops.SharedFigures;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.arc.All;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes committed events from the outbox to the Kafka topic {@code project-events}, keyed by projectId,
 * with CloudEvents headers (binary mode). At least once: a row leaves the outbox only after Kafka acknowledged
 * it. Woken at once by an append on this replica, and by a poll for those of other replicas.
 */
@ApplicationScoped
public class OutboxRelay implements SharedFigures {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /*
     * Rows are claimed with SKIP LOCKED so that replicas share the work; a row is published only when no
     * older row of its project is left outside this claim, so a project's events leave in version order
     * even when two replicas claim neighbouring rows.
     */
    private static final String CLAIM = """
            WITH claimed AS (
                SELECT position, project_id, trace_context FROM outbox ORDER BY position LIMIT $1
                FOR UPDATE SKIP LOCKED
            )
            SELECT e.position, e.project_id, e.version, e.event_id, e.schema_version, e.recorded_at, e.source,
                   e.type, e.occurred_on, e.data::text AS data, c.trace_context
            FROM claimed c JOIN events e ON e.position = c.position
            WHERE NOT EXISTS (
                SELECT 1 FROM outbox o
                WHERE o.project_id = c.project_id AND o.position < c.position
                  AND o.position NOT IN (SELECT position FROM claimed))
            ORDER BY e.position""";

    private final Pool pool;
    private final List<PublishingHold> holds;
    private final MutinyEmitter<String> emitter;
    private final ObjectMapper mapper;
    private final PipelineMetrics metrics;
    private final Vertx vertx;
    private final int batchSize;
    private final Duration pollInterval;
    private final Duration publishTimeout;
    private final Duration linger;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();
    private volatile boolean stopped;
    private long timerId = -1;

    public OutboxRelay(Pool pool, @All List<PublishingHold> holds,
                       // A whole claimed batch is handed to the producer at once; the relay waits for its acks.
                       @Channel("project-events-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                       MutinyEmitter<String> emitter, ObjectMapper mapper,
                       PipelineMetrics metrics, Vertx vertx, PipelineConfig config) {
        this.pool = pool;
        this.holds = holds;
        this.emitter = emitter;
        this.mapper = mapper;
        this.metrics = metrics;
        this.vertx = vertx;
        this.batchSize = config.outbox().batchSize();
        this.pollInterval = config.outbox().pollInterval();
        this.publishTimeout = config.outbox().publishTimeout();
        this.linger = config.outbox().linger();
    }

    void start(@Observes StartupEvent startup) {
        timerId = vertx.setPeriodic(pollInterval.toMillis(), id -> wake());
        wake();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
        vertx.cancelTimer(timerId);
    }

    /**
     * Asks for a drain of the outbox. The drain starts after a short linger, so that the appends committed
     * meanwhile leave in the same batch; a drain that is running goes round again instead.
     */
    public void wake() {
        wanted.set(true);
        if (!stopped && holds.stream().noneMatch(PublishingHold::holds) && running.compareAndSet(false, true)) {
            vertx.setTimer(linger.toMillis(), id -> drain());
        }
    }

    private void drain() {
        wanted.set(false);
        relayBatch().subscribe().with(
                published -> finish(published == batchSize),
                failure -> {
                    LOG.warnf("outbox relay failed, will retry: %s", failure.getMessage());
                    finish(false);
                });
    }

    private void finish(boolean full) {
        if (full && !stopped) {
            drain();
            return;
        }
        running.set(false);
        if (wanted.get()) {
            wake();
        }
    }

    /** Publishes one claimed batch; the number of events published. */
    Uni<Integer> relayBatch() {
        // A lost commit of this transaction only publishes its events again, which consumers ignore by version:
        // it need not wait for the disk. Pipelined with the claim, which the server runs after it.
        return pool.withTransaction(conn -> Uni.combine().all().unis(
                        conn.query("SET LOCAL synchronous_commit = off").execute(),
                        conn.preparedQuery(CLAIM).execute(Tuple.of(batchSize)))
                .asTuple().map(Tuple2::getItem2)
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(0);
                    }
                    List<Uni<Void>> sends = new ArrayList<>(rows.size());
                    List<Long> positions = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        RecordedEvent event = RecordedEvent.fromRow(row, mapper);
                        sends.add(publish(event, row.getString("trace_context")));
                        positions.add(event.position());
                    }
                    return Uni.join().all(sends).andFailFast()
                            .ifNoItem().after(publishTimeout).fail()
                            .call(() -> delete(conn, positions))
                            .replaceWith(rows.size());
                }));
    }

    private Uni<Void> delete(SqlConnection conn, List<Long> positions) {
        return conn.preparedQuery("DELETE FROM outbox WHERE position = ANY($1)")
                .execute(Tuple.of(positions.toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /** The events committed and not yet published, whichever replica appended them. */
    public Uni<Long> backlog() {
        return pool.query("SELECT count(*) AS backlog FROM outbox").execute()
                .map(rows -> rows.iterator().next().getLong("backlog"));
    }

    @Override
    public Uni<Void> sample() {
        return backlog().invoke(rows -> metrics.outboxBacklog(rows)).replaceWithVoid();
    }

    /** Publishes a stored event again, outside the outbox: a republish of the store to a lost topic. */
    public Uni<Void> republish(RecordedEvent event) {
        return publish(event, null);
    }

    /**
     * Names a record that is not an event, a recovery's marker (README, "Backup and recovery"): consumers of events,
     * the projector among them, pass over records that carry it.
     */
    public static final String MARKER_HEADER = "pipeline-recovery";

    /** Sends a marker, {@link #MARKER_HEADER} set to {@code value}, to one partition of the topic, without a key. */
    public Uni<Void> announce(int partition, String value, String json) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, MARKER_HEADER, value);
        header(headers, "content-type", "application/json");
        return emitter.sendMessage(Message.of(json).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withPartition(partition).withHeaders(headers).build()));
    }

    private Uni<Void> publish(RecordedEvent event, String traceContext) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", event.eventId().toString());
        header(headers, "ce_type", event.event().type());
        header(headers, "ce_source", "/departments/" + event.source());
        header(headers, "ce_subject", event.projectId());
        header(headers, "ce_time", event.recordedAt().toString());
        header(headers, "content-type", "application/json");
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.projectId())
                .withHeaders(headers)
                .build();
        // The producer span continues the trace of the request that appended the event.
        return emitter.sendMessage(Message.of(event.toJson(mapper)).addMetadata(metadata)
                        .addMetadata(TracingMetadata.withCurrent(TraceContext.restore(traceContext))))
                .invoke(() -> metrics.published(event.recordedAt()));
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
