package cn.qxqy.pipeline.report;

import cn.qxqy.pipeline.domain.CampaignEvent.MonthlyReportIssued;
import cn.qxqy.pipeline.domain.StreamKind;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.RecordedEvent;
import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Api.Project;
import cn.qxqy.pipeline.testing.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.department;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A month's report issued, then a correction and a retraction dated inside that month, then a rebuild of the read
 * models: the report stays byte for byte as issued, and its restatement shows what those two changes moved.
 */
@QuarkusTest
class IssuedReportsTest {

    private static final LocalDate MARCH = LocalDate.of(2024, 3, 1);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EventStore store;

    private static Map<String, Object> reservation(String campaign, String planned) {
        return Api.reservation(campaign, "141123", "aluminium-magnesium", List.of("private-capital"), planned);
    }

    private static Response issue(io.restassured.specification.RequestSpecification as, String campaign, String period) {
        return as.contentType(ContentType.JSON).body(Map.of("period", period))
                .post("/api/v1/campaigns/{id}/reports", campaign);
    }

    @Test
    void anIssuedReportStaysAsIssuedThroughLateChangesAndARebuildAndItsRestatementShowsWhatTheyMoved() throws Exception {
        String campaign = Api.newCampaign();
        Project signed = new Project(Api.newProjectId())
                .post("ProjectReserved", MARCH, reservation(campaign, "8000"))
                .post("ProjectSigned", MARCH.plusDays(4), Map.of("signedInvestment", 5000, "investor", "某公司"));
        Project corrected = new Project(Api.newProjectId())
                .post("ProjectReserved", MARCH.plusDays(1), reservation(campaign, "2000"));
        given().queryParam("waitFor", signed.waitFor()).get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(200);
        given().queryParam("waitFor", corrected.waitFor()).get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(200);

        Response issued = issue(department(), campaign, "2024-03");
        assertThat(issued.statusCode()).as(issued.asString()).isEqualTo(201);
        assertThat(issued.jsonPath().getLong("revision")).isEqualTo(1);
        assertThat(issued.jsonPath().getString("asOf")).isEqualTo("2024-03-31");
        assertThat(issued.jsonPath().getString("issuedBy.department")).isEqualTo("fgw");
        String digest = issued.jsonPath().getString("digest");
        String jsonLink = issued.jsonPath().getString("links.json");
        Response asIssued = given().get(jsonLink);
        byte[] json = asIssued.asByteArray();
        byte[] workbook = given().get(issued.jsonPath().getString("links.xlsx")).then().statusCode(200).extract().asByteArray();
        assertThat(sha256(json)).as("the digest is the SHA-256 of the JSON served").isEqualTo(digest);
        assertThat(asIssued.header("ETag")).isEqualTo("\"" + digest + "\"");
        assertThat(JSON.readTree(json).at("/figures/summary/signedInvestment").asText()).isEqualTo("5000.00");
        assertThat(workbook).startsWith('P', 'K');
        given().header("If-None-Match", "\"" + digest + "\"").get(jsonLink).then().statusCode(304);

        // Inside the month, late: project 2's planned investment was 2500 all along, project 1's signing an error.
        corrected.post("ProjectCorrected", MARCH.plusDays(19), Map.of("plannedInvestment", 2500));
        signed.post("MilestoneRetracted", MARCH.plusDays(24), Map.of("reason", "误报"));
        given().queryParam("waitFor", corrected.waitFor()).get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(200);
        given().queryParam("waitFor", signed.waitFor()).get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(200);
        rebuild();

        assertThat(given().get(jsonLink).asByteArray()).as("the JSON after the changes and the rebuild").isEqualTo(json);
        assertThat(given().get(issued.jsonPath().getString("links.xlsx")).asByteArray())
                .as("the workbook after the changes and the rebuild").isEqualTo(workbook);
        assertThat(given().get("/api/v1/campaigns/{id}/reports", campaign).jsonPath().getList("digest"))
                .containsExactly(digest);

        Response restatement = given().get(issued.jsonPath().getString("links.restatement"));
        assertThat(restatement.statusCode()).as(restatement.asString()).isEqualTo(200);
        Map<String, String> differences = new TreeMap<>();
        restatement.jsonPath().getList("changes", Map.class)
                .forEach(change -> differences.put((String) change.get("path"), (String) change.get("difference")));
        assertThat(differences).containsEntry("/figures/summary/signedInvestment", "-5000.00")
                .containsEntry("/figures/summary/plannedInvestment", "500.00")
                .containsEntry("/figures/breakdowns/region/items/141123/plannedInvestment", "500.00")
                .containsEntry("/figures/breakdowns/region/items/141123/signedInvestment", "-5000.00");
        assertThat(differences.keySet()).as("exactly what differs between the issued figures and the reads now")
                .containsExactlyInAnyOrderElementsOf(differingNow(campaign, "2024-03-31", JSON.readTree(json).path("figures")));
        assertThat(differences).doesNotContainKeys("/figures/summary/projects", "/figures/summary/withdrawn");

        List<RecordedEvent> history = store.history(StreamKind.CAMPAIGN.streamId(campaign)).await().atMost(Duration.ofSeconds(10));
        assertThat(history).singleElement().satisfies(event -> {
            assertThat(event.event()).isInstanceOf(MonthlyReportIssued.class);
            assertThat(((MonthlyReportIssued) event.event()).digest()).isEqualTo(digest);
        });
        List<ConsumerRecord<String, String>> published = Topics.records("project-events",
                StreamKind.CAMPAIGN.streamId(campaign), 1);
        assertThat(published).singleElement().satisfies(record -> {
            assertThat(Topics.header(record, "ce_type")).isEqualTo("MonthlyReportIssued");
            assertThat(JSON.readTree(record.value()).at("/data/digest").asText()).isEqualTo(digest);
        });
        assertThat(workbook.length + json.length).as("bytes of a report: far below the producer's 1 MiB").isLessThan(200_000);
    }

    @Test
    void reissuingAMonthMakesTheNextRevisionAndKeepsTheEarlierOne() {
        String campaign = Api.newCampaign();
        assertThat(issue(admin(), campaign, "2024-02").statusCode()).isEqualTo(201);
        Response second = issue(department(), campaign, "2024-02");
        assertThat(second.statusCode()).as(second.asString()).isEqualTo(201);
        assertThat(second.jsonPath().getLong("revision")).isEqualTo(2);
        assertThat(given().get("/api/v1/campaigns/{id}/reports", campaign).jsonPath().getList("revision", Integer.class))
                .containsExactly(2, 1);
    }

    @Test
    void onlyTheCityOrAnAdministratorIssuesAndNothingIsStoredOtherwise() {
        String campaign = Api.newCampaign();
        RestAssured.given().auth().preemptive().basic("xingxian", "xingxian-secret").contentType(ContentType.JSON)
                .body(Map.of("period", "2024-03")).post("/api/v1/campaigns/{id}/reports", campaign)
                .then().statusCode(403);
        issue(given(), campaign, "2024-03").then().statusCode(403);
        assertThat(given().get("/api/v1/campaigns/{id}/reports", campaign).jsonPath().getList("$")).isEmpty();
    }

    @Test
    void aPeriodMalformedNotEndedOrOutsideTheCampaignIsRefusedNamingPeriod() {
        String campaign = Api.newCampaign();
        // The test campaign runs through 2024: 2025-01 has ended but is after its endsOn.
        for (String period : new String[]{"2024-13", "2024-6", "June", Api.TODAY.toString().substring(0, 7), "2023-12",
                "2025-01"}) {
            Response refused = issue(department(), campaign, period);
            assertThat(refused.statusCode()).as(period + ": " + refused.asString()).isEqualTo(400);
            assertThat(refused.jsonPath().getList("errors.field")).as(period).containsExactly("period");
        }
        assertThat(given().get("/api/v1/campaigns/{id}/reports", campaign).jsonPath().getList("$")).isEmpty();
    }

    @Test
    void noDepartmentPostsToACampaignStreamNorACampaignStreamsEventType() {
        String campaign = Api.newCampaign();
        Api.post(StreamKind.CAMPAIGN.streamId(campaign), Api.envelope("ProjectReserved", MARCH, reservation(campaign, "10")))
                .then().statusCode(400);
        Api.post(Api.newProjectId(), Api.envelope("MonthlyReportIssued", MARCH, Map.of("period", "2024-03")))
                .then().statusCode(400);
    }

    /** The paths of the issued figures whose value differs from the campaign's reads now, as the test reads them. */
    /** The leaves of the issued figures that differ from the same reads as of the report's day, known now. */
    private static List<String> differingNow(String campaign, String asOf, JsonNode issued) throws Exception {
        Map<String, JsonNode> now = new TreeMap<>();
        now.put("summary", read("/api/v1/campaigns/" + campaign + "/summary?asOf=" + asOf));
        now.put("progress", read("/api/v1/campaigns/" + campaign + "/progress?asOf=" + asOf));
        now.put("timeline", read("/api/v1/campaigns/" + campaign + "/timeline?granularity=month&asOf=" + asOf));
        Map<String, String> issuedLeaves = new TreeMap<>();
        Map<String, String> nowLeaves = new TreeMap<>();
        for (String by : List.of("region", "chain", "category")) {
            leaves("/figures/breakdowns/" + by, issued.path("breakdowns").path(by), issuedLeaves);
            leaves("/figures/breakdowns/" + by, read("/api/v1/campaigns/" + campaign + "/breakdown?by=" + by + "&asOf=" + asOf),
                    nowLeaves);
        }
        for (Map.Entry<String, JsonNode> read : now.entrySet()) {
            leaves("/figures/" + read.getKey(), issued.path(read.getKey()), issuedLeaves);
            leaves("/figures/" + read.getKey(), read.getValue(), nowLeaves);
        }
        return issuedLeaves.keySet().stream().filter(path -> !same(issuedLeaves.get(path), nowLeaves.get(path))).toList();
    }

    private static JsonNode read(String path) throws Exception {
        return JSON.readTree(given().accept(ContentType.JSON).get(path).then().statusCode(200).extract().asString());
    }

    private static void leaves(String path, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> leaves(path + "/" + f.getKey(), f.getValue(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                String id = item.hasNonNull("key") ? item.get("key").asText() : item.hasNonNull("code")
                        ? item.get("code").asText() : item.hasNonNull("period") ? item.get("period").asText() : "" + i;
                leaves(path + "/" + id, item, out);
            }
        } else if (!node.isNull()) {
            out.put(path, node.asText());
        }
    }

    private static boolean same(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        try {
            return new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
        } catch (NumberFormatException e) {
            return a.equals(b);
        }
    }

    private static void rebuild() throws InterruptedException {
        String before = rebuildRow().path("startedAt").asText("");
        admin().post("/api/v1/admin/projections/rebuild").then().statusCode(202);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode row = rebuildRow();
        while (!("DONE".equals(row.path("state").asText()) && !before.equals(row.path("startedAt").asText("")))) {
            assertThat(System.nanoTime()).as("the rebuild ends within 90 s: " + row).isLessThan(deadline);
            assertThat(row.path("state").asText()).as("the rebuild: " + row).isNotEqualTo("FAILED");
            Thread.sleep(50);
            row = rebuildRow();
        }
    }

    private static JsonNode rebuildRow() {
        try {
            for (JsonNode row : JSON.readTree(admin().accept(ContentType.JSON).get("/api/v1/admin/projections").asString())) {
                if ("rebuild".equals(row.path("name").asText())) {
                    return row;
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no rebuild row");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
