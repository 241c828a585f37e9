package cn.qxqy.pipeline.spreadsheet;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Workbooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.AreaReference;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.usermodel.XSSFDataValidation;
import org.apache.poi.xssf.usermodel.XSSFName;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The import of a filled template: names or codes, every mistake of a row at once, all or nothing through the API's
 * checks, the same file twice stored once, a browser's form, and the result as a workbook.
 */
@QuarkusTest
class ImportTest {

    private static final LocalDate DAY = LocalDate.of(2024, 4, 1);

    private String campaign;
    private String givenId;

    @BeforeEach
    void aCampaignOfItsOwn() {
        campaign = Api.newCampaign();
        givenId = Api.newProjectId();
    }

    @Test
    void theTemplateOffersTheReferenceDataInDropDownListsAndTellsAnOfficerWhatToFill() throws IOException {
        try (XSSFWorkbook template = new XSSFWorkbook(new ByteArrayInputStream(template()))) {
            XSSFSheet rows = template.getSheet("项目清单");
            assertThat(texts(rows.getRow(0))).isEqualTo(ProjectColumn.template().stream().map(c -> c.title).toList());
            assertThat(rows.getLastRowNum()).isZero();
            XSSFSheet choices = template.getSheet("下拉选项");
            assertThat(template.isSheetHidden(template.getSheetIndex(choices))).isTrue();
            assertThat(template.getSheetIndex(rows)).isZero();

            Map<ProjectColumn, List<String>> offered = new HashMap<>();
            for (XSSFDataValidation validation : rows.getDataValidations()) {
                int column = validation.getRegions().getCellRangeAddress(0).getFirstColumn();
                assertThat(validation.getRegions().getCellRangeAddress(0).getFirstRow()).isEqualTo(1);
                assertThat(validation.getRegions().getCellRangeAddress(0).getLastRow()).isGreaterThanOrEqualTo(1000);
                // A list of a defined name on the hidden sheet: an inline list is capped at 255 characters.
                String formula = validation.getValidationConstraint().getFormula1();
                XSSFName name = template.getName(formula);
                assertThat(name).as("the defined name %s", formula).isNotNull();
                AreaReference area = new AreaReference(name.getRefersToFormula(), template.getSpreadsheetVersion());
                assertThat(area.getFirstCell().getSheetName()).isEqualTo("下拉选项");
                List<String> names = new ArrayList<>();
                for (CellReference cell : area.getAllReferencedCells()) {
                    names.add(choices.getRow(cell.getRow()).getCell(cell.getCol()).getStringCellValue());
                }
                offered.put(ProjectColumn.values()[column], names);
            }
            assertThat(offered).containsOnlyKeys(ProjectColumn.REGION, ProjectColumn.CHAIN, ProjectColumn.CATEGORIES,
                    ProjectColumn.ZONE, ProjectColumn.CONFIRM_NEW);
            assertThat(offered.get(ProjectColumn.REGION)).isEqualTo(names("regions")).contains("兴县", "中阳县");
            assertThat(offered.get(ProjectColumn.CHAIN)).isEqualTo(names("industry-chains")).contains("特钢");
            assertThat(offered.get(ProjectColumn.CATEGORIES)).isEqualTo(names("categories")).contains("中央预算内投资");
            assertThat(offered.get(ProjectColumn.ZONE)).contains("兴县经济开发区", "吕梁经济技术开发区");
            assertThat(offered.get(ProjectColumn.CONFIRM_NEW)).containsExactly("是");
            assertThat(String.join("", offered.get(ProjectColumn.REGION))).hasSizeLessThan(255);

            StringBuilder instructions = new StringBuilder();
            template.getSheet("填写说明").forEach(row -> instructions.append(String.join(" ", texts(row))).append('\n'));
            assertThat(instructions).contains("测试会战", "项目编号留空", "兴县", "141123", "只读", "版本", "试导入", "确认新建")
                    .doesNotContain("Content-Type", "POST", "/api/", "dryRun");
        }
    }

    @Test
    void namesOrCodesAsPeopleWriteThemAreStoredAsCodes() {
        List<List<Object>> rows = List.of(
                row(givenId, "中阳特钢技改", "中阳县", "特钢", "中央预算内投资、专项债券", "5,000万元", "1,200.5 万元",
                        "2024年5月1日").withZone("吕梁经济技术开发区").cells(),
                row(null, "交城装备", "１４１１２２", "SPECIAL-STEEL", "Central-Budget", "１２，０００．５", null, "2024/5/1")
                        .cells());
        JsonPath answer = upload("fgw", Workbooks.fill(template(), rows), false);
        assertThat(answer.getList("refused")).isEmpty();
        assertThat(answer.getBoolean("stored")).isTrue();
        assertThat(answer.getList("results.outcome")).containsExactly("created", "created");

        Api.awaitProjected();
        JsonPath named = project(givenId);
        assertThat(named.getString("regionCode")).isEqualTo("141129");
        assertThat(named.getString("industryChain")).isEqualTo("special-steel");
        assertThat(named.getList("categories")).containsExactly("central-budget", "special-bond");
        assertThat(named.getString("zone")).isEqualTo("吕梁经济技术开发区");
        assertThat(Api.amount(named, "plannedInvestment")).isEqualByComparingTo("5000.00");
        assertThat(Api.amount(named, "annualPlannedInvestment")).isEqualByComparingTo("1200.50");
        assertThat(named.getString("reservedOn")).isEqualTo("2024-05-01");
        JsonPath coded = project(answer.getString("results[1].projectId"));
        assertThat(coded.getString("regionCode")).isEqualTo("141122");
        assertThat(coded.getString("industryChain")).isEqualTo("special-steel");
        assertThat(coded.getList("categories")).containsExactly("central-budget");
        assertThat(Api.amount(coded, "plannedInvestment")).isEqualByComparingTo("12000.50");
        assertThat(coded.getString("reservedOn")).isEqualTo("2024-05-01");
    }

    @Test
    void threeMistakesInOneRowAreThreeErrorsInOneAnswer() {
        List<List<Object>> rows = List.of(
                row(null, "兴县铝镁", "兴县", "铝镁", null, 1234.5, null, DAY).cells(),
                row(null, "坏行", "兴县", "钢铁侠", "专项债券", "abc", null, "2099-01-01").cells());
        JsonPath answer = upload("fgw", Workbooks.fill(template(), rows), false);
        assertThat(answer.getBoolean("stored")).isFalse();
        assertThat(answer.getList("results.outcome")).containsExactly("created", "refused");
        assertThat(answer.getList("refused.row", Integer.class)).containsExactly(3);
        assertThat(answer.getList("refused[0].errors.field", String.class))
                .containsExactlyInAnyOrder("data.plannedInvestment", "data.industryChain", "occurredOn");
        assertThat(answer.getList("refused[0].errors.message", String.class))
                .anySatisfy(m -> assertThat(m).contains("'abc'"))
                .anySatisfy(m -> assertThat(m).contains("'钢铁侠'"))
                .anySatisfy(m -> assertThat(m).contains("future"));
        assertThat(answer.getList("refused[0].columns", String.class))
                .containsExactlyInAnyOrder("计划总投资（万元）", "产业链", "日期");
        assertThat(answer.getList("refused[0].problem.errors")).hasSize(3);
        assertThat(storedEvents()).isZero();
    }

    @Test
    void aRowNamingTheCampaignsOwnStreamIsARowErrorNotAFault() {
        Api.admin().contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("period", "2024-04"))
                .post("/api/v1/campaigns/{id}/reports", campaign).then().statusCode(201);
        List<List<Object>> rows = List.of(
                row("campaign:" + campaign, "会战流", "兴县", "铝镁", "专项债券", 100, null, DAY).cells());
        JsonPath answer = upload("fgw", Workbooks.fill(template(), rows), true);
        assertThat(answer.getList("results.outcome")).containsExactly("refused");
        assertThat(answer.getList("refused[0].errors.field", String.class)).containsExactly("projectId");
    }

    @Test
    void theThreeMistakesOfARowAreWordedInChineseWhenTheRequestPrefersItAndInEnglishOtherwise() {
        byte[] file = Workbooks.fill(template(),
                List.of(row(null, "坏行", "兴县", "钢铁侠", "专项债券", "abc", null, "2099-01-01").cells()));

        JsonPath chinese = department("fgw").header("Accept-Language", "zh-CN").body(file)
                .post("/api/v1/campaigns/{id}/projects.xlsx", campaign).then().statusCode(200).extract().jsonPath();
        assertThat(messagesByField(chinese)).containsExactly(
                Map.entry("data.plannedInvestment", "金额应为万元数，如 1,234.56 或 5000万元，而不是“abc”"),
                Map.entry("data.industryChain", "没有“钢铁侠”这条产业链，请从下拉列表选择，或填写名称或代码，如 特钢 或 special-steel"),
                Map.entry("occurredOn", "不能晚于今天"));
        assertThat(chinese.getString("refused[0].problem.type")).isEqualTo("/problems/invalid-event");
        assertThat(chinese.getString("refused[0].problem.title")).isEqualTo("事件数据有误");
        assertThat(chinese.getString("refused[0].problem.detail")).isEqualTo("项目储备事件有 3 处填写有误");
        assertThat(chinese.getList("refused[0].problem.errors.message"))
                .isEqualTo(chinese.getList("refused[0].errors.message"));

        JsonPath english = upload("fgw", file, false);
        assertThat(messagesByField(english)).containsExactly(
                Map.entry("data.plannedInvestment", "must be an amount in 万元, such as 1,234.56 or 5000万元, not 'abc'"),
                Map.entry("data.industryChain",
                        "unknown industry chain '钢铁侠': give its name or code, such as 特钢 or special-steel"),
                Map.entry("occurredOn", "must not be in the future"));
        assertThat(english.getString("refused[0].problem.title")).isEqualTo("Invalid event");
        assertThat(english.getString("refused[0].problem.detail")).isEqualTo("ProjectReserved has 3 invalid field(s)");
        assertThat(storedEvents()).isZero();
    }

    @Test
    void theGoodFileIsStoredNormalisedOnceWithItsIdsAndADryRunStoresNothing() {
        byte[] file = Workbooks.fill(template(), goodRows());
        JsonPath dry = upload("fgw", file, true);
        assertThat(dry.getBoolean("dryRun")).isTrue();
        assertThat(dry.getBoolean("stored")).isFalse();
        assertThat(dry.getInt("created")).isEqualTo(2);
        assertThat(dry.getList("refused")).isEmpty();
        assertThat(storedEvents()).isZero();

        JsonPath stored = upload("fgw", file, false);
        assertThat(stored.getBoolean("stored")).isTrue();
        assertThat(stored.getInt("created")).isEqualTo(2);
        assertThat(stored.getList("results.row", Integer.class)).containsExactly(2, 3);
        assertThat(stored.getList("results.outcome")).containsExactly("created", "created");
        String generated = stored.getString("results[0].projectId");
        assertThat(generated).startsWith("XL-").isEqualTo(dry.getString("results[0].projectId"));
        assertThat(stored.getString("results[1].projectId")).isEqualTo(givenId);
        assertThat(storedEvents()).isEqualTo(2);

        JsonPath again = upload("fgw", file, false);
        assertThat(again.getBoolean("stored")).isTrue();
        assertThat(again.getInt("created")).isZero();
        assertThat(again.getInt("unchanged")).isEqualTo(2);
        assertThat(again.getList("results.projectId")).containsExactly(generated, givenId);
        assertThat(storedEvents()).isEqualTo(2);

        Api.awaitProjected();
        JsonPath given = project(givenId);
        assertThat(given.getString("name")).isEqualTo("离石新材料 二期");
        assertThat(given.getString("stage")).isEqualTo("RESERVED");
        assertThat(Api.amount(given, "plannedInvestment")).isEqualByComparingTo("88000.50");
        assertThat(given.getList("categories")).containsExactly("special-bond", "chain-extension");
        assertThat(given.getString("reservedOn")).isEqualTo("2024-04-02");
        JsonPath xl = project(generated);
        assertThat(xl.getString("name")).isEqualTo("兴县铝镁");
        assertThat(Api.amount(xl, "plannedInvestment")).isEqualByComparingTo("1234.57");
        assertThat(Api.amount(xl, "annualPlannedInvestment")).isEqualByComparingTo("300.00");
        assertThat(xl.getString("reservedOn")).isEqualTo(DAY.toString());

        // A row naming an existing project corrects the fields it changes: the name, not the amount it repeats.
        JsonPath corrected = upload("fgw", Workbooks.fill(template(),
                List.of(row(givenId, "离石新材料（更正）", null, null, null, "88,000.50", null, "2024-05-01").cells())), false);
        assertThat(corrected.getBoolean("stored")).isTrue();
        assertThat(corrected.getInt("updated")).isEqualTo(1);
        assertThat(corrected.getString("results[0].outcome")).isEqualTo("updated");
        assertThat(Api.sqlValue("SELECT type || ' ' || (data ? 'plannedInvestment') FROM events WHERE project_id = '"
                + givenId + "' AND version = 2")).isEqualTo("ProjectCorrected false");
        Api.awaitProjected();
        assertThat(project(givenId).getString("name")).isEqualTo("离石新材料（更正）");
        assertThat(Api.amount(project(givenId), "plannedInvestment")).isEqualByComparingTo("88000.50");
    }

    @Test
    void aCountyDepartmentsRowForAnotherRegionIsRefusedAndNothingIsStored() {
        // A file of the template before names: its titles 县（市、区）代码, 产业链代码 and 项目类别代码 are still read.
        byte[] file = Workbooks.importFile(List.of(
                row(null, "兴县项目", "141123", "coal", null, 10, null, DAY).cells().subList(0, 11),
                row(null, "汾阳项目", "141182", "baijiu", null, 20, null, DAY).cells().subList(0, 11)));
        JsonPath answer = upload("xingxian", file, false);
        assertThat(answer.getBoolean("stored")).isFalse();
        assertThat(answer.getList("refused.row", Integer.class)).containsExactly(3);
        assertThat(answer.getString("refused[0].problem.type")).isEqualTo("/problems/region-not-held");
        assertThat(answer.getString("refused[0].problem.detail")).contains("141182");
        assertThat(storedEvents()).isZero();
    }

    @Test
    void aBrowsersFormUploadIsTakenAsTheFileItself() {
        byte[] file = Workbooks.fill(template(), goodRows());
        Response answer = RestAssured.given().auth().preemptive().basic("fgw", "fgw-secret")
                .multiPart("file", "项目导入.xlsx", file, Workbooks.XLSX).queryParam("dryRun", false)
                .post("/api/v1/campaigns/{id}/projects.xlsx", campaign);
        answer.then().statusCode(200).contentType("application/json");
        assertThat(answer.jsonPath().getList("results.outcome")).containsExactly("created", "created");
        assertThat(storedEvents()).isEqualTo(2);

        RestAssured.given().auth().preemptive().basic("fgw", "fgw-secret")
                .multiPart("other", "项目导入.xlsx", file, Workbooks.XLSX)
                .post("/api/v1/campaigns/{id}/projects.xlsx", campaign)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("file"));
        RestAssured.given().auth().preemptive().basic("fgw", "fgw-secret")
                .multiPart("file", "大.xlsx", new byte[2 * 1024 * 1024 + 1], Workbooks.XLSX)
                .post("/api/v1/campaigns/{id}/projects.xlsx", campaign)
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("/problems/body-too-large"));
        assertThat(storedEvents()).isEqualTo(2);
    }

    @Test
    void theResultAsAWorkbookIsTheUploadedRowsWithTheirIdsAndWhatBecameOfEach() throws IOException {
        List<List<Object>> rows = new ArrayList<>(goodRows());
        byte[] answer = department("fgw").accept(Workbooks.XLSX).body(Workbooks.fill(template(), rows))
                .post("/api/v1/campaigns/{id}/projects.xlsx", campaign).then().statusCode(200)
                .contentType(Workbooks.XLSX).extract().asByteArray();
        try (XSSFWorkbook result = new XSSFWorkbook(new ByteArrayInputStream(answer))) {
            Sheet sheet = result.getSheet("项目清单");
            List<String> header = texts(sheet.getRow(0));
            int outcome = header.indexOf("导入结果");
            assertThat(outcome).isGreaterThan(header.indexOf("项目名称"));
            assertThat(sheet.getRow(1).getCell(0).getStringCellValue()).startsWith("XL-");
            assertThat(sheet.getRow(1).getCell(1).getStringCellValue()).isEqualTo("兴县铝镁");
            assertThat(sheet.getRow(1).getCell(outcome).getStringCellValue()).isEqualTo("已新建");
            assertThat(sheet.getRow(2).getCell(0).getStringCellValue()).isEqualTo(givenId);
        }

        rows.add(row(null, "坏行", "兴县", "钢铁侠", null, "abc", null, DAY).cells());
        answer = department("fgw").accept(Workbooks.XLSX).queryParam("dryRun", true)
                .body(Workbooks.fill(template(), rows)).post("/api/v1/campaigns/{id}/projects.xlsx", campaign).then()
                .statusCode(200).extract().asByteArray();
        try (XSSFWorkbook result = new XSSFWorkbook(new ByteArrayInputStream(answer))) {
            Sheet sheet = result.getSheet("项目清单");
            int outcome = texts(sheet.getRow(0)).indexOf("导入结果");
            assertThat(sheet.getRow(1).getCell(outcome).getStringCellValue()).isEqualTo("无变化");
            assertThat(sheet.getRow(3).getCell(0)).as("a refused new row has no id").isNull();
            // The officer's column is in Chinese, though the request prefers no language.
            assertThat(sheet.getRow(3).getCell(outcome).getStringCellValue()).startsWith("未通过：").contains(
                    "计划总投资（万元）：金额应为万元数，如 1,234.56 或 5000万元，而不是“abc”", "产业链：没有“钢铁侠”这条产业链");
        }
    }

    @Test
    void whatIsNotATemplateIsAProblemNeverAFault() throws IOException {
        byte[] garbage = "PK\u0003\u0004 not really a zip".getBytes(StandardCharsets.ISO_8859_1);
        for (byte[] body : List.of(garbage, new byte[0], "项目编号,项目名称".getBytes(StandardCharsets.UTF_8))) {
            department("fgw").body(body).post("/api/v1/campaigns/{id}/projects.xlsx", campaign).then()
                    .statusCode(400).contentType("application/problem+json").body("type",
                            org.hamcrest.Matchers.equalTo("/problems/invalid-request"));
        }
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(template()))) {
            workbook.getSheetAt(0).getRow(0).getCell(1).setCellValue("名称");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            workbook.write(out);
            department("fgw").body(out.toByteArray()).post("/api/v1/campaigns/{id}/projects.xlsx", campaign).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors.field", org.hamcrest.Matchers.contains("项目名称"))
                    .body("errors[0].message", org.hamcrest.Matchers.containsString("row 1"));
        }
        List<List<Object>> many = Collections.nCopies(1001, row(null, "项目", "141123", "coal", null, 1, null, DAY).cells());
        department("fgw").body(Workbooks.fill(template(), many)).post("/api/v1/campaigns/{id}/projects.xlsx", campaign)
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("/problems/batch-too-large"));
        department("fgw").body(new byte[2 * 1024 * 1024 + 1]).post("/api/v1/campaigns/{id}/projects.xlsx", campaign)
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("/problems/body-too-large"));
        department("fgw").queryParam("dryRun", "perhaps").body(template())
                .post("/api/v1/campaigns/{id}/projects.xlsx", campaign).then().statusCode(400)
                .contentType("application/problem+json");
        assertThat(storedEvents()).isZero();
    }

    @Test
    void craftedFormsAndCellsAreProblemsNeverFaults() {
        for (String type : List.of("multipart/form-data", "multipart/form-data; boundary=b; charset=x-none")) {
            department("fgw").contentType(type).body("x".repeat(2000).getBytes(StandardCharsets.UTF_8)).post("/api/v1/campaigns/{id}/projects.xlsx", campaign)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.equalTo("/problems/invalid-request"));
        }
        String beyondTheLastRow = "<row r=\"2000000\"><c r=\"B2000000\" t=\"inlineStr\"><is><t>名</t></is></c></row>";
        String beyondTheLastColumn = "<row r=\"2\"><c r=\"XFD2\" t=\"inlineStr\"><is><t>名</t></is></c></row>";
        for (String row : List.of(beyondTheLastRow, beyondTheLastColumn)) {
            department("fgw").accept(Workbooks.XLSX).queryParam("dryRun", true)
                    .body(Workbooks.withRowXml(template(), row)).post("/api/v1/campaigns/{id}/projects.xlsx", campaign)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.containsString("lies outside"));
        }
        // A million spaces inside a name zip to a few kilobytes; trimming them must not cost the square of their count.
        String spaced = "x" + " ".repeat(1_000_000) + "x";
        String tooLong = "名".repeat(40_000);
        for (String name : List.of(spaced, tooLong)) {
            // Longer than a cell POI writes (32,767 characters): as another program may write it, in the sheet's XML.
            byte[] file = Workbooks.withRowXml(template(), "<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is>"
                    + "<t xml:space=\"preserve\">" + name + "</t></is></c></row>");
            byte[] answer = department("fgw").accept(Workbooks.XLSX).queryParam("dryRun", true).body(file)
                    .post("/api/v1/campaigns/{id}/projects.xlsx", campaign).then().statusCode(200)
                    .contentType(Workbooks.XLSX).extract().asByteArray();
            assertThat(answer).isNotEmpty();
        }
        assertThat(storedEvents()).isZero();
    }

    @Test
    void aDownloadedListWithoutItsVersionColumnIsRefusedSoThatAnOldDownloadCannotUndoNewerChanges() throws IOException {
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(template()))) {
            Row header = workbook.getSheetAt(0).getRow(0);
            header.createCell(header.getLastCellNum()).setCellValue(ProjectColumn.STAGE.title);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            workbook.write(out);
            department("fgw").body(Workbooks.fill(out.toByteArray(),
                            List.of(row(null, "新项目", "141123", "coal", null, 1, null, DAY).cells())))
                    .post("/api/v1/campaigns/{id}/projects.xlsx", campaign).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", org.hamcrest.Matchers.contains(ProjectColumn.VERSION.title));
        }
        assertThat(storedEvents()).isZero();
    }

    @Test
    void aMillionTinyRowsPackedUnderTheSizeLimitAreRefusedAtTheRowLimitWithoutBeingReadAll() {
        byte[] bomb = Workbooks.rowBomb(template(), 1_100_000);
        assertThat(bomb.length).isLessThan(2 * 1024 * 1024);
        long started = System.nanoTime();
        department("fgw").body(bomb).post("/api/v1/campaigns/{id}/projects.xlsx", campaign).then()
                .statusCode(413).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("/problems/batch-too-large"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("ImportTest: a row bomb of %d bytes answered 413 in %d ms%n", bomb.length, took.toMillis());
        // Parsed whole (the workbook model), the sheet took 7.4 s and 1.3 GiB here, or the JVM (HostileClientFaultIT).
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(storedEvents()).isZero();
    }

    @Test
    void aSheetWhoseXmlIsLargerUncompressedThanTheBoundIsRefusedThoughItsRowsAreEmpty() {
        byte[] file = Workbooks.emptyRows(template(), 400_000);
        assertThat(file.length).isLessThan(2 * 1024 * 1024);
        department("fgw").body(file).post("/api/v1/campaigns/{id}/projects.xlsx", campaign).then()
                .statusCode(413).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("/problems/body-too-large"))
                .body("detail", org.hamcrest.Matchers.containsString("xl/worksheets/sheet1.xml"));

        // The same empty rows within the bound are read through: nothing to import.
        JsonPath fewer = upload("fgw", Workbooks.emptyRows(template(), 1000), true);
        assertThat(fewer.getInt("rows")).isZero();
        assertThat(storedEvents()).isZero();
    }

    /** Two good rows: one without projectId, one with a new one; cells as people type them. */
    private List<List<Object>> goodRows() {
        return List.of(
                row(null, "兴县铝镁", "141123", "aluminium-magnesium", null, 1234.567, 300, DAY).cells(),
                row(" " + givenId + "\u3000", "\u3000离石新材料 二期\n", "141102", "coal-chemical",
                        "special-bond、chain-extension", "\u300088,000.5 ", null, "2024-04-02").cells());
    }

    /** A row of the template, in its columns' order. */
    private record TemplateRow(List<Object> cells) {

        TemplateRow withZone(String zone) {
            List<Object> changed = new ArrayList<>(cells);
            changed.set(ProjectColumn.ZONE.ordinal(), zone);
            return new TemplateRow(changed);
        }
    }

    private static TemplateRow row(String projectId, String name, String region, String chain, String categories,
                                   Object planned, Object annual, Object date) {
        return new TemplateRow(Arrays.asList(projectId, name, region, chain, categories, planned, annual, null, null,
                null, date, null));
    }

    /** The errors of the first refused row, each field's message by field, in the answer's order. */
    private static Map<String, String> messagesByField(JsonPath answer) {
        Map<String, String> messages = new LinkedHashMap<>();
        answer.getList("refused[0].errors", Map.class)
                .forEach(error -> messages.put((String) error.get("field"), (String) error.get("message")));
        return messages;
    }

    private static List<String> names(String list) {
        return given().get("/api/v1/reference/{list}", list).then().statusCode(200).extract().jsonPath().getList("nameZh");
    }

    private static List<String> texts(Row row) {
        DataFormatter formatter = new DataFormatter();
        List<String> texts = new ArrayList<>();
        row.forEach(cell -> texts.add(formatter.formatCellValue(cell)));
        return texts;
    }

    private byte[] template() {
        return given().get("/api/v1/campaigns/{id}/import-template.xlsx", campaign).then().statusCode(200)
                .contentType(Workbooks.XLSX).extract().asByteArray();
    }

    private JsonPath upload(String department, byte[] file, boolean dryRun) {
        Response answer = department(department).queryParam("dryRun", dryRun).body(file)
                .post("/api/v1/campaigns/{id}/projects.xlsx", campaign);
        answer.then().statusCode(200);
        assertThat(answer.jsonPath().getString("campaignId")).isEqualTo(campaign);
        return answer.jsonPath();
    }

    private static io.restassured.specification.RequestSpecification department(String name) {
        return RestAssured.given().auth().preemptive().basic(name, name + "-secret").contentType(Workbooks.XLSX);
    }

    private JsonPath project(String projectId) {
        return given().get("/api/v1/projects/{id}", projectId).then().statusCode(200).extract().jsonPath();
    }

    private long storedEvents() {
        return Long.parseLong(Api.sqlValue("SELECT count(*) FROM events WHERE data->>'campaignId' = '" + campaign
                + "' OR project_id = '" + givenId + "'"));
    }
}
