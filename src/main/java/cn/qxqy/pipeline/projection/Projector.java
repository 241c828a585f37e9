package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.ProjectStateMachine;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.RecordedEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * Keeps the read models (project view and campaign figures) from the Kafka topic {@code project-events}.
 * Idempotent by (projectId, version): an event already applied is skipped, and a gap is filled from the
 * event store. The view and the figures change in one transaction; the Kafka offset is committed only
 * after it (the message is acknowledged when the returned Uni completes).
 */
@ApplicationScoped
public class Projector {

    private static final Logger LOG = Logger.getLogger(Projector.class);

    static final String INSERT_VIEW = "INSERT INTO project_view (project_id, version, last_position, stage, name, "
            + "campaign_id, region_code, industry_chain, categories, planned_investment, annual_planned_investment, zone, "
            + "owner, project_code, signed_investment, investor, reserved_on, signed_on, started_on, completed_on, "
            + "withdrawn_on, reported_period, investment_to_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
            + "$12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)";
    static final String UPDATE_VIEW = "UPDATE project_view SET version = $2, last_position = $3, stage = $4, name = $5, "
            + "campaign_id = $6, region_code = $7, industry_chain = $8, categories = $9, planned_investment = $10, "
            + "annual_planned_investment = $11, zone = $12, owner = $13, project_code = $14, signed_investment = $15, "
            + "investor = $16, reserved_on = $17, signed_on = $18, started_on = $19, completed_on = $20, "
            + "withdrawn_on = $21, reported_period = $22, investment_to_date = $23, updated_at = now() "
            + "WHERE project_id = $1";

    private final Pool pool;
    private final EventStore store;
    private final ObjectMapper mapper;

    public Projector(Pool pool, EventStore store, ObjectMapper mapper) {
        this.pool = pool;
        this.store = store;
        this.mapper = mapper;
    }

    @Incoming("project-events-in")
    public Uni<Void> onEvent(String payload) {
        return Uni.createFrom().item(() -> RecordedEvent.fromJson(mapper, payload))
                .flatMap(this::project)
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).atMost(8)
                .onFailure().recoverWithUni(failure -> recordError(payload, failure));
    }

    /** Applies the event, and any missed event of the project before it, unless the view has it already. */
    public Uni<Void> project(RecordedEvent event) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("SELECT " + ProjectView.COLUMNS + " FROM project_view WHERE project_id = $1 FOR UPDATE")
                .execute(Tuple.of(event.projectId()))
                .flatMap(rows -> {
                    ProjectState before = rows.size() == 0
                            ? ProjectState.UNKNOWN : ProjectView.fromRow(rows.iterator().next()).toState();
                    if (event.version() <= before.version()) {
                        return Uni.createFrom().voidItem();
                    }
                    Uni<List<RecordedEvent>> toApply = event.version() == before.version() + 1
                            ? Uni.createFrom().item(List.of(event))
                            : store.between(conn, event.projectId(), before.version(), event.version());
                    return toApply.flatMap(events -> apply(conn, event.projectId(), before, events));
                }));
    }

    private Uni<Void> apply(SqlConnection conn, String projectId, ProjectState before, List<RecordedEvent> events) {
        ProjectState after = before;
        for (RecordedEvent e : events) {
            after = ProjectStateMachine.apply(after, e.event());
        }
        long lastPosition = events.get(events.size() - 1).position();
        Tuple view = ProjectView.of(projectId, after).values(lastPosition);
        SortedMap<FigureKey, Figures> delta = Figures.delta(before, after);
        Uni<?> writeView = conn.preparedQuery(before.isKnown() ? UPDATE_VIEW : INSERT_VIEW).execute(view);
        return writeView.flatMap(ignored -> delta.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : conn.preparedQuery(FiguresTable.UPSERT_DELTA).executeBatch(delta.entrySet().stream()
                                .map(row -> FiguresTable.values(row.getKey(), row.getValue()))
                                .collect(Collectors.toList())).replaceWithVoid());
    }

    private Uni<Void> recordError(String payload, Throwable failure) {
        LOG.errorf(failure, "projector gave up on an event, the next event of its project will fetch it: %s", payload);
        return pool.preparedQuery("UPDATE projection_status SET last_error = $1, last_error_at = now() WHERE name = 'projector'")
                .execute(Tuple.of(failure.getMessage() + " in " + payload))
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }
}
