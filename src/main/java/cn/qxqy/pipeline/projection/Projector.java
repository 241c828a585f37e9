package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.ProjectStateMachine;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.RecordedEvent;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;
import java.util.List;

/**
 * Keeps the read models (project view and campaign figures) from the Kafka topic {@code project-events}.
 * Idempotent by (projectId, version): an event already applied is skipped, and a gap is filled from the
 * event store. The view and the figures change in one transaction; the Kafka offset is committed only
 * after it (the message is acknowledged when the returned Uni completes).
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
    public Uni<Void> onEvent(String payload) {
        return Uni.createFrom().item(() -> RecordedEvent.fromJson(mapper, payload))
                .invoke(event -> {
                    MDC.put("eventId", event.eventId().toString());
                    MDC.put("projectId", event.projectId());
                })
                .flatMap(event -> project(event).invoke(() -> metrics.projected(event.recordedAt())))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).atMost(8)
                .onFailure().recoverWithUni(failure -> recordError(payload, failure));
    }

    /** Applies the event, and any missed event of the project before it, unless the view has it already. */
    public Uni<Void> project(RecordedEvent event) {
        ProjectionTables tables = ProjectionTables.LIVE;
        return pool.withTransaction(conn -> conn
                // Shared with other projectors, exclusive for a rebuild's swap: never write into tables being swapped.
                .preparedQuery("SELECT pg_advisory_xact_lock_shared($1)").execute(Tuple.of(ProjectionTables.SWAP_LOCK))
                .flatMap(locked -> conn.preparedQuery(tables.selectViewForUpdate).execute(Tuple.of(event.projectId())))
                .flatMap(rows -> {
                    ProjectState before = rows.size() == 0
                            ? ProjectState.UNKNOWN : ProjectView.fromRow(rows.iterator().next()).toState();
                    if (event.version() <= before.version()) {
                        return Uni.createFrom().voidItem();
                    }
                    Uni<List<RecordedEvent>> toApply = event.version() == before.version() + 1
                            ? Uni.createFrom().item(List.of(event))
                            : store.between(conn, event.projectId(), before.version(), event.version());
                    return toApply.flatMap(events -> ProjectionWriter.write(conn, tables,
                            List.of(change(event.projectId(), before, events))));
                }));
    }

    /** The change the events make to a project in state {@code before}. */
    static ProjectionWriter.Change change(String projectId, ProjectState before, List<RecordedEvent> events) {
        ProjectState after = before;
        for (RecordedEvent e : events) {
            after = ProjectStateMachine.apply(after, e.event());
        }
        return new ProjectionWriter.Change(projectId, before, after, events.get(events.size() - 1).position());
    }

    private Uni<Void> recordError(String payload, Throwable failure) {
        LOG.errorf(failure, "projector gave up on an event, the next event of its project will fetch it: %s", payload);
        return pool.preparedQuery("UPDATE projection_status SET last_error = $1, last_error_at = now() WHERE name = 'projector'")
                .execute(Tuple.of(failure.getMessage() + " in " + payload))
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }
}
