package cn.qxqy.pipeline.recovery;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.OutboxRelay;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes the store to project-events again from a position, in position order, at most
 * {@code pipeline.recovery.republish-rate} events a second: a lost or truncated topic comes back. Consumers ignore
 * what they already have by (projectId, version). Progress is kept in the table {@code republishes}.
 */
@ApplicationScoped
public class Republish {

    private static final Logger LOG = Logger.getLogger(Republish.class);

    /** A republish not heard of for this long died with its replica: another may start. */
    private static final Duration ABANDONED = Duration.ofMinutes(1);

    /** A republish and how far it got. */
    public record Progress(long id, long fromPosition, long throughPosition,
                           @Schema(nullable = true) Long publishedThrough, long publishedEvents, OffsetDateTime startedAt,
                           @Schema(nullable = true) OffsetDateTime finishedAt, @Schema(nullable = true) String error) {

        static Progress fromRow(Row row) {
            return new Progress(row.getLong("id"), row.getLong("from_position"), row.getLong("through_position"),
                    row.getLong("published_through"), row.getLong("published_events"),
                    row.getOffsetDateTime("started_at"), row.getOffsetDateTime("finished_at"), row.getString("error"));
        }
    }

    private final Pool pool;
    private final EventStore store;
    private final OutboxRelay relay;
    private final PipelineMetrics metrics;
    private final int rate;

    public Republish(Pool pool, EventStore store, OutboxRelay relay, PipelineMetrics metrics, PipelineConfig config) {
        this.pool = pool;
        this.store = store;
        this.relay = relay;
        this.metrics = metrics;
        this.rate = config.recovery().republishRate();
    }

    /** Starts republishing the store's events from {@code fromPosition} on, up to its highest now; 409 while one runs. */
    public Uni<Progress> start(long fromPosition) {
        return store.head().flatMap(head -> pool.preparedQuery("""
                        INSERT INTO republishes (from_position, through_position)
                        SELECT $1, $3
                        WHERE NOT EXISTS (SELECT 1 FROM republishes WHERE finished_at IS NULL AND updated_at > now() - $2 * interval '1 second')
                        RETURNING *""")
                .execute(Tuple.of(fromPosition, ABANDONED.toSeconds(), head.position())))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Problem.of(ProblemType.REPUBLISH_RUNNING, "a republish is already running").exception();
                    }
                    Progress progress = Progress.fromRow(rows.iterator().next());
                    LOG.infof("republishing positions %d to %d to project-events", progress.fromPosition(),
                            progress.throughPosition());
                    metrics.republishProgress(0);
                    runRecorded(progress.id(), progress.fromPosition() - 1, progress.fromPosition(), progress.throughPosition())
                            .subscribe().with(done -> LOG.infof("republish %d done", progress.id()),
                                    failure -> LOG.errorf(failure, "republish %d failed", progress.id()));
                    return progress;
                });
    }

    /** Every republish, the latest first. */
    public Uni<List<Progress>> all() {
        return pool.query("SELECT * FROM republishes ORDER BY id DESC").execute().map(rows -> {
            List<Progress> all = new ArrayList<>();
            rows.forEach(row -> all.add(Progress.fromRow(row)));
            return all;
        });
    }

    /** Publishes a second's worth of events after {@code after}, records the progress, waits out the second, goes on. */
    private Uni<Void> run(long id, long after, long from, long through) {
        long started = System.nanoTime();
        return store.byPosition(after, through, rate)
                .flatMap(events -> {
                    if (events.isEmpty()) {
                        metrics.republishProgress(1);
                        return pool.preparedQuery("UPDATE republishes SET finished_at = now(), updated_at = now() "
                                + "WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
                    }
                    long last = events.get(events.size() - 1).position();
                    return Uni.join().all(events.stream().map(relay::republish).toList()).andFailFast()
                            .flatMap(sent -> pool.preparedQuery("UPDATE republishes SET published_through = $2, "
                                            + "published_events = published_events + $3, updated_at = now() WHERE id = $1")
                                    .execute(Tuple.of(id, last, events.size())))
                            .invoke(() -> metrics.republishProgress(
                                    through <= from ? 1 : (double) (last - from + 1) / (through - from + 1)))
                            .onItem().delayIt().by(remainderOfASecond(started))
                            .flatMap(progressed -> run(id, last, from, through));
                });
    }

    /** The whole run, its failure recorded once (not at every second's step of the recursion). */
    private Uni<Void> runRecorded(long id, long after, long from, long through) {
        return run(id, after, from, through)
                .onFailure().call(failure -> pool.preparedQuery("UPDATE republishes SET finished_at = now(), "
                        + "updated_at = now(), error = $2 WHERE id = $1").execute(Tuple.of(id, String.valueOf(failure))));
    }

    private static Duration remainderOfASecond(long startedNanos) {
        long left = Duration.ofSeconds(1).toNanos() - (System.nanoTime() - startedNanos);
        return Duration.ofNanos(Math.max(1, left));
    }
}
