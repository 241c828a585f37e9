package cn.qxqy.pipeline.reference;

import cn.qxqy.pipeline.domain.EventTypes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The reference lists, from the cache of the codes that events are checked against. */
@QuarkusTest
class ReferenceListsTest {

    @Test
    void eachListComesInItsOrderWithBothNames() {
        JsonPath regions = given().get("/api/v1/reference/regions").then().statusCode(200).extract().jsonPath();
        assertThat(regions.getList("code")).hasSize(14).startsWith("141100", "141102").endsWith("141182");
        assertThat(regions.getString("[1].nameZh")).isEqualTo("离石区");
        assertThat(regions.getString("[1].nameEn")).isEqualTo("Lishi District");

        assertThat(given().get("/api/v1/reference/stages").then().statusCode(200).extract().jsonPath().getList("code"))
                .containsExactly("RESERVED", "SIGNED", "STARTED", "COMPLETED", "WITHDRAWN");
        assertThat(given().get("/api/v1/reference/industry-chains").then().statusCode(200).extract().jsonPath()
                .getList("code")).hasSize(13).startsWith("coal", "hydrogen");
        assertThat(given().get("/api/v1/reference/categories").then().statusCode(200).extract().jsonPath()
                .getList("code")).contains("special-bond", "private-capital");
    }

    @Test
    void theEventTypesAreNamedFromTheRegistry() {
        JsonPath types = given().get("/api/v1/reference/event-types").then().statusCode(200).extract().jsonPath();
        assertThat(types.getList("code")).containsExactlyElementsOf(EventTypes.NAMES);
        assertThat(types.getList("nameZh", String.class)).doesNotContainNull().doesNotHaveDuplicates()
                .contains("储备入库", "签约", "开工", "竣工", "退出");
        assertThat(types.getString("[0].nameEn")).isEqualTo("Reserved");
    }

    @Test
    void anUnknownListIsA404Problem() {
        given().get("/api/v1/reference/provinces").then().statusCode(404)
                .contentType("application/problem+json").body("title", equalTo("Unknown reference list"));
    }
}
