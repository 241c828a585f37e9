package cn.qxqy.pipeline.command;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** How appends share transactions: group commit of concurrent posts, one transaction per batch, state kept with the head. */
@QuarkusTest
class AppendTest {

    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);

    @Test
    void concurrentPostsToOneProjectGetContiguousVersionsInOneOrder() throws Exception {
        String projectId = startedProject();
        int writers = 24;
        List<Callable<Response>> posts = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String period = "2024-" + String.format("%02d", 3 + i % 9);
            posts.add(() -> post(projectId, envelope("InvestmentReported", DAY.plusDays(60),
                    Map.of("period", period, "investmentToDate", "100.00"))));
        }
        List<Long> versions = new ArrayList<>();
        for (Response response : runAll(posts)) {
            assertEquals(201, response.statusCode(), response.asString());
            versions.add(response.jsonPath().getLong("version"));
        }
        versions.sort(null);
        assertEquals(LongStream.rangeClosed(4, 3 + writers).boxed().toList(), versions);
        JsonPath history = Api.department().get("/api/v1/projects/{id}/events", projectId).then().statusCode(200)
                .extract().jsonPath();
        List<Long> positions = history.getList("position", Long.class);
        assertEquals(positions.stream().sorted().toList(), positions, "positions follow versions");
    }

    @Test
    void concurrentPostsToManyProjectsAreAllStored() throws Exception {
        List<Callable<Response>> posts = new ArrayList<>();
        List<String> projects = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String projectId = Api.newProjectId();
            projects.add(projectId);
            posts.add(() -> post(projectId, envelope("ProjectReserved", DAY,
                    Api.reservation(Api.CAMPAIGN, "141102", "coal", List.of("special-bond"), "10.00"))));
        }
        List<Response> responses = runAll(posts);
        for (int i = 0; i < responses.size(); i++) {
            responses.get(i).then().statusCode(201);
            assertEquals(projects.get(i), responses.get(i).jsonPath().getString("projectId"));
            assertEquals("1", Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + projects.get(i) + "'"));
        }
    }

    @Test
    void aBatchDecidesEachItemOnTheStateTheEarlierItemsLeave() {
        String a = Api.newProjectId();
        String unknown = Api.newProjectId();
        Map<String, Object> reserve = item(a, envelope("ProjectReserved", DAY,
                Api.reservation(Api.CAMPAIGN, "141102", "coal", List.of("special-bond"), "500.00")));
        Map<String, Object> reusedId = item(a, envelope("ProjectSigned", DAY, Map.of("signedInvestment", "1", "investor", "x")));
        reusedId.put("eventId", reserve.get("eventId"));
        List<Map<String, Object>> batch = List.of(
                reserve,
                item(a, envelope("ProjectSigned", DAY.plusDays(1), Map.of("signedInvestment", "400.00", "investor", "某公司"))),
                item(unknown, envelope("ConstructionStarted", DAY, Map.of())),
                item(a, envelope("ProjectSigned", DAY.plusDays(2), Map.of("signedInvestment", "1.00", "investor", "又一家"))),
                item(a, envelope("ConstructionStarted", DAY.plusDays(3), Map.of())),
                reserve,
                reusedId);
        JsonPath results = Api.department().body(batch).post("/api/v1/events").then().statusCode(200).extract().jsonPath();

        assertEquals(List.of(201, 201, 404, 409, 201, 200, 409), results.getList("results.status", Integer.class));
        assertEquals(List.of("/problems/unknown-project", "/problems/illegal-transition", "/problems/event-id-reused"),
                List.of(results.getString("results[2].problem.type"), results.getString("results[3].problem.type"),
                        results.getString("results[6].problem.type")), "each refusal names its problem type");
        assertEquals(List.of(1, 2, 3), List.of(results.getInt("results[0].result.version"),
                results.getInt("results[1].result.version"), results.getInt("results[4].result.version")));
        assertEquals(results.getLong("results[0].result.position"), results.getLong("results[5].result.position"),
                "a re-post within the batch answers with the original");
        assertEquals("3", Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + a + "'"));
        assertEquals("0", Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + unknown + "'"));
    }

    @Test
    void aHeadWhoseStateIsMissingOrBehindIsReplayedFromTheHistory() {
        String projectId = startedProject();
        // As a pod of the release before would leave it: the version moved on, the state did not.
        Api.sql("UPDATE stream_heads SET state = NULL, state_version = NULL WHERE project_id = '" + projectId + "'");
        post(projectId, envelope("ProjectCompleted", DAY.plusDays(90), Map.of())).then().statusCode(201)
                .body("version", equalTo(4));
        assertEquals("COMPLETED", Api.sqlValue("SELECT state->>'stage' FROM stream_heads WHERE project_id = '" + projectId + "'"));
        assertEquals("4", Api.sqlValue("SELECT state_version FROM stream_heads WHERE project_id = '" + projectId + "'"));

        Api.sql("UPDATE stream_heads SET state = jsonb_set(state, '{stage}', '\"STARTED\"'), state_version = 3 "
                + "WHERE project_id = '" + projectId + "'");
        // Decided on the stale state, a second completion would pass; replayed, the project is already completed.
        post(projectId, envelope("ProjectCompleted", DAY.plusDays(91), Map.of())).then().statusCode(409);
        post(projectId, envelope("MilestoneRetracted", DAY.plusDays(92), Map.of("reason", "填报错误"))).then()
                .statusCode(201).body("version", equalTo(5));
        assertEquals("STARTED", Api.sqlValue("SELECT state->>'stage' FROM stream_heads WHERE project_id = '" + projectId + "'"));
    }

    private static String startedProject() {
        String projectId = Api.newProjectId();
        post(projectId, envelope("ProjectReserved", DAY, Api.reservation(Api.CAMPAIGN, "141102", "coal",
                List.of("special-bond"), "1000.00"))).then().statusCode(201);
        post(projectId, envelope("ProjectSigned", DAY.plusDays(1), Map.of("signedInvestment", "900.00", "investor", "某公司")))
                .then().statusCode(201);
        post(projectId, envelope("ConstructionStarted", DAY.plusDays(2), Map.of())).then().statusCode(201);
        return projectId;
    }

    private static Map<String, Object> item(String projectId, Map<String, Object> envelope) {
        envelope.put("projectId", projectId);
        return envelope;
    }

    private static List<Response> runAll(List<Callable<Response>> posts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(posts.size());
        try {
            List<Response> responses = new ArrayList<>();
            for (Future<Response> f : pool.invokeAll(posts)) {
                responses.add(f.get());
            }
            return responses;
        } finally {
            pool.shutdown();
        }
    }
}
