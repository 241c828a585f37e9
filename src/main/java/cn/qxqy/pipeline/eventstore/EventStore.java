package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.domain.Decision;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectEvent;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.ProjectStateMachine;
import cn.qxqy.pipeline.domain.Rejection;
import cn.qxqy.pipeline.problem.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The append-only event store in PostgreSQL. An append locks the project's stream head, replays the
 * project's history through the stage machine, and writes the event, the head and the outbox row in one
 * transaction: two writers to one project serialize, and a refused event leaves no trace.
 */
@ApplicationScoped
public class EventStore {

    static final String EVENT_COLUMNS =
            "position, project_id, version, event_id, schema_version, recorded_at, source, type, occurred_on, data::text AS data";

    /** Constraints a concurrent writer can trip; the append is then retried and sees what that writer did. */
    private static final Set<String> RACE_CONSTRAINTS =
            Set.of("events_event_id_key", "events_project_version_key", "stream_heads_pkey");
    private static final int ATTEMPTS = 3;

    private final Pool pool;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final OutboxRelay relay;

    public EventStore(Pool pool, Clock clock, ObjectMapper mapper, OutboxRelay relay) {
        this.pool = pool;
        this.clock = clock;
        this.mapper = mapper;
        this.relay = relay;
    }

    /**
     * Appends the event if the stage machine accepts it and {@code knownViolations} (what the caller found wrong
     * beyond the domain's rules, such as unknown reference codes) is empty.
     */
    public Uni<AppendResult> append(NewEvent event, List<FieldViolation> knownViolations) {
        return attempt(event, knownViolations, 1).invoke(result -> {
            if (result.created()) {
                relay.wake();
            }
        });
    }

    private Uni<AppendResult> attempt(NewEvent event, List<FieldViolation> knownViolations, int attempt) {
        return pool.withTransaction(conn -> appendIn(conn, event, knownViolations))
                .onFailure(e -> attempt < ATTEMPTS && isRace(e))
                .recoverWithUni(() -> attempt(event, knownViolations, attempt + 1))
                .onFailure(EventStore::isProjectCodeTaken).transform(e -> new Problem(null, "Project code in use", 409,
                        "another project already has this projectCode",
                        List.of(new FieldViolation("data.projectCode", "already used by another project"))).exception());
    }

    private Uni<AppendResult> appendIn(SqlConnection conn, NewEvent event, List<FieldViolation> knownViolations) {
        return conn.preparedQuery("SELECT project_id, version, position, request_hash FROM events WHERE event_id = $1")
                .execute(Tuple.of(event.eventId()))
                .flatMap(rows -> {
                    if (rows.size() > 0) {
                        return Uni.createFrom().item(repost(rows.iterator().next(), event));
                    }
                    return conn.preparedQuery("SELECT version FROM stream_heads WHERE project_id = $1 FOR UPDATE")
                            .execute(Tuple.of(event.projectId()))
                            .flatMap(head -> {
                                long version = head.size() == 0 ? 0 : head.iterator().next().getLong("version");
                                checkExpectedVersion(event, version);
                                return history(conn, event.projectId())
                                        .flatMap(history -> write(conn, event, replay(history, version), knownViolations));
                            });
                });
    }

    private AppendResult repost(Row original, NewEvent event) {
        if (!original.getString("request_hash").equals(event.requestHash())) {
            throw Problem.of(409, "Event id reused",
                    "eventId " + event.eventId() + " was already used for a different event").exception();
        }
        return new AppendResult(original.getString("project_id"), original.getLong("version"),
                original.getLong("position"), event.eventId(), false);
    }

    private static void checkExpectedVersion(NewEvent event, long version) {
        if (event.expectedVersion() != null && event.expectedVersion() != version) {
            throw Problem.of(409, "Version conflict", "expectedVersion is " + event.expectedVersion()
                    + " but project " + event.projectId() + " is at version " + version).exception();
        }
    }

    private static ProjectState replay(List<RecordedEvent> history, long headVersion) {
        ProjectState state = ProjectState.UNKNOWN;
        for (RecordedEvent recorded : history) {
            state = ProjectStateMachine.apply(state, recorded.event());
        }
        if (state.version() != headVersion) {
            throw new IllegalStateException("stream head at " + headVersion + " but history at " + state.version());
        }
        return state;
    }

    private Uni<AppendResult> write(SqlConnection conn, NewEvent event, ProjectState current,
                                    List<FieldViolation> knownViolations) {
        Decision decision = ProjectStateMachine.decide(current, event.event(), LocalDate.now(clock));
        if (!knownViolations.isEmpty()) {
            // Bad fields come before the project's state: list them all, the domain's and the caller's.
            List<FieldViolation> all = new ArrayList<>(knownViolations);
            if (decision instanceof Decision.Rejected rejected && rejected.kind() == Rejection.INVALID_FIELD) {
                all.addAll(0, rejected.violations());
            }
            throw Problem.invalid("the event has invalid fields", all).exception();
        }
        if (decision instanceof Decision.Rejected rejected) {
            throw Problem.rejected(rejected).exception();
        }
        ProjectState next = ((Decision.Accepted) decision).next();
        ProjectEvent e = event.event();
        return conn.preparedQuery("""
                        INSERT INTO events (project_id, version, event_id, type, schema_version, occurred_on, source, data, request_hash)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9) RETURNING position""")
                .execute(Tuple.from(List.of(event.projectId(), next.version(), event.eventId(), e.type(),
                        Upcasters.current(e.type()), e.occurredOn(), event.source(), json(EventData.write(e)),
                        event.requestHash())))
                .map(rows -> rows.iterator().next().getLong("position"))
                .call(position -> conn.preparedQuery("""
                                INSERT INTO stream_heads (project_id, version, stage, project_code) VALUES ($1, $2, $3, $4)
                                ON CONFLICT (project_id) DO UPDATE
                                SET version = EXCLUDED.version, stage = EXCLUDED.stage,
                                    project_code = EXCLUDED.project_code, updated_at = now()""")
                        .execute(Tuple.of(event.projectId(), next.version(), next.stage().name(),
                                next.details().projectCode())))
                .call(position -> conn.preparedQuery(
                                "INSERT INTO outbox (position, project_id, trace_context) VALUES ($1, $2, $3)")
                        .execute(Tuple.of(position, event.projectId(), TraceContext.current())))
                .map(position -> new AppendResult(event.projectId(), next.version(), position, event.eventId(), true));
    }

    /** A project's history, oldest first; empty for an unknown project. */
    public Uni<List<RecordedEvent>> history(SqlConnection conn, String projectId) {
        return conn.preparedQuery("SELECT " + EVENT_COLUMNS + " FROM events WHERE project_id = $1 ORDER BY version")
                .execute(Tuple.of(projectId))
                .map(this::toEvents);
    }

    public Uni<List<RecordedEvent>> history(String projectId) {
        return pool.withConnection(conn -> history(conn, projectId));
    }

    /** The project's events with a version in {@code (afterVersion, upToVersion]}, oldest first. */
    public Uni<List<RecordedEvent>> between(SqlConnection conn, String projectId, long afterVersion, long upToVersion) {
        return conn.preparedQuery("SELECT " + EVENT_COLUMNS
                        + " FROM events WHERE project_id = $1 AND version > $2 AND version <= $3 ORDER BY version")
                .execute(Tuple.of(projectId, afterVersion, upToVersion))
                .map(this::toEvents);
    }

    /**
     * The full histories of the next {@code limit} projects after {@code afterProjectId} in projectId order
     * (all projects when it is ""), each oldest first: how rebuilds and checks walk the whole store.
     */
    public Uni<Map<String, List<RecordedEvent>>> histories(SqlConnection conn, String afterProjectId, int limit) {
        return conn.preparedQuery("SELECT " + EVENT_COLUMNS + " FROM events WHERE project_id IN ("
                        + "SELECT project_id FROM stream_heads WHERE project_id > $1 ORDER BY project_id LIMIT $2) "
                        + "ORDER BY project_id, version")
                .execute(Tuple.of(afterProjectId, limit))
                .map(rows -> {
                    Map<String, List<RecordedEvent>> histories = new LinkedHashMap<>();
                    for (RecordedEvent event : toEvents(rows)) {
                        histories.computeIfAbsent(event.projectId(), id -> new ArrayList<>()).add(event);
                    }
                    return histories;
                });
    }

    List<RecordedEvent> toEvents(RowSet<Row> rows) {
        List<RecordedEvent> events = new ArrayList<>(rows.size());
        for (Row row : rows) {
            events.add(RecordedEvent.fromRow(row, mapper));
        }
        return events;
    }

    private String json(Object node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isRace(Throwable e) {
        return e instanceof PgException pg && ("40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState())
                || "23505".equals(pg.getSqlState()) && RACE_CONSTRAINTS.contains(pg.getConstraint()));
    }

    private static boolean isProjectCodeTaken(Throwable e) {
        return e instanceof PgException pg && "stream_heads_project_code_key".equals(pg.getConstraint());
    }
}
