package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.it.Api;
import io.restassured.RestAssured;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;

/** What the query tests do over HTTP, as a department system, an administrator or a reader would. */
final class Requests {

    private Requests() {
    }

    /** A campaign of the test's own, created through the admin API, so that its figures are the test's alone. */
    static String newCampaign() {
        String campaignId = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Api.admin().body(Map.of("nameZh", "测试会战", "nameEn", "Test campaign", "year", 2024, "cityCode", "141100"))
                .put("/api/v1/admin/campaigns/{id}", campaignId).then().statusCode(201);
        return campaignId;
    }

    static String newProjectId() {
        return "Q-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** A project under way, event by event, through the ingest API; answers the version it reached. */
    static final class Project {
        private final String projectId;
        private int version;

        Project(String projectId) {
            this.projectId = projectId;
        }

        String id() {
            return projectId;
        }

        Project post(String type, LocalDate occurredOn, Map<String, Object> data) {
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("eventId", UUID.randomUUID().toString());
            envelope.put("type", type);
            envelope.put("occurredOn", occurredOn.toString());
            envelope.put("data", data);
            version++;
            Api.department().body(envelope).post("/api/v1/projects/{id}/events", projectId).then().statusCode(201)
                    .body("version", equalTo(version));
            return this;
        }

        /** Read-your-writes: answers once the read models include this project's last event. */
        String waitFor() {
            return projectId + ":" + version;
        }
    }

    static Project reserve(String campaignId, String name, String regionCode, String chain, List<String> categories,
                           String plannedInvestment, String annualPlannedInvestment, LocalDate on) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", name);
        data.put("campaignId", campaignId);
        data.put("regionCode", regionCode);
        data.put("industryChain", chain);
        data.put("categories", categories);
        data.put("plannedInvestment", new BigDecimal(plannedInvestment));
        if (annualPlannedInvestment != null) {
            data.put("annualPlannedInvestment", new BigDecimal(annualPlannedInvestment));
        }
        return new Project(newProjectId()).post("ProjectReserved", on, data);
    }

    /** Waits until the read models include every given project's last event. */
    static void awaitProjected(Project... projects) {
        for (Project p : projects) {
            RestAssured.given().queryParam("waitFor", p.waitFor()).get("/api/v1/projects/{id}", p.id())
                    .then().statusCode(200);
        }
    }
}
