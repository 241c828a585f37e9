package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Api.Project;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project search and the list export as of a day: SQL over the views without knownAt, the replay with it, the
 * same answers either way.
 */
@QuarkusTest
class AsOfSearchTest {

    private static final String XING = "141123";
    private static final String LIN = "141124";

    private String campaign;
    private Project signedInMay;
    private Project movedInJune;
    private Project reservedInJuly;

    /** Every search twice: as of the day alone, and as known now, which the replay answers. */
    private List<UnaryOperator<RequestSpecification>> paths;

    @BeforeEach
    void projects() {
        campaign = Api.newCampaign();
        signedInMay = Api.reserve(campaign, "A 兴县特钢项目", XING, "special-steel", List.of("special-bond"), "500", null,
                        LocalDate.of(2024, 3, 10))
                .post("ProjectSigned", LocalDate.of(2024, 5, 15), Map.of("signedInvestment", 450, "investor", "某钢铁"))
                .post("ConstructionStarted", LocalDate.of(2024, 6, 20), Map.of());
        movedInJune = Api.reserve(campaign, "B 兴县文旅项目", XING, "culture-tourism", List.of(), "300", null,
                        LocalDate.of(2024, 4, 1))
                .post("ProjectCorrected", LocalDate.of(2024, 6, 10), Map.of("regionCode", LIN));
        reservedInJuly = Api.reserve(campaign, "C 临县氢能项目", LIN, "hydrogen", List.of(), "200", null,
                LocalDate.of(2024, 7, 1));
        Project withdrawnInMay = Api.reserve(campaign, "D 临县煤化工项目", LIN, "coal-chemical", List.of(), "100", null,
                        LocalDate.of(2024, 3, 1))
                .post("ProjectWithdrawn", LocalDate.of(2024, 5, 20), Map.of("reason", "不再建设"));
        Api.awaitProjected(signedInMay, movedInJune, reservedInJuly, withdrawnInMay);
        String now = KnownAtReadsTest.knownAtNow();
        paths = List.of(request -> request, request -> request.queryParam("knownAt", now));
    }

    @Test
    void asOfADayOnlyTheProjectsReservedByThenAreFoundInTheStageTheyHadThen() {
        for (UnaryOperator<RequestSpecification> path : paths) {
            JsonPath may = search(path, Map.of("asOf", "2024-05-31"));
            assertThat(may.getList("items.projectId")).containsExactlyInAnyOrder(signedInMay.id(), movedInJune.id());
            assertThat(may.getString("items.find { it.projectId == '" + signedInMay.id() + "' }.stage"))
                    .isEqualTo("SIGNED");
            assertThat(may.getString("items.find { it.projectId == '" + signedInMay.id() + "' }.startedOn")).isNull();
            assertThat(may.getString("items.find { it.projectId == '" + movedInJune.id() + "' }.stage"))
                    .isEqualTo("RESERVED");
            assertThat(may.getLong("total")).isEqualTo(2);
            assertThat(may.getLong("withdrawn")).isEqualTo(1);

            assertThat(search(path, Map.of("asOf", "2024-05-31", "stage", "STARTED")).getList("items")).isEmpty();
            assertThat(search(path, Map.of("asOf", "2024-06-30", "stage", "STARTED")).getList("items.projectId"))
                    .containsExactly(signedInMay.id());
            assertThat(search(path, Map.of("asOf", "2024-04-30", "stage", "WITHDRAWN")).getList("items")).isEmpty();
        }
    }

    @Test
    void aProjectMovedToAnotherCountyIsFoundInTheCountyItWasInOnTheDay() {
        for (UnaryOperator<RequestSpecification> path : paths) {
            JsonPath may = search(path, Map.of("asOf", "2024-05-31", "regionCode", XING));
            assertThat(may.getList("items.projectId")).containsExactlyInAnyOrder(signedInMay.id(), movedInJune.id());
            assertThat(may.getList("items.regionCode")).containsOnly(XING);
            assertThat(search(path, Map.of("asOf", "2024-06-30", "regionCode", XING)).getList("items.projectId"))
                    .containsExactly(signedInMay.id());
            JsonPath july = search(path, Map.of("asOf", "2024-07-31", "regionCode", LIN));
            assertThat(july.getList("items.projectId")).containsExactlyInAnyOrder(movedInJune.id(), reservedInJuly.id());
            assertThat(july.getList("items.regionCode")).containsOnly(LIN);
        }
    }

    @Test
    void pagesOfASearchAsOfADayFollowTheirCursorsInTheSortedOrder() {
        for (UnaryOperator<RequestSpecification> path : paths) {
            List<String> found = new ArrayList<>();
            JsonPath page = search(path, Map.of("asOf", "2024-06-30", "sort", "-startedOn", "size", "1"));
            assertThat(page.getLong("total")).isEqualTo(2);
            found.addAll(page.getList("items.projectId"));
            while (page.getString("next") != null) {
                page = search(path, Map.of("asOf", "2024-06-30", "sort", "-startedOn", "size", "1",
                        "cursor", page.getString("next")));
                found.addAll(page.getList("items.projectId"));
            }
            // Started by then first, the one not started after it; the one reserved in July not at all.
            assertThat(found).containsExactly(signedInMay.id(), movedInJune.id());

            JsonPath second = search(path, Map.of("asOf", "2024-06-30", "sort", "name", "size", "1", "page", "1"));
            assertThat(second.getList("items.projectId")).containsExactly(movedInJune.id());
            assertThat(second.getString("next")).isNull();
        }
    }

    @Test
    void theListExportAsOfADaySaysSoInItsTitleAndListsTheProjectsThen() {
        String now = KnownAtReadsTest.knownAtNow();
        String asOf = given().queryParam("asOf", "2024-05-31")
                .get("/api/v1/campaigns/{id}/projects.csv", campaign).then().statusCode(200).extract().asString();
        assertThat(asOf.lines().findFirst().orElseThrow()).contains("数据截至 2024-05-31 23:59:59")
                .doesNotContain("已记录");
        assertThat(asOf).contains("共 2 个项目").contains(signedInMay.id()).doesNotContain(reservedInJuly.id());

        String known = given().queryParam("asOf", "2024-05-31").queryParam("knownAt", now)
                .get("/api/v1/campaigns/{id}/projects.csv", campaign).then().statusCode(200).extract().asString();
        assertThat(known.lines().findFirst().orElseThrow()).contains("数据截至 2024-05-31 23:59:59").contains("已记录的数据");
        assertThat(known).contains("共 2 个项目").contains(movedInJune.id());

        String report = given().queryParam("asOf", "2024-06-30").get("/api/v1/campaigns/{id}/report.csv", campaign)
                .then().statusCode(200).extract().asString();
        assertThat(report.lines().findFirst().orElseThrow()).contains("数据截至 2024-06-30 23:59:59");
    }

    private JsonPath search(UnaryOperator<RequestSpecification> path, Map<String, String> parameters) {
        return path.apply(given().queryParam("campaignId", campaign).queryParams(parameters)).get("/api/v1/projects")
                .then().statusCode(200).extract().jsonPath();
    }
}
