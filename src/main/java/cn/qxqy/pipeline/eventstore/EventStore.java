package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.domain.EventTypes.EventType;
import cn.qxqy.pipeline.domain.EventTypes;
import cn.qxqy.pipeline.domain.ProjectEvent;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.StreamEvent;
import cn.qxqy.pipeline.domain.StreamKind;
import cn.qxqy.pipeline.wire.EventData;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.tuples.Tuple2;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The append-only event store in PostgreSQL. Appends come in groups: one transaction locks the stream heads of
 * the group's projects (in projectId order, so that concurrent groups never deadlock), decides each event in
 * turn against its project's state as kept with the head, and writes the accepted events, their outbox rows and
 * the new heads with one statement. Two writers to one project serialize; a refused event leaves no trace and
 * does not stop the events after it; one commit makes the whole group durable.
 */
@ApplicationScoped
public class EventStore {

    /** The columns of an event, in the order {@link RecordedEvent#fromRow} reads them. */
    static final String EVENT_COLUMNS =
            "position, project_id, version, event_id, schema_version, recorded_at, source, type, occurred_on, data::text AS data";

    /**
     * The rows of projects' streams: a project's id never holds the colon every other kind of stream's has
     * ({@link StreamKind}). What hands out projects (pages, histories, {@link StoreRelations}) filters with it.
     */
    static final String PROJECT_STREAMS = "strpos(project_id, ':') = 0";

    /** Constraints a concurrent writer can trip; the group is then retried and sees what that writer did. */
    private static final Set<String> RACE_CONSTRAINTS =
            Set.of("events_event_id_key", "events_project_version_key", "stream_heads_pkey");
    private static final int ATTEMPTS = 3;

    private static final String HEADS = """
            SELECT project_id, version, state::text AS state, state_version, reserved_by FROM stream_heads
            WHERE project_id = ANY($1) ORDER BY project_id""";
    private static final String LOCK_HEADS = HEADS + " FOR UPDATE";
    private static final String KNOWN_EVENTS =
            "SELECT event_id, project_id, version, position, request_hash, source FROM events WHERE event_id = ANY($1)";
    private static final String CODE_OWNERS =
            "SELECT project_code, project_id FROM stream_heads WHERE project_code = ANY($1)";
    private static final String HISTORIES = "SELECT " + EVENT_COLUMNS
            + " FROM events WHERE project_id = ANY($1) ORDER BY project_id, version";

    /*
     * One round trip for the whole group. unnest() yields the rows in array order, so positions (bigserial) are
     * drawn in the order the events were decided: a project's versions get increasing positions. A head is
     * written with its state and the version that state is at (state_version): a head written by a release that
     * does not keep the state leaves state_version behind, and the next append replays the history instead.
     */
    private static final String WRITE = """
            WITH appended AS (
                INSERT INTO events (project_id, version, event_id, type, schema_version, occurred_on, source, data, request_hash,
                                    subject, client, channel, request_id)
                SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::int[], $6::date[], $7::text[],
                                     $8::text[]::jsonb[], $9::text[], $16::text[], $17::text[], $18::text[], $19::text[])
                RETURNING position, project_id, event_id
            ), published AS (
                INSERT INTO outbox (position, project_id, trace_context)
                SELECT a.position, a.project_id, t.trace_context
                FROM appended a JOIN unnest($3::uuid[], $10::text[]) AS t (event_id, trace_context) USING (event_id)
            ), heads AS (
                INSERT INTO stream_heads (project_id, version, stage, project_code, state, state_version, reserved_by)
                SELECT h.project_id, h.version, h.stage, h.project_code, h.state, h.version, h.reserved_by
                FROM unnest($11::text[], $12::bigint[], $13::text[], $14::text[], $15::text[]::jsonb[], $20::text[])
                     AS h (project_id, version, stage, project_code, state, reserved_by)
                ON CONFLICT (project_id) DO UPDATE
                SET version = EXCLUDED.version, stage = EXCLUDED.stage, project_code = EXCLUDED.project_code,
                    state = EXCLUDED.state, state_version = EXCLUDED.state_version, updated_at = now()
            )
            SELECT position, event_id FROM appended""";

    /*
     * An event of a stream that is not a project's, its outbox row and its head, in one statement: the same tables and
     * the same publishing as a project's. The head keeps no stage nor state (V15): the stream's history is its state.
     */
    private static final String WRITE_OTHER = """
            WITH appended AS (
                INSERT INTO events (project_id, version, event_id, type, schema_version, occurred_on, source, data,
                                    request_hash, subject, client, channel, request_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9, $10, $11, $12, $13)
                RETURNING position, project_id
            ), published AS (
                INSERT INTO outbox (position, project_id, trace_context) SELECT position, project_id, $14 FROM appended
            ), head AS (
                INSERT INTO stream_heads (project_id, version) VALUES ($1, $2)
                ON CONFLICT (project_id) DO UPDATE SET version = EXCLUDED.version, updated_at = now()
            )
            SELECT position FROM appended""";

    private static final String AUTHORS =
            "SELECT version, source, subject, client, channel, request_id FROM events WHERE project_id = $1";

    /** What the store needs of an event to append: the event, and the trace context the outbox carries on to Kafka. */
    public interface Submitted {

        NewEvent event();

        String traceContext();
    }

    /** What became of one submission: where it landed, or why not, in the words of its {@link Decider}. */
    public record Outcome<R>(AppendResult result, R refusal) {
    }

    /** The decider's answer on one submission: the state it leads its project to, or why it is refused. */
    public record Decided<R>(ProjectState next, R refusal) {

        public static <R> Decided<R> accept(ProjectState next) {
            return new Decided<>(next, null);
        }

        public static <R> Decided<R> refuse(R refusal) {
            return new Decided<>(null, refusal);
        }
    }

    /**
     * The callback an append decides its submissions with, under the locks of their projects' heads: the store
     * keeps the states and stores what is accepted, the caller owns the decision and the type of its refusals.
     */
    public interface Decider<S extends Submitted, R> {

        /** The decision on a new event, given its project's state and the department that reserved it (or null). */
        Decided<R> decide(ProjectState current, String reservedBy, S submission);

        /**
         * Whether the sender of an event already stored (by {@code originalDepartment}) may have its answer: why not,
         * or empty. A department that could not have written the event learns nothing of it, not even that it exists.
         */
        Optional<R> refuseRepost(ProjectState current, String reservedBy, S submission, String originalDepartment);

        /** A conflict with what is stored, as a refusal. */
        R conflict(StoreConflict conflict);
    }

    private final Pool pool;
    private final ObjectMapper mapper;
    private final OutboxRelay relay;

    public EventStore(Pool pool, ObjectMapper mapper, OutboxRelay relay) {
        this.pool = pool;
        this.mapper = mapper;
        this.relay = relay;
    }

    /**
     * Which of a group's accepted events are stored: each on its own ({@link #EACH}), all of them but only when none is
     * refused ({@link #ALL_OR_NOTHING}), or none, a dry run ({@link #NONE}). An event accepted but not stored answers
     * with position 0.
     */
    public enum Commit {
        EACH, ALL_OR_NOTHING, NONE
    }

    /**
     * Appends, in order, each submission the decider accepts, storing what {@code commit} says; the outcomes are in
     * the order of the submissions. The decisions and the write are one transaction under the heads' locks, so no
     * other writer comes between deciding the group and storing it.
     */
    public <S extends Submitted, R> Uni<List<Outcome<R>>> appendAll(List<S> submissions, Commit commit,
                                                                    Decider<S, R> decider) {
        return attempt(submissions, commit, decider, 1).invoke(outcomes -> {
            if (outcomes.stream().anyMatch(o -> o.result() != null && o.result().created())) {
                relay.wake();
            }
        });
    }

    private <S extends Submitted, R> Uni<List<Outcome<R>>> attempt(List<S> submissions, Commit commit,
                                                                   Decider<S, R> decider, int attempt) {
        return pool.withTransaction(conn -> appendIn(conn, submissions, commit, decider))
                .onFailure(e -> isRace(e) || isProjectCodeTaken(e)).recoverWithUni(e -> {
                    if (commit != Commit.EACH) {
                        // Never event by event: the whole group again, which then sees what the other writer stored.
                        return attempt < ATTEMPTS ? attempt(submissions, commit, decider, attempt + 1)
                                : Uni.createFrom().failure(e);
                    }
                    if (isRace(e) && attempt < ATTEMPTS) {
                        return attempt(submissions, commit, decider, attempt + 1);
                    }
                    if (submissions.size() > 1) {
                        // A writer elsewhere got in the way of one event: append each on its own to find which.
                        return Multi.createFrom().iterable(submissions)
                                .onItem().transformToUniAndConcatenate(s -> attempt(List.of(s), commit, decider, 1))
                                .collect().in(ArrayList<Outcome<R>>::new, List::addAll)
                                .map(List::copyOf);
                    }
                    return isProjectCodeTaken(e)
                            ? Uni.createFrom().item(List.of(new Outcome<R>(null, decider.conflict(projectCodeTaken()))))
                            : Uni.createFrom().failure(e);
                });
    }

    private <S extends Submitted, R> Uni<List<Outcome<R>>> appendIn(SqlConnection conn, List<S> submissions,
                                                                    Commit commit, Decider<S, R> decider) {
        String[] projectIds = submissions.stream().map(s -> s.event().projectId()).distinct().sorted()
                .toArray(String[]::new);
        UUID[] eventIds = submissions.stream().map(s -> s.event().eventId()).toArray(UUID[]::new);
        String[] codes = submissions.stream().map(s -> projectCode(s.event().event())).filter(Objects::nonNull)
                .distinct().toArray(String[]::new);
        // Sent together: the connection pipelines them, one round trip. A group that names no projectCode (most events
        // but a project's first) has no owners to look up: one statement fewer for the database.
        Uni<RowSet<Row>> heads = conn.preparedQuery(LOCK_HEADS).execute(Tuple.of(projectIds));
        Uni<RowSet<Row>> known = conn.preparedQuery(KNOWN_EVENTS).execute(Tuple.of(eventIds));
        Uni<RowSet<Row>> owners = codes.length == 0 ? Uni.createFrom().nullItem()
                : conn.preparedQuery(CODE_OWNERS).execute(Tuple.of(codes));
        return Uni.combine().all().unis(heads, known, owners).asTuple()
                .flatMap(found -> states(conn, found.getItem1()).flatMap(states -> {
                    Group<S, R> group = new Group<>(decider, states, reservers(found.getItem1()), found.getItem2(),
                            found.getItem3());
                    submissions.forEach(group::take);
                    boolean store = commit == Commit.EACH || commit == Commit.ALL_OR_NOTHING && group.refusals == 0;
                    if (!store) {
                        group.written.forEach(w -> w.position = 0L);
                    }
                    return group.written.isEmpty() || !store
                            ? Uni.createFrom().item(group.outcomes())
                            : write(conn, group.written).map(positions -> {
                                group.written.forEach(w -> w.position = positions.get(w.event.eventId()));
                                return group.outcomes();
                            });
                }));
    }

    /** Each locked project's reserving department. */
    private static Map<String, String> reservers(RowSet<Row> heads) {
        Map<String, String> reservers = new HashMap<>();
        heads.forEach(head -> reservers.put(head.getString("project_id"), head.getString("reserved_by")));
        return reservers;
    }

    /** Each locked project's state: as kept with its head, or replayed from its history where the head has none. */
    private Uni<Map<String, ProjectState>> states(SqlConnection conn, RowSet<Row> heads) {
        Map<String, ProjectState> states = new HashMap<>();
        Map<String, Long> stale = new HashMap<>();
        for (Row head : heads) {
            String projectId = head.getString("project_id");
            long version = head.getLong("version");
            String state = head.getString("state");
            if (state != null && Long.valueOf(version).equals(head.getLong("state_version"))) {
                states.put(projectId, HeadState.read(readTree(state)));
            } else {
                stale.put(projectId, version);
            }
        }
        if (stale.isEmpty()) {
            return Uni.createFrom().item(states);
        }
        return conn.preparedQuery(HISTORIES).execute(Tuple.of(stale.keySet().toArray(String[]::new))).map(rows -> {
            Map<String, List<RecordedEvent>> histories = toEvents(rows).stream()
                    .collect(Collectors.groupingBy(RecordedEvent::projectId));
            stale.forEach((projectId, version) -> {
                ProjectState state = RecordedEvent.fold(ProjectState.UNKNOWN, histories.getOrDefault(projectId, List.of()));
                if (state.version() != version) {
                    throw new IllegalStateException("stream head of " + projectId + " at " + version
                            + " but history at " + state.version());
                }
                states.put(projectId, state);
            });
            return states;
        });
    }

    /** An event accepted in this group; its position is known once written. */
    private static final class Written {
        final NewEvent event;
        final String traceContext;
        final ProjectState next;
        Long position;

        Written(NewEvent event, String traceContext, ProjectState next) {
            this.event = event;
            this.traceContext = traceContext;
            this.next = next;
        }

        AppendResult result(boolean created) {
            return new AppendResult(event.projectId(), next.version(), position, event.eventId(), created);
        }
    }

    /** The group's decisions, made in order against states that include the events accepted before. */
    private static final class Group<S extends Submitted, R> {
        final Decider<S, R> decider;
        final Map<String, ProjectState> states;
        final Map<String, String> reservers;
        final Map<UUID, Row> stored = new HashMap<>();
        final Map<UUID, Written> accepted = new HashMap<>();
        final Map<String, String> codeOwners = new HashMap<>();
        final List<Written> written = new ArrayList<>();
        /** Per submission, its outcome; given once the group is written, when the new events' positions are known. */
        final List<Supplier<Outcome<R>>> answers = new ArrayList<>();
        int refusals;

        /** {@code owners} is null when the group names no projectCode. */
        Group(Decider<S, R> decider, Map<String, ProjectState> states, Map<String, String> reservers,
              RowSet<Row> known, RowSet<Row> owners) {
            this.decider = decider;
            this.states = states;
            this.reservers = reservers;
            known.forEach(row -> stored.put(row.getUUID("event_id"), row));
            if (owners != null) {
                owners.forEach(row -> codeOwners.put(row.getString("project_code"), row.getString("project_id")));
            }
        }

        void take(S submission) {
            try {
                answers.add(decideOne(submission));
            } catch (StoreConflict conflict) {
                refusals++;
                R refusal = decider.conflict(conflict);
                answers.add(() -> new Outcome<>(null, refusal));
            }
        }

        private Supplier<Outcome<R>> decideOne(S submission) {
            NewEvent event = submission.event();
            ProjectState current = states.getOrDefault(event.projectId(), ProjectState.UNKNOWN);
            Row original = stored.get(event.eventId());
            Written earlier = accepted.get(event.eventId());
            if (original != null || earlier != null) {
                // Rights before the answer: the same answer (200) or a conflict (409) would tell another department
                // that the event exists.
                Optional<R> denied = decider.refuseRepost(current, reservers.get(event.projectId()), submission,
                        original != null ? original.getString("source") : earlier.event.author().department());
                if (denied.isPresent()) {
                    refusals++;
                    return () -> new Outcome<>(null, denied.get());
                }
            }
            if (original != null) {
                checkSameContent(original.getString("request_hash"), event);
                AppendResult result = new AppendResult(original.getString("project_id"), original.getLong("version"),
                        original.getLong("position"), event.eventId(), false);
                return () -> new Outcome<>(result, null);
            }
            if (earlier != null) {
                checkSameContent(earlier.event.requestHash(), event);
                return () -> new Outcome<>(earlier.result(false), null);
            }
            checkExpectedVersion(event, current.version());
            Decided<R> decided = decider.decide(current, reservers.get(event.projectId()), submission);
            if (decided.refusal() != null) {
                refusals++;
                return () -> new Outcome<>(null, decided.refusal());
            }
            ProjectState next = decided.next();
            claimProjectCode(event.projectId(), current, next);
            states.put(event.projectId(), next);
            reservers.putIfAbsent(event.projectId(), event.author().department());
            Written w = new Written(event, submission.traceContext(), next);
            accepted.put(event.eventId(), w);
            written.add(w);
            return () -> new Outcome<>(w.result(true), null);
        }

        private void claimProjectCode(String projectId, ProjectState current, ProjectState next) {
            String code = next.details().projectCode();
            String previous = current.isKnown() ? current.details().projectCode() : null;
            if (code == null || code.equals(previous)) {
                return;
            }
            String owner = codeOwners.get(code);
            if (owner != null && !owner.equals(projectId)) {
                throw projectCodeTaken();
            }
            if (previous != null) {
                codeOwners.remove(previous);
            }
            codeOwners.put(code, projectId);
        }

        List<Outcome<R>> outcomes() {
            return answers.stream().map(Supplier::get).toList();
        }
    }

    private static void checkSameContent(String originalHash, NewEvent event) {
        if (!originalHash.equals(event.requestHash())) {
            throw new StoreConflict(StoreConflict.Kind.EVENT_ID_REUSED,
                    "eventId " + event.eventId() + " was already used for a different event");
        }
    }

    private static void checkExpectedVersion(NewEvent event, long version) {
        if (event.expectedVersion() != null && event.expectedVersion() != version) {
            throw new StoreConflict(StoreConflict.Kind.VERSION_CONFLICT, "expectedVersion is " + event.expectedVersion()
                    + " but project " + event.projectId() + " is at version " + version);
        }
    }

    /** Writes the accepted events, their outbox rows and their projects' new heads; each event's position. */
    private Uni<Map<UUID, Long>> write(SqlConnection conn, List<Written> written) {
        int n = written.size();
        String[] projectIds = new String[n];
        Long[] versions = new Long[n];
        UUID[] eventIds = new UUID[n];
        String[] types = new String[n];
        Integer[] schemaVersions = new Integer[n];
        LocalDate[] occurredOn = new LocalDate[n];
        String[] sources = new String[n];
        String[] data = new String[n];
        String[] hashes = new String[n];
        String[] traces = new String[n];
        String[] subjects = new String[n];
        String[] clients = new String[n];
        String[] channels = new String[n];
        String[] requestIds = new String[n];
        Map<String, ProjectState> heads = new TreeMap<>();
        Map<String, String> reservedBy = new HashMap<>();
        for (int i = 0; i < n; i++) {
            NewEvent e = written.get(i).event;
            projectIds[i] = e.projectId();
            versions[i] = written.get(i).next.version();
            eventIds[i] = e.eventId();
            EventType type = EventTypes.of(e.event());
            types[i] = type.name();
            schemaVersions[i] = type.schemaVersion();
            occurredOn[i] = e.event().occurredOn();
            Author author = e.author();
            sources[i] = author.department();
            subjects[i] = author.subject();
            clients[i] = author.client();
            channels[i] = author.channel();
            requestIds[i] = author.requestId();
            reservedBy.putIfAbsent(e.projectId(), author.department());
            data[i] = json(EventData.write(e.event()));
            hashes[i] = e.requestHash();
            traces[i] = written.get(i).traceContext;
            heads.put(e.projectId(), written.get(i).next);
        }
        List<Object> params = new ArrayList<>(List.of(projectIds, versions, eventIds, types, schemaVersions,
                occurredOn, sources, data, hashes));
        params.add(traces);
        params.add(heads.keySet().toArray(String[]::new));
        params.add(heads.values().stream().map(ProjectState::version).toArray(Long[]::new));
        params.add(heads.values().stream().map(s -> s.stage().name()).toArray(String[]::new));
        params.add(heads.values().stream().map(s -> s.details().projectCode()).toArray(String[]::new));
        params.add(heads.values().stream().map(s -> json(HeadState.write(s))).toArray(String[]::new));
        params.addAll(List.of(subjects, clients, channels, requestIds));
        // Kept only when the head is first written: a project's reserving department never changes.
        params.add(heads.keySet().stream().map(reservedBy::get).toArray(String[]::new));
        return conn.preparedQuery(WRITE).execute(Tuple.from(params)).map(rows -> {
            Map<UUID, Long> positions = new HashMap<>();
            rows.forEach(row -> positions.put(row.getUUID("event_id"), row.getLong("position")));
            return positions;
        });
    }

    private static String projectCode(ProjectEvent event) {
        return event instanceof ProjectEvent.WithDetails d ? d.details().projectCode() : null;
    }

    private static StoreConflict projectCodeTaken() {
        return new StoreConflict(StoreConflict.Kind.PROJECT_CODE_TAKEN, "another project already has this projectCode",
                "data.projectCode");
    }

    /**
     * Appends an event to a stream that is not a project's (a campaign's, {@link StreamKind}) at version
     * {@code expectedVersion + 1}, with its outbox row, in one transaction under the stream head's lock: the relay
     * publishes it on project-events keyed by the stream id, like every event. A {@link StoreConflict} of kind
     * VERSION_CONFLICT when the stream has moved on since the caller read it (another replica appended meanwhile).
     */
    public Uni<AppendResult> appendToStream(String streamId, long expectedVersion, UUID eventId, Author author,
                                            StreamEvent event) {
        if (StreamKind.isProject(streamId)) {
            throw new IllegalArgumentException(streamId + " is a project's stream: append it with appendAll");
        }
        EventType type = EventTypes.of(event);
        String data = json(EventData.write(event));
        List<Object> params = new ArrayList<>(List.of(streamId, expectedVersion + 1, eventId, type.name(),
                type.schemaVersion(), event.occurredOn(), author.department(), data, sha256(data)));
        params.addAll(Arrays.asList(author.subject(), author.client(), author.channel(), author.requestId(),
                TraceContext.current()));
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT version FROM stream_heads WHERE project_id = $1 "
                                + "FOR UPDATE").execute(Tuple.of(streamId))
                        .flatMap(rows -> {
                            long version = rows.size() == 0 ? 0 : rows.iterator().next().getLong("version");
                            if (version != expectedVersion) {
                                throw new StoreConflict(StoreConflict.Kind.VERSION_CONFLICT, "expectedVersion is "
                                        + expectedVersion + " but stream " + streamId + " is at version " + version);
                            }
                            return conn.preparedQuery(WRITE_OTHER).execute(Tuple.from(params));
                        }))
                // Two first appends to a new stream both see no head: the second trips the version's key.
                .onFailure(EventStore::isRace).transform(e -> new StoreConflict(StoreConflict.Kind.VERSION_CONFLICT,
                        "stream " + streamId + " moved on while appending"))
                .map(rows -> new AppendResult(streamId, expectedVersion + 1,
                        rows.iterator().next().getLong("position"), eventId, true))
                .invoke(relay::wake);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A project's version, in a transaction of the caller's; 0 for a project the store does not have. */
    public Uni<Long> headVersion(SqlConnection conn, String projectId) {
        return conn.preparedQuery("SELECT version FROM stream_heads WHERE project_id = $1").execute(Tuple.of(projectId))
                .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong("version"));
    }

    /**
     * The store's highest position (0 when it is empty) and when its latest event was recorded (null then): where the
     * store stands, or where a restore brought it back to.
     */
    public record Head(long position, OffsetDateTime recordedAt) {
    }

    /**
     * The store's highest position, 0 when it is empty: the last entry of the primary key, where {@link #head} reads
     * every event for the latest time (a status poll that did took PostgreSQL 300 ms at a million events).
     */
    public Uni<Long> lastPosition() {
        return pool.query("SELECT coalesce(max(position), 0) AS position FROM events").execute()
                .map(rows -> rows.iterator().next().getLong("position"));
    }

    public Uni<Head> head() {
        return pool.query("SELECT coalesce(max(position), 0) AS position, max(recorded_at) AS recorded_at FROM events")
                .execute().map(rows -> {
                    Row row = rows.iterator().next();
                    return new Head(row.getLong("position"), row.getOffsetDateTime("recorded_at"));
                });
    }

    /**
     * Moves the position sequence past {@code position}, in a transaction of the caller's: after a restore, the
     * positions project-events already carries are never handed out again.
     */
    public Uni<Void> skipPositionsThrough(SqlConnection conn, long position) {
        return conn.preparedQuery("SELECT setval(pg_get_serial_sequence('events', 'position'), "
                        + "greatest($1, (SELECT coalesce(max(position), 1) FROM events)))")
                .execute(Tuple.of(position))
                .replaceWithVoid();
    }

    /** Of these event ids, those the store has, each with its event's type. */
    public Uni<Map<UUID, String>> storedTypes(List<UUID> eventIds) {
        return pool.preparedQuery("SELECT event_id, type FROM events WHERE event_id = ANY($1)")
                .execute(Tuple.of(eventIds.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, String> types = new HashMap<>();
                    rows.forEach(row -> types.put(row.getUUID("event_id"), row.getString("type")));
                    return types;
                });
    }

    /** Of these projects, those the store has, each with its state now: what a caller compares a change with. */
    public Uni<Map<String, ProjectState>> states(List<String> projectIds) {
        return pool.withConnection(conn -> conn.preparedQuery(HEADS).execute(Tuple.of(projectIds.toArray(String[]::new)))
                .flatMap(heads -> states(conn, heads)));
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

    /**
     * Every event of the streams of {@code kind}, a kind other than a project's, by stream and version: the answers
     * of every follow-up item, which are few (V20's index holds only such streams).
     */
    public Uni<List<RecordedEvent>> ofStreamKind(StreamKind kind) {
        if (kind == StreamKind.PROJECT) {
            throw new IllegalArgumentException("a project's streams are read by project");
        }
        return pool.preparedQuery("SELECT " + EVENT_COLUMNS + " FROM events WHERE strpos(project_id, ':') > 0 "
                        + "AND starts_with(project_id, $1) ORDER BY project_id, version")
                .execute(Tuple.of(kind.streamId(""))).map(this::toEvents);
    }

    /** Who appended each event of a project, by version. */
    public Uni<Map<Long, Author>> authors(String projectId) {
        return pool.preparedQuery(AUTHORS).execute(Tuple.of(projectId)).map(rows -> {
            Map<Long, Author> authors = new HashMap<>();
            rows.forEach(row -> authors.put(row.getLong("version"), new Author(row.getString("source"),
                    row.getString("subject"), row.getString("client"), row.getString("channel"),
                    row.getString("request_id"))));
            return authors;
        });
    }

    /** The project's events with a version in {@code (afterVersion, upToVersion]}, oldest first. */
    public Uni<List<RecordedEvent>> between(SqlConnection conn, String projectId, long afterVersion, long upToVersion) {
        return conn.preparedQuery("SELECT " + EVENT_COLUMNS
                        + " FROM events WHERE project_id = $1 AND version > $2 AND version <= $3 ORDER BY version")
                .execute(Tuple.of(projectId, afterVersion, upToVersion))
                .map(this::toEvents);
    }

    /** Up to {@code limit} events with a position in {@code (afterPosition, throughPosition]}, by position. */
    public Uni<List<RecordedEvent>> byPosition(long afterPosition, long throughPosition, int limit) {
        return pool.preparedQuery("SELECT " + EVENT_COLUMNS
                        + " FROM events WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3")
                .execute(Tuple.of(afterPosition, throughPosition, limit))
                .map(this::toEvents);
    }

    /** The projects with {@code after < projectId <= last}: a page of the store. */
    public record ProjectRange(String after, String last) {
    }

    /**
     * Cuts the store's projects, in projectId order, into ranges of {@code pageSize}: with {@link #histories} this is
     * how rebuilds and checks walk the whole store.
     */
    public Uni<List<ProjectRange>> pages(SqlConnection conn, int pageSize) {
        return conn.preparedQuery("SELECT project_id FROM ("
                        + "SELECT project_id, row_number() OVER (ORDER BY project_id) AS n, count(*) OVER () AS total "
                        + "FROM stream_heads WHERE " + PROJECT_STREAMS + ") h "
                        + "WHERE n % $1 = 0 OR n = total ORDER BY project_id")
                .execute(Tuple.of(pageSize))
                .map(rows -> {
                    List<ProjectRange> pages = new ArrayList<>(rows.size());
                    String after = "";
                    for (Row row : rows) {
                        pages.add(new ProjectRange(after, row.getString("project_id")));
                        after = row.getString("project_id");
                    }
                    return pages;
                });
    }

    /**
     * The full histories of a range of projects, in projectId order, each oldest first, in a transaction of the
     * caller's. One range scan of the (project_id, version) index in the order it returns: the planner would rather
     * read the heap in page order and sort the 10,000 rows, 2 to 3 times slower (EXPLAIN ANALYZE of a page of the
     * seeded million), hence no bitmap scan for the rest of the transaction. The page is decoded on a worker thread: on
     * the event loop it would hold up every other request for tens of milliseconds, and pages read side by side are
     * decoded on several cores.
     */
    public Uni<Map<String, List<RecordedEvent>>> histories(SqlConnection conn, ProjectRange range) {
        return Uni.combine().all().unis(conn.query("SET LOCAL enable_bitmapscan = off").execute(),
                        conn.preparedQuery("SELECT " + EVENT_COLUMNS + " FROM events WHERE project_id > $1 "
                                + "AND project_id <= $2 AND " + PROJECT_STREAMS + " ORDER BY project_id, version")
                                .execute(Tuple.of(range.after(), range.last())))
                .asTuple().map(Tuple2::getItem2)
                .emitOn(Infrastructure.getDefaultWorkerPool())
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

    private JsonNode readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
