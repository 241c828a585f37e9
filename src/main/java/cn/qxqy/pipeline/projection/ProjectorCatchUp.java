package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.StoreRelations;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits until the live read models hold every project's event that the store held when asked: a read that must
 * include all of them (an issued report) starts after it. Only the projects behind at that moment are waited for, each
 * up to its version then: events stored later do not keep the wait going.
 */
@ApplicationScoped
public class ProjectorCatchUp {

    private static final String BEHIND = "SELECT h.project_id, h.version FROM " + StoreRelations.HEADS
            + " h LEFT JOIN project_view v USING (project_id) WHERE coalesce(v.version, 0) < h.version";
    private static final String STILL_BEHIND = """
            SELECT count(*) AS behind FROM unnest($1::text[], $2::bigint[]) AS w (project_id, version)
            LEFT JOIN project_view v USING (project_id) WHERE coalesce(v.version, 0) < w.version""";
    private static final Duration POLL = Duration.ofMillis(20);

    private final Pool pool;
    private final Vertx vertx;

    public ProjectorCatchUp(Pool pool, Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
    }

    /** Completes once the read models hold what the store holds now; a 503 problem after {@code maxWait}. */
    public Uni<Void> awaitStoreAsNow(Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        return pool.query(BEHIND).execute().flatMap(rows -> {
            List<String> projects = new ArrayList<>();
            List<Long> versions = new ArrayList<>();
            for (Row row : rows) {
                projects.add(row.getString("project_id"));
                versions.add(row.getLong("version"));
            }
            return projects.isEmpty() ? Uni.createFrom().voidItem()
                    : poll(Tuple.of(projects.toArray(String[]::new), versions.toArray(Long[]::new)), deadline);
        });
    }

    private Uni<Void> poll(Tuple behind, long deadline) {
        return pool.preparedQuery(STILL_BEHIND).execute(behind).flatMap(rows -> {
            long count = rows.iterator().next().getLong("behind");
            if (count == 0) {
                return Uni.createFrom().voidItem();
            }
            if (System.nanoTime() > deadline) {
                return Uni.createFrom().failure(Problem.of(ProblemType.NOT_YET_PROJECTED,
                        Wording.of("report.not-yet-projected", count)).exception());
            }
            // A timer of the caller's context: the reads after the wait stay on it.
            return Uni.createFrom().<Void>emitter(waited -> vertx.setTimer(POLL.toMillis(), id -> waited.complete(null)))
                    .flatMap(ignored -> poll(behind, deadline));
        });
    }
}
