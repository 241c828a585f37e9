package cn.qxqy.pipeline.spreadsheet;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Workbooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/** 计划开工日期 and 计划竣工日期 in the project list's export, the import template, and a list downloaded and uploaded again. */
@QuarkusTest
class PlannedDatesSpreadsheetTest {

    private static final LocalDate RESERVED_ON = LocalDate.of(2024, 3, 1);
    private static final LocalDate PLANNED_START = LocalDate.of(2024, 4, 1);
    private static final LocalDate PLANNED_COMPLETION = LocalDate.of(2025, 12, 31);

    private String campaign;
    private Api.Project planned;
    private Api.Project unplanned;

    @BeforeEach
    void aCampaignWithAPlannedProjectAndOneWithoutPlans() {
        campaign = Api.newCampaign();
        Map<String, Object> data = Api.reservation("兴县氢能计划项目", campaign, "141123", "hydrogen", List.of(), "5000");
        data.put("plannedStartOn", PLANNED_START.toString());
        data.put("plannedCompletionOn", PLANNED_COMPLETION.toString());
        planned = new Api.Project(Api.newProjectId()).post("ProjectReserved", RESERVED_ON, data);
        unplanned = Api.reserve(campaign, "离石无计划项目", "141102", "coal-chemical", List.of(), "800", null, RESERVED_ON);
        Api.awaitProjected(planned, unplanned);
    }

    @Test
    void theListShowsThePlannedDaysInTheWorkbookAndTheCsv() throws IOException {
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(export()))) {
            Sheet sheet = workbook.getSheet("项目清单");
            assertThat(sheet.getRow(1).getCell(ProjectColumn.PLANNED_START_ON.ordinal()).getStringCellValue())
                    .isEqualTo("计划开工日期");
            assertThat(sheet.getRow(1).getCell(ProjectColumn.PLANNED_COMPLETION_ON.ordinal()).getStringCellValue())
                    .isEqualTo("计划竣工日期");
            Row plannedRow = rowOf(sheet, planned.id());
            assertThat(day(plannedRow.getCell(ProjectColumn.PLANNED_START_ON.ordinal()))).isEqualTo(PLANNED_START);
            assertThat(day(plannedRow.getCell(ProjectColumn.PLANNED_COMPLETION_ON.ordinal())))
                    .isEqualTo(PLANNED_COMPLETION);
            Row unplannedRow = rowOf(sheet, unplanned.id());
            assertThat(blank(unplannedRow.getCell(ProjectColumn.PLANNED_START_ON.ordinal()))).isTrue();
            assertThat(blank(unplannedRow.getCell(ProjectColumn.PLANNED_COMPLETION_ON.ordinal()))).isTrue();
        }

        byte[] csv = given().get("/api/v1/campaigns/{id}/projects.csv", campaign).then().statusCode(200).extract()
                .asByteArray();
        List<List<String>> lines = new String(csv, 3, csv.length - 3, StandardCharsets.UTF_8).lines()
                .map(line -> Arrays.asList(line.split(",", -1))).toList();
        int start = lines.get(1).indexOf("计划开工日期");
        int completion = lines.get(1).indexOf("计划竣工日期");
        assertThat(start).isEqualTo(ProjectColumn.PLANNED_START_ON.ordinal());
        assertThat(completion).isEqualTo(ProjectColumn.PLANNED_COMPLETION_ON.ordinal());
        List<String> plannedLine = lines.stream().filter(line -> line.get(0).equals(planned.id())).findFirst()
                .orElseThrow();
        assertThat(List.of(plannedLine.get(start), plannedLine.get(completion)))
                .containsExactly(PLANNED_START.toString(), PLANNED_COMPLETION.toString());
        List<String> unplannedLine = lines.stream().filter(line -> line.get(0).equals(unplanned.id())).findFirst()
                .orElseThrow();
        assertThat(List.of(unplannedLine.get(start), unplannedLine.get(completion))).containsOnly("");
    }

    @Test
    void aPlannedDayEditedInTheDownloadedListCorrectsThatDayOnly() throws IOException {
        LocalDate later = LocalDate.of(2026, 6, 30);
        byte[] edited;
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(export()))) {
            // As Excel keeps a day typed over the text: a date cell. Blank first: POI would keep the inline text.
            Cell cell = rowOf(workbook.getSheet("项目清单"), planned.id())
                    .getCell(ProjectColumn.PLANNED_COMPLETION_ON.ordinal());
            CellStyle date = workbook.createCellStyle();
            date.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("yyyy/m/d"));
            cell.setBlank();
            cell.setCellValue(later);
            cell.setCellStyle(date);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            workbook.write(out);
            edited = out.toByteArray();
        }

        JsonPath answer = upload(edited);

        assertThat(answer.getList("refused")).isEmpty();
        assertThat(answer.getInt("updated")).isEqualTo(1);
        assertThat(answer.getInt("unchanged")).isEqualTo(1);
        assertThat(Api.sqlValue("SELECT data::text FROM events WHERE project_id = '" + planned.id() + "' AND version = 2"))
                .isEqualTo("{\"plannedCompletionOn\": \"2026-06-30\"}");
        JsonPath project = given().queryParam("waitFor", planned.id() + ":2").get("/api/v1/projects/{id}", planned.id())
                .then().statusCode(200).extract().jsonPath();
        assertThat(project.getString("plannedStartOn")).isEqualTo(PLANNED_START.toString());
        assertThat(project.getString("plannedCompletionOn")).isEqualTo(later.toString());
    }

    @Test
    void aNewRowOfTheTemplateReservesWithItsPlannedDaysAndARowPlanningCompletionBeforeStartIsRefused() {
        byte[] template = given().get("/api/v1/campaigns/{id}/import-template.xlsx", campaign).then().statusCode(200)
                .extract().asByteArray();
        List<Object> good = templateRow("交城装备计划项目", LocalDate.of(2025, 3, 1), "2027年6月30日");
        List<Object> backwards = templateRow("中阳特钢倒排项目", LocalDate.of(2025, 3, 1), "2025/2/28");

        JsonPath refused = upload(Workbooks.fill(template, List.of(good, backwards)));
        assertThat(refused.getBoolean("stored")).isFalse();
        assertThat(refused.getList("refused.row", Integer.class)).containsExactly(3);
        assertThat(refused.getList("refused[0].errors.field", String.class))
                .containsExactly("data.plannedCompletionOn");
        assertThat(refused.getList("refused[0].columns", String.class)).containsExactly("计划竣工日期");

        JsonPath stored = upload(Workbooks.fill(template, List.of(good)));
        assertThat(stored.getBoolean("stored")).isTrue();
        assertThat(stored.getList("results.outcome")).containsExactly("created");
        JsonPath project = given().queryParam("waitFor", stored.getString("results[0].projectId") + ":1")
                .get("/api/v1/projects/{id}", stored.getString("results[0].projectId")).then().statusCode(200)
                .extract().jsonPath();
        assertThat(project.getString("plannedStartOn")).isEqualTo("2025-03-01");
        assertThat(project.getString("plannedCompletionOn")).isEqualTo("2027-06-30");
    }

    /** A new row in the template's columns: a date cell for the start, the completion as an officer types it. */
    private static List<Object> templateRow(String name, LocalDate start, String completion) {
        List<Object> row = new ArrayList<>(Arrays.asList(new Object[ProjectColumn.template().size()]));
        row.set(ProjectColumn.NAME.ordinal(), name);
        row.set(ProjectColumn.REGION.ordinal(), "141122");
        row.set(ProjectColumn.CHAIN.ordinal(), "special-steel");
        row.set(ProjectColumn.PLANNED.ordinal(), 1200);
        row.set(ProjectColumn.DATE.ordinal(), RESERVED_ON);
        row.set(ProjectColumn.PLANNED_START_ON.ordinal(), start);
        row.set(ProjectColumn.PLANNED_COMPLETION_ON.ordinal(), completion);
        return row;
    }

    private byte[] export() {
        return given().get("/api/v1/campaigns/{id}/projects.xlsx", campaign).then().statusCode(200).extract()
                .asByteArray();
    }

    private JsonPath upload(byte[] file) {
        Response answer = RestAssured.given().auth().preemptive().basic("fgw", "fgw-secret")
                .contentType(Workbooks.XLSX).body(file).post("/api/v1/campaigns/{id}/projects.xlsx", campaign);
        answer.then().statusCode(200);
        return answer.jsonPath();
    }

    private static Row rowOf(Sheet sheet, String projectId) {
        for (Row row : sheet) {
            Cell first = row.getCell(0);
            if (first != null && first.getCellType() == CellType.STRING && first.getStringCellValue().equals(projectId)) {
                return row;
            }
        }
        throw new AssertionError("no row of " + projectId);
    }

    /** A day as the list writes every date: its ISO text, which the import reads back. */
    private static LocalDate day(Cell cell) {
        assertThat(cell.getCellType()).isEqualTo(CellType.STRING);
        return LocalDate.parse(cell.getStringCellValue());
    }

    private static boolean blank(Cell cell) {
        return cell == null || cell.getCellType() == CellType.BLANK;
    }
}
