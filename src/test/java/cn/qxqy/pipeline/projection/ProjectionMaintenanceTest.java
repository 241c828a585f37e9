package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.awaitProjected;
import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.Api.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Stored events of an older shape, the consistency check, the rebuild and the timeline. */
@QuarkusTest
class ProjectionMaintenanceTest {

    private static final Supplier<String> INDEXES_OF_THE_VIEWS = () -> Api.sqlValue("SELECT string_agg(indexname || ' "
            + "' || regexp_replace(indexdef, 'INDEX \\S+ ON', 'INDEX ON'), E'\\n' ORDER BY indexname) FROM pg_indexes "
            + "WHERE tablename = 'project_view'");

    private static final int WRITERS = 6;
    private static final LocalDate DAY = LocalDate.of(2024, 9, 2);

    @Test
    void aCheckWhileDepartmentsWriteReportsUnprojectedProjectsAsPendingNotAsDifferences() throws Exception {
        String campaign = Api.newCampaign();
        Queue<String> written = new ConcurrentLinkedQueue<>();
        List<JsonPath> checks = whileWriting(campaign, written, () -> checksUntilPending(written));

        assertThat(checks).allSatisfy(check -> {
            assertThat(check.getBoolean("consistent")).as("consistent: %s", check.prettify()).isTrue();
            assertThat(check.getLong("differenceCount")).isZero();
            assertThat(check.getList("differences")).isEmpty();
            assertThat(check.getLong("pendingProjects")).isEqualTo(check.getList("pending").size());
        });
        assertThat(checks).anySatisfy(check -> assertThat(pendingOf(check, written)).isNotEmpty()
                .allSatisfy(pending -> assertThat(((Number) pending.get("readVersion")).longValue())
                        .isLessThan(((Number) pending.get("storeVersion")).longValue())));
    }

    @Test
    void aWrongRowIsADifferenceEvenInACampaignWithPendingProjects() throws Exception {
        String campaign = Api.newCampaign();
        Api.Project quiet = Api.reserve(campaign, "不动的项目", "141102", "coal", List.of("special-bond"), "100.00",
                null, DAY);
        Api.awaitProjected(quiet);
        Queue<String> written = new ConcurrentLinkedQueue<>(List.of(quiet.id()));
        String allFigures = "Dated[key=FigureKey[campaignId=" + campaign + ", dimension=all, key=*], effectiveOn=" + DAY + "]";
        // Deltas are added to the figures, so the 1000 stays wrong however the writers change the row meanwhile.
        String quietsRow = "WHERE campaign_id = '" + campaign + "' AND dimension = 'all' AND effective_on = '" + DAY + "'";
        Api.sql("UPDATE campaign_figures SET planned_investment = planned_investment + 1000 " + quietsRow,
                "UPDATE project_view SET name = '改过的名字' WHERE project_id = '" + quiet.id() + "'");
        List<JsonPath> checks;
        try {
            checks = whileWriting(campaign, written, () -> checksUntilPending(written));
        } finally {
            Api.sql("UPDATE campaign_figures SET planned_investment = planned_investment - 1000 " + quietsRow,
                    "UPDATE project_view SET name = '不动的项目' WHERE project_id = '" + quiet.id() + "'");
        }

        assertThat(checks).anySatisfy(check -> assertThat(pendingOf(check, written)).isNotEmpty());
        assertThat(checks).allSatisfy(check -> {
            assertThat(check.getBoolean("consistent")).isFalse();
            // Other tests' projects may differ on purpose: only this campaign's rows and projects are this test's.
            assertThat(check.<Map<String, Object>>getList("differences")).as("differences: %s", check.prettify())
                    .filteredOn(difference -> written.contains((String) difference.get("key"))
                            || ((String) difference.get("key")).contains(campaign))
                    .extracting(difference -> difference.get("readModel") + " " + difference.get("key"))
                    .containsExactly("project_view " + quiet.id(), "campaign_figures " + allFigures);
            assertThat(check.getString("differences.find { it.key == '" + quiet.id() + "' }.actual.name"))
                    .isEqualTo("改过的名字");
            assertThat(Api.amount(check, "differences.find { it.key == '" + allFigures + "' }.actual.plannedInvestment")
                    .subtract(Api.amount(check, "differences.find { it.key == '" + allFigures
                            + "' }.expected.plannedInvestment")))
                    .isEqualByComparingTo("1000");
        });
    }

    /**
     * Checks one after the other until three of them saw some of the {@code written} projects pending, or a minute
     * has passed; answers every check it made.
     */
    private static List<JsonPath> checksUntilPending(Queue<String> written) {
        List<JsonPath> checks = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(60);
        int sawPending = 0;
        while (sawPending < 3 && Instant.now().isBefore(deadline)) {
            JsonPath check = admin().get("/api/v1/admin/projections/check").then().statusCode(200).extract().jsonPath();
            checks.add(check);
            if (!pendingOf(check, written).isEmpty()) {
                sawPending++;
            }
        }
        return checks;
    }

    /** The pending projects a check lists among {@code projectIds}. */
    private static List<Map<String, Object>> pendingOf(JsonPath check, Queue<String> projectIds) {
        return check.<Map<String, Object>>getList("pending").stream()
                .filter(pending -> projectIds.contains((String) pending.get("projectId"))).toList();
    }

    /**
     * Runs {@code during} while {@link #WRITERS} department systems reserve, sign and start projects of the campaign
     * one after the other, adding each project to {@code written}; answers what {@code during} answered once every
     * writer has stopped, each of its posts accepted.
     */
    private static <T> T whileWriting(String campaign, Queue<String> written, Callable<T> during) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<Void>> writers = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                writers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        Api.Project project = Api.reserve(campaign, "写入中的项目", "141102", "coal",
                                List.of("special-bond"), "10.00", "5.00", DAY);
                        written.add(project.id());
                        project.post("ProjectSigned", DAY.plusDays(1), Map.of("signedInvestment", "9.00",
                                "investor", "某公司")).post("ConstructionStarted", DAY.plusDays(2), Map.of());
                    }
                    return null;
                }));
            }
            T result = during.call();
            stop.set(true);
            for (Future<Void> writer : writers) {
                writer.get();
            }
            return result;
        } finally {
            stop.set(true);
            pool.shutdown();
        }
    }

    @Test
    void anEventStoredInAnOlderSchemaIsReadThroughItsUpcaster() {
        String campaign = Api.newCampaign();
        String projectId = Api.newProjectId();
        // As a service of schema version 1 would have stored it: one optional `category`, no `categories`.
        Api.sql("WITH e AS (INSERT INTO events (project_id, version, event_id, type, schema_version, occurred_on, "
                + "source, data, request_hash) VALUES ('" + projectId + "', 1, '" + UUID.randomUUID() + "', "
                + "'ProjectReserved', 1, DATE '2023-03-01', 'fgw', '{\"name\": \"旧格式项目\", \"campaignId\": \""
                + campaign + "\", \"regionCode\": \"141102\", \"industryChain\": \"coal\", \"category\": \"special-bond\", "
                + "\"plannedInvestment\": 100.00}', 'v1') RETURNING position) "
                + "INSERT INTO outbox (position, project_id) SELECT position, '" + projectId + "' FROM e; "
                + "INSERT INTO stream_heads (project_id, version, stage) VALUES ('" + projectId + "', 1, 'RESERVED')");

        given().get("/api/v1/projects/{id}/events", projectId).then().statusCode(200)
                .body("[0].schemaVersion", equalTo(2))
                .body("[0].data.categories", equalTo(List.of("special-bond")));
        int version = post(projectId, envelope("ConstructionStarted", LocalDate.of(2023, 4, 1), Map.of()))
                .then().statusCode(201).extract().path("version");
        given().queryParam("waitFor", projectId + ":" + version).get("/api/v1/projects/{id}", projectId).then()
                .statusCode(200).body("categories", equalTo(List.of("special-bond"))).body("stage", equalTo("STARTED"));
        awaitProjected();
        admin().get("/api/v1/admin/projections/check").then().statusCode(200).body("consistent", equalTo(true));
    }

    @Test
    void aRebuildReplacesTheReadModelsWithEqualOnesWhileReadersGoOn() {
        String campaign = Api.newCampaign();
        LocalDate day = LocalDate.of(2024, 7, 1);
        for (int i = 0; i < 12; i++) {
            String projectId = Api.newProjectId();
            post(projectId, envelope("ProjectReserved", day, Api.reservation(campaign, "141130", "solid-waste",
                    List.of("special-bond"), (100 + i) + ".10"))).then().statusCode(201);
            if (i % 2 == 0) {
                post(projectId, envelope("ConstructionStarted", day.plusMonths(1), Map.of())).then().statusCode(201);
            }
            if (i % 6 == 0) {
                post(projectId, envelope("MilestoneRetracted", day.plusMonths(1), Map.of("reason", "误报")))
                        .then().statusCode(201);
            }
        }
        awaitProjected();
        String summary = given().get("/api/v1/campaigns/{id}/summary", campaign).then().extract().asString();
        String timeline = given().get("/api/v1/campaigns/{id}/timeline", campaign).then().extract().asString();
        String progress = given().get("/api/v1/campaigns/{id}/progress", campaign).then().extract().asString();
        String indexes = INDEXES_OF_THE_VIEWS.get();
        JsonPath months = JsonPath.from(timeline);
        assertEquals(12, months.getInt("periods.find { it.period == '2024-07' }.RESERVED.projects"));
        assertEquals(4, months.getInt("periods.find { it.period == '2024-08' }.STARTED.projects"));

        admin().post("/api/v1/admin/projections/rebuild").then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            assertEquals(summary, given().get("/api/v1/campaigns/{id}/summary", campaign).then().extract().asString());
            return "DONE".equals(admin().get("/api/v1/admin/projections").then().extract().path("[1].state"));
        });
        assertEquals(summary, given().get("/api/v1/campaigns/{id}/summary", campaign).then().extract().asString());
        assertEquals(timeline, given().get("/api/v1/campaigns/{id}/timeline", campaign).then().extract().asString());
        assertEquals(progress, given().get("/api/v1/campaigns/{id}/progress", campaign).then().extract().asString());
        // Built after the load into an unlogged table: the new table is logged, with the same indexes and names.
        assertEquals(indexes, INDEXES_OF_THE_VIEWS.get());
        assertEquals("p", Api.sqlValue("SELECT relpersistence FROM pg_class WHERE oid = 'project_view'::regclass"));
        admin().get("/api/v1/admin/projections/check").then().statusCode(200).body("consistent", equalTo(true));

        String projectId = Api.newProjectId();
        int version = post(projectId, envelope("ProjectReserved", day, Api.reservation(campaign, "141130",
                "solid-waste", List.of(), "1"))).then().statusCode(201).extract().path("version");
        given().queryParam("waitFor", projectId + ":" + version).get("/api/v1/campaigns/{id}/summary", campaign)
                .then().body("projects", equalTo(13));
    }
}
