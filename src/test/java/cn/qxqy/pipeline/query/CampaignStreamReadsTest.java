package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/** A campaign's own stream (issued reports) is no project: the project reads answer 404 for its id. */
@QuarkusTest
class CampaignStreamReadsTest {

    @Test
    void theProjectReadsOfACampaignStreamsIdAreNotFound() {
        String campaign = Api.newCampaign();
        Api.admin().contentType(ContentType.JSON).body(Map.of("period", "2024-06"))
                .post("/api/v1/campaigns/{id}/reports", campaign).then().statusCode(201);
        String stream = "campaign:" + campaign;

        for (Response answer : new Response[]{
                given().get("/api/v1/projects/{id}", stream),
                given().queryParam("asOf", "2024-06-30").get("/api/v1/projects/{id}", stream),
                given().get("/api/v1/projects/{id}/events", stream),
                Api.admin().get("/api/v1/projects/{id}/events", stream)}) {
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.jsonPath().getString("type")).isEqualTo("/problems/unknown-project");
        }
    }
}
