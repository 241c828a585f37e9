package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.domain.DatedState;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.RecordedEvent;
import cn.qxqy.pipeline.eventstore.StoreRelations;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Recomputes every read model from the event store and lists where the live ones differ. Both are read in one
 * snapshot, and each project is recomputed up to the version its view has reached, so a project the projector has not
 * reached yet (or is applying right now) shows as pending, not as a difference.
 */
@ApplicationScoped
public class ConsistencyCheck {

    private static final Logger LOG = Logger.getLogger(ConsistencyCheck.class);
    private static final int PAGE = 1000;
    private static final int MAX_LISTED = 100;

    /** One figure the live read models have wrong; {@code expected} is the recomputation from the event store. */
    @Schema(name = "ConsistencyDifference", description = "A figure the live read models have wrong")
    public record Difference(String readModel, String key,
                             @Schema(oneOf = {ProjectView.class, Figures.class, Timeline.Entry.class,
                                     ProgressGroups.Entry.class, Long.class},
                                     description = "a project_view row (Project), campaign figures, a timeline or "
                                             + "progress entry, or a count; null where the row should not exist")
                             Object expected,
                             @Schema(oneOf = {ProjectView.class, Figures.class, Timeline.Entry.class,
                                     ProgressGroups.Entry.class, Long.class},
                                     description = "as the live read models have it; null where the row is missing")
                             Object actual) {
    }

    /** A project whose view is behind its history: the check compared the read side as of {@code readVersion}. */
    @Schema(name = "ConsistencyPending", description = "A project the projector had not caught up with when checked")
    public record Pending(String projectId, long storeVersion, long readVersion) {
    }

    /**
     * @param consistent no differences; pending projects do not count, they are normal while departments write
     * @param pendingProjects projects whose latest events the projector had not applied yet; the first of them in
     *                        {@code pending}
     */
    @Schema(name = "ConsistencyReport", description = "The outcome of a consistency check")
    public record Report(boolean consistent, long checkedProjects, long checkedEvents, long pendingProjects,
                         List<Pending> pending, long differenceCount, List<Difference> differences) {
    }

    private static final class Expected {
        final Aggregates sums = new Aggregates();
        final List<Difference> differences = new ArrayList<>();
        final List<Pending> pending = new ArrayList<>();
        long differenceCount;
        long pendingCount;
        long projects;
        long events;

        void differ(String readModel, Object key, Object expected, Object actual) {
            differenceCount++;
            if (differences.size() < MAX_LISTED) {
                differences.add(new Difference(readModel, String.valueOf(key), expected, actual));
            }
        }

        void pending(String projectId, long storeVersion, long readVersion) {
            pendingCount++;
            if (pending.size() < MAX_LISTED) {
                pending.add(new Pending(projectId, storeVersion, readVersion));
            }
        }
    }

    /** Claims the next scheduled check for this replica when none started within the interval, on any replica. */
    private static final String CLAIM = "UPDATE consistency_check_result SET started_at = now() "
            + "WHERE started_at IS NULL OR started_at < now() - make_interval(secs => $1) RETURNING started_at";

    private final Pool pool;
    private final EventStore store;
    private final Vertx vertx;
    private final Duration interval;
    private long timerId = -1;

    public ConsistencyCheck(Pool pool, EventStore store, Vertx vertx, PipelineConfig config) {
        this.pool = pool;
        this.store = store;
        this.vertx = vertx;
        this.interval = config.check().interval();
    }

    /**
     * Every replica looks each minute whether a check is due; the first to claim it runs it. Its result is what the
     * metrics of every replica show, so a difference alerts without anyone asking for a check.
     */
    void schedule(@Observes StartupEvent startup) {
        timerId = vertx.setPeriodic(Math.min(interval.toMillis(), Duration.ofMinutes(1).toMillis()), id ->
                pool.preparedQuery(CLAIM).execute(Tuple.of(interval.toSeconds()))
                        .flatMap(claimed -> claimed.size() == 0 ? Uni.createFrom().nullItem() : compute().call(this::record))
                        .subscribe().with(report -> {
                            if (report != null && report.differenceCount() > 0) {
                                LOG.errorf("consistency check: %d differences, e.g. %s", report.differenceCount(),
                                        report.differences().get(0));
                            }
                        }, failure -> LOG.warnf("scheduled consistency check failed: %s", failure.getMessage())));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(timerId);
    }

    /** Runs a check now; its result is recorded for the metrics. */
    public Uni<Report> run() {
        return pool.query("UPDATE consistency_check_result SET started_at = now()").execute()
                .flatMap(started -> compute())
                .call(this::record);
    }

    private Uni<Void> record(Report report) {
        return pool.preparedQuery("UPDATE consistency_check_result SET finished_at = now(), consistent = $1, "
                        + "differences = $2, pending_projects = $3, checked_projects = $4, checked_events = $5")
                .execute(Tuple.of(report.consistent(), report.differenceCount(), report.pendingProjects(),
                        report.checkedProjects(), report.checkedEvents()))
                .replaceWithVoid();
    }

    private Uni<Report> compute() {
        Expected expected = new Expected();
        return pool.withTransaction(conn -> conn
                .query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .flatMap(snapshot -> store.pages(conn, PAGE))
                .flatMap(pages -> checkProjects(conn, pages, expected))
                .flatMap(ignored -> conn.query("SELECT count(*) AS orphans FROM project_view v WHERE NOT EXISTS "
                        + "(SELECT 1 FROM " + StoreRelations.HEADS + " h WHERE h.project_id = v.project_id)").execute())
                .invoke(rows -> {
                    long orphans = rows.iterator().next().getLong("orphans");
                    if (orphans > 0) {
                        expected.differ("project_view", "projects without history", 0, orphans);
                    }
                })
                .flatMap(ignored -> conn.query("SELECT campaign_id, dimension, key, effective_on, "
                        + String.join(", ", FiguresTable.COLUMNS) + " FROM campaign_figures").execute())
                .invoke(rows -> {
                    Map<Dated<FigureKey>, Figures> actual = new HashMap<>();
                    for (Row row : rows) {
                        Figures figures = FiguresTable.fromRow(row);
                        if (!figures.isZero()) {
                            actual.put(new Dated<>(new FigureKey(row.getString("campaign_id"), row.getString("dimension"),
                                    row.getString("key")), row.getLocalDate("effective_on")), figures);
                        }
                    }
                    compare(expected, "campaign_figures", expected.sums.figures, actual, Figures::isZero);
                })
                .flatMap(ignored -> conn.query("SELECT * FROM campaign_timeline").execute())
                .invoke(rows -> {
                    Map<Dated<Timeline.Key>, Timeline.Entry> actual = new HashMap<>();
                    for (Row row : rows) {
                        Timeline.Entry entry = new Timeline.Entry(row.getLong("projects"),
                                row.getBigDecimal("investment").setScale(2));
                        if (!entry.isZero()) {
                            actual.put(new Dated<>(new Timeline.Key(row.getString("campaign_id"),
                                    YearMonth.parse(row.getString("month")), Stage.valueOf(row.getString("milestone"))),
                                    row.getLocalDate("effective_on")), entry);
                        }
                    }
                    compare(expected, "campaign_timeline", expected.sums.timeline, actual, Timeline.Entry::isZero);
                })
                .flatMap(ignored -> conn.query("SELECT * FROM campaign_progress").execute())
                .invoke(rows -> {
                    Map<Dated<ProgressGroups.Key>, ProgressGroups.Entry> actual = new HashMap<>();
                    for (Row row : rows) {
                        ProgressGroups.Entry entry = ProgressGroups.Entry.fromRow(row);
                        if (!entry.isZero()) {
                            actual.put(new Dated<>(ProgressGroups.Key.fromRow(row), row.getLocalDate("effective_on")), entry);
                        }
                    }
                    compare(expected, "campaign_progress", expected.sums.progress, actual, ProgressGroups.Entry::isZero);
                })
                .map(ignored -> new Report(expected.differenceCount == 0, expected.projects, expected.events,
                        expected.pendingCount, expected.pending, expected.differenceCount, expected.differences)));
    }

    /** Page by page, one after the other: only one page of histories is held at a time. */
    private Uni<Void> checkProjects(SqlConnection conn, List<EventStore.ProjectRange> pages, Expected expected) {
        return Multi.createFrom().iterable(pages)
                .onItem().transformToUniAndConcatenate(page -> store.histories(conn, page).flatMap(histories -> conn
                        .preparedQuery("SELECT " + ProjectView.COLUMNS + ", " + ProjectView.DATED_COLUMNS
                                + " FROM project_view WHERE project_id > $1 AND project_id <= $2")
                        .execute(Tuple.of(page.after(), page.last()))
                        .invoke(rows -> {
                            Map<String, Row> live = new HashMap<>();
                            rows.forEach(row -> live.put(row.getString("project_id"), row));
                            histories.forEach((projectId, history) ->
                                    check(expected, projectId, history, live.get(projectId)));
                        })))
                .collect().last().replaceWithVoid();
    }

    /**
     * The projector writes a project's view and its deltas to the aggregates in one transaction, and this check reads
     * both sides in one snapshot. So the read side holds each project as of its view's version, exactly: recompute the
     * project from its history up to that version, not to the head, and the view and every aggregate it counts in
     * must equal the recomputation, pending or not. A pending project counts in its campaign's figures as the read
     * side has it, and a wrong figure of a campaign whose projects are being written is still found.
     */
    private static void check(Expected expected, String projectId, List<RecordedEvent> history, Row liveRow) {
        long storeVersion = history.get(history.size() - 1).version();
        ProjectView live = liveRow == null ? null : ProjectView.fromRow(liveRow);
        long readVersion = live == null ? 0 : live.version();
        DatedState projected = Projector.fold(DatedState.UNKNOWN,
                history.stream().takeWhile(event -> event.version() <= readVersion).toList());
        expected.projects++;
        expected.events += history.size();
        expected.sums.add(projected);
        if (readVersion < storeVersion) {
            expected.pending(projectId, storeVersion, readVersion);
        }
        if (live != null && !ProjectView.of(projectId, projected.current()).equals(live)) {
            expected.differ("project_view", projectId, ProjectView.of(projectId, projected.current()), live);
        } else if (live != null && !sameDated(projected, ProjectView.datedState(liveRow))) {
            DatedState dated = ProjectView.datedState(liveRow);
            expected.differ("project_view", projectId + " reports, placements and report days",
                    List.of(projected.reports(), projected.placements(), projected.reportedOn()),
                    dated == null ? null : List.of(dated.reports(), dated.placements(), dated.reportedOn()));
        }
    }

    private static boolean sameDated(DatedState projected, DatedState live) {
        return live != null && projected.reports().equals(live.reports())
                && projected.placements().equals(live.placements()) && projected.reportedOn().equals(live.reportedOn());
    }

    /**
     * A row that sums to zero counts as no row: two projects leaving and entering a group on the same day cancel out
     * in the recomputation, while the projector writes no row for a batch whose changes cancel.
     */
    private static <K extends Comparable<K>, V> void compare(Expected expected, String readModel, Map<K, V> want,
                                                             Map<K, V> have, Predicate<V> isZero) {
        TreeSet<K> keys = new TreeSet<>(want.keySet());
        keys.addAll(have.keySet());
        for (K key : keys) {
            V wanted = want.get(key);
            V held = have.get(key);
            if (!Objects.equals(wanted == null || isZero.test(wanted) ? null : wanted, held)) {
                expected.differ(readModel, key, wanted, held);
            }
        }
    }
}
