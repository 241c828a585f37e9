package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Api.Project;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Every read on the two axes refuses a bad asOf or knownAt with a 400 naming it, in English and in Chinese. */
@QuarkusTest
class TimeAxesValidationTest {

    private static final String HAN = ".*\\p{IsHan}.*";

    @Test
    void aMalformedOrFutureValueOfEitherAxisIsA400NamingItOnEveryRead() {
        String campaign = Api.newCampaign();
        Project project = Api.reserve(campaign, "中阳特钢项目", "141129", "special-steel", List.of(), "90", null,
                LocalDate.of(2024, 5, 6));
        Api.awaitProjected(project);
        String tomorrow = Api.TODAY.plusDays(1).toString();
        String inAnHour = OffsetDateTime.now(ZoneOffset.ofHours(8)).plusHours(1).toString();
        Map<String, Map<String, String>> refused = Map.of(
                "asOf", Map.of("malformed", "2024-13-01", "future", tomorrow, "before any event", "1999-12-31",
                        "first day", "0001-01-01", "far past", "-999999999-01-02"),
                "knownAt", Map.of("malformed", "2024-06-30", "future", inAnHour,
                        "far past", "-999999999-01-02T00:00:00Z"));

        for (String read : reads(campaign, project)) {
            for (Map.Entry<String, Map<String, String>> axis : refused.entrySet()) {
                for (Map.Entry<String, String> value : axis.getValue().entrySet()) {
                    String what = read + " " + axis.getKey() + " " + value.getKey();
                    JsonPath english = refusal(given().queryParam(axis.getKey(), value.getValue()).get(read), what);
                    JsonPath chinese = refusal(given().header("Accept-Language", "zh")
                            .queryParam(axis.getKey(), value.getValue()).get(read), what);

                    assertThat(english.getList("errors.field")).as(what).containsExactly(axis.getKey());
                    assertThat(chinese.getList("errors.field")).as(what).containsExactly(axis.getKey());
                    assertThat(english.getString("errors[0].message")).as(what).doesNotMatch(HAN);
                    assertThat(chinese.getString("errors[0].message")).as(what).matches(HAN);
                }
            }
        }
    }

    @Test
    void anAsOfBeforeTheCampaignStartsIsA400NamingAsOfOnEveryReadOfTheCampaign() {
        String campaign = Api.newCampaign();
        List<String> reads = List.of("/summary", "/breakdown?by=chain", "/progress", "/timeline", "/rankings",
                "/projects.xlsx", "/projects.csv", "/report.xlsx", "/report.csv");
        for (String read : reads) {
            String path = "/api/v1/campaigns/" + campaign + read;
            JsonPath english = refusal(given().queryParam("asOf", "2023-12-31").get(path), read);
            JsonPath chinese = refusal(given().header("Accept-Language", "zh").queryParam("asOf", "2023-12-31")
                    .get(path), read);

            assertThat(english.getList("errors.field")).as(read).containsExactly("asOf");
            assertThat(english.getString("errors[0].message")).as(read)
                    .isEqualTo("must not be before the campaign starts on 2024-01-01");
            assertThat(chinese.getString("errors[0].message")).as(read).isEqualTo("不能早于会战开始日期 2024-01-01");
            given().queryParam("asOf", "2024-01-01").get(path).then().statusCode(200);
        }
        JsonPath search = refusal(given().queryParam("campaignId", campaign).queryParam("asOf", "2023-12-31")
                .get("/api/v1/projects"), "search");
        assertThat(search.getList("errors.field")).containsExactly("asOf");
        JsonPath withKnownAt = refusal(given().queryParam("asOf", "2023-12-31")
                .queryParam("knownAt", KnownAtReadsTest.knownAtNow()).get("/api/v1/campaigns/" + campaign + "/summary"),
                "summary known now");
        assertThat(withKnownAt.getList("errors.field")).containsExactly("asOf");
    }

    private static List<String> reads(String campaign, Project project) {
        String base = "/api/v1/campaigns/" + campaign;
        return List.of(base + "/summary", base + "/breakdown?by=region", base + "/progress", base + "/timeline",
                base + "/rankings", "/api/v1/projects?campaignId=" + campaign, "/api/v1/projects", "/api/v1/projects/" + project.id(),
                base + "/projects.xlsx", base + "/projects.csv", base + "/report.xlsx", base + "/report.csv");
    }

    private static JsonPath refusal(Response response, String what) {
        assertThat(response.statusCode()).as(what).isEqualTo(400);
        JsonPath problem = new JsonPath(response.asString());
        assertThat(problem.getString("type")).as(what).endsWith("/problems/invalid-query");
        return problem;
    }
}
