package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api.Project;
import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.Api.reserve;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class ProjectSearchTest {

    private static final LocalDate DAY = LocalDate.of(2024, 2, 19);

    private String campaign;
    /** Makes the names of this test's projects its own, for searches without a campaign. */
    private String tag;
    private Project aluminium;
    private Project wheels;
    private Project hydrogen;
    private Project road;
    private Project withdrawn;

    @BeforeEach
    void fiveProjectsInTheirOwnCampaign() {
        campaign = Api.newCampaign();
        tag = UUID.randomUUID().toString().substring(0, 6);
        aluminium = reserve(campaign, "吕梁兴县年产10万吨铝镁合金精深加工项目" + tag, "141123", "aluminium-magnesium",
                List.of("private-capital", "chain-extension"), "150000", null, DAY)
                .post("ProjectSigned", DAY.plusDays(5), Map.of("signedInvestment", 150000, "investor", "某铝业"))
                .post("ConstructionStarted", DAY.plusDays(20), Map.of());
        wheels = reserve(campaign, "兴县铝合金轮毂项目" + tag, "141123", "aluminium-magnesium",
                List.of("private-capital"), "60000.50", null, DAY.plusDays(1))
                .post("ConstructionStarted", DAY.plusDays(10), Map.of());
        hydrogen = reserve(campaign, "交城氢能重卡加氢站项目" + tag, "141122", "hydrogen", List.of("special-bond"),
                "8000", null, DAY.plusDays(2))
                .post("ProjectSigned", DAY.plusDays(3), Map.of("signedInvestment", 8000, "investor", "某氢能"));
        road = reserve(campaign, "Lüliang ROAD Upgrade " + tag, "141100", "infrastructure", List.of(),
                "200000", null, DAY.plusDays(3));
        withdrawn = reserve(campaign, "孝义市铝镁退出项目" + tag, "141181", "aluminium-magnesium",
                List.of("private-capital"), "500", null, DAY.plusDays(4))
                .post("ProjectWithdrawn", DAY.plusDays(30), Map.of("reason", "投资方退出"));
        Api.awaitProjected(aluminium, wheels, hydrogen, road, withdrawn);
    }

    private JsonPath search(Map<String, Object> params) {
        Map<String, Object> query = new HashMap<>(params);
        query.putIfAbsent("campaignId", campaign);
        // Filters and sorts over every project, the withdrawn one too (ActiveProjectsTest shows the default).
        query.putIfAbsent("includeWithdrawn", true);
        return given().queryParams(query).get("/api/v1/projects").then().statusCode(200).extract().jsonPath();
    }

    private List<String> ids(Map<String, Object> params) {
        return search(params).getList("items.projectId");
    }

    @Test
    void filtersCombineAndTheTotalCountsEveryMatch() {
        assertEquals(5, search(Map.of()).getLong("total"));
        assertEquals(List.of(aluminium.id(), wheels.id()).stream().sorted().toList(),
                ids(Map.of("regionCode", "141123")));
        assertEquals(List.of(aluminium.id()), ids(Map.of("regionCode", "141123", "stage", "STARTED",
                "category", "chain-extension")));
        assertEquals(List.of(hydrogen.id()), ids(Map.of("industryChain", "hydrogen")));
        assertEquals(List.of(withdrawn.id()), ids(Map.of("stage", "WITHDRAWN")));
        assertEquals(3, search(Map.of("category", "private-capital")).getLong("total"));
        assertEquals(0, search(Map.of("category", "central-budget")).getLong("total"));
        // Totals of one dimension come from the campaign figures; they must agree with the views.
        assertEquals(2, search(Map.of("regionCode", "141123")).getLong("total"));
        assertEquals(1, search(Map.of("industryChain", "hydrogen")).getLong("total"));
        assertEquals(0, search(Map.of("campaignId", "no-such-campaign")).getLong("total"));
    }

    @Test
    void pagesSplitTheMatchesAndEachCarriesTheTotal() {
        List<String> all = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            JsonPath p = search(Map.of("size", 2, "page", page, "sort", "plannedInvestment"));
            assertEquals(5, p.getLong("total"), "page " + page);
            assertEquals(page, p.getInt("page"));
            assertEquals(2, p.getInt("size"));
            all.addAll(p.getList("items.projectId"));
        }
        assertEquals(List.of(withdrawn.id(), hydrogen.id(), wheels.id(), aluminium.id(), road.id()), all);
        JsonPath beyond = search(Map.of("size", 2, "page", 7));
        assertEquals(List.of(), beyond.getList("items"));
        assertEquals(5, beyond.getLong("total"));
    }

    @Test
    void sortsRunEitherWay() {
        assertEquals(List.of(road.id(), aluminium.id(), wheels.id(), hydrogen.id(), withdrawn.id()),
                ids(Map.of("sort", "-plannedInvestment")));
        // Stage dates: hydrogen signed on day 3, road reserved on day 3, wheels started on day 10,
        // aluminium started on day 20, withdrawn on day 30; road and hydrogen tie and go by projectId.
        List<String> tie = List.of(hydrogen.id(), road.id()).stream().sorted().toList();
        List<String> ascending = new ArrayList<>(tie);
        ascending.addAll(List.of(wheels.id(), aluminium.id(), withdrawn.id()));
        assertEquals(ascending, ids(Map.of("sort", "stageDate")));
        List<String> descending = new ArrayList<>(ascending);
        java.util.Collections.reverse(descending);
        assertEquals(descending, ids(Map.of("sort", "-stageDate")));
        List<String> byName = ids(Map.of("sort", "name"));
        assertEquals(road.id(), byName.get(0), "Latin letters sort before Han characters");
        assertEquals(5, byName.size());
        List<String> byNameDescending = ids(Map.of("sort", "-name"));
        java.util.Collections.reverse(byNameDescending);
        assertEquals(byName, byNameDescending);
    }

    @Test
    void qFindsChineseTextAnywhereInTheName() {
        // Two characters: no trigram, a scan; three or more: the trigram index.
        assertEquals(List.of(aluminium.id(), withdrawn.id()).stream().sorted().toList(), ids(Map.of("q", "铝镁")));
        assertEquals(List.of(aluminium.id()), ids(Map.of("q", "镁合金精深")));
        assertEquals(List.of(wheels.id()), ids(Map.of("q", "铝合")));
        assertEquals(List.of(hydrogen.id()), ids(Map.of("q", "加氢站项目" + tag)));
        assertEquals(List.of(), ids(Map.of("q", "铝镁氢")));
        // Without a campaign: the tag makes the names this test's own.
        assertEquals(List.of(aluminium.id()), ids(Map.of("q", "精深加工项目" + tag, "campaignId", "")));
    }

    @Test
    void qIgnoresCaseAndTakesWildcardsLiterally() {
        assertEquals(List.of(road.id()), ids(Map.of("q", "road upgrade")));
        assertEquals(List.of(road.id()), ids(Map.of("q", "üLIANG")));
        assertEquals(List.of(road.id()), ids(Map.of("q", "rO")));
        assertEquals(List.of(road.id()), ids(Map.of("q", "D U")), "no trigram, but the pairs 'd ' and ' u'");
        assertEquals(List.of(), ids(Map.of("q", "%")));
        assertEquals(List.of(), ids(Map.of("q", "铝_")));
        assertEquals(5, search(Map.of("q", "  ")).getLong("total"), "a blank q filters nothing");
    }

    @Test
    void badParametersAreA400NamingEachOne() {
        given().queryParams(Map.of("page", -1, "size", 201, "sort", "-colour", "stage", "DONE",
                        "q", "铝".repeat(101)))
                .get("/api/v1/projects").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("page", "size", "sort", "stage", "q")));
        given().queryParam("size", "abc").get("/api/v1/projects").then().statusCode(400)
                .body("errors.field", equalTo(List.of("size")));
        given().queryParam("sort", "stagedate").get("/api/v1/projects").then().statusCode(400)
                .body("errors.field", hasItem("sort"));
        given().queryParam("size", 0).get("/api/v1/projects").then().statusCode(400)
                .body("errors.field", equalTo(List.of("size")));
    }
}
