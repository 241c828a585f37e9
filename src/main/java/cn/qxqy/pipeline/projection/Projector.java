package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.ProjectStateMachine;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.RecordedEvent;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
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

/**
 * Keeps the read models (project view, campaign figures, timeline) from the Kafka topic {@code project-events},
 * a polled batch of records at a time. Idempotent by (projectId, version): an event already applied is skipped,
 * and a gap is filled from the event store. A batch changes the views and the summed deltas of the figures in
 * one transaction; its offsets are committed only after it (the batch is acknowledged when the returned Uni
 * completes). A batch that fails is retried, never skipped: the offsets stay put until it is applied.
 */
@ApplicationScoped
public class Projector {

    private static final Logger LOG = Logger.getLogger(Projector.class);

    private final Pool pool;
    private final EventStore store;
    private final ObjectMapper mapper;
    private final PipelineMetrics metrics;

    public Projector(Pool pool, EventStore store, ObjectMapper mapper, PipelineMetrics metrics) {
        this.pool = pool;
        this.store = store;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    @Incoming("project-events-in")
    public Uni<Void> onEvents(List<String> payloads) {
        List<RecordedEvent> events = new ArrayList<>(payloads.size());
        for (String payload : payloads) {
            try {
                events.add(RecordedEvent.fromJson(mapper, payload));
            } catch (RuntimeException unreadable) {
                // Not an event of ours: nothing to apply, and retrying cannot change that.
                LOG.errorf(unreadable, "projector skipped a record that is not an event: %s", payload);
                recordError("unreadable record: " + unreadable.getMessage()).subscribe().with(ignored -> { });
            }
        }
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return project(events)
                .invoke(() -> events.forEach(event -> metrics.projected(event.recordedAt())))
                .onFailure().call(failure -> {
                    LOG.warnf("projector failed on a batch of %d events, retrying: %s", events.size(), failure.getMessage());
                    return recordError(failure.getMessage());
                })
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).indefinitely();
    }

    /** Applies the events, and any missed event of their projects before them, that the views do not have yet. */
    public Uni<Void> project(List<RecordedEvent> events) {
        SortedMap<String, List<RecordedEvent>> byProject = new TreeMap<>();
        for (RecordedEvent event : events) {
            byProject.computeIfAbsent(event.projectId(), id -> new ArrayList<>()).add(event);
        }
        byProject.values().forEach(list -> list.sort(Comparator.comparingLong(RecordedEvent::version)));
        ProjectionTables tables = ProjectionTables.LIVE;
        return pool.withTransaction(conn -> Uni.combine().all().unis(
                        // Shared with other projectors, exclusive for a rebuild's swap: never write into tables being
                        // swapped. Pipelined with the select, which the server runs after it.
                        conn.preparedQuery("SELECT pg_advisory_xact_lock_shared($1)").execute(Tuple.of(ProjectionTables.SWAP_LOCK)),
                        conn.preparedQuery(tables.selectViewsForUpdate).execute(Tuple.of(byProject.keySet().toArray(String[]::new))))
                .asTuple().map(Tuple2::getItem2)
                .flatMap(rows -> {
                    Map<String, ProjectState> views = new HashMap<>();
                    rows.forEach(row -> views.put(row.getString("project_id"), ProjectView.fromRow(row).toState()));
                    return Multi.createFrom().iterable(byProject.entrySet())
                            .onItem().transformToUniAndConcatenate(entry -> changeOf(conn, entry.getKey(),
                                    views.getOrDefault(entry.getKey(), ProjectState.UNKNOWN), entry.getValue()))
                            .collect().asList();
                })
                .flatMap(changes -> {
                    List<ProjectionWriter.Change> applied = changes.stream().filter(Objects::nonNull).toList();
                    return applied.isEmpty() ? Uni.createFrom().voidItem()
                            : Uni.combine().all().unis(ProjectionWriter.write(conn, tables, applied),
                                    conn.query(ReadModelGeneration.BUMP).execute()).discardItems();
                }));
    }

    /** What the project's new events change, null when the view has them all; missed events come from the store. */
    private Uni<ProjectionWriter.Change> changeOf(SqlConnection conn, String projectId, ProjectState before,
                                                  List<RecordedEvent> events) {
        RecordedEvent last = events.get(events.size() - 1);
        if (last.version() <= before.version()) {
            return Uni.createFrom().nullItem();
        }
        List<RecordedEvent> fresh = new ArrayList<>();
        long expected = before.version() + 1;
        for (RecordedEvent event : events) {
            if (event.version() == expected) {
                fresh.add(event);
                expected++;
            } else if (event.version() > expected) {
                return store.between(conn, projectId, before.version(), last.version())
                        .map(history -> change(projectId, before, history));
            }
        }
        return Uni.createFrom().item(change(projectId, before, fresh));
    }

    /** The change the events make to a project in state {@code before}. */
    static ProjectionWriter.Change change(String projectId, ProjectState before, List<RecordedEvent> events) {
        ProjectState after = before;
        for (RecordedEvent e : events) {
            after = ProjectStateMachine.apply(after, e.event());
        }
        return new ProjectionWriter.Change(projectId, before, after, events.get(events.size() - 1).position());
    }

    /** Best effort: the database may be what failed. */
    private Uni<Void> recordError(String error) {
        return pool.preparedQuery("UPDATE projection_status SET last_error = $1, last_error_at = now() WHERE name = 'projector'")
                .execute(Tuple.of(error))
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }
}
