package cn.qxqy.pipeline.spreadsheet;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Workbooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The import of a filled template: all or nothing, through the API's checks, and the same file twice stores it once. */
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
    void theTemplateHasTheHeaderAndInstructions() throws IOException {
        try (XSSFWorkbook template = new XSSFWorkbook(new ByteArrayInputStream(template()))) {
            Row header = template.getSheet("项目清单").getRow(0);
            List<String> titles = new ArrayList<>();
            header.forEach(cell -> titles.add(cell.getStringCellValue()));
            assertThat(titles).isEqualTo(Workbooks.HEADER);
            assertThat(template.getSheet("项目清单").getLastRowNum()).isZero();
            assertThat(template.getSheet("填写说明").getRow(0).getCell(0).getStringCellValue())
                    .contains("/api/v1/campaigns/" + campaign + "/projects.xlsx");
        }
    }

    @Test
    void aFileWithOneBadRowStoresNothingAndListsTheRowWithItsReasons() {
        List<List<Object>> rows = new ArrayList<>(goodRows());
        rows.add(row(null, "坏行", "999999", "coal", "special-bond", "很多", null, DAY));
        JsonPath answer = upload("fgw", Workbooks.fill(template(), rows), false);
        assertThat(answer.getBoolean("stored")).isFalse();
        assertThat(answer.getInt("rows")).isEqualTo(3);
        assertThat(answer.getList("refused")).hasSize(1);
        assertThat(answer.getInt("refused[0].row")).isEqualTo(4);
        assertThat(answer.getString("refused[0].type")).isEqualTo("ProjectReserved");
        assertThat(answer.getString("refused[0].problem.type")).isEqualTo("/problems/invalid-event");
        assertThat(answer.getList("refused[0].problem.errors.field", String.class))
                .contains("data.plannedInvestment");
        assertThat(answer.getList("refused[0].columns", String.class)).contains("计划总投资（万元）");
        assertThat(storedEvents()).isZero();

        // The amount fixed, the unknown region is what the reference check refuses.
        rows.set(2, row(null, "坏行", "999999", "coal", "special-bond", 5, null, DAY));
        answer = upload("fgw", Workbooks.fill(template(), rows), false);
        assertThat(answer.getList("refused.row", Integer.class)).containsExactly(4);
        assertThat(answer.getList("refused[0].problem.errors.field", String.class)).containsExactly("data.regionCode");
        assertThat(answer.getList("refused[0].columns", String.class)).containsExactly("县（市、区）代码");
        assertThat(storedEvents()).isZero();
    }

    @Test
    void theGoodFileIsStoredNormalisedOnceAndADryRunStoresNothing() {
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
        assertThat(storedEvents()).isEqualTo(2);

        JsonPath again = upload("fgw", file, false);
        assertThat(again.getBoolean("stored")).isTrue();
        assertThat(again.getInt("created")).isZero();
        assertThat(again.getInt("unchanged")).isEqualTo(2);
        assertThat(storedEvents()).isEqualTo(2);

        Api.awaitProjected();
        JsonPath given = project(givenId);
        assertThat(given.getString("name")).isEqualTo("离石新材料 二期");
        assertThat(given.getString("stage")).isEqualTo("RESERVED");
        assertThat(Api.amount(given, "plannedInvestment")).isEqualByComparingTo("88000.50");
        assertThat(given.getList("categories")).containsExactly("special-bond", "chain-extension");
        assertThat(given.getString("reservedOn")).isEqualTo("2024-04-02");
        JsonPath generated = given().queryParam("campaignId", campaign).queryParam("q", "兴县铝镁")
                .get("/api/v1/projects").jsonPath();
        assertThat(generated.getString("items[0].projectId")).startsWith("XL-");
        assertThat(Api.amount(generated, "items[0].plannedInvestment")).isEqualByComparingTo("1234.57");
        assertThat(Api.amount(generated, "items[0].annualPlannedInvestment")).isEqualByComparingTo("300.00");
        assertThat(generated.getString("items[0].reservedOn")).isEqualTo(DAY.toString());

        // A row naming an existing project corrects it; only the cells filled change.
        JsonPath corrected = upload("fgw", Workbooks.fill(template(),
                List.of(row(givenId, "离石新材料（更正）", null, null, null, null, null, "2024-05-01"))), false);
        assertThat(corrected.getBoolean("stored")).isTrue();
        assertThat(corrected.getInt("created")).isEqualTo(1);
        Api.awaitProjected();
        assertThat(project(givenId).getString("name")).isEqualTo("离石新材料（更正）");
        assertThat(Api.amount(project(givenId), "plannedInvestment")).isEqualByComparingTo("88000.50");
        assertThat(Api.sqlValue("SELECT type FROM events WHERE project_id = '" + givenId + "' AND version = 2"))
                .isEqualTo("ProjectCorrected");
    }

    @Test
    void aCountyDepartmentsRowForAnotherRegionIsRefusedAndNothingIsStored() {
        byte[] file = Workbooks.importFile(List.of(
                row(null, "兴县项目", "141123", "coal", null, 10, null, DAY),
                row(null, "汾阳项目", "141182", "baijiu", null, 20, null, DAY)));
        JsonPath answer = upload("xingxian", file, false);
        assertThat(answer.getBoolean("stored")).isFalse();
        assertThat(answer.getList("refused.row", Integer.class)).containsExactly(3);
        assertThat(answer.getString("refused[0].problem.type")).isEqualTo("/problems/region-not-held");
        assertThat(answer.getString("refused[0].problem.detail")).contains("141182");
        assertThat(storedEvents()).isZero();
    }

    @Test
    void whatIsNotATemplateIsAProblemNeverAFault() {
        byte[] garbage = "PK\u0003\u0004 not really a zip".getBytes(StandardCharsets.ISO_8859_1);
        for (byte[] body : List.of(garbage, new byte[0], "项目编号,项目名称".getBytes(StandardCharsets.UTF_8))) {
            department("fgw").body(body).post("/api/v1/campaigns/{id}/projects.xlsx", campaign).then()
                    .statusCode(400).contentType("application/problem+json").body("type",
                            org.hamcrest.Matchers.equalTo("/problems/invalid-request"));
        }
        byte[] wrongHeader = Workbooks.importFile(List.of());
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(wrongHeader))) {
            workbook.getSheetAt(0).getRow(0).getCell(1).setCellValue("名称");
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            workbook.write(out);
            department("fgw").body(out.toByteArray()).post("/api/v1/campaigns/{id}/projects.xlsx", campaign).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", org.hamcrest.Matchers.equalTo("B1"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<List<Object>> many = Collections.nCopies(1001, row(null, "项目", "141123", "coal", null, 1, null, DAY));
        department("fgw").body(Workbooks.importFile(many)).post("/api/v1/campaigns/{id}/projects.xlsx", campaign).then()
                .statusCode(413).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("/problems/batch-too-large"));
        department("fgw").body(new byte[2 * 1024 * 1024 + 1]).post("/api/v1/campaigns/{id}/projects.xlsx", campaign)
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("/problems/body-too-large"));
        department("fgw").queryParam("dryRun", "perhaps").body(Workbooks.importFile(List.of()))
                .post("/api/v1/campaigns/{id}/projects.xlsx", campaign).then().statusCode(400)
                .contentType("application/problem+json");
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
                row(null, "兴县铝镁", "141123", "aluminium-magnesium", null, 1234.567, 300, DAY),
                row(" " + givenId + "\u3000", "\u3000离石新材料 二期\n", "141102", "coal-chemical",
                        "special-bond、chain-extension", "\u300088,000.5 ", null, "2024-04-02"));
    }

    private static List<Object> row(String projectId, String name, String region, String chain, String categories,
                                    Object planned, Object annual, Object date) {
        return Arrays.asList(projectId, name, region, chain, categories, planned, annual, null, null, null, date);
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
