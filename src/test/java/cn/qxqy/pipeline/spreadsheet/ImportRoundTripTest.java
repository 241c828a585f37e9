package cn.qxqy.pipeline.spreadsheet;

import cn.qxqy.pipeline.demo.DemoCampaign;
import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Workbooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static cn.qxqy.pipeline.testing.Api.CAMPAIGN;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo campaign's list downloaded, edited and uploaded again, as the city's and a county's departments do: the
 * edited project corrected, every other row skipped; an edit of an old download refused; a typo fixed in a new row's
 * name refused as a likely duplicate of the project until the row says it is new.
 */
@QuarkusTest
class ImportRoundTripTest {

    private static final String PLANNED = ProjectColumn.PLANNED.title;

    @BeforeEach
    void theDemoCampaign() {
        DemoCampaign.load(URI.create("http://localhost:" + RestAssured.port), DemoCampaign.basic("fgw:fgw-secret"));
        Api.awaitProjected();
    }

    @Test
    void theWholeListEditedInOneCellCorrectsThatProjectOnlyAndAnEditOfAnOldDownloadIsAConflict() {
        // A project of the test's own, so that the demo's projects keep their histories for the other tests; reserved
        // by the county, so that both the county and the city may correct it.
        Map<String, Object> data = Api.reservation("兴县往返导入 " + UUID.randomUUID().toString().substring(0, 8), CAMPAIGN,
                "141123", "aluminium-magnesium", List.of("special-bond"), "1000");
        data.put("annualPlannedInvestment", 100);
        Api.Project mine = new Api.Project(Api.newProjectId());
        RestAssured.given().auth().preemptive().basic("xingxian", "xingxian-secret").contentType(ContentType.JSON)
                .body(Api.envelope("ProjectReserved", LocalDate.of(2024, 3, 1), data))
                .post("/api/v1/projects/{id}/events", mine.id()).then().statusCode(201);
        project(mine.id() + ":1", mine.id());
        long projects = reservations();
        long events = events();
        byte[] first = export();

        Edit byCity = edit(first, mine.id(), 1234.56);
        JsonPath city = upload("fgw", byCity.file());
        assertThat(city.getList("refused")).isEmpty();
        assertThat(city.getBoolean("stored")).isTrue();
        assertThat(city.getInt("updated")).isEqualTo(1);
        assertThat(city.getInt("created")).isZero();
        assertThat(city.getInt("rows")).isGreaterThan(1000);
        assertThat(city.getInt("unchanged")).isEqualTo(city.getInt("rows") - 1);
        assertThat(city.getList("results").stream().map(r -> (Map<?, ?>) r)
                .filter(r -> !"unchanged".equals(r.get("outcome"))).toList())
                .singleElement().satisfies(r -> {
                    assertThat(r.get("projectId")).isEqualTo(mine.id());
                    assertThat(r.get("outcome")).isEqualTo("updated");
                    assertThat(r.get("row")).isEqualTo(byCity.row());
                });
        assertThat(events()).isEqualTo(events + 1);
        assertThat(reservations()).isEqualTo(projects);
        assertThat(Api.amount(project(mine.id() + ":2", mine.id()), "plannedInvestment")).isEqualByComparingTo("1234.56");
        assertThat(Api.amount(project(mine.id() + ":2", mine.id()), "annualPlannedInvestment")).isEqualByComparingTo("100");

        // A county's department downloads the same whole list: the other counties' rows are skipped, not refused.
        Edit byCounty = edit(export(), mine.id(), "2,000万元");
        JsonPath county = upload("xingxian", byCounty.file());
        assertThat(county.getList("refused")).isEmpty();
        assertThat(county.getBoolean("stored")).isTrue();
        assertThat(county.getInt("updated")).isEqualTo(1);
        assertThat(county.getInt("unchanged")).isEqualTo(county.getInt("rows") - 1);
        assertThat(events()).isEqualTo(events + 2);
        assertThat(reservations()).isEqualTo(projects);
        assertThat(Api.amount(project(mine.id() + ":3", mine.id()), "plannedInvestment")).isEqualByComparingTo("2000");

        // The first download edited: the project has changed since, and the edit is not laid over that change.
        JsonPath stale = upload("xingxian", edit(first, mine.id(), 3000).file());
        assertThat(stale.getBoolean("stored")).isFalse();
        assertThat(stale.getList("refused.row", Integer.class)).containsExactly(byCity.row());
        assertThat(stale.getString("refused[0].projectId")).isEqualTo(mine.id());
        assertThat(stale.getString("refused[0].problem.type")).isEqualTo("/problems/version-conflict");
        assertThat(events()).isEqualTo(events + 2);
        assertThat(Api.amount(project(mine.id() + ":3", mine.id()), "plannedInvestment")).isEqualByComparingTo("2000");
    }

    @Test
    void aTypoFixedInANewRowsNameIsALikelyDuplicateUntilTheRowSaysItIsNewAndTheSameFileAgainStoresNothing() {
        JsonPath found = given().queryParam("campaignId", CAMPAIGN).queryParam("q", "高标准农田建设项目")
                .get("/api/v1/projects").then().statusCode(200).extract().jsonPath();
        Map<String, Object> original = found.getList("items", Map.class).stream()
                .filter(p -> p.get("projectId").toString().startsWith("LL-2024-")).findFirst().orElseThrow();
        String fixed = original.get("name").toString().replace("高标准农田", "高标准农田改造");
        List<Object> row = Arrays.asList(null, fixed, original.get("regionCode"), original.get("industryChain"), null,
                "8,500.46", null, null, original.get("owner"), null, "2024-06-01", null);

        JsonPath refused = upload("fgw", Workbooks.fill(template(), List.of(row)));
        assertThat(refused.getBoolean("stored")).isFalse();
        assertThat(refused.getList("refused.row", Integer.class)).containsExactly(2);
        assertThat(refused.getList("refused[0].errors.field", String.class)).containsExactly("data.name");
        assertThat(refused.getString("refused[0].errors[0].message"))
                .contains(original.get("projectId").toString(), original.get("name").toString(), "确认新建");
        assertThat(refused.getList("refused[0].columns", String.class)).containsExactly("项目名称");

        List<Object> confirmed = Arrays.asList(row.toArray());
        confirmed.set(ProjectColumn.CONFIRM_NEW.ordinal(), "是");
        byte[] file = Workbooks.fill(template(), List.of(confirmed));
        JsonPath created = upload("fgw", file);
        assertThat(created.getBoolean("stored")).isTrue();
        assertThat(created.getList("results.outcome")).containsExactly("created");
        String projectId = created.getString("results[0].projectId");
        assertThat(projectId).startsWith("XL-");
        assertThat(eventsOf(projectId)).isEqualTo(1);

        JsonPath again = upload("fgw", file);
        assertThat(again.getBoolean("stored")).isTrue();
        assertThat(again.getList("results.outcome")).containsExactly("unchanged");
        assertThat(again.getList("results.projectId")).containsExactly(projectId);
        assertThat(eventsOf(projectId)).isEqualTo(1);
    }

    /** An exported list with one cell of a project's row changed, and that row's number. */
    private record Edit(byte[] file, int row) {
    }

    /** The list with the project's planned investment changed, as an officer types it: a number or a text. */
    private static Edit edit(byte[] list, String projectId, Object planned) {
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(list))) {
            Sheet sheet = workbook.getSheet("项目清单");
            int plannedColumn = -1;
            Row edited = null;
            for (Row row : sheet) {
                Cell first = row.getCell(0);
                String text = first == null ? "" : first.toString();
                if (text.equals("项目编号")) {
                    for (Cell cell : row) {
                        if (cell.toString().equals(PLANNED)) {
                            plannedColumn = cell.getColumnIndex();
                        }
                    }
                } else if (text.equals(projectId)) {
                    edited = row;
                }
            }
            assertThat(plannedColumn).as("the column %s", PLANNED).isNotNegative();
            assertThat(edited).as("the row of %s", projectId).isNotNull();
            Cell cell = edited.getCell(plannedColumn);
            if (planned instanceof Number number) {
                cell.setCellValue(number.doubleValue());
            } else {
                cell.setBlank();
                cell.setCellValue(planned.toString());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            workbook.write(out);
            return new Edit(out.toByteArray(), edited.getRowNum() + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole list, withdrawn projects too. */
    private static byte[] export() {
        return given().queryParam("includeWithdrawn", true).get("/api/v1/campaigns/{id}/projects.xlsx", CAMPAIGN).then()
                .statusCode(200).extract().asByteArray();
    }

    private static byte[] template() {
        return given().get("/api/v1/campaigns/{id}/import-template.xlsx", CAMPAIGN).then().statusCode(200).extract()
                .asByteArray();
    }

    private static JsonPath upload(String department, byte[] file) {
        Response answer = RestAssured.given().auth().preemptive().basic(department, department + "-secret")
                .contentType(Workbooks.XLSX).body(file).post("/api/v1/campaigns/{id}/projects.xlsx", CAMPAIGN);
        answer.then().statusCode(200);
        return answer.jsonPath();
    }

    private static JsonPath project(String waitFor, String projectId) {
        return given().queryParam("waitFor", waitFor).get("/api/v1/projects/{id}", projectId).then().statusCode(200)
                .extract().jsonPath();
    }

    private static long reservations() {
        return Long.parseLong(Api.sqlValue("SELECT count(*) FROM events WHERE type = 'ProjectReserved' AND "
                + "data->>'campaignId' = '" + CAMPAIGN + "'"));
    }

    private static long events() {
        return Long.parseLong(Api.sqlValue("SELECT count(*) FROM events WHERE project_id IN (SELECT project_id FROM "
                + "events WHERE type = 'ProjectReserved' AND data->>'campaignId' = '" + CAMPAIGN + "')"));
    }

    private static long eventsOf(String projectId) {
        return Long.parseLong(Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + projectId + "'"));
    }
}
