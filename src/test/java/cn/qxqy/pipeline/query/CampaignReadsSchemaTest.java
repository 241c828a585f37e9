package cn.qxqy.pipeline.query;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Frontends are generated from /q/openapi: each campaign read names its body's schema, field by field. */
@QuarkusTest
class CampaignReadsSchemaTest {

    private static final Map<String, String> READS = Map.of(
            "/api/v1/campaigns/{campaignId}", "Campaign",
            "/api/v1/campaigns/{campaignId}/summary", "Summary",
            "/api/v1/campaigns/{campaignId}/breakdown", "Breakdown",
            "/api/v1/campaigns/{campaignId}/progress", "Progress",
            "/api/v1/campaigns/{campaignId}/timeline", "Timeline");

    @Test
    void everyCampaignReadAnswersANamedSchemaWithTypedFields() {
        JsonPath openapi = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        READS.forEach((path, schema) -> assertThat(openapi.getString(
                "paths['" + path + "'].get.responses['200'].content['application/json'].schema.$ref"))
                .as(path).isEqualTo("#/components/schemas/" + schema));
        assertThat(openapi.getString(
                "paths['/api/v1/campaigns'].get.responses['200'].content['application/json'].schema.items.$ref"))
                .isEqualTo("#/components/schemas/Campaign");

        Map<String, Object> summary = openapi.getMap("components.schemas.Summary.properties");
        assertThat(summary).containsKeys("campaignId", "projects", "plannedInvestment", "stages");
        assertThat(openapi.getString("components.schemas.Summary.properties.stages.$ref"))
                .isEqualTo("#/components/schemas/Stages");
        assertThat(openapi.getMap("components.schemas.Stages.properties")).containsKeys("RESERVED", "SIGNED", "STARTED",
                "COMPLETED");
        assertThat(openapi.getMap("components.schemas.Period.properties")).containsKeys("period", "RESERVED", "WITHDRAWN");
        assertThat(openapi.getMap("components.schemas.Progress.properties")).containsKeys("targets", "rates");
        Map<String, Object> schemas = openapi.getMap("components.schemas");
        assertThat(schemas).doesNotContainKeys("ObjectNode", "ArrayNode");
    }
}
