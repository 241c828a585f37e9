package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.domain.DatedState;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.RecordedEvent;
import cn.qxqy.pipeline.eventstore.StoreRelations;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemException;
import cn.qxqy.pipeline.problem.ProblemType;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the read models from the event store while the live projector and readers go on: the history is
 * replayed into fresh tables, which replace the live ones in one transaction once they have caught up, so a
 * reader sees the old figures or the new, never a half-built one.
 * <p>
 * The replay is set-based: the projects are cut into pages of consecutive projectIds, read a page at a time by
 * an index range scan, several pages at once. Views go into an unlogged table without indexes; the aggregates are
 * summed in memory and written once. Then the view table is logged and its indexes built, each in one pass.
 */
@ApplicationScoped
public class Rebuild {

    private static final Logger LOG = Logger.getLogger(Rebuild.class);

    /** The view columns searches filter and sort on. */
    private static final String ANALYZED = "project_id, campaign_id, stage, region_code, industry_chain, categories, "
            + "planned_investment, name, reserved_on, signed_on, started_on, completed_on, withdrawn_on";

    private final Pool pool;
    private final EventStore store;
    private final ProjectionStatuses statuses;
    private final PipelineMetrics metrics;
    private final int pageSize;
    private final int workers;

    public Rebuild(Pool pool, EventStore store, ProjectionStatuses statuses, PipelineMetrics metrics,
                   PipelineConfig config) {
        this.pool = pool;
        this.store = store;
        this.statuses = statuses;
        this.metrics = metrics;
        this.pageSize = config.rebuild().pageSize();
        this.workers = config.rebuild().workers();
    }

    /**
     * Starts the rebuild a migration asked for (V14), on the first replica to claim it; the others find it running.
     * Until its swap, the campaign reads answer "not yet projected" ({@link ProjectionStatuses#rebuildRequired}).
     */
    void startIfRequired(@Observes StartupEvent startup) {
        statuses.rebuildRequired()
                .flatMap(required -> required ? start().onFailure(ProblemException.class).recoverWithNull()
                        : Uni.createFrom().voidItem())
                .subscribe().with(started -> { }, failure -> LOG.warnf(
                        "could not see whether the read models need a rebuild: %s", failure.getMessage()));
    }

    /** Claims the rebuild and runs it in the background; fails with 409 while another one runs. */
    public Uni<Void> start() {
        return statuses.claimRebuild()
                .invoke(claimed -> {
                    if (!claimed) {
                        throw Problem.of(ProblemType.REBUILD_RUNNING, "a rebuild is already running").exception();
                    }
                    run().subscribe().with(
                            done -> LOG.info("projection rebuild done"),
                            failure -> LOG.error("projection rebuild failed", failure));
                })
                .replaceWithVoid();
    }

    private Uni<Void> run() {
        Aggregates totals = new Aggregates();
        long started = System.nanoTime();
        long[] replayed = new long[1];
        long[] indexed = new long[1];
        return prepare()
                .flatMap(indexes -> pool.withConnection(conn -> store.pages(conn, pageSize))
                        .flatMap(pages -> Multi.createFrom().iterable(pages)
                                .onItem().transformToUni(page -> replay(page, totals)).merge(workers)
                                .collect().last())
                        .invoke(() -> replayed[0] = System.nanoTime())
                        // The aggregates go in while the view table's indexes build: other tables, other cores.
                        .flatMap(ignored -> Uni.combine().all().unis(
                                pool.withTransaction(conn -> ProjectionWriter.insertAggregates(conn,
                                        ProjectionTables.NEXT, totals)),
                                index(indexes)).discardItems())
                        .flatMap(ignored -> analyze())
                        .invoke(() -> indexed[0] = System.nanoTime())
                        .flatMap(ignored -> pool.withTransaction(this::catchUp))
                        .flatMap(ignored -> pool.withTransaction(conn -> swap(conn, indexes))))
                .invoke(() -> LOG.infof("projection rebuild: replayed in %d ms, indexed in %d ms, caught up and swapped "
                                + "in %d ms", (replayed[0] - started) / 1_000_000, (indexed[0] - replayed[0]) / 1_000_000,
                        (System.nanoTime() - indexed[0]) / 1_000_000))
                .onFailure().call(failure -> statuses.rebuildFailed(String.valueOf(failure.getMessage())));
    }

    /** An index of the live view table, and the statement that builds its twin on the next one. */
    private record Index(String name, String build, boolean primary) {
    }

    /**
     * Creates the next tables. The view table is unlogged and has none of the live table's indexes while it
     * is filled; returns the statements that build them, named after the live ones with a suffix the swap removes,
     * the GIN indexes first: they take longest, and the others fill in around them.
     */
    private Uni<List<Index>> prepare() {
        ProjectionTables live = ProjectionTables.LIVE;
        ProjectionTables next = ProjectionTables.NEXT;
        return pool.withTransaction(conn -> conn.query(
                        "DROP TABLE IF EXISTS " + next.view + ", " + next.figures + ", " + next.timeline + ", "
                                + next.progress + "; "
                                + "CREATE UNLOGGED TABLE " + next.view + " (LIKE " + live.view
                                + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS); "
                                + "CREATE TABLE " + next.figures + " (LIKE " + live.figures + " INCLUDING ALL); "
                                + "CREATE TABLE " + next.timeline + " (LIKE " + live.timeline + " INCLUDING ALL); "
                                + "CREATE TABLE " + next.progress + " (LIKE " + live.progress + " INCLUDING ALL)")
                .execute()
                .flatMap(created -> conn.preparedQuery("""
                                SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition,
                                       i.indisprimary AS is_primary
                                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
                                WHERE i.indrelid = $1::regclass ORDER BY a.amname = 'gin' DESC, c.relname""")
                        .execute(Tuple.of(live.view)))
                .map(rows -> {
                    List<Index> indexes = new ArrayList<>();
                    for (Row row : rows) {
                        String name = row.getString("name");
                        String rebuilt = name + ProjectionTables.REBUILT;
                        String definition = row.getString("definition")
                                .replaceFirst(" INDEX " + name + " ON ", " INDEX " + rebuilt + " ON ")
                                .replaceFirst(" ON (\\w+\\.)?" + live.view + " USING ", " ON $1" + next.view + " USING ");
                        indexes.add(new Index(name, definition, row.getBoolean("is_primary")));
                    }
                    return indexes;
                }));
    }

    /** Replays one page into the next view table; its aggregates go into {@code totals}. */
    private Uni<Void> replay(EventStore.ProjectRange page, Aggregates totals) {
        return pool.withTransaction(conn -> store.histories(conn, page).flatMap(histories -> {
            List<ProjectionWriter.Change> changes = new ArrayList<>(histories.size());
            // Summed apart and added once: pages replayed side by side would otherwise take turns for the totals' lock.
            Aggregates sums = new Aggregates();
            long events = 0;
            long lastPosition = 0;
            for (Map.Entry<String, List<RecordedEvent>> history : histories.entrySet()) {
                ProjectionWriter.Change change = Projector.change(history.getKey(), DatedState.UNKNOWN,
                        history.getValue());
                changes.add(change);
                sums.add(change.after());
                events += history.getValue().size();
                lastPosition = Math.max(lastPosition, change.lastPosition());
            }
            totals.add(sums);
            long eventCount = events;
            long position = lastPosition;
            return ProjectionWriter.writeViews(conn, ProjectionTables.NEXT, changes)
                    .call(() -> progress(conn, changes.size(), eventCount, position));
        }));
    }

    private Uni<Void> progress(SqlConnection conn, int projects, long events, long lastPosition) {
        return statuses.rebuildProgress(conn, projects, events, lastPosition).invoke(metrics::rebuildProgress)
                .replaceWithVoid();
    }

    /**
     * Logs the filled view table, then builds its indexes, several at once, each in one process: they already
     * share the cores, parallel workers of one build would only add their start-up.
     */
    private Uni<Void> index(List<Index> indexes) {
        return pool.query("ALTER TABLE " + ProjectionTables.NEXT.view + " SET LOGGED").execute()
                .flatMap(logged -> Multi.createFrom().iterable(indexes)
                        .onItem().transformToUni(index -> pool.withTransaction(conn -> conn
                                .query("SET LOCAL maintenance_work_mem = '256MB'; "
                                        + "SET LOCAL max_parallel_maintenance_workers = 0").execute()
                                .flatMap(set -> conn.query(index.build()).execute())))
                        .merge(workers).collect().last())
                .replaceWithVoid();
    }

    private Uni<Void> analyze() {
        // Statistics before readers get the tables: without them the planner guesses, and a search that takes
        // a millisecond took 300 until autovacuum came by (measured at 100,000 projects). The columns searches
        // filter and sort on only: the expression indexes' statistics tripled the time (1.1 s), and
        // autovacuum gathers them later.
        return pool.query("ANALYZE " + ProjectionTables.NEXT.view + " (" + ANALYZED + "), "
                        + ProjectionTables.NEXT.figures + ", " + ProjectionTables.NEXT.timeline + ", "
                        + ProjectionTables.NEXT.progress).execute()
                .replaceWithVoid();
    }

    /** Applies what reached the store since the replay read it, to the projects whose next view is behind. */
    private Uni<Void> catchUp(SqlConnection conn) {
        ProjectionTables next = ProjectionTables.NEXT;
        return conn.query("SELECT h.project_id, coalesce(n.version, 0) AS version FROM " + StoreRelations.HEADS
                        + " h LEFT JOIN " + next.view + " n USING (project_id) WHERE coalesce(n.version, 0) < h.version")
                .execute()
                .flatMap(behind -> {
                    if (behind.size() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    List<String> ids = new ArrayList<>();
                    behind.forEach(row -> ids.add(row.getString("project_id")));
                    return conn.preparedQuery("SELECT " + ProjectView.COLUMNS + ", " + ProjectView.DATED_COLUMNS
                                    + " FROM " + next.view + " WHERE project_id = ANY($1)")
                            .execute(Tuple.of(ids.toArray(String[]::new)))
                            .flatMap(views -> {
                                Map<String, DatedState> states = new HashMap<>();
                                for (Row row : views) {
                                    states.put(row.getString("project_id"), ProjectView.datedState(row));
                                }
                                return catchUpEach(conn, ids, states, new ArrayList<>(), 0);
                            });
                });
    }

    private Uni<Void> catchUpEach(SqlConnection conn, List<String> ids, Map<String, DatedState> states,
                                  List<ProjectionWriter.Change> changes, int i) {
        if (i == ids.size()) {
            long events = changes.stream()
                    .mapToLong(c -> c.after().current().version() - c.before().current().version()).sum();
            return ProjectionWriter.write(conn, ProjectionTables.NEXT, changes)
                    .call(() -> progress(conn, 0, events, changes.stream()
                            .mapToLong(ProjectionWriter.Change::lastPosition).max().orElse(0)));
        }
        String id = ids.get(i);
        DatedState before = states.getOrDefault(id, DatedState.UNKNOWN);
        return store.between(conn, id, before.current().version(), Long.MAX_VALUE).flatMap(events -> {
            if (!events.isEmpty()) {
                changes.add(Projector.change(id, before, events));
            }
            return catchUpEach(conn, ids, states, changes, i + 1);
        });
    }

    /**
     * Waits for the live projectors' transactions to end, catches up the last events, swaps the tables, and gives
     * the new view table's indexes the names of the old ones.
     */
    private Uni<Void> swap(SqlConnection conn, List<Index> indexes) {
        ProjectionTables live = ProjectionTables.LIVE;
        ProjectionTables next = ProjectionTables.NEXT;
        StringBuilder ddl = new StringBuilder();
        for (String[] pair : new String[][]{{live.view, next.view}, {live.figures, next.figures},
                {live.timeline, next.timeline}, {live.progress, next.progress}}) {
            ddl.append("ALTER TABLE ").append(pair[0]).append(" RENAME TO ").append(pair[0]).append("_old; ")
                    .append("ALTER TABLE ").append(pair[1]).append(" RENAME TO ").append(pair[0]).append("; ")
                    .append("DROP TABLE ").append(pair[0]).append("_old; ");
        }
        for (Index index : indexes) {
            if (index.primary()) {
                // Here, not when it is built: the lock this takes would hold back the other builds.
                ddl.append("ALTER TABLE ").append(live.view).append(" ADD CONSTRAINT ").append(index.name())
                        .append(ProjectionTables.REBUILT).append(" PRIMARY KEY USING INDEX ").append(index.name())
                        .append(ProjectionTables.REBUILT).append("; ");
            }
            ddl.append("ALTER INDEX ").append(index.name()).append(ProjectionTables.REBUILT).append(" RENAME TO ")
                    .append(index.name()).append("; ");
        }
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(ProjectionTables.SWAP_LOCK))
                .flatMap(locked -> catchUp(conn))
                // The new tables hold every project up to its head, parked ones included: none is held back any more.
                .flatMap(caughtUp -> conn.query(ddl + "DELETE FROM projection_dead_letters; " + ReadModelGeneration.BUMP)
                        .execute())
                .flatMap(swapped -> statuses.rebuildDone(conn));
    }
}
