package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemException;
import cn.qxqy.pipeline.problem.ProblemType;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The import template (项目导入模板) and the reading of a filled one: its columns, each with the field of the event's
 * data it fills; the sheet of rows (项目清单) and the instructions sheet (填写说明). Cells are normalised before the API's
 * checks see them: numbers read as decimals and rounded half up to 万元 cents, Alt-Enter line breaks, full-width
 * spaces (U+3000) and surrounding spaces trimmed, dates as yyyy-MM-dd from date cells or text.
 */
final class ImportSheet {

    static final String ROWS = "项目清单";
    static final String INSTRUCTIONS = "填写说明";

    enum Kind {
        TEXT, AMOUNT, LIST, DATE
    }

    /** A column of the template: its title, the field it fills ({@code projectId}, {@code occurredOn} or data's) and how to read it. */
    enum Column {
        PROJECT_ID("项目编号", "projectId", Kind.TEXT, "留空：新建项目，编号由文件内容生成；填写已有项目的编号：更正该项目；填写新编号：以该编号新建项目"),
        NAME("项目名称", "name", Kind.TEXT, "新建项目必填"),
        REGION("县（市、区）代码", "regionCode", Kind.TEXT, "新建项目必填，如 141123（兴县）；见 /api/v1/reference/regions"),
        CHAIN("产业链代码", "industryChain", Kind.TEXT, "新建项目必填，如 aluminium-magnesium；见 /api/v1/reference/industry-chains"),
        CATEGORIES("项目类别代码", "categories", Kind.LIST, "可多个，以顿号、逗号或换行分隔；见 /api/v1/reference/categories"),
        PLANNED("计划总投资（万元）", "plannedInvestment", Kind.AMOUNT, "新建项目必填，万元，四舍五入到分（两位小数）"),
        ANNUAL("年度计划投资（万元）", "annualPlannedInvestment", Kind.AMOUNT, "万元，可空"),
        ZONE("所在园区", "zone", Kind.TEXT, "可空"),
        OWNER("项目业主", "owner", Kind.TEXT, "可空"),
        PROJECT_CODE("项目代码", "projectCode", Kind.TEXT, "审批备案项目代码，可空，不得与其他项目重复"),
        DATE("日期", "occurredOn", Kind.DATE, "必填：入库或更正的日期，yyyy-MM-dd 或日期格式单元格");

        final String title;
        final String field;
        final Kind kind;
        final String help;

        Column(String title, String field, Kind kind, String help) {
            this.title = title;
            this.field = field;
            this.kind = kind;
            this.help = help;
        }

        /** The column whose field a violation names ({@code data.name}, {@code occurredOn}), if any. */
        static Optional<Column> ofField(String violationField) {
            String field = violationField.startsWith("data.") ? violationField.substring(5) : violationField;
            return Arrays.stream(values()).filter(c -> field.equals(c.field) || field.startsWith(c.field + "[")).findFirst();
        }
    }

    /** A filled row: its number as the spreadsheet shows it (from 2, after the header), and its normalised cells. */
    record Line(int row, Map<Column, Object> cells) {
    }

    /** Line breaks (Alt-Enter), full-width spaces (U+3000) and other white space around a text. */
    private static final Pattern SURROUNDING = Pattern.compile("^[\\s\\u3000]+|[\\s\\u3000]+$");
    private static final Pattern INNER_BREAKS = Pattern.compile("[\\r\\n]+");
    private static final Pattern LIST_SEPARATORS = Pattern.compile("[、,，;；\\s\\u3000]+");
    private static final Pattern PLAIN_NUMBER = Pattern.compile("-?\\d{1,30}(\\.\\d{1,30})?");
    private static final Pattern GROUPED_NUMBER = Pattern.compile("-?\\d{1,3}(,\\d{3})+(\\.\\d+)?");

    private ImportSheet() {
    }

    /** The template: the header row and an instructions sheet. */
    static byte[] template(String campaignId) {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Font bold = workbook.createFont();
            bold.setBold(true);
            CellStyle header = workbook.createCellStyle();
            header.setFont(bold);
            Sheet rows = workbook.createSheet(ROWS);
            Row titles = rows.createRow(0);
            for (Column column : Column.values()) {
                Cell cell = titles.createCell(column.ordinal());
                cell.setCellValue(column.title);
                cell.setCellStyle(header);
                rows.setColumnWidth(column.ordinal(), 20 * 256);
            }
            rows.createFreezePane(0, 1);
            Sheet help = workbook.createSheet(INSTRUCTIONS);
            List<String> lines = List.of(
                    "本模板用于向会战 " + campaignId + " 导入项目：POST /api/v1/campaigns/" + campaignId + "/projects.xlsx，"
                            + "请求体为本文件，Content-Type: " + "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet。",
                    "第一张表“" + ROWS + "”第一行为表头，请勿修改；自第二行起每行一个项目，空行忽略。",
                    "每行或新建一个项目（项目入库），或更正一个已有项目（以项目编号指定，只改填写了的列）。",
                    "整个文件要么全部导入，要么全部不导入：任一行被拒绝，则不保存任何一行，回答列出每个被拒绝的行及原因。",
                    "加 ?dryRun=true 只检查不保存。同一文件重复上传不会重复保存。",
                    "数字按万元四舍五入到两位小数；单元格首尾的空格、全角空格和换行会被去除。",
                    "");
            int next = 0;
            for (String line : lines) {
                help.createRow(next++).createCell(0).setCellValue(line);
            }
            Row helpHeader = help.createRow(next++);
            helpHeader.createCell(0).setCellValue("列");
            helpHeader.createCell(1).setCellValue("说明");
            helpHeader.getCell(0).setCellStyle(header);
            helpHeader.getCell(1).setCellStyle(header);
            for (Column column : Column.values()) {
                Row row = help.createRow(next++);
                row.createCell(0).setCellValue(column.title);
                row.createCell(1).setCellValue(column.help);
            }
            help.setColumnWidth(0, 24 * 256);
            help.setColumnWidth(1, 90 * 256);
            workbook.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The filled rows of an uploaded template, at most {@code maxRows}.
     *
     * @throws cn.qxqy.pipeline.problem.ProblemException 400 when the body is not an .xlsx workbook or its header is
     *                                                   not the template's, 413 when it has more rows
     */
    static List<Line> read(byte[] body, int maxRows) {
        // POI's ZipSecureFile limits (inflation ratio, entry and text sizes) stay at their defaults: a zip bomb fails here.
        try (Workbook workbook = new XSSFWorkbook(new ByteArrayInputStream(body))) {
            Sheet sheet = workbook.getSheet(ROWS) != null ? workbook.getSheet(ROWS) : workbook.getSheetAt(0);
            checkHeader(sheet.getRow(sheet.getFirstRowNum()));
            List<Line> lines = new ArrayList<>();
            DataFormatter formatter = new DataFormatter();
            for (int r = sheet.getFirstRowNum() + 1; r <= sheet.getLastRowNum(); r++) {
                Row row = sheet.getRow(r);
                if (row == null) {
                    continue;
                }
                Map<Column, Object> cells = new LinkedHashMap<>();
                for (Column column : Column.values()) {
                    Object value = cell(row.getCell(column.ordinal()), column.kind, formatter);
                    if (value != null) {
                        cells.put(column, value);
                    }
                }
                if (cells.isEmpty()) {
                    continue;
                }
                if (lines.size() == maxRows) {
                    throw Problem.of(ProblemType.BATCH_TOO_LARGE, "an import may have at most " + maxRows + " rows")
                            .exception();
                }
                lines.add(new Line(r + 1, cells));
            }
            return lines;
        } catch (ProblemException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // POI throws all sorts for what is not a workbook (NotOfficeXmlFileException, POIXMLException, ...).
            throw Problem.of(ProblemType.INVALID_REQUEST, "the body is not an .xlsx workbook: " + e.getMessage())
                    .exception();
        }
    }

    private static void checkHeader(Row header) {
        List<FieldViolation> violations = new ArrayList<>();
        DataFormatter formatter = new DataFormatter();
        for (Column column : Column.values()) {
            Cell cell = header == null ? null : header.getCell(column.ordinal());
            String title = cell == null ? "" : normalise(formatter.formatCellValue(cell));
            if (!column.title.equals(title)) {
                violations.add(new FieldViolation(new CellReference(0, column.ordinal()).formatAsString(),
                        "must be " + column.title));
            }
        }
        if (!violations.isEmpty()) {
            throw Problem.of(ProblemType.INVALID_REQUEST, "the first row of sheet " + ROWS
                    + " must be the template's header", violations).exception();
        }
    }

    /** A cell's value as its column reads it: text, an amount, a list of codes or an ISO date; null when empty. */
    private static Object cell(Cell cell, Kind kind, DataFormatter formatter) {
        if (cell == null) {
            return null;
        }
        CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        if (type == CellType.NUMERIC && kind == Kind.DATE && DateUtil.isCellDateFormatted(cell)) {
            return cell.getLocalDateTimeCellValue().toLocalDate().toString();
        }
        if (type == CellType.NUMERIC && kind == Kind.AMOUNT) {
            // The double's shortest decimal form (0.1 is 0.1, not 0.1000000000000000055...), then cents.
            return BigDecimal.valueOf(cell.getNumericCellValue()).setScale(2, RoundingMode.HALF_UP);
        }
        String text = normalise(type == CellType.NUMERIC && kind == Kind.TEXT
                ? BigDecimal.valueOf(cell.getNumericCellValue()).stripTrailingZeros().toPlainString()
                : formatter.formatCellValue(cell));
        if (text.isEmpty()) {
            return null;
        }
        return switch (kind) {
            case AMOUNT -> amount(text);
            case LIST -> Arrays.stream(LIST_SEPARATORS.split(text)).filter(code -> !code.isEmpty()).toList();
            case TEXT, DATE -> INNER_BREAKS.matcher(text).replaceAll(" ");
        };
    }

    /** An amount typed as text: a decimal (grouped with commas or not) rounded to cents; else the text, for the API to refuse. */
    private static Object amount(String text) {
        String plain = GROUPED_NUMBER.matcher(text).matches() ? text.replace(",", "") : text;
        // Plain digits only: an exponent (1e150000) would make setScale build a number of that many digits.
        return PLAIN_NUMBER.matcher(plain).matches() ? new BigDecimal(plain).setScale(2, RoundingMode.HALF_UP) : text;
    }

    static String normalise(String text) {
        return SURROUNDING.matcher(text).replaceAll("");
    }
}
