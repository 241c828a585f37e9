package cn.qxqy.pipeline.recovery;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.OutboxRelay;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemException;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.Rebuild;
import cn.qxqy.pipeline.recovery.PublishedEvents.Published;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Notices a restore of the store to an earlier point, and ends it when an admin acknowledges it.
 * <p>
 * At start-up and every {@code pipeline.recovery.check-interval}, the last event of each partition of project-events is
 * looked up in the store by eventId: one the store does not have (and no earlier recovery listed) means the store
 * came back from a backup behind Kafka. The events the topic carries past the restore point are then read from it and
 * kept with the recovery in the table {@code recoveries}, which holds every replica's appends back
 * ({@link RecoveryState}) until the acknowledgement. The outbox relay waits for the first look after start-up: the
 * outbox rows a restore brings back would otherwise be published first and stand last on the topic.
 */
@ApplicationScoped
public class Recoveries {

    private static final Logger LOG = Logger.getLogger(Recoveries.class);

    /** Record timestamps are the relay's clock, recorded_at the database's: the read of lost events starts earlier. */
    private static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);

    /** The marker each partition gets when a recovery is acknowledged: versions above lastKeptVersion are re-used. */
    public record Marker(long recovery, long restoredThroughPosition, long lostThroughPosition,
                         List<ReusedVersions> projects) {
    }

    /** A project whose versions above {@code lastKeptVersion} were lost and will be used again by re-posted events. */
    public record ReusedVersions(String projectId, long lastKeptVersion) {
    }

    private final Pool pool;
    private final EventStore store;
    private final PublishedEvents published;
    private final RecoveryState state;
    private final OutboxRelay relay;
    private final Rebuild rebuild;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final Duration interval;
    private final AtomicBoolean checking = new AtomicBoolean();
    private long timerId = -1;

    public Recoveries(Pool pool, EventStore store, PublishedEvents published, RecoveryState state, OutboxRelay relay,
                      Rebuild rebuild, ObjectMapper mapper, Vertx vertx, PipelineConfig config) {
        this.pool = pool;
        this.store = store;
        this.published = published;
        this.state = state;
        this.relay = relay;
        this.rebuild = rebuild;
        this.mapper = mapper;
        this.vertx = vertx;
        this.interval = config.recovery().checkInterval();
    }

    void start(@Observes StartupEvent startup) {
        check();
        timerId = vertx.setPeriodic(interval.toMillis(), id -> check());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(timerId);
    }

    private void check() {
        if (!checking.compareAndSet(false, true)) {
            return;
        }
        state.refresh()
                .flatMap(recoveries -> state.unacknowledged() != null ? Uni.createFrom().voidItem() : noticeRestore())
                .subscribe().with(done -> checked(), failure -> {
                    checked();
                    // A check that keeps failing would let a restore go unnoticed: say so every time.
                    LOG.warnf("recovery check failed: %s", failure.getMessage());
                });
    }

    private void checked() {
        checking.set(false);
        if (state.holds()) {
            state.looked();
            relay.wake();
        }
    }

    /** Records a recovery if the last events of the topic include one the store does not have. */
    private Uni<Void> noticeRestore() {
        return published.lastOfEachPartition()
                .map(last -> last.stream().filter(event -> !state.isLost(event.position())).toList())
                .flatMap(last -> last.isEmpty() ? Uni.createFrom().item(List.<Published>of()) : missing(last))
                .flatMap(missing -> {
                    if (missing.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    LOG.errorf("project-events carries events the store does not have (%s, ...): the store was "
                            + "restored to an earlier point; appends wait for an admin's acknowledgement", missing.get(0));
                    return record();
                });
    }

    /** The events among these that the store does not have. */
    private Uni<List<Published>> missing(List<Published> events) {
        return store.storedTypes(events.stream().map(Published::eventId).toList())
                .map(stored -> events.stream().filter(event -> !stored.containsKey(event.eventId())).toList());
    }

    /** Reads the events the topic carries past the restore point and records the recovery with them. */
    private Uni<Void> record() {
        return store.head().flatMap(head -> {
            OffsetDateTime restorePoint = head.recordedAt();
            Instant since = restorePoint == null ? Instant.EPOCH : restorePoint.toInstant().minus(CLOCK_MARGIN);
            return published.since(since)
                    .map(events -> events.stream().filter(event -> !state.isLost(event.position())).toList())
                    .flatMap(events -> missing(events).flatMap(lost -> keep(head.position(),
                            events.stream().mapToLong(Published::position).max().orElse(0), lost)));
        });
    }

    private Uni<Void> keep(long storePosition, long topicPosition, List<Published> lost) {
        // Another replica may record it at the same time: the unique index keeps one.
        return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO recoveries (store_position, topic_position) "
                                + "VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id")
                        .execute(Tuple.of(storePosition, topicPosition))
                        .flatMap(rows -> {
                            if (rows.size() == 0 || lost.isEmpty()) {
                                return Uni.createFrom().voidItem();
                            }
                            long id = rows.iterator().next().getLong("id");
                            List<Tuple> batch = new ArrayList<>();
                            for (Published event : uniqueByPosition(lost)) {
                                batch.add(Tuple.from(List.of(id, event.position(), event.projectId(), event.version(),
                                        event.eventId(), event.type(), event.department())));
                            }
                            return conn.preparedQuery("INSERT INTO recovery_lost_events (recovery_id, position, "
                                    + "project_id, version, event_id, type, department) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                                    .executeBatch(batch).replaceWithVoid();
                        }))
                .call(state::refresh).replaceWithVoid();
    }

    /** An event published twice (a relay's retry) is listed once. */
    private static List<Published> uniqueByPosition(List<Published> events) {
        Map<Long, Published> unique = new LinkedHashMap<>();
        events.stream().sorted((a, b) -> Long.compare(a.position(), b.position()))
                .forEach(event -> unique.putIfAbsent(event.position(), event));
        return List.copyOf(unique.values());
    }

    /**
     * Ends the recovery waiting for an admin: moves the position sequence past the highest position the topic
     * carries, tells each partition's consumers which projects' versions will be re-used (a marker record), lets
     * appends through, and rebuilds the read models from the restored store. Returns the recovery with the events
     * to re-post.
     */
    public Uni<Recovery> acknowledge(String admin) {
        return state.refresh().flatMap(recoveries -> {
            Recovery pending = state.unacknowledged();
            if (pending == null) {
                throw Problem.of(ProblemType.NO_RECOVERY_PENDING, "no restore of the store waits for acknowledgement")
                        .exception();
            }
            // Events may have reached the topic since the recovery was noticed (the outbox of the restored store).
            return published.lastOfEachPartition()
                    .map(last -> last.stream().mapToLong(Published::position).max().orElse(0))
                    .flatMap(highest -> pool.withTransaction(conn -> end(conn, pending,
                            Math.max(highest, pending.topicPosition()), admin)))
                    .call(state::refresh)
                    // The acknowledgement is committed: whatever becomes of the rebuild, the admin gets the lost events.
                    .call(() -> rebuild.start().replaceWithVoid().onFailure().recoverWithUni(failure -> {
                        if (failure instanceof ProblemException running
                                && ProblemType.REBUILD_RUNNING.uri().equals(running.problem().type())) {
                            LOG.warn("recovery acknowledged while a rebuild runs: that rebuild reads the restored store");
                        } else {
                            LOG.error("recovery acknowledged, but its rebuild did not start: start it by hand "
                                    + "(POST /api/v1/admin/projections/rebuild)", failure);
                        }
                        return Uni.createFrom().voidItem();
                    }))
                    .map(ignored -> state.recoveries().stream().filter(r -> r.id() == pending.id()).findFirst()
                            .orElseThrow());
        });
    }

    private Uni<Void> end(SqlConnection conn, Recovery pending, long topicPosition, String admin) {
        return conn.preparedQuery("UPDATE recoveries SET acknowledged_at = now(), acknowledged_by = $2, "
                        + "topic_position = $3 WHERE id = $1 AND acknowledged_at IS NULL RETURNING id")
                .execute(Tuple.of(pending.id(), admin, topicPosition))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        throw Problem.of(ProblemType.NO_RECOVERY_PENDING, "the recovery was acknowledged meanwhile")
                                .exception();
                    }
                    return store.skipPositionsThrough(conn, topicPosition);
                })
                // Markers before any append is let through (this transaction's commit): on each partition they
                // come ahead of the re-posted events.
                .flatMap(moved -> announce(new Marker(pending.id(), pending.storePosition(), topicPosition,
                        reusedVersions(pending.lostEvents()))));
    }

    private static List<ReusedVersions> reusedVersions(List<Recovery.LostEvent> lost) {
        Map<String, Long> lastKept = new LinkedHashMap<>();
        for (Recovery.LostEvent event : lost) {
            lastKept.merge(event.projectId(), event.version() - 1, Math::min);
        }
        return lastKept.entrySet().stream().map(e -> new ReusedVersions(e.getKey(), e.getValue())).toList();
    }

    private Uni<Void> announce(Marker marker) {
        String json;
        try {
            json = mapper.writeValueAsString(marker);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return published.partitions().flatMap(partitions -> partitions.isEmpty() ? Uni.createFrom().voidItem()
                : Multi.createFrom().iterable(partitions)
                .onItem().transformToUniAndConcatenate(partition -> relay.announce(partition,
                        String.valueOf(marker.recovery()), json))
                .collect().last().replaceWithVoid());
    }
}
