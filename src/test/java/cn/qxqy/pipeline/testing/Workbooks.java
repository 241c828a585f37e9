package cn.qxqy.pipeline.testing;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.function.IntFunction;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Import files as a campaign office fills them: the template's sheet 项目清单, a row per project. */
public final class Workbooks {

    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public static final List<String> HEADER = List.of("项目编号", "项目名称", "县（市、区）代码", "产业链代码", "项目类别代码",
            "计划总投资（万元）", "年度计划投资（万元）", "所在园区", "项目业主", "项目代码", "日期");

    private Workbooks() {
    }

    /** A new workbook with the template's header and these rows. */
    public static byte[] importFile(List<List<Object>> rows) {
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            Sheet sheet = workbook.createSheet("项目清单");
            fill(sheet, 0, List.of(HEADER));
            return fill(workbook, sheet, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The template as the API answers it, with these rows after its header. */
    public static byte[] fill(byte[] template, List<List<Object>> rows) {
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(template))) {
            return fill(workbook, workbook.getSheet("项目清单"), rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The template with {@code rows} rows after its header, each a number in column A, packed as an attacker packs
     * them: no cell references, deflated hard. A million rows are some 30 MB of XML in about 1 MB of file, under the
     * import's 2 MiB, at a ratio (about 35) below POI's zip bomb check (100).
     */
    public static byte[] rowBomb(byte[] template, int rows) {
        // Each number twice: java.util.zip deflates a row per number at only 12 (the attacker's deflater got 18).
        return withRows(template, rows, n -> "<row><c><v>" + (n + 1) / 2 + "</v></c></row>");
    }

    /**
     * The template with {@code rows} empty rows after its header, as Excel writes rows formatted but never filled:
     * nothing to import, only XML to read (some 30 bytes a row).
     */
    public static byte[] emptyRows(byte[] template, int rows) {
        return withRows(template, rows, n -> "<row r=\"" + (n + 1) + "\" spans=\"1:11\"/>");
    }

    /** The template with these rows of sheet XML after its header, written as they are, however odd. */
    public static byte[] withRowXml(byte[] template, String... rows) {
        return withRows(template, rows.length, n -> rows[n - 1]);
    }

    /** The template's zip again, its first sheet (项目清单, sheet1.xml as POI writes it) with these rows written in. */
    private static byte[] withRows(byte[] template, int rows, IntFunction<String> row) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(template));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(entry.getName()));
                if (!entry.getName().equals("xl/worksheets/sheet1.xml")) {
                    in.transferTo(zip);
                    continue;
                }
                String sheet = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                int end = sheet.indexOf("</sheetData>");
                // Written as it is made: the XML of a million rows need not be held in memory.
                Writer xml = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
                xml.write(sheet, 0, end);
                for (int n = 1; n <= rows; n++) {
                    xml.write(row.apply(n));
                }
                xml.write(sheet.substring(end));
                xml.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] fill(Workbook workbook, Sheet sheet, List<List<Object>> rows) throws IOException {
        fill(sheet, sheet.getLastRowNum() + 1, rows);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        workbook.write(out);
        return out.toByteArray();
    }

    /** Cells: text, a number (a numeric cell), a date (a date-formatted cell), or null (no cell). */
    private static void fill(Sheet sheet, int first, List<? extends List<?>> rows) {
        CellStyle date = sheet.getWorkbook().createCellStyle();
        date.setDataFormat(sheet.getWorkbook().getCreationHelper().createDataFormat().getFormat("yyyy/m/d"));
        for (int r = 0; r < rows.size(); r++) {
            Row row = sheet.createRow(first + r);
            for (int c = 0; c < rows.get(r).size(); c++) {
                Object value = rows.get(r).get(c);
                if (value == null) {
                    continue;
                }
                Cell cell = row.createCell(c);
                if (value instanceof Number number) {
                    cell.setCellValue(number.doubleValue());
                } else if (value instanceof LocalDate day) {
                    cell.setCellValue(day);
                    cell.setCellStyle(date);
                } else {
                    cell.setCellValue(value.toString());
                }
            }
        }
    }
}
