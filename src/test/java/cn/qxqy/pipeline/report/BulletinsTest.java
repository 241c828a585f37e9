package cn.qxqy.pipeline.report;

import cn.qxqy.pipeline.campaign.Campaigns;
import cn.qxqy.pipeline.campaign.CountyShares;
import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Api.Project;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.PrintSetup;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.department;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 通报 workbook against the rankings read it is made from, cell for cell; its print set-up; an issued 通报 kept
 * byte for byte while later events move the ranks; who may issue it, and for which month.
 */
@QuarkusTest
class BulletinsTest {

    private static final LocalDate MARCH = LocalDate.of(2024, 3, 1);
    private static final String AS_OF = "2024-06-30";
    private static final Map<String, String> COLOURS = Map.of("green", "63BE7B", "blue", "9BC2E6", "yellow", "FFEB84",
            "red", "F8696B");

    @Inject
    Campaigns campaigns;

    /** 兴县's signed project of {@link #rankedCampaign()}, which a test withdraws late. */
    private Project xingxianWithdrawn;

    @Test
    void theWorkbookShowsEveryCountyOfEveryRankingAsTheRankingsReadAnswersAndPrintsOnA4Landscape() throws Throwable {
        String campaign = rankedCampaign();
        JsonPath rankings = given().queryParam("asOf", AS_OF).get("/api/v1/campaigns/{id}/rankings", campaign)
                .then().statusCode(200).extract().jsonPath();
        Response file = given().queryParam("asOf", AS_OF).get("/api/v1/campaigns/{id}/bulletin.xlsx", campaign);
        assertThat(file.statusCode()).as(file.asString()).isEqualTo(200);
        assertThat(file.header("Content-Disposition")).contains(campaign + "-bulletin-20240630.xlsx",
                URLEncoder.encode("测试会战-排名通报-20240630.xlsx", StandardCharsets.UTF_8));

        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(file.asByteArray()))) {
            assertThat(workbook.getSheet("排名").getRow(0).getCell(0).getStringCellValue())
                    .contains("测试会战", "排名", "数据截至 2024-06-30");
            Sheet sheet = workbook.getSheet("排名");
            List<Row> rows = new ArrayList<>();
            sheet.forEach(rows::add);
            Row schedule = rows.get(2);
            assertThat(text(schedule.getCell(0))).isEqualTo("时序进度");
            assertThat(text(schedule.getCell(2))).isEqualTo("截至 " + rankings.getString("day"));
            assertThat(text(schedule.getCell(4))).isEqualTo(rankings.getString("schedule.elapsedDays") + "/"
                    + rankings.getString("schedule.totalDays") + " 天");
            assertThat(schedule.getCell(5).getNumericCellValue())
                    .isEqualTo(rankings.getDouble("schedule.percentage"));

            int bands = 0;
            List<Map<String, Object>> targets = rankings.getList("targets");
            assertThat(targets).hasSize(3);
            for (Map<String, Object> target : targets) {
                boolean counting = "projects".equals(target.get("unit"));
                String name = target.get("nameZh") + (counting ? "（个）" : "（万元）");
                List<Row> block = rows.stream().filter(r -> name.equals(text(r.getCell(0)))).toList();
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> counties = (List<Map<String, Object>>) target.get("counties");
                assertThat(block).as(name + ": the counties, the city level, the shares' total, target, difference")
                        .hasSize(counties.size() + 4);
                for (int i = 0; i < counties.size(); i++) {
                    Map<String, Object> county = counties.get(i);
                    Row row = block.get(i);
                    String where = name + " " + county.get("nameZh");
                    assertThat(text(row.getCell(2))).as(where).isEqualTo(county.get("nameZh"));
                    assertThat(text(row.getCell(1))).as(where + " rank")
                            .isEqualTo(county.get("rank") == null ? "—" : county.get("rank").toString());
                    assertThat(text(row.getCell(3))).as(where + " share").isEqualTo(county.get("share") == null ? "—"
                            : plain(county.get("share")));
                    assertThat(text(row.getCell(4))).as(where + " reached").isEqualTo(plain(county.get("reached")));
                    assertThat(text(row.getCell(5))).as(where + " completion rate")
                            .isEqualTo(plain(county.get("completionRate")));
                    assertThat(text(row.getCell(6))).as(where + " ratio to schedule")
                            .isEqualTo(plain(county.get("ratioToSchedule")));
                    assertThat(text(row.getCell(8))).as(where + " previous rank")
                            .isEqualTo(plain(county.get("previousRank")));
                    assertThat(text(row.getCell(9))).as(where + " rank change")
                            .isEqualTo(change(county.get("rank"), county.get("rankChange")));
                    if (county.get("band") == null) {
                        assertThat(row.getCell(7)).as(where + " band").isNull();
                    } else {
                        bands++;
                        Cell band = row.getCell(7);
                        assertThat(band.getStringCellValue()).as(where + " band's word").isEqualTo(county.get("bandZh"));
                        XSSFCellStyle style = (XSSFCellStyle) band.getCellStyle();
                        assertThat(style.getFillPattern()).isEqualTo(FillPatternType.SOLID_FOREGROUND);
                        assertThat(HexFormat.of().formatHex(style.getFillForegroundXSSFColor().getRGB()).toUpperCase())
                                .as(where + " band's colour").isEqualTo(COLOURS.get(colour(county.get("band"))));
                    }
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> city = (Map<String, Object>) target.get("cityLevel");
                assertThat(text(block.get(counties.size()).getCell(2))).isEqualTo("市本级（不排名）");
                assertThat(text(block.get(counties.size()).getCell(4))).isEqualTo(plain(city.get("reached")));
                assertThat(text(block.get(counties.size()).getCell(1))).isEmpty();
                assertThat(text(block.get(counties.size() + 1).getCell(3))).isEqualTo(plain(target.get("sharesTotal")));
                assertThat(text(block.get(counties.size() + 2).getCell(3))).isEqualTo(plain(target.get("cityTarget")));
                assertThat(text(block.get(counties.size() + 3).getCell(3)))
                        .isEqualTo(plain(target.get("sharesDifference")));
            }
            assertThat(bands).as("counties with a share are banded").isGreaterThanOrEqualTo(4);

            List<Map<String, Object>> investments = rankings.getList("investments");
            assertThat(investments).extracting(i -> i.get("code"))
                    .containsExactly("planned-investment", "signed-investment", "investment-this-year");
            for (Map<String, Object> investment : investments) {
                String name = investment.get("nameZh") + "（万元）";
                List<Row> block = rows.stream().filter(r -> name.equals(text(r.getCell(0)))).toList();
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> counties = (List<Map<String, Object>>) investment.get("counties");
                assertThat(block).as(name).hasSize(counties.size() + 1);
                for (int i = 0; i < counties.size(); i++) {
                    Map<String, Object> county = counties.get(i);
                    Row row = block.get(i);
                    assertThat(text(row.getCell(2))).isEqualTo(county.get("nameZh"));
                    assertThat(text(row.getCell(1))).isEqualTo(county.get("rank").toString());
                    assertThat(text(row.getCell(4))).as(name + " " + county.get("nameZh"))
                            .isEqualTo(plain(county.get("value")));
                }
            }

            for (Sheet printed : workbook) {
                PrintSetup print = printed.getPrintSetup();
                assertThat(print.getLandscape()).as(printed.getSheetName() + ": landscape").isTrue();
                assertThat(print.getPaperSize()).as(printed.getSheetName() + ": A4").isEqualTo(PrintSetup.A4_PAPERSIZE);
                assertThat(printed.getFitToPage()).isTrue();
                assertThat(print.getFitWidth()).as(printed.getSheetName() + ": one page wide").isEqualTo((short) 1);
                assertThat(print.getFitHeight()).isZero();
                assertThat(printed.getRepeatingRows()).as(printed.getSheetName() + ": title and header on every page")
                        .isEqualTo(CellRangeAddress.valueOf("1:2"));
            }
        }
    }

    @Test
    void anIssuedBulletinKeepsTheRanksItPrintedWhenLaterEventsMoveThem() throws Throwable {
        String campaign = rankedCampaign();
        Response issued = issue(department(), campaign, "2024-06");
        assertThat(issued.statusCode()).as(issued.asString()).isEqualTo(201);
        assertThat(issued.jsonPath().getLong("revision")).isEqualTo(1);
        assertThat(issued.jsonPath().getString("asOf")).isEqualTo(AS_OF);
        String jsonLink = issued.jsonPath().getString("links.json");
        byte[] json = given().get(jsonLink).then().statusCode(200).extract().asByteArray();
        byte[] workbook = given().get(issued.jsonPath().getString("links.xlsx")).then().statusCode(200).extract()
                .asByteArray();
        assertThat(Issuing.sha256(new String(json, StandardCharsets.UTF_8)))
                .isEqualTo(issued.jsonPath().getString("digest"));
        String rankedThen = JsonPath.from(new String(json, StandardCharsets.UTF_8))
                .getString("rankings.targets[0].counties.collect { it.regionCode + ':' + it.rank }");

        // Late, inside June: 临县 signs two more projects and 兴县's project is withdrawn.
        Project late = Api.reserve(campaign, "临县补报项目", "141124", "aluminium-magnesium", List.of("private-capital"),
                "500", "100", MARCH.plusMonths(2));
        Project other = Api.reserve(campaign, "临县补报项目二", "141124", "aluminium-magnesium", List.of("private-capital"),
                "500", "100", MARCH.plusMonths(2));
        xingxianWithdrawn.post("ProjectWithdrawn", MARCH.plusMonths(3), Map.of("reason", "投资方调整计划"));
        Api.awaitProjected(late, other, xingxianWithdrawn);
        String rankedNow = given().queryParam("asOf", AS_OF).get("/api/v1/campaigns/{id}/rankings", campaign)
                .jsonPath().getString("targets[0].counties.collect { it.regionCode + ':' + it.rank }");
        assertThat(rankedNow).as("the later events moved the ranks").isNotEqualTo(rankedThen);

        assertThat(given().get(jsonLink).asByteArray()).as("the JSON as issued").isEqualTo(json);
        assertThat(given().get(issued.jsonPath().getString("links.xlsx")).asByteArray()).as("the workbook as issued")
                .isEqualTo(workbook);
        Response second = issue(admin(), campaign, "2024-06");
        assertThat(second.jsonPath().getLong("revision")).isEqualTo(2);
        assertThat(given().get("/api/v1/campaigns/{id}/bulletins", campaign).jsonPath().getList("revision", Integer.class))
                .containsExactly(2, 1);
        assertThat(JsonPath.from(given().get(second.jsonPath().getString("links.json")).asString())
                .getString("rankings.targets[0].counties.collect { it.regionCode + ':' + it.rank }"))
                .as("the re-issue prints the ranks known now").isEqualTo(rankedNow);
    }

    @Test
    void theWorkbookAsKnownAtAnInstantIsWrittenThoughTheRankingsAsKnownThenEndOnAWorkerThread() throws Throwable {
        String campaign = rankedCampaign();
        String knownAt = java.time.Instant.now().minusSeconds(1).toString();

        Response file = given().queryParam("asOf", AS_OF).queryParam("knownAt", knownAt)
                .get("/api/v1/campaigns/{id}/bulletin.xlsx", campaign);

        assertThat(file.statusCode()).as(file.asString()).isEqualTo(200);
        assertThat(file.asByteArray()).as("a workbook (zip)").startsWith('P', 'K');
    }

    @Test
    void aCountyDepartmentMayNotIssueTheCitysBulletinAndNothingIsStored() {
        String campaign = Api.newCampaign();
        Response refused = issue(RestAssured.given().auth().preemptive().basic("xingxian", "xingxian-secret"), campaign,
                "2024-06");
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(403);
        issue(given(), campaign, "2024-06").then().statusCode(403);
        assertThat(given().get("/api/v1/campaigns/{id}/bulletins", campaign).jsonPath().getList("$")).isEmpty();
    }

    @Test
    void aMonthNotEndedMalformedOrOutsideTheCampaignIsRefusedNamingPeriod() {
        Map<String, Object> campaign = new LinkedHashMap<>(Map.of("nameZh", "本年会战", "nameEn", "This year's campaign",
                "year", Api.TODAY.getYear(), "cityCode", "141100"));
        String current = "now-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        admin().body(campaign).put("/api/v1/admin/campaigns/{id}", current).then().statusCode(201);
        for (String period : new String[]{Api.TODAY.toString().substring(0, 7), "2024-13", "June",
                (Api.TODAY.getYear() - 1) + "-12"}) {
            Response refused = issue(department(), current, period);
            assertThat(refused.statusCode()).as(period + ": " + refused.asString()).isEqualTo(400);
            assertThat(refused.jsonPath().getList("errors.field")).as(period).containsExactly("period");
        }
        assertThat(given().get("/api/v1/campaigns/{id}/bulletins", current).jsonPath().getList("$")).isEmpty();
    }

    /**
     * A campaign of three targets (projects, signed projects, annual planned investment), shares for four counties,
     * and projects in three of them and at the city level, so that ranks, ties, bands and — all show.
     */
    private String rankedCampaign() throws Throwable {
        String campaign = Api.newCampaign();
        admin().body(Map.of("targets", List.of(
                        Map.of("code", "projects", "nameZh", "储备项目", "nameEn", "Projects", "measure", "projects",
                                "target", 20),
                        Map.of("code", "signed", "nameZh", "签约项目", "nameEn", "Signed", "measure", "projects",
                                "reachedStage", "SIGNED", "target", 8),
                        Map.of("code", "annual", "nameZh", "年度计划投资", "nameEn", "Annual", "measure",
                                "annualPlannedInvestment", "target", 100000))))
                .put("/api/v1/admin/campaigns/{id}/targets", campaign).then().statusCode(200);
        Map<String, Map<String, BigDecimal>> shares = new LinkedHashMap<>();
        shares.put("projects", Map.of("141123", new BigDecimal("4"), "141124", new BigDecimal("2"),
                "141102", new BigDecimal("4"), "141181", new BigDecimal("5")));
        shares.put("signed", Map.of("141123", new BigDecimal("2"), "141124", new BigDecimal("2"),
                "141181", new BigDecimal("3")));
        shares.put("annual", Map.of("141123", new BigDecimal("30000.50"), "141124", new BigDecimal("20000")));
        assertThat(VertxContextSupport.subscribeAndAwait(() -> campaigns.replaceShares(new CountyShares(campaign, shares))))
                .isTrue();
        xingxianWithdrawn = Api.reserve(campaign, "兴县项目一", "141123", "aluminium-magnesium", List.of("central-budget"),
                "8000", "3000", MARCH).post("ProjectSigned", MARCH.plusDays(5), Map.of("signedInvestment", 5000,
                "investor", "某公司"));
        Project second = Api.reserve(campaign, "兴县项目二", "141123", "aluminium-magnesium", List.of("private-capital"),
                "2000", "1000.25", MARCH.plusDays(1));
        Project lin = Api.reserve(campaign, "临县项目", "141124", "aluminium-magnesium", List.of("private-capital"),
                "6000", "4000", MARCH.plusDays(2))
                .post("ProjectSigned", MARCH.plusDays(9), Map.of("signedInvestment", 6000, "investor", "某集团"))
                .post("ConstructionStarted", MARCH.plusDays(30), Map.of());
        Project xiaoyi = Api.reserve(campaign, "孝义项目", "141181", "aluminium-magnesium", List.of("private-capital"),
                "1000", "500", MARCH.plusDays(3));
        Project city = Api.reserve(campaign, "市本级项目", "141100", "aluminium-magnesium", List.of("private-capital"),
                "9000", "2000", MARCH.plusDays(4));
        Api.awaitProjected(xingxianWithdrawn, second, lin, xiaoyi, city);
        return campaign;
    }

    private static Response issue(RequestSpecification as, String campaign, String period) {
        return as.contentType(ContentType.JSON).body(Map.of("period", period))
                .post("/api/v1/campaigns/{id}/bulletins", campaign);
    }

    /** A cell as the spreadsheet shows its value, numbers unformatted; an absent cell empty. */
    private static String text(Cell cell) {
        if (cell == null) {
            return "";
        }
        if (cell.getCellType() == CellType.NUMERIC) {
            return plain(BigDecimal.valueOf(cell.getNumericCellValue()));
        }
        return new DataFormatter().formatCellValue(cell);
    }

    /** A number of the JSON as a plain decimal without trailing zeros; null empty. */
    private static String plain(Object value) {
        return value == null ? "" : new BigDecimal(value.toString()).stripTrailingZeros().toPlainString();
    }

    private static String change(Object rank, Object rankChange) {
        if (rank == null || rankChange == null) {
            return "—";
        }
        int change = ((Number) rankChange).intValue();
        return change > 0 ? "↑" + change : change < 0 ? "↓" + -change : "持平";
    }

    private static String colour(Object band) {
        return switch (band.toString()) {
            case "LEADING" -> "green";
            case "NORMAL" -> "blue";
            case "LAGGING" -> "yellow";
            default -> "red";
        };
    }
}
