package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.DatedState;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.OutboxRelay;
import cn.qxqy.pipeline.eventstore.RecordedEvent;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import cn.qxqy.pipeline.problem.DatabaseUnavailable;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Keeps the read models (project view, campaign figures, timeline) from the Kafka topic {@code project-events},
 * a polled batch of records at a time. Idempotent by (projectId, version): an event already applied is skipped,
 * and a gap is filled from the event store. A batch changes the views and the summed deltas of the figures in
 * one transaction; its offsets are committed only after it (the batch is acknowledged when the returned Uni
 * completes), so no event is acknowledged before it is applied or parked.
 * <p>
 * A batch that fails for a passing reason (the database unreachable, a deadlock: {@link DatabaseUnavailable#isTransient})
 * is retried for as long as that lasts. One that fails for another reason is split by project, each applied on its
 * own: a project that still fails is parked in {@code projection_dead_letters} with its error, and its later events
 * are held back there too, in order, until an admin re-drives it from the event store ({@link #redrive}).
 */
@ApplicationScoped
public class Projector {

    private static final Logger LOG = Logger.getLogger(Projector.class);

    /** What a re-drive did for one parked project: REDRIVEN up to {@code version}, NOT_PARKED, or FAILED again. */
    public record Redrive(String projectId, String outcome, long version, @Schema(nullable = true) String error) {
    }

    private static final String PARK = """
            INSERT INTO projection_dead_letters (project_id, from_version, to_version, event_id, event_type, error)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (project_id) DO UPDATE SET to_version = greatest(projection_dead_letters.to_version,
                EXCLUDED.to_version), error = EXCLUDED.error, updated_at = now()""";

    private final Pool pool;
    private final EventStore store;
    private final ObjectMapper mapper;
    private final ProjectionStatuses statuses;
    private final PipelineMetrics metrics;
    private final LostPositions lost;

    public Projector(Pool pool, EventStore store, ObjectMapper mapper, ProjectionStatuses statuses,
                     PipelineMetrics metrics, LostPositions lost) {
        this.pool = pool;
        this.store = store;
        this.mapper = mapper;
        this.statuses = statuses;
        this.metrics = metrics;
        this.lost = lost;
    }

    @Incoming("project-events-in")
    public Uni<Void> onEvents(ConsumerRecords<String, String> records) {
        List<RecordedEvent> events = new ArrayList<>(records.count());
        List<Tuple> unreadable = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            if (record.headers().lastHeader(OutboxRelay.MARKER_HEADER) != null) {
                continue;
            }
            try {
                RecordedEvent event = RecordedEvent.fromJson(mapper, record.value());
                // Read models are made of projects' events. An event a restore lost: its re-post comes with a new position.
                if (event.ofProject() && !lost.isLost(event.position())) {
                    events.add(event);
                }
            } catch (RuntimeException e) {
                if (record.key() == null) {
                    // The relay keys every event by its project: a record without one is not ours.
                    LOG.errorf(e, "projector ignored a record without a key that is not an event: %s", record.value());
                } else {
                    LOG.errorf(e, "projector parks project %s: record %s-%d@%d is not an event", record.key(),
                            record.topic(), record.partition(), record.offset());
                    unreadable.add(Tuple.of(record.key(), 0L, 0L, null, null, "unreadable record at "
                            + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + e.getMessage()));
                }
            }
        }
        Uni<Void> parked = unreadable.isEmpty() ? Uni.createFrom().voidItem()
                : pool.preparedQuery(PARK).executeBatch(unreadable).replaceWithVoid();
        return parked.flatMap(ignored -> events.isEmpty() ? Uni.createFrom().voidItem() : applyOrPark(events))
                .invoke(() -> events.forEach(event -> metrics.projected(event.recordedAt())))
                .onFailure().call(failure -> {
                    LOG.warnf("projector failed on a batch of %d events, retrying: %s", events.size(), failure.getMessage());
                    return statuses.projectorFailed(failure.getMessage());
                })
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).indefinitely();
    }

    /** The batch in one transaction; if it fails for good, each project on its own, and those that fail parked. */
    private Uni<Void> applyOrPark(List<RecordedEvent> events) {
        return project(events).onFailure(failure -> !DatabaseUnavailable.isTransient(failure)).recoverWithUni(failure -> {
            LOG.warnf("projector failed on a batch of %d events (%s): applying its projects one by one",
                    events.size(), failure.getMessage());
            return Multi.createFrom().iterable(byProject(events).values())
                    .onItem().transformToUniAndConcatenate(projectEvents -> project(projectEvents)
                            .onFailure(f -> !DatabaseUnavailable.isTransient(f))
                            .recoverWithUni(f -> park(projectEvents, f)))
                    .collect().last().replaceWithVoid();
        });
    }

    private Uni<Void> park(List<RecordedEvent> events, Throwable failure) {
        RecordedEvent first = events.get(0);
        LOG.errorf(failure, "projector parks project %s from version %d: its events cannot be applied",
                first.projectId(), first.version());
        return pool.preparedQuery(PARK).execute(Tuple.from(List.of(first.projectId(), first.version(),
                        events.get(events.size() - 1).version(), first.eventId(), first.event().type(),
                        String.valueOf(failure))))
                .replaceWithVoid();
    }

    private static SortedMap<String, List<RecordedEvent>> byProject(List<RecordedEvent> events) {
        SortedMap<String, List<RecordedEvent>> byProject = new TreeMap<>();
        for (RecordedEvent event : events) {
            byProject.computeIfAbsent(event.projectId(), id -> new ArrayList<>()).add(event);
        }
        byProject.values().forEach(list -> list.sort(Comparator.comparingLong(RecordedEvent::version)));
        return byProject;
    }

    /**
     * Applies the events, and any missed event of their projects before them, that the views do not have yet. The
     * events of a parked project are held back with it.
     */
    private Uni<Void> project(List<RecordedEvent> events) {
        SortedMap<String, List<RecordedEvent>> byProject = byProject(events);
        String[] projectIds = byProject.keySet().toArray(String[]::new);
        ProjectionTables tables = ProjectionTables.LIVE;
        return pool.withTransaction(conn -> Uni.combine().all().unis(
                        lockOutSwap(conn),
                        conn.preparedQuery(tables.selectViewsForUpdate).execute(Tuple.of(projectIds)),
                        conn.preparedQuery("SELECT project_id FROM projection_dead_letters WHERE project_id = ANY($1) "
                                + "ORDER BY project_id FOR UPDATE").execute(Tuple.of(projectIds)))
                .asTuple()
                .flatMap(selected -> {
                    Map<String, Row> views = new HashMap<>();
                    selected.getItem2().forEach(row -> views.put(row.getString("project_id"), row));
                    List<Tuple> heldBack = new ArrayList<>();
                    selected.getItem3().forEach(row -> {
                        List<RecordedEvent> held = byProject.remove(row.getString("project_id"));
                        heldBack.add(Tuple.of(row.getString("project_id"), held.get(held.size() - 1).version()));
                    });
                    Uni<Void> held = heldBack.isEmpty() ? Uni.createFrom().voidItem()
                            : conn.preparedQuery("UPDATE projection_dead_letters SET to_version = greatest(to_version, $2), "
                            + "updated_at = now() WHERE project_id = $1").executeBatch(heldBack).replaceWithVoid();
                    return held.flatMap(ignored -> Multi.createFrom().iterable(byProject.entrySet())
                            .onItem().transformToUniAndConcatenate(entry -> before(conn, entry.getKey(),
                                            views.get(entry.getKey()))
                                    .flatMap(before -> changeOf(conn, entry.getKey(), before, entry.getValue())))
                            .collect().asList());
                })
                .flatMap(changes -> write(conn, changes)));
    }

    /**
     * Shared with other projectors, exclusive for a rebuild's swap: never write into tables being swapped. Sent first,
     * pipelined with the transaction's selects, which the server runs after it.
     */
    private static Uni<RowSet<Row>> lockOutSwap(SqlConnection conn) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock_shared($1)").execute(Tuple.of(ProjectionTables.SWAP_LOCK));
    }

    private static Uni<Void> write(SqlConnection conn, List<ProjectionWriter.Change> changes) {
        List<ProjectionWriter.Change> applied = changes.stream().filter(Objects::nonNull).toList();
        return applied.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.combine().all().unis(ProjectionWriter.write(conn, ProjectionTables.LIVE, applied),
                        conn.query(ReadModelGeneration.BUMP).execute()).discardItems();
    }

    /** The projects parked in {@code projection_dead_letters}, oldest first. */
    public Uni<List<DeadLetter>> deadLetters() {
        return pool.query("SELECT * FROM projection_dead_letters ORDER BY parked_at, project_id").execute()
                .map(rows -> {
                    List<DeadLetter> list = new ArrayList<>();
                    rows.forEach(row -> list.add(DeadLetter.fromRow(row)));
                    return list;
                });
    }

    /**
     * Applies a parked project's events from the event store, up to its head, and releases it; if they fail again
     * it stays parked with the new error.
     */
    public Uni<Redrive> redrive(String projectId) {
        Tuple id = Tuple.of(projectId);
        return pool.withTransaction(conn -> Uni.combine().all().unis(
                        lockOutSwap(conn),
                        conn.preparedQuery(ProjectionTables.LIVE.selectViewsForUpdate).execute(Tuple.of((Object) new String[]{projectId})),
                        conn.preparedQuery("DELETE FROM projection_dead_letters WHERE project_id = $1 RETURNING project_id").execute(id),
                        store.headVersion(conn, projectId))
                .asTuple()
                .flatMap(selected -> {
                    if (selected.getItem3().size() == 0) {
                        return Uni.createFrom().item(new Redrive(projectId, "NOT_PARKED", 0, null));
                    }
                    long head = selected.getItem4();
                    return before(conn, projectId, selected.getItem2().size() == 0 ? null
                            : selected.getItem2().iterator().next()).flatMap(before -> {
                        long version = before.current().version();
                        if (head <= version) {
                            return Uni.createFrom().item(new Redrive(projectId, "REDRIVEN", version, null));
                        }
                        return store.between(conn, projectId, version, head)
                                .flatMap(history -> write(conn, List.of(change(projectId, before, history))))
                                .replaceWith(new Redrive(projectId, "REDRIVEN", head, null));
                    });
                }))
                .onFailure(failure -> !DatabaseUnavailable.isTransient(failure))
                .recoverWithUni(failure -> pool.preparedQuery("UPDATE projection_dead_letters SET error = $2, "
                                + "updated_at = now() WHERE project_id = $1").execute(Tuple.of(projectId, String.valueOf(failure)))
                        .replaceWith(new Redrive(projectId, "FAILED", 0, String.valueOf(failure))));
    }

    /**
     * The project as its view has it: unknown without a view; a view an earlier release wrote, without the dated
     * columns, is replayed from the store up to its version.
     */
    private Uni<DatedState> before(SqlConnection conn, String projectId, Row view) {
        if (view == null) {
            return Uni.createFrom().item(DatedState.UNKNOWN);
        }
        DatedState dated = ProjectView.datedState(view);
        return dated != null ? Uni.createFrom().item(dated)
                : store.between(conn, projectId, 0, view.getLong("version")).map(history -> fold(DatedState.UNKNOWN, history));
    }

    /** What the project's new events change, null when the view has them all; missed events come from the store. */
    private Uni<ProjectionWriter.Change> changeOf(SqlConnection conn, String projectId, DatedState before,
                                                  List<RecordedEvent> events) {
        RecordedEvent last = events.get(events.size() - 1);
        long version = before.current().version();
        if (last.version() <= version) {
            return Uni.createFrom().nullItem();
        }
        List<RecordedEvent> fresh = new ArrayList<>();
        long expected = version + 1;
        for (RecordedEvent event : events) {
            if (event.version() == expected) {
                fresh.add(event);
                expected++;
            } else if (event.version() > expected) {
                return store.between(conn, projectId, version, last.version())
                        .map(history -> change(projectId, before, history));
            }
        }
        return Uni.createFrom().item(change(projectId, before, fresh));
    }

    /** The change the events make to a project in state {@code before}. */
    static ProjectionWriter.Change change(String projectId, DatedState before, List<RecordedEvent> events) {
        return new ProjectionWriter.Change(projectId, before, fold(before, events), events.get(events.size() - 1).position());
    }

    /** {@link RecordedEvent#fold}, keeping what reads on any day need. */
    static DatedState fold(DatedState from, List<RecordedEvent> events) {
        DatedState state = from;
        for (RecordedEvent e : events) {
            state = state.next(e.projectEvent());
        }
        return state;
    }
}
