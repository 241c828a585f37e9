package cn.qxqy.pipeline.problem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Clients key on a problem's type: every one they can get is in /q/openapi, and answers carry it. */
@QuarkusTest
class ProblemTypesTest {

    @Test
    void theOpenApiListsEveryProblemType() {
        JsonPath openapi = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        assertThat(openapi.getList("components.schemas.Problem.properties.type.enum", String.class))
                .containsAll(Arrays.stream(ProblemType.values()).map(ProblemType::uri).toList())
                .contains("about:blank");
        assertThat(openapi.getMap("components.schemas.Problem.properties")).containsKeys("title", "status", "detail", "errors");
    }

    @Test
    void aProblemAnswerCarriesItsTypeAndAPlainStatusIsAboutBlank() {
        given().get("/api/v1/campaigns/{id}/summary", "no-such-campaign").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", org.hamcrest.Matchers.equalTo("/problems/unknown-campaign"))
                .body("title", org.hamcrest.Matchers.equalTo("Unknown campaign"));
        given().get("/api/v1/no-such-route").then().statusCode(404)
                .body("type", org.hamcrest.Matchers.equalTo("about:blank"));
    }

    @Test
    void slugsAreTheNamesInKebabCase() {
        assertThat(ProblemType.VERSION_CONFLICT.uri()).isEqualTo("/problems/version-conflict");
        assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::slug).distinct().count())
                .isEqualTo(ProblemType.values().length);
    }
}
