package cn.qxqy.pipeline.it;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.awaitProjected;
import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.Api.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Stored events of an older shape, the consistency check, the rebuild and the timeline. */
@QuarkusTest
class ProjectionMaintenanceTest {

    private static final Supplier<String> INDEXES_OF_THE_VIEWS = () -> Api.sqlValue("SELECT string_agg(indexname || ' "
            + "' || regexp_replace(indexdef, 'INDEX \\S+ ON', 'INDEX ON'), E'\\n' ORDER BY indexname) FROM pg_indexes "
            + "WHERE tablename = 'project_view'");

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
