package cn.qxqy.pipeline.spreadsheet;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The exports, opened with POI, against the API's own answers for a campaign of the test's own. */
@QuarkusTest
class ExportsTest {

    private static final LocalDate DAY = LocalDate.of(2024, 3, 15);
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    private String campaign;
    private Api.Project coalChemical;

    @BeforeEach
    void aCampaignWithThreeProjects() {
        campaign = Api.newCampaign();
        Api.admin().body(Map.of("targets", List.of(Map.of("code", "projects", "nameZh", "项目总数", "nameEn", "Projects",
                        "measure", "projects", "target", 10))))
                .put("/api/v1/admin/campaigns/{id}/targets", campaign).then().statusCode(200);
        Api.Project a = Api.reserve(campaign, "兴县铝镁, \"一期\"", "141123", "aluminium-magnesium",
                List.of("special-bond", "chain-extension"), "1234.5", "300", DAY);
        coalChemical = Api.reserve(campaign, "离石煤化工", "141102", "coal-chemical", List.of("special-bond"),
                "800.25", null, DAY.plusMonths(1));
        Api.Project c = Api.reserve(campaign, "兴县氢能", "141123", "hydrogen", List.of(), "99.99", "10", DAY);
        c.post("ProjectSigned", DAY.plusMonths(2), Map.of("signedInvestment", new BigDecimal("120"), "investor", "某公司"));
        Api.awaitProjected(a, coalChemical, c);
    }

    @Test
    void theProjectListHasEveryProjectOfTheSearchAndItsTotals() throws IOException {
        List<Map<String, Object>> projects = given().queryParam("campaignId", campaign).queryParam("size", 200)
                .get("/api/v1/projects").jsonPath().getList("items");
        try (XSSFWorkbook workbook = workbook("/api/v1/campaigns/{id}/projects.xlsx", Map.of())) {
            Sheet sheet = workbook.getSheet("项目清单");
            assertThat(sheet.getRow(0).getCell(0).getStringCellValue()).startsWith("测试会战\u3000项目清单\u3000数据截至 ");
            assertThat(texts(sheet.getRow(1))).startsWith("项目编号", "项目名称", "县（市、区）", "产业链", "项目类别",
                    "计划总投资（万元）");
            assertThat(sheet.getLastRowNum()).isEqualTo(projects.size() + 2);
            BigDecimal sum = BigDecimal.ZERO;
            for (int i = 0; i < projects.size(); i++) {
                Row row = sheet.getRow(i + 2);
                Map<String, Object> project = projects.get(i);
                assertThat(row.getCell(0).getStringCellValue()).isEqualTo(project.get("projectId"));
                assertThat(row.getCell(1).getStringCellValue()).isEqualTo(project.get("name"));
                BigDecimal planned = amount(row.getCell(ProjectColumn.PLANNED.ordinal()));
                assertThat(planned).isEqualByComparingTo(new BigDecimal(String.valueOf(project.get("plannedInvestment"))));
                assertThat(row.getCell(ProjectColumn.PLANNED.ordinal()).getCellStyle().getDataFormatString())
                        .isEqualTo("#,##0.00");
                sum = sum.add(planned);
            }
            Row first = sheet.getRow(2 + indexOf(projects, "兴县铝镁, \"一期\""));
            assertThat(first.getCell(ProjectColumn.REGION.ordinal()).getStringCellValue()).isEqualTo("兴县");
            assertThat(first.getCell(ProjectColumn.CHAIN.ordinal()).getStringCellValue()).isEqualTo("铝镁");
            assertThat(first.getCell(ProjectColumn.CATEGORIES.ordinal()).getStringCellValue()).isEqualTo("专项债券、延链补链");
            Row totals = sheet.getRow(projects.size() + 2);
            assertThat(totals.getCell(0).getStringCellValue()).isEqualTo("合计");
            assertThat(totals.getCell(1).getStringCellValue()).isEqualTo("共 3 个项目");
            assertThat(amount(totals.getCell(ProjectColumn.PLANNED.ordinal()))).isEqualByComparingTo(sum)
                    .isEqualByComparingTo("2134.74");
            assertThat(amount(totals.getCell(ProjectColumn.SIGNED.ordinal()))).isEqualByComparingTo("120");
        }
    }

    @Test
    void theListsShowTheActiveProjectsAsTheSummaryCountsThemUnlessTheWithdrawnAreAskedFor() throws IOException {
        coalChemical.post("ProjectWithdrawn", DAY.plusMonths(2), Map.of("reason", "投资方退出"));
        Api.awaitProjected(coalChemical);
        JsonPath summary = given().get("/api/v1/campaigns/{id}/summary", campaign).jsonPath();
        try (XSSFWorkbook workbook = workbook("/api/v1/campaigns/{id}/projects.xlsx", Map.of())) {
            Sheet sheet = workbook.getSheet("项目清单");
            assertThat(sheet.getLastRowNum()).isEqualTo(2 + 2);
            assertThat(column(sheet, 0)).doesNotContain(coalChemical.id());
            Row totals = sheet.getRow(4);
            assertThat(totals.getCell(1).getStringCellValue()).isEqualTo("共 " + summary.getLong("projects") + " 个项目");
            assertThat(amount(totals.getCell(ProjectColumn.PLANNED.ordinal()))).isEqualByComparingTo(Api.amount(summary, "plannedInvestment"));
        }
        try (XSSFWorkbook workbook = workbook("/api/v1/campaigns/{id}/projects.xlsx", Map.of("includeWithdrawn", "true"))) {
            Sheet sheet = workbook.getSheet("项目清单");
            assertThat(sheet.getLastRowNum()).isEqualTo(2 + 3);
            Row withdrawn = sheet.getRow(2 + column(sheet, 0).indexOf(coalChemical.id()));
            assertThat(withdrawn.getCell(ProjectColumn.STAGE.ordinal()).getStringCellValue()).isEqualTo("退出");
            assertThat(sheet.getRow(5).getCell(1).getStringCellValue()).isEqualTo("共 3 个项目");
            assertThat(amount(sheet.getRow(5).getCell(ProjectColumn.PLANNED.ordinal()))).isEqualByComparingTo("2134.74");
        }
        assertThat(csvLines(Map.of())).noneMatch(line -> line.startsWith(coalChemical.id() + ","))
                .last().asString().startsWith("合计,共 2 个项目,,,,1334.49,");
        assertThat(csvLines(Map.of("includeWithdrawn", "true"))).anyMatch(line -> line.startsWith(coalChemical.id() + ","))
                .last().asString().startsWith("合计,共 3 个项目,,,,2134.74,");
        given().queryParam("includeWithdrawn", "yes").get("/api/v1/campaigns/{id}/projects.csv", campaign).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("includeWithdrawn"));
    }

    @Test
    void theFilesAreNamedForTheCampaignWhatTheyHoldAndTheDateOfTheirFigures() {
        for (String file : List.of("projects.xlsx", "projects.csv", "report.xlsx", "report.csv")) {
            String before = LocalDate.now(BEIJING).format(DateTimeFormatter.BASIC_ISO_DATE);
            String disposition = given().get("/api/v1/campaigns/{id}/" + file, campaign).then().statusCode(200)
                    .extract().header("Content-Disposition");
            String after = LocalDate.now(BEIJING).format(DateTimeFormatter.BASIC_ISO_DATE);
            String extension = file.substring(file.indexOf('.') + 1);
            String ascii = campaign + "-" + file.substring(0, file.indexOf('.'));
            String named = file.startsWith("projects") ? "测试会战-项目清单-" : "测试会战-会战报表-";
            assertThat(List.of(before, after)).as(file).anySatisfy(day -> assertThat(disposition).isEqualTo(
                    "attachment; filename=\"" + ascii + "-" + day + "." + extension + "\"; filename*=UTF-8''"
                            + URLEncoder.encode(named + day + "." + extension, StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aListLongerThanAPageOfTheCursorIsWrittenWhole() throws IOException {
        String large = Api.newCampaign();
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 520; i++) {
            Map<String, Object> item = Api.envelope("ProjectReserved", DAY,
                    Api.reservation("批量项目 " + i, large, "141123", "coal", List.of(), "1.01"));
            item.put("projectId", String.format("B-%s-%04d", large, i));
            batch.add(item);
        }
        Api.department().body(batch).post("/api/v1/events").then().statusCode(200)
                .body("results.status", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.equalTo(201)));
        Api.awaitProjected();
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(given()
                .get("/api/v1/campaigns/{id}/projects.xlsx", large).then().statusCode(200).extract().asByteArray()))) {
            Sheet sheet = workbook.getSheet("项目清单");
            assertThat(sheet.getLastRowNum()).isEqualTo(522);
            assertThat(sheet.getRow(2).getCell(0).getStringCellValue()).isEqualTo("B-" + large + "-0000");
            assertThat(sheet.getRow(521).getCell(0).getStringCellValue()).isEqualTo("B-" + large + "-0519");
            assertThat(sheet.getRow(522).getCell(1).getStringCellValue()).isEqualTo("共 520 个项目");
            assertThat(amount(sheet.getRow(522).getCell(ProjectColumn.PLANNED.ordinal()))).isEqualByComparingTo("525.20");
        }
    }

    @Test
    void theListHonoursTheSearchFiltersAndRefusesWhatTheSearchRefuses() throws IOException {
        try (XSSFWorkbook workbook = workbook("/api/v1/campaigns/{id}/projects.xlsx",
                Map.of("regionCode", "141123", "stage", "RESERVED"))) {
            Sheet sheet = workbook.getSheet("项目清单");
            assertThat(sheet.getLastRowNum()).isEqualTo(3);
            assertThat(sheet.getRow(2).getCell(1).getStringCellValue()).isEqualTo("兴县铝镁, \"一期\"");
            assertThat(amount(sheet.getRow(3).getCell(ProjectColumn.PLANNED.ordinal()))).isEqualByComparingTo("1234.50");
        }
        given().queryParam("stage", "SOMEWHERE").get("/api/v1/campaigns/{id}/projects.xlsx", campaign).then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field",
                        org.hamcrest.Matchers.equalTo("stage"));
        given().get("/api/v1/campaigns/{id}/projects.csv", "no-such-campaign").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void theCsvStartsWithABomThenItsTitleAndChineseHeaderAndQuotesWhatItMust() {
        Response answer = given().get("/api/v1/campaigns/{id}/projects.csv", campaign);
        answer.then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/csv"));
        byte[] bytes = answer.asByteArray();
        assertThat(Arrays.copyOf(bytes, 3)).containsExactly(0xEF, 0xBB, 0xBF);
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).startsWith("测试会战\u3000项目清单\u3000数据截至 ");
        assertThat(lines.get(1)).startsWith("项目编号,项目名称,县（市、区）,产业链,项目类别,计划总投资（万元）");
        assertThat(text).contains("\r\n").contains(",\"兴县铝镁, \"\"一期\"\"\",兴县,铝镁,专项债券、延链补链,1234.50,300.00,");
        assertThat(lines.get(lines.size() - 1)).startsWith("合计,共 3 个项目,,,,2134.74,310.00,").contains(",120.00,");
    }

    @Test
    void theReportHasTheFiguresOfTheApiOnItsSheets() throws IOException {
        JsonPath summary = given().get("/api/v1/campaigns/{id}/summary", campaign).jsonPath();
        JsonPath progress = given().get("/api/v1/campaigns/{id}/progress", campaign).jsonPath();
        JsonPath regions = given().queryParam("by", "region").get("/api/v1/campaigns/{id}/breakdown", campaign).jsonPath();
        JsonPath timeline = given().get("/api/v1/campaigns/{id}/timeline", campaign).jsonPath();
        try (XSSFWorkbook workbook = workbook("/api/v1/campaigns/{id}/report.xlsx", Map.of())) {
            List<String> sheets = new ArrayList<>();
            workbook.sheetIterator().forEachRemaining(s -> sheets.add(s.getSheetName()));
            assertThat(sheets).containsExactly("汇总", "目标进度", "分县", "分产业链", "分类别", "月度进展");

            Sheet overview = workbook.getSheet("汇总");
            assertThat(texts(overview.getRow(2))).containsExactly("会战", "测试会战");
            assertThat(texts(overview.getRow(3))).containsExactly("会战代码", campaign);
            assertThat(overview.getRow(4).getCell(0).getStringCellValue()).isEqualTo("在库项目数");
            assertThat((long) overview.getRow(4).getCell(1).getNumericCellValue()).isEqualTo(summary.getLong("projects"));
            assertThat(amount(overview.getRow(6).getCell(1))).isEqualByComparingTo(Api.amount(summary, "plannedInvestment"));
            assertThat(overview.getRow(10).getCell(0).getStringCellValue()).isEqualTo("本年完成投资（万元）");
            assertThat(amount(overview.getRow(10).getCell(1))).isEqualByComparingTo(Api.amount(summary, "investmentThisYear"));

            Sheet targets = workbook.getSheet("目标进度");
            assertThat(texts(targets.getRow(2))).startsWith("projects", "项目总数", "个");
            assertThat(targets.getRow(2).getCell(3).getNumericCellValue()).isEqualTo(3);
            assertThat(targets.getRow(2).getCell(4).getNumericCellValue()).isEqualTo(10);
            assertThat(targets.getRow(2).getCell(5).getNumericCellValue())
                    .isEqualTo(Api.amount(progress, "targets[0].percentage").doubleValue());
            assertThat(targets.getRow(2).getCell(6).getStringCellValue()).isEqualTo("项目总数 / 目标 10");
            Row signing = targets.getRow(5 + progress.getList("rates.code").indexOf("signing-rate"));
            assertThat(texts(signing)).startsWith("signing-rate", "签约率", "已签约项目数");
            assertThat(signing.getCell(3).getNumericCellValue()).isEqualTo(1);
            assertThat(signing.getCell(4).getStringCellValue()).isEqualTo("在库项目数");
            assertThat(signing.getCell(5).getNumericCellValue()).isEqualTo(3);

            Sheet counties = workbook.getSheet("分县");
            int entries = regions.getList("items").size();
            assertThat(counties.getLastRowNum()).isEqualTo(entries + 2);
            Row xing = counties.getRow(2 + regions.getList("items.key").indexOf("141123"));
            assertThat(texts(xing)).startsWith("141123", "兴县");
            assertThat((long) xing.getCell(2).getNumericCellValue()).isEqualTo(2);
            Row countyTotals = counties.getRow(entries + 2);
            assertThat(countyTotals.getCell(0).getStringCellValue()).isEqualTo("合计");
            assertThat((long) countyTotals.getCell(2).getNumericCellValue()).isEqualTo(summary.getLong("projects"));
            assertThat(amount(countyTotals.getCell(4))).isEqualByComparingTo(Api.amount(summary, "plannedInvestment"));
            assertThat(workbook.getSheet("分产业链").getRow(workbook.getSheet("分产业链").getLastRowNum()).getCell(0)
                    .getStringCellValue()).isEqualTo("合计");
            Sheet categories = workbook.getSheet("分类别");
            assertThat(categories.getRow(categories.getLastRowNum()).getCell(0).getStringCellValue())
                    .as("no totals by category: a project in two counts in both").isNotEqualTo("合计");

            Sheet months = workbook.getSheet("月度进展");
            int periods = timeline.getList("periods").size();
            assertThat(periods).isEqualTo(3);
            assertThat(months.getRow(2).getCell(0).getStringCellValue()).isEqualTo(timeline.getString("periods[0].period"));
            Row monthTotals = months.getRow(periods + 2);
            assertThat(monthTotals.getCell(0).getStringCellValue()).isEqualTo("合计");
            assertThat((long) monthTotals.getCell(1).getNumericCellValue()).isEqualTo(3);
            assertThat(amount(monthTotals.getCell(2))).isEqualByComparingTo("2134.74");
            assertThat((long) monthTotals.getCell(3).getNumericCellValue()).isEqualTo(1);
            assertThat(amount(monthTotals.getCell(4))).isEqualByComparingTo("120");
        }
    }

    @Test
    void theReportCsvHasItsSectionsOneAfterAnother() {
        byte[] bytes = given().get("/api/v1/campaigns/{id}/report.csv", campaign).then().statusCode(200).extract()
                .asByteArray();
        assertThat(Arrays.copyOf(bytes, 3)).containsExactly(0xEF, 0xBB, 0xBF);
        List<String> lines = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).startsWith("测试会战\u3000汇总\u3000数据截至 ");
        assertThat(lines.subList(1, 4)).containsExactly("指标,数值", "会战,测试会战", "会战代码," + campaign);
        for (String section : List.of("目标进度", "分县", "分产业链", "分类别", "月度进展")) {
            int title = lines.indexOf(lines.stream().filter(line -> line.startsWith("测试会战\u3000" + section + "\u3000数据截至 "))
                    .findFirst().orElseThrow());
            assertThat(lines.get(title - 1)).as("a blank line before " + section).isEmpty();
        }
    }

    @Test
    void textsASpreadsheetWouldOpenAsFormulasAreTextInTheCsvAndStringsInTheWorkbook() throws IOException {
        List<String> names = List.of("=HYPERLINK(\"http://evil.example/x\",\"点击查看\")", "+cmd|' /C calc'!A0",
                "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0");
        String owner = "=cmd|' /C notepad'!A1";
        String hostile = Api.newCampaign();
        String target = "@SUM(1+1)*cmd|' /C calc'!A0";
        Api.admin().body(Map.of("targets", List.of(Map.of("code", "projects", "nameZh", target, "nameEn", "Projects",
                        "measure", "projects", "target", 10))))
                .put("/api/v1/admin/campaigns/{id}/targets", hostile).then().statusCode(200);
        List<String> projectIds = new ArrayList<>();
        for (String name : names) {
            Map<String, Object> data = Api.reservation(name, hostile, "141123", "coal", List.of(), "12.5");
            data.put("owner", owner);
            Api.Project project = new Api.Project(Api.newProjectId()).post("ProjectReserved", DAY, data);
            Api.awaitProjected(project);
            projectIds.add(project.id());
        }

        byte[] bytes = given().get("/api/v1/campaigns/{id}/projects.csv", hostile).then().statusCode(200).extract()
                .asByteArray();
        List<String> lines = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8).lines().toList();
        // RFC 4180 quotes the first: it holds quotes and a comma.
        List<String> written = List.of("\"'=HYPERLINK(\"\"http://evil.example/x\"\",\"\"点击查看\"\")\"",
                "'+cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0");
        for (int i = 0; i < names.size(); i++) {
            String id = projectIds.get(i);
            assertThat(lines).filteredOn(line -> line.startsWith(id + ",")).singleElement().asString()
                    .startsWith(id + "," + written.get(i) + ",兴县,")
                    .contains(",12.50,")
                    .contains(",'=cmd|' /C notepad'!A1,");
        }

        byte[] report = given().get("/api/v1/campaigns/{id}/report.csv", hostile).then().statusCode(200).extract()
                .asByteArray();
        assertThat(new String(report, 3, report.length - 3, StandardCharsets.UTF_8).lines())
                .contains("projects,'" + target + ",个,4,10,40.0,'" + target + " / 目标 10");

        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(given()
                .get("/api/v1/campaigns/{id}/projects.xlsx", hostile).then().statusCode(200).extract().asByteArray()))) {
            Sheet sheet = workbook.getSheet("项目清单");
            for (int r = 2; r <= names.size() + 1; r++) {
                Row row = sheet.getRow(r);
                String name = names.get(projectIds.indexOf(row.getCell(0).getStringCellValue()));
                assertThat(row.getCell(1).getCellType()).isEqualTo(CellType.STRING);
                assertThat(row.getCell(1).getStringCellValue()).isEqualTo(name);
                assertThat(row.getCell(ProjectColumn.OWNER.ordinal()).getCellType()).isEqualTo(CellType.STRING);
                assertThat(row.getCell(ProjectColumn.OWNER.ordinal()).getStringCellValue()).isEqualTo(owner);
            }
        }
    }

    private XSSFWorkbook workbook(String path, Map<String, ?> query) throws IOException {
        byte[] bytes = given().queryParams(query).get(path, campaign).then().statusCode(200)
                .contentType(Tables.XLSX).extract().asByteArray();
        return new XSSFWorkbook(new ByteArrayInputStream(bytes));
    }

    private List<String> csvLines(Map<String, ?> query) {
        byte[] bytes = given().queryParams(query).get("/api/v1/campaigns/{id}/projects.csv", campaign).then()
                .statusCode(200).extract().asByteArray();
        return new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8).lines().toList();
    }

    /** The texts of a column from the first row after the title and the header on. */
    private static List<String> column(Sheet sheet, int column) {
        List<String> texts = new ArrayList<>();
        for (int r = 2; r <= sheet.getLastRowNum(); r++) {
            texts.add(sheet.getRow(r).getCell(column).getStringCellValue());
        }
        return texts;
    }

    private static int indexOf(List<Map<String, Object>> projects, String name) {
        return projects.stream().map(p -> p.get("name")).toList().indexOf(name);
    }

    private static BigDecimal amount(Cell cell) {
        assertThat(cell.getCellType()).isEqualTo(CellType.NUMERIC);
        return BigDecimal.valueOf(cell.getNumericCellValue()).setScale(2, RoundingMode.HALF_UP);
    }

    private static List<String> texts(Row row) {
        List<String> texts = new ArrayList<>();
        row.forEach(cell -> texts.add(cell.getCellType() == CellType.STRING ? cell.getStringCellValue()
                : String.valueOf(cell.getNumericCellValue())));
        return texts;
    }
}
