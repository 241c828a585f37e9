package cn.qxqy.pipeline.spreadsheet;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.RequiredTools;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.PrintSetup;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sheet of every export as a person sees it: each cell's text, formatted as the spreadsheet formats it, fits
 * its column (a Han character two digits wide), so that no number shows as ### and no id is cut; each sheet opens
 * with its title (the campaign's name and 数据截至) and prints as a report; so does the import template's every cell. With LibreOffice on the PATH the workbooks
 * are also rendered, and the PDFs and PNGs left in target/workbooks for a person to look at.
 */
@QuarkusTest
class WorkbookRenderingTest {

    private static final LocalDate DAY = LocalDate.of(2024, 3, 15);
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final String NAME = "2024年“千项千亿”项目大会战（渲染检查）";
    private static final Pattern AS_OF = Pattern.compile("数据截至 (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2})");
    private static final Path OUT = Path.of("target", "workbooks");

    private String campaign;

    @BeforeEach
    void aCampaignWithLongNamesAndLargeAmounts() {
        campaign = "render-" + UUID.randomUUID().toString().substring(0, 8);
        Api.admin().body(Map.of("nameZh", NAME, "nameEn", "Rendering check", "year", 2024, "cityCode", "141100"))
                .put("/api/v1/admin/campaigns/{id}", campaign).then().statusCode(201);
        Api.admin().body(Map.of("targets", List.of(Map.of("code", "annual-investment", "nameZh", "年度计划投资",
                        "nameEn", "Annual investment", "measure", "annualPlannedInvestment", "target", 10_000_000),
                Map.of("code", "projects", "nameZh", "项目总数", "nameEn", "Projects", "measure", "projects",
                        "target", 1000))))
                .put("/api/v1/admin/campaigns/{id}/targets", campaign).then().statusCode(200);
        Map<String, Object> longest = Api.reservation("吕梁经济技术开发区年产200万只铝合金商用车轮毂及配套精深加工产业链延链补链"
                        + "示范项目（一期、二期、三期工程合并建设）", campaign, "141123", "aluminium-magnesium",
                List.of("central-budget", "special-bond", "chain-extension", "private-capital", "patent-technology"),
                "38797141.37");
        longest.put("annualPlannedInvestment", new BigDecimal("9999999.99"));
        longest.put("owner", "山西吕梁经济技术开发区铝镁新材料产业投资建设运营管理有限责任公司");
        longest.put("zone", "吕梁经济技术开发区");
        Api.Project large = new Api.Project(Api.newProjectId()).post("ProjectReserved", DAY, longest)
                .post("ProjectSigned", DAY.plusDays(10), Map.of("signedInvestment", new BigDecimal("38797141.37"),
                        "investor", "某铝业集团"))
                .post("ConstructionStarted", DAY.plusDays(20), Map.of())
                .post("InvestmentReported", DAY.plusMonths(1), Map.of("period", "2024-03",
                        "investmentToDate", new BigDecimal("1234567.89")));
        Api.Project small = Api.reserve(campaign, "新安大道", "141102", "infrastructure", List.of(), "12376.8", "933.04",
                DAY.plusDays(1));
        Api.Project withdrawn = Api.reserve(campaign, "交口县经济技术开发区退出项目", "141130", "other",
                List.of("special-bond"), "17458", null, DAY.plusDays(2))
                .post("ProjectWithdrawn", DAY.plusDays(30), Map.of("reason", "投资方退出"));
        Api.awaitProjected(large, small, withdrawn);
    }

    @Test
    void everyCellOfEveryExportFitsItsColumnAndEverySheetIsTitledWithTheCampaignAndItsDate() throws Exception {
        Map<String, String> exports = new LinkedHashMap<>();
        exports.put("report", "/api/v1/campaigns/{id}/report.xlsx");
        exports.put("projects", "/api/v1/campaigns/{id}/projects.xlsx");
        exports.put("projects-withdrawn-too", "/api/v1/campaigns/{id}/projects.xlsx?includeWithdrawn=true");
        exports.put("bulletin", "/api/v1/campaigns/{id}/bulletin.xlsx");
        for (Map.Entry<String, String> export : exports.entrySet()) {
            LocalDateTime before = LocalDateTime.now(BEIJING).truncatedTo(ChronoUnit.SECONDS);
            byte[] bytes = given().get(export.getValue(), campaign).then().statusCode(200).extract().asByteArray();
            LocalDateTime after = LocalDateTime.now(BEIJING);
            try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(bytes))) {
                for (Sheet sheet : workbook) {
                    String where = export.getKey() + "/" + sheet.getSheetName();
                    String title = sheet.getRow(0).getCell(0).getStringCellValue();
                    assertThat(title).as(where).startsWith(NAME).contains(sheet.getSheetName());
                    Matcher asOf = AS_OF.matcher(title);
                    assertThat(asOf.find()).as(where + ": 数据截至 in " + title).isTrue();
                    assertThat(LocalDateTime.parse(asOf.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")))
                            .as(where + ": read during the request, Beijing time").isBetween(before, after);
                    assertFits(sheet, where);
                    assertPrintsAsAReport(sheet, where);
                }
            }
            render(export.getKey(), bytes, NAME, "数据截至");
        }
    }

    /**
     * Numbers never wrap (a spreadsheet shows ### instead); text may, when its style says so and its row is high
     * enough for its lines (a column's width less its margins).
     */
    private static void assertFits(Sheet sheet, String where) {
        DataFormatter formatter = new DataFormatter();
        int cells = 0;
        for (Row row : sheet) {
            for (Cell cell : row) {
                String text = formatter.formatCellValue(cell);
                if (text.isEmpty()) {
                    continue;
                }
                cells++;
                int column = columnsWidth(sheet, cell);
                if (cell.getCellType() == CellType.STRING && cell.getCellStyle().getWrapText()) {
                    int lines = (width(text) + column - 3) / (column - 2);
                    assertThat(row.getHeightInPoints()).as("%s!%s: '%s' wraps into %d lines of %d", where,
                            cell.getAddress(), text, lines, column).isGreaterThanOrEqualTo(lines * 14f);
                } else {
                    assertThat(width(text)).as("%s!%s: '%s' within its column", where, cell.getAddress(), text)
                            .isLessThanOrEqualTo(column);
                }
            }
        }
        assertThat(cells).as(where + ": cells checked").isGreaterThan(3);
    }

    @Test
    void theImportTemplateOpensWithEveryTitleAndInstructionReadable() throws Exception {
        byte[] bytes = given().get("/api/v1/campaigns/{id}/import-template.xlsx", campaign).then().statusCode(200)
                .extract().asByteArray();
        render("import-template", bytes, NAME, "填写说明");
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(bytes))) {
            int visible = 0;
            for (Sheet sheet : workbook) {
                if (!workbook.isSheetHidden(workbook.getSheetIndex(sheet))) {
                    assertFits(sheet, "import-template/" + sheet.getSheetName());
                    visible++;
                }
            }
            assertThat(visible).as("the rows to fill and 填写说明").isEqualTo(2);
        }
    }

    private static void assertPrintsAsAReport(Sheet sheet, String where) {
        assertThat(sheet.getPaneInformation().isFreezePane()).as(where + ": frozen").isTrue();
        assertThat(sheet.getPaneInformation().getHorizontalSplitTopRow()).as(where + ": below the header").isEqualTo((short) 2);
        PrintSetup print = sheet.getPrintSetup();
        assertThat(print.getLandscape()).as(where + ": landscape").isTrue();
        assertThat(sheet.getFitToPage()).as(where + ": fit to page").isTrue();
        assertThat(print.getFitWidth()).as(where + ": one page wide").isEqualTo((short) 1);
        assertThat(print.getFitHeight()).as(where + ": as many pages down as it takes").isZero();
        assertThat(sheet.getRepeatingRows()).as(where + ": title and header on every page")
                .isEqualTo(CellRangeAddress.valueOf("1:2"));
        assertThat(sheet.getFooter().getCenter()).as(where + ": page numbers").contains("&P", "&N");
        int width = 0;
        for (int i = 0; i <= sheet.getRow(1).getLastCellNum(); i++) {
            width += sheet.getColumnWidth(i) / 256;
        }
        // Fitted to one page's width, a wide list on A4 prints too small to read: A3 beyond what A4 holds.
        assertThat(print.getPaperSize()).as(where + ": paper for " + width + " digit widths")
                .isEqualTo(width > 150 ? PrintSetup.A3_PAPERSIZE : PrintSetup.A4_PAPERSIZE);
    }

    /** The width of the cell's column, or of the columns it is merged across, in widths of a digit. */
    private static int columnsWidth(Sheet sheet, Cell cell) {
        for (CellRangeAddress merged : sheet.getMergedRegions()) {
            if (merged.isInRange(cell)) {
                int width = 0;
                for (int c = merged.getFirstColumn(); c <= merged.getLastColumn(); c++) {
                    width += sheet.getColumnWidth(c);
                }
                return width / 256;
            }
        }
        return sheet.getColumnWidth(cell.getColumnIndex()) / 256;
    }

    /** A Han character, CJK punctuation or a full-width form counts double. */
    private static int width(String text) {
        return text.codePoints().map(c -> Character.isIdeographic(c) || c >= 0x3000 && c <= 0x303F
                || c >= 0xFF01 && c <= 0xFF60 ? 2 : 1).sum();
    }

    /**
     * The workbook as LibreOffice prints it, in target/workbooks (PDF and a PNG per page, for a person to look at):
     * a cell too narrow for its number shows ### there.
     */
    private static void render(String name, byte[] workbook, String... printed) throws IOException, InterruptedException {
        if (!RequiredTools.available("soffice", "LibreOffice (libreoffice-calc-nogui) renders the workbooks")
                || !RequiredTools.available("pdftotext", "poppler-utils reads the rendered PDFs")) {
            return;
        }
        Files.createDirectories(OUT);
        Path xlsx = OUT.resolve(name + ".xlsx");
        Files.write(xlsx, workbook);
        Path profile = Files.createTempDirectory("soffice-profile");
        run("soffice", "-env:UserInstallation=" + profile.toUri(), "--headless", "--convert-to", "pdf", "--outdir",
                OUT.toString(), xlsx.toString());
        Path pdf = OUT.resolve(name + ".pdf");
        Path text = OUT.resolve(name + ".txt");
        run("pdftotext", "-layout", pdf.toString(), text.toString());
        String rendered = Files.readString(text, StandardCharsets.UTF_8);
        assertThat(rendered).as(name + " as LibreOffice prints it").contains(printed).doesNotContain("###");
        if (RequiredTools.find("pdftoppm").isPresent()) {
            run("pdftoppm", "-png", "-r", "60", pdf.toString(), OUT.resolve(name).toString());
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command) + " ends").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
    }
}
