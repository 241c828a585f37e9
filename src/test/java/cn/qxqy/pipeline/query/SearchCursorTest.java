package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api.Project;
import cn.qxqy.pipeline.testing.Api;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.Api.reserve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SearchCursorTest {

    private static final LocalDate DAY = LocalDate.of(2024, 3, 4);
    private static final List<String> SORTS = List.of("name", "plannedInvestment", "stageDate", "reservedOn",
            "signedOn", "startedOn", "completedOn", "projectId");
    private static final ObjectMapper JSON = new ObjectMapper();

    private String campaign;
    /** The projects signed on no day: they come last in a signedOn sort either way. */
    private List<String> unsigned;

    /**
     * Eight projects with ties in every sort key: two names twice, 100 three times and 250.50 twice, three stage dates
     * on one day; four are signed (two on the same day), four never.
     */
    @BeforeEach
    void eightProjectsWithTiesAndMissingDates() {
        campaign = Api.newCampaign();
        String tag = UUID.randomUUID().toString().substring(0, 6);
        Project alloy = reserve(campaign, "铝镁合金项目" + tag, "141123", "aluminium-magnesium",
                List.of("private-capital"), "100", null, DAY)
                .post("ProjectSigned", DAY.plusDays(5), Map.of("signedInvestment", 100, "investor", "某铝业"));
        Project alloyTwin = reserve(campaign, "铝镁合金项目" + tag, "141123", "aluminium-magnesium",
                List.of("private-capital"), "100", null, DAY)
                .post("ProjectSigned", DAY.plusDays(5), Map.of("signedInvestment", 100, "investor", "某铝业"));
        Project beta = reserve(campaign, "Beta " + tag, "141122", "hydrogen", List.of(), "250.50", null,
                DAY.plusDays(1));
        Project charlie = reserve(campaign, "Charlie " + tag, "141122", "hydrogen", List.of(), "100", null,
                DAY.plusDays(1));
        Project betaTwin = reserve(campaign, "Beta " + tag, "141100", "infrastructure", List.of("special-bond"),
                "99.99", null, DAY.plusDays(2))
                .post("ProjectSigned", DAY.plusDays(3), Map.of("signedInvestment", 99.99, "investor", "某公司"))
                .post("ConstructionStarted", DAY.plusDays(5), Map.of());
        Project delta = reserve(campaign, "Delta " + tag, "141100", "infrastructure", List.of(), "1000", null,
                DAY.plusDays(3))
                .post("ProjectWithdrawn", DAY.plusDays(6), Map.of("reason", "投资方退出"));
        Project echo = reserve(campaign, "Echo " + tag, "141123", "hydrogen", List.of(), "250.50", null, DAY);
        Project hydrogen = reserve(campaign, "氢能项目" + tag, "141123", "hydrogen", List.of(), "5", null,
                DAY.plusDays(2))
                .post("ProjectSigned", DAY.plusDays(4), Map.of("signedInvestment", 5, "investor", "某氢能"));
        Api.awaitProjected(alloy, alloyTwin, beta, charlie, betaTwin, delta, echo, hydrogen);
        unsigned = Stream.of(beta, charlie, delta, echo).map(Project::id).sorted().toList();
    }

    private JsonPath search(Map<String, Object> params) {
        Map<String, Object> query = new HashMap<>(params);
        query.putIfAbsent("campaignId", campaign);
        // Filters and sorts over every project, the withdrawn one too (ActiveProjectsTest shows the default).
        query.putIfAbsent("includeWithdrawn", true);
        return given().queryParams(query).get("/api/v1/projects").then().statusCode(200).extract().jsonPath();
    }

    /** The pages counted from 0 up to the first empty one; each but the last one's next is a cursor. */
    private List<List<String>> pagesByNumber(String sort, int size) {
        List<List<String>> pages = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonPath p = search(Map.of("sort", sort, "size", size, "page", page));
            List<String> items = p.getList("items.projectId");
            if (items.isEmpty()) {
                assertNull(p.get("next"), sort + ": no next after the end");
                return pages;
            }
            pages.add(items);
            assertEquals((page + 1) * size < 8, p.get("next") != null,
                    sort + ", page " + page + ": a next exactly when projects follow");
        }
    }

    /** The pages from the first, following each page's next until there is none. */
    private List<List<String>> pagesByCursor(String sort, int size) {
        List<List<String>> pages = new ArrayList<>();
        JsonPath p = search(Map.of("sort", sort, "size", size));
        while (true) {
            assertEquals(pages.size(), p.getInt("page"), sort + ": a page after a cursor is numbered");
            assertEquals(8, p.getLong("total"), sort + ": the total counts every match");
            pages.add(p.getList("items.projectId"));
            String next = p.get("next");
            if (next == null) {
                return pages;
            }
            p = search(Map.of("sort", sort, "size", size, "cursor", next));
        }
    }

    @Test
    void followingTheCursorGivesTheSamePagesAsCountingThemInEverySortAndDirection() {
        for (String name : SORTS) {
            for (String sort : List.of(name, "-" + name)) {
                List<String> all = search(Map.of("sort", sort, "size", 200)).getList("items.projectId");
                assertEquals(8, all.size());
                // Size 1 ends a page inside every tie and at the boundary between dated and undated projects.
                for (int size : List.of(1, 3, 8)) {
                    List<List<String>> byNumber = pagesByNumber(sort, size);
                    assertEquals(byNumber, pagesByCursor(sort, size), sort + ", size " + size);
                    assertEquals(all, byNumber.stream().flatMap(List::stream).toList(), sort + ", size " + size);
                }
            }
        }
    }

    @Test
    void undatedProjectsComeLastEitherWayAndTheCursorCrossesIntoThem() {
        for (String sort : List.of("signedOn", "-signedOn")) {
            List<String> walked = pagesByCursor(sort, 1).stream().flatMap(List::stream).toList();
            List<String> expected = new ArrayList<>(unsigned);
            if (sort.startsWith("-")) {
                expected.sort(Comparator.reverseOrder());
            }
            assertEquals(expected, walked.subList(4, 8), sort);
        }
    }

    @Test
    void theNextOfACountedPageCarriesOnFromThereAtAnySize() {
        JsonPath second = search(Map.of("sort", "-plannedInvestment", "size", 3, "page", 1));
        JsonPath rest = search(Map.of("sort", "-plannedInvestment", "size", 5, "cursor", second.getString("next")));
        List<String> all = search(Map.of("sort", "-plannedInvestment")).getList("items.projectId");
        assertEquals(all.subList(6, 8), rest.getList("items.projectId"));
        assertEquals(1, rest.getInt("page"), "6 projects before it, 5 a page");
        assertNull(rest.get("next"));
    }

    private void refused(Map<String, Object> params, String field) {
        Map<String, Object> query = new HashMap<>(params);
        query.putIfAbsent("campaignId", campaign);
        query.putIfAbsent("includeWithdrawn", true);
        ExtractableResponse<Response> response = given().queryParams(query).get("/api/v1/projects").then().extract();
        assertEquals(400, response.statusCode(), query.toString());
        assertTrue(response.contentType().startsWith("application/problem+json"), query.toString());
        assertEquals(List.of(field), response.jsonPath().getList("errors.field"), query.toString());
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The cursor with one value of its JSON array replaced by the given JSON text, kept as written (a lone surrogate
     * escape would not survive a round trip through Java): the test knows the layout, a client need not.
     */
    private static String edited(String cursor, int index, String json) throws Exception {
        List<String> values = new ArrayList<>();
        JSON.readTree(Base64.getUrlDecoder().decode(cursor)).forEach(value -> values.add(value.toString()));
        values.set(index, json);
        return base64("[" + String.join(",", values) + "]");
    }

    @Test
    void aCursorThatNoPageOfTheSearchGaveIsA400NamingIt() throws Exception {
        String amounts = search(Map.of("sort", "plannedInvestment", "size", 2)).getString("next");
        String dates = search(Map.of("sort", "signedOn", "size", 2)).getString("next");
        assertNotNull(amounts);
        assertNotNull(dates);
        // An empty cursor never reaches the resource: Quarkus REST passes cursor= as absent, a first page.
        for (String cursor : List.of(" ", "not base64!", "A".repeat(3000), "\u0000", amounts + "\u0000",
                amounts.substring(0, amounts.length() - 3), base64("not json"), base64("{}"), base64("[]"),
                base64("[".repeat(1200)), base64(new String(Base64.getUrlDecoder().decode(amounts),
                        StandardCharsets.UTF_8) + " []"),
                edited(amounts, 3, "\"abc\""), edited(amounts, 3, "100"), edited(amounts, 3, "null"),
                edited(amounts, 3, "\"1E+999999999\""), edited(amounts, 4, "\"Q-\\u0000\""),
                edited(amounts, 4, "\"Q-\\ud800\""), edited(amounts, 4, "7"), edited(amounts, 2, "-1"),
                edited(amounts, 2, "\"2\""), edited(amounts, 2, "1.5"), edited(amounts, 0, "\"colour\""))) {
            refused(Map.of("sort", "plannedInvestment", "size", 2, "cursor", cursor), "cursor");
        }
        for (String key : List.of("\"2024-02-30\"", "\"+99999-01-01\"", "\"2024-3-4\"", "\"4 March\"")) {
            refused(Map.of("sort", "signedOn", "size", 2, "cursor", edited(dates, 3, key)), "cursor");
        }
    }

    @Test
    void aCursorOfAnotherSortOrOtherFiltersIsA400NamingIt() {
        String next = search(Map.of("sort", "plannedInvestment", "size", 2)).getString("next");
        refused(Map.of("sort", "-plannedInvestment", "size", 2, "cursor", next), "cursor");
        refused(Map.of("sort", "name", "size", 2, "cursor", next), "cursor");
        refused(Map.of("size", 2, "cursor", next), "cursor");
        refused(Map.of("sort", "plannedInvestment", "regionCode", "141123", "cursor", next), "cursor");
        refused(Map.of("sort", "plannedInvestment", "campaignId", "", "cursor", next), "cursor");
        refused(Map.of("sort", "plannedInvestment", "q", "Beta", "cursor", next), "cursor");
    }

    @Test
    void aPageNumberWithACursorIsA400NamingThePage() {
        String next = search(Map.of("size", 2)).getString("next");
        refused(Map.of("size", 2, "page", 1, "cursor", next), "page");
        refused(Map.of("size", 2, "page", 0, "cursor", next), "page");
    }
}
