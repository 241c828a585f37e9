package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the store lets other rooms read of it: its methods, and the relation it keeps for their set-based statements. */
@QuarkusTest
class StoreReadsTest {

    private static final LocalDate DAY = LocalDate.of(2024, 5, 6);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    EventStore store;

    @Inject
    Pool pool;

    @Test
    void theHeadsRelationHoldsEachProjectAtItsLastEventsVersion() {
        Api.Project signed = reserved().post("ProjectSigned", DAY.plusDays(1),
                Map.of("signedInvestment", new BigDecimal("120"), "investor", "某公司"));
        Api.Project reserved = reserved();

        Map<String, Long> versions = new HashMap<>();
        await(pool.preparedQuery("SELECT h.project_id, h.version FROM " + StoreRelations.HEADS
                + " h WHERE h.project_id = ANY($1)").execute(Tuple.of((Object) new String[]{signed.id(), reserved.id(),
                Api.newProjectId()}))).forEach(row -> versions.put(row.getString("project_id"), row.getLong("version")));

        assertThat(versions).containsOnly(Map.entry(signed.id(), 2L), Map.entry(reserved.id(), 1L));
    }

    @Test
    void theHeadsRelationIsPlannedAsTheTableItself() {
        // The planner pulls the subquery up: a join with a read model scans the table itself, with the relation's
        // filter (project streams only) as a condition of that scan, never a Subquery Scan over a materialised result.
        for (String statement : List.of(
                "SELECT count(*) FROM %s h FULL JOIN (VALUES ('a', 1)) v (project_id, version) USING (project_id) "
                        + "WHERE h.version IS DISTINCT FROM v.version",
                "SELECT h.project_id FROM %s h LEFT JOIN (VALUES ('a', 1)) n (project_id, version) USING (project_id) "
                        + "WHERE coalesce(n.version, 0) < h.version",
                "SELECT count(*) FROM (VALUES ('a')) v (project_id) WHERE NOT EXISTS "
                        + "(SELECT 1 FROM %s h WHERE h.project_id = v.project_id)")) {
            assertThat(plan(statement.formatted(StoreRelations.HEADS))).as(statement)
                    .doesNotContain("Subquery Scan")
                    .containsPattern("Scan (using \\S+ )?on h\\b");
        }
    }

    @Test
    void aHeadVersionIsTheProjectsLastVersionAndZeroForAProjectTheStoreDoesNotHave() {
        Api.Project signed = reserved().post("ProjectSigned", DAY.plusDays(1),
                Map.of("signedInvestment", new BigDecimal("120"), "investor", "某公司"));

        long known = await(pool.withConnection(conn -> store.headVersion(conn, signed.id())));
        long unknown = await(pool.withConnection(conn -> store.headVersion(conn, Api.newProjectId())));

        assertThat(known).isEqualTo(2);
        assertThat(unknown).isZero();
    }

    @Test
    void theHeadIsTheHighestPositionAndTheLatestEventsTime() {
        reserved();

        EventStore.Head head = await(store.head());

        Row stored = await(pool.query("SELECT max(position) AS position, max(recorded_at) AS recorded_at FROM events")
                .execute()).iterator().next();
        assertThat(head.position()).isPositive().isEqualTo(stored.getLong("position"));
        assertThat(head.recordedAt()).isNotNull().isEqualTo(stored.getOffsetDateTime("recorded_at"));
    }

    @Test
    void afterPositionsAreSkippedTheNextAppendLandsBeyondThem() {
        long beyond = await(store.head()).position() + 1_000;

        await(pool.withTransaction(conn -> store.skipPositionsThrough(conn, beyond)));

        long position = Api.post(Api.newProjectId(), Api.envelope("ProjectReserved", DAY,
                        Api.reservation(Api.CAMPAIGN, "141102", "coal", List.of("special-bond"), "1.00")))
                .then().statusCode(201).extract().jsonPath().getLong("position");
        assertThat(position).isGreaterThan(beyond);
    }

    private static Api.Project reserved() {
        return Api.reserve(Api.CAMPAIGN, "存储读取测试项目", "141102", "coal", List.of("special-bond"), "1.00", null, DAY);
    }

    private String plan(String statement) {
        StringBuilder plan = new StringBuilder();
        await(pool.query("EXPLAIN (COSTS OFF) " + statement).execute()).forEach(row -> plan.append(row.getString(0))
                .append('\n'));
        return plan.toString().replaceAll("\\bstream_heads\\b( h\\b)?", "h");
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }
}
