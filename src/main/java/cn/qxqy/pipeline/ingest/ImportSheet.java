package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemException;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.reference.ReferenceData;
import cn.qxqy.pipeline.spreadsheet.ProjectColumn;
import cn.qxqy.pipeline.spreadsheet.Tables;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.apache.commons.io.input.ProxyInputStream;
import org.apache.poi.ooxml.POIXMLTypeLoader;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.util.ZipFileZipEntrySource;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DataValidation;
import org.apache.poi.ss.usermodel.DataValidationHelper;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Name;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.CellRangeAddressList;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.xmlbeans.XmlException;
import org.openxmlformats.schemas.spreadsheetml.x2006.main.CTSheet;
import org.openxmlformats.schemas.spreadsheetml.x2006.main.CTWorkbook;
import org.openxmlformats.schemas.spreadsheetml.x2006.main.WorkbookDocument;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The import template (项目导入模板) and the reading of a filled one, or of a downloaded project list: its columns, each
 * with the field of the event it fills; the sheet of rows (项目清单), the instructions (填写说明) and the hidden sheet
 * the drop-down lists read (下拉选项). The header row is found by its titles, so that a list's title rows above it and
 * its read-only columns do not matter. Cells are read as people write them, and every cell's mistake is noted at once:
 * amounts with thousands separators or a trailing 万元, rounded half up to 万元 cents; dates as date cells, 2024-05-01,
 * 2024/5/1 or 2024年5月1日; full-width forms as half-width ones; Alt-Enter line breaks, full-width spaces (U+3000)
 * and surrounding spaces trimmed.
 */
final class ImportSheet {

    static final String ROWS = "项目清单";
    static final String INSTRUCTIONS = "填写说明";
    static final String CHOICES = "下拉选项";
    /** The result workbook's column after the uploaded ones. */
    static final String RESULT = "导入结果";
    /** How far down a sheet its header row may be: below the title rows of an exported list. */
    static final int HEADER_SEARCH = 10;
    /** The template's rows offering the drop-down lists, after its header. */
    static final int ROWS_WITH_CHOICES = 5000;

    enum Kind {
        /** Text as written. */
        TEXT,
        /** A code of a reference list, or its name: looked up once read. */
        CODE,
        /** Codes or names, separated by 、 , ; or line breaks. */
        CODES,
        AMOUNT,
        DATE,
        /** 是, or 否 or empty. */
        YES,
        /** A whole number. */
        WHOLE
    }

    /**
     * A column the import reads: the list's column, the field it fills ({@code projectId}, {@code occurredOn},
     * {@code expectedVersion} or data's), how to read it, the reference list it names codes of, and what the
     * instructions tell an officer about it. {@code formerTitles}: the titles of templates downloaded before, still read.
     */
    enum Column {
        PROJECT_ID(ProjectColumn.PROJECT_ID, "projectId", Kind.TEXT, null, "更正时必填",
                "新增项目留空，导入后系统给出编号（XL- 开头）；更正已有项目时填写它的编号。", "LL-2024-0001"),
        NAME(ProjectColumn.NAME, "name", Kind.TEXT, null, "新增时必填", "项目的全称。", "兴县铝镁新材料产业园"),
        REGION(ProjectColumn.REGION, "regionCode", Kind.CODE, "regions", "新增时必填",
                "从下拉列表选择，也可填写名称或代码。", "兴县 或 141123", "县（市、区）代码"),
        CHAIN(ProjectColumn.CHAIN, "industryChain", Kind.CODE, "industry-chains", "新增时必填",
                "从下拉列表选择，也可填写名称或代码。", "特钢 或 special-steel", "产业链代码"),
        CATEGORIES(ProjectColumn.CATEGORIES, "categories", Kind.CODES, "categories", "可不填",
                "从下拉列表选择；属于多个类别时用顿号（、）隔开。", "中央预算内投资、专项债券", "项目类别代码"),
        PLANNED(ProjectColumn.PLANNED, "plannedInvestment", Kind.AMOUNT, null, "新增时必填",
                "单位万元，大于 0，可带千位分隔符或“万元”，保留两位小数（四舍五入）。", "12,000.5 或 5000万元"),
        ANNUAL(ProjectColumn.ANNUAL, "annualPlannedInvestment", Kind.AMOUNT, null, "可不填",
                "当年计划完成的投资，单位万元，写法同上。", "3000"),
        ZONE(ProjectColumn.ZONE, "zone", Kind.CODE, "zones", "可不填",
                "项目所在的开发区、园区；填写时请从下拉列表选择。", "兴县经济开发区"),
        OWNER(ProjectColumn.OWNER, "owner", Kind.TEXT, null, "可不填", "项目业主（建设单位）。", "吕梁某某实业有限公司"),
        PROJECT_CODE(ProjectColumn.PROJECT_CODE, "projectCode", Kind.TEXT, null, "可不填",
                "投资项目在线审批监管平台赋的项目代码，不能与其他项目相同。", "2024-141123-30-03-000001"),
        DATE(ProjectColumn.DATE, "occurredOn", Kind.DATE, null, "可不填",
                "新增项目为入库日期，更正为更正日期；不填则为上传当天。", "2024-05-01、2024/5/1 或 2024年5月1日"),
        CONFIRM_NEW(ProjectColumn.CONFIRM_NEW, "confirmNew", Kind.YES, null, "可不填",
                "新增项目的名称与本县（市、区）已有项目相近时，导入会拒绝该行并指出相近的项目；确是另一个项目的，填“是”再上传。", "是"),
        PLANNED_START_ON(ProjectColumn.PLANNED_START_ON, "plannedStartOn", Kind.DATE, null, "可不填",
                "计划开工的日期，可以晚于今天；过了这一天仍未开工的项目列入督办。", "2025-03-01"),
        PLANNED_COMPLETION_ON(ProjectColumn.PLANNED_COMPLETION_ON, "plannedCompletionOn", Kind.DATE, null, "可不填",
                "计划竣工的日期，可以晚于今天，不能早于计划开工日期；过了这一天仍未竣工的项目列入督办。", "2026-12-31"),
        VERSION(ProjectColumn.VERSION, "expectedVersion", Kind.WHOLE, null, "只读",
                "导出的清单才有此列，请勿修改：如果项目在您导出之后被别人改过，该行不会覆盖别人的修改，而是被拒绝，请重新导出后再改。", "3");

        final ProjectColumn column;
        final String title;
        final String field;
        final Kind kind;
        /** The reference list ({@link ReferenceData#LOOKUPS}) whose codes or names it holds, or null. */
        final String list;
        final String needed;
        final String help;
        final String example;
        final List<String> titles;

        Column(ProjectColumn column, String field, Kind kind, String list, String needed, String help, String example,
               String... formerTitles) {
            this.column = column;
            this.title = column.title;
            this.field = field;
            this.kind = kind;
            this.list = list;
            this.needed = needed;
            this.help = help;
            this.example = example;
            this.titles = Stream.concat(Stream.of(column.title), Arrays.stream(formerTitles)).toList();
        }

        /** The field a violation of the column's cell names: the envelope's path, as the API's problems name it. */
        String violationField() {
            return kind == Kind.WHOLE || kind == Kind.YES || this == PROJECT_ID || this == DATE ? field : "data." + field;
        }

        /**
         * Whether a header without it is refused: a file from before 确认新建 or the planned dates, or not downloaded,
         * lacks the others.
         */
        boolean required() {
            return this != CONFIRM_NEW && this != VERSION && this != PLANNED_START_ON && this != PLANNED_COMPLETION_ON;
        }

        /** The template's columns, in order. */
        static List<Column> template() {
            return Arrays.stream(values()).filter(c -> c.column.inTemplate).toList();
        }

        /** The column whose field a violation names ({@code data.name}, {@code occurredOn}), if any. */
        static Optional<Column> ofField(String violationField) {
            String field = violationField.startsWith("data.") ? violationField.substring(5) : violationField;
            return Arrays.stream(values()).filter(c -> field.equals(c.field) || field.startsWith(c.field + "[")).findFirst();
        }
    }

    /**
     * A filled row: its number as the sheet shows it, its cells read (text, a {@link BigDecimal}, a list of texts, a
     * {@link LocalDate}, a Boolean or a Long), what was wrong with any of them, and every cell as uploaded, by column
     * index (text, or the number of a numeric cell), for the result workbook.
     */
    record Line(int row, Map<Column, Object> cells, List<FieldViolation> errors, Map<Integer, Object> uploaded) {
    }

    /** A file read: its header row's number, its titles and the columns the import reads, by index, and its lines. */
    record Upload(int headerRow, Map<Integer, String> header, Map<Integer, Column> columns, List<Line> lines) {
    }

    private static final Pattern INNER_BREAKS = Pattern.compile("[\\r\\n]+");
    private static final Pattern LIST_SEPARATORS = Pattern.compile("[、,，;；\\s\\u3000]+");
    private static final Pattern PLAIN_NUMBER = Pattern.compile("-?\\d{1,30}(\\.\\d{1,30})?");
    private static final Pattern GROUPED_NUMBER = Pattern.compile("-?\\d{1,3}(,\\d{3})+(\\.\\d+)?");
    private static final String TEN_THOUSAND_YUAN = "万元";
    /** What an .xlsx sheet can hold, and so what a result workbook can write back. */
    private static final SpreadsheetVersion SHEET = SpreadsheetVersion.EXCEL2007;
    private static final Pattern DAY = Pattern.compile("(\\d{4})\\s*(?:[-/.]\\s*(\\d{1,2})\\s*[-/.]|年\\s*(\\d{1,2})\\s*月)\\s*(\\d{1,2})\\s*日?");
    private static final Pattern WHOLE = Pattern.compile("\\d{1,18}");

    /**
     * What the parts of a file may hold together, uncompressed, as they are read: the XML of a thousand filled rows,
     * with their shared strings and styles, takes a few MiB.
     */
    static final long MAX_UNZIPPED_BYTES = 8L * 1024 * 1024;

    private ImportSheet() {
    }

    /**
     * The template: the header row with drop-down lists under it, the instructions, and the hidden sheet of the
     * lists' entries. A list's entries are on a sheet, not in the validation itself, which Excel caps at 255
     * characters; each is reached through a defined name, which Excel 2007, WPS and LibreOffice all read.
     *
     * @param campaignName the campaign's name, as the instructions say it
     * @param choices      the names offered in each column with a reference list, in the list's order
     */
    static byte[] template(String campaignName, Map<Column, List<String>> choices) {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle bold = boldStyle(workbook);
            Sheet rows = workbook.createSheet(ROWS);
            Sheet help = workbook.createSheet(INSTRUCTIONS);
            Sheet lists = workbook.createSheet(CHOICES);
            Row titles = rows.createRow(0);
            for (Column column : Column.template()) {
                Cell cell = titles.createCell(column.ordinal());
                cell.setCellValue(column.title);
                cell.setCellStyle(bold);
                rows.setColumnWidth(column.ordinal(), width(Math.max(column.title.length() * 2, 12)));
            }
            rows.createFreezePane(0, 1);
            Tables.printAsReport(rows, 1);
            Map<Column, List<String>> offered = new EnumMap<>(choices);
            offered.put(Column.CONFIRM_NEW, List.of("是"));
            DataValidationHelper validations = rows.getDataValidationHelper();
            Row listTitles = lists.createRow(0);
            int at = 0;
            for (Map.Entry<Column, List<String>> list : offered.entrySet()) {
                Column column = list.getKey();
                listTitles.createCell(at).setCellValue(column.title);
                for (int i = 0; i < list.getValue().size(); i++) {
                    Row row = lists.getRow(i + 1) != null ? lists.getRow(i + 1) : lists.createRow(i + 1);
                    row.createCell(at).setCellValue(list.getValue().get(i));
                }
                Name name = workbook.createName();
                name.setNameName("choices_" + column.field);
                String letter = CellReference.convertNumToColString(at);
                name.setRefersToFormula("'" + CHOICES + "'!$" + letter + "$2:$" + letter + "$"
                        + Math.max(2, list.getValue().size() + 1));
                DataValidation validation = validations.createValidation(
                        validations.createFormulaListConstraint(name.getNameName()),
                        new CellRangeAddressList(1, ROWS_WITH_CHOICES, column.ordinal(), column.ordinal()));
                // Offered, not imposed: a code typed, or several categories, are as good as a name picked.
                validation.setShowErrorBox(false);
                // POI's name reads inverted: true writes showDropDown="0", which is OOXML's "show the arrow".
                validation.setSuppressDropDownArrow(true);
                validation.createPromptBox(column.title, column.help);
                validation.setShowPromptBox(true);
                rows.addValidationData(validation);
                at++;
            }
            workbook.setSheetHidden(workbook.getSheetIndex(lists), true);
            instructions(help, bold, campaignName);
            workbook.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void instructions(Sheet help, CellStyle bold, String campaignName) {
        List<String> lines = List.of(
                "本表用于向「" + campaignName + "」新增项目或更正已有项目。",
                "在“" + ROWS + "”表中，自第 2 行起每行填写一个项目；第 1 行是表头，请勿修改；空行不读。",
                "新增项目：项目编号留空，填写项目名称、县（市、区）、产业链和计划总投资。导入结果会列出每个新项目的编号。",
                "更正项目：填写已有项目的项目编号，只填要改的列，未填的列保持不变。",
                "也可以在驾驶舱导出项目清单（Excel），直接在导出的表中修改后上传：与系统中一致的行会被跳过，只有改过的行会被导入。",
                "导出表中“阶段”及其后的列只供查看，导入时不读，但“版本”列请保留：系统据此发现别人在您导出之后所做的修改。",
                "县（市、区）、产业链、项目类别、所在园区可从下拉列表选择，也可填写名称或代码，如“兴县”或“141123”。",
                "先“试导入”：只检查、不保存，逐行列出结果和全部错误。确认无误后再正式导入。",
                "一个文件要么全部导入，要么全部不导入：只要有一行有错，所有行都不保存，改正后重新上传即可。"
                        + "同一文件重复上传不会重复导入。",
                "县（市、区）的部门只能导入本县（市、区）的项目。",
                "");
        List<String> titles = List.of("列", "是否必填", "填写说明", "示例");
        int next = 0;
        for (String line : lines) {
            help.createRow(next).createCell(0).setCellValue(line);
            // Across the table below, so that a line reads whole on screen and on paper instead of running off.
            help.addMergedRegion(new CellRangeAddress(next, next, 0, titles.size() - 1));
            next++;
        }
        Row header = help.createRow(next++);
        for (int i = 0; i < titles.size(); i++) {
            header.createCell(i).setCellValue(titles.get(i));
            header.getCell(i).setCellStyle(bold);
        }
        for (Column column : Column.values()) {
            Row row = help.createRow(next++);
            row.createCell(0).setCellValue(column.title);
            row.createCell(1).setCellValue(column.needed);
            row.createCell(2).setCellValue(column.help);
            row.createCell(3).setCellValue(column.example);
        }
        // Each column as wide as its widest text (a Han character counts double), as the exports are.
        int[] widest = new int[titles.size()];
        for (int r = lines.size(); r < next; r++) {
            for (int c = 0; c < titles.size(); c++) {
                Cell cell = help.getRow(r).getCell(c);
                widest[c] = Math.max(widest[c], Tables.displayWidth(cell.getStringCellValue()) + 2);
            }
        }
        for (int c = 0; c < titles.size(); c++) {
            help.setColumnWidth(c, width(widest[c]));
        }
        Tables.printAsReport(help, 0);
    }

    /**
     * The result of an import as a workbook: the uploaded rows where they were, their 项目编号 filled where the import
     * gives one, and beside each what became of it.
     *
     * @param projectIds per line, the project the row is (null when it is refused and names none)
     * @param results    per line, what became of it, in the officer's words
     */
    static byte[] results(Upload upload, List<String> projectIds, List<String> results) {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle bold = boldStyle(workbook);
            CellStyle money = workbook.createCellStyle();
            money.setDataFormat(workbook.createDataFormat().getFormat(Tables.MONEY));
            Sheet sheet = workbook.createSheet(ROWS);
            int resultColumn = upload.header().keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
            Row header = sheet.createRow(upload.headerRow() - 1);
            upload.header().forEach((index, title) -> {
                header.createCell(index).setCellValue(title);
                header.getCell(index).setCellStyle(bold);
                sheet.setColumnWidth(index, width(Math.max(title.length() * 2, 12)));
            });
            header.createCell(resultColumn).setCellValue(RESULT);
            header.getCell(resultColumn).setCellStyle(bold);
            sheet.setColumnWidth(resultColumn, width(80));
            sheet.createFreezePane(0, upload.headerRow());
            Integer projectIdColumn = upload.header().entrySet().stream()
                    .filter(e -> Column.PROJECT_ID.titles.contains(e.getValue())).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            for (int i = 0; i < upload.lines().size(); i++) {
                Line line = upload.lines().get(i);
                Row row = sheet.createRow(line.row() - 1);
                line.uploaded().forEach((index, value) -> {
                    Cell cell = row.createCell(index);
                    if (value instanceof Double number) {
                        cell.setCellValue(number);
                        if (upload.columns().get(index) != null && upload.columns().get(index).kind == Kind.AMOUNT) {
                            cell.setCellStyle(money);
                        }
                    } else {
                        cell.setCellValue(fitting(value.toString()));
                    }
                });
                if (projectIdColumn != null && projectIds.get(i) != null) {
                    row.createCell(projectIdColumn).setCellValue(projectIds.get(i));
                }
                row.createCell(resultColumn).setCellValue(fitting(results.get(i)));
            }
            workbook.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CellStyle boldStyle(Workbook workbook) {
        Font font = workbook.createFont();
        font.setBold(true);
        CellStyle bold = workbook.createCellStyle();
        bold.setFont(font);
        return bold;
    }

    /** A column's width in POI's units for {@code characters} Latin characters (a Chinese one takes two). */
    private static int width(int characters) {
        return characters * 256;
    }

    /**
     * The filled rows of an uploaded file, at most {@code maxLines}. Read as a stream: the rows as the sheet's XML
     * goes, stopping at the first row over {@code maxLines}; each part inflated only as far as it is read, all of them
     * together at most {@link #MAX_UNZIPPED_BYTES}. The rows above the header and a totals row (合计) are not read.
     *
     * @throws ProblemException 400 when the body is not an .xlsx workbook or has no header row with the template's
     *                          columns, 413 when it has more rows or its parts more bytes
     */
    static Upload read(byte[] body, int maxLines) {
        try (BoundedParts parts = new BoundedParts(body)) {
            OPCPackage workbook = OPCPackage.open(parts);
            try {
                return rows(workbook, maxLines);
            } finally {
                // Read only: revert, as close() would also do, but without its warning that it saves nothing.
                workbook.revert();
            }
        } catch (IOException | SAXException | ParserConfigurationException | OpenXML4JException | XmlException
                 | RuntimeException e) {
            // POI and the XML parsers wrap what they meet, our own refusals too; POI throws all sorts for what is not
            // a workbook (NotOfficeXmlFileException, POIXMLException, ...).
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof ProblemException refusal) {
                    throw refusal;
                }
            }
            throw Problem.of(ProblemType.INVALID_REQUEST, Wording.of("import.not-a-workbook", e.getMessage()))
                    .exception();
        }
    }

    private static Upload rows(OPCPackage workbook, int maxLines)
            throws IOException, SAXException, ParserConfigurationException, OpenXML4JException, XmlException {
        XSSFReader reader = new XSSFReader(workbook);
        CTWorkbook book;
        try (InputStream data = reader.getWorkbookData()) {
            book = WorkbookDocument.Factory.parse(data, POIXMLTypeLoader.DEFAULT_XML_OPTIONS).getWorkbook();
        }
        List<CTSheet> sheets = book.getSheets().getSheetList();
        CTSheet sheet = sheets.stream().filter(s -> ROWS.equalsIgnoreCase(s.getName())).findFirst()
                .or(() -> sheets.stream().findFirst())
                .orElseThrow(() -> Problem.of(ProblemType.INVALID_REQUEST, Wording.of("import.no-sheet")).exception());
        Numbers numbers = new Numbers(book.isSetWorkbookPr() && book.getWorkbookPr().getDate1904());
        Rows rows = new Rows(numbers, maxLines);
        // Without a styles part the handler would hand on numbers unformatted, past Numbers: a default one instead.
        StylesTable styles = Optional.ofNullable(reader.getStylesTable()).orElseGet(StylesTable::new);
        XMLReader parser = XMLHelper.newXMLReader();
        // Phonetic runs (furigana) are not part of a cell's text, as the workbook model reads it.
        parser.setContentHandler(new XSSFSheetXMLHandler(styles, new ReadOnlySharedStringsTable(workbook, false), rows,
                numbers, false));
        try (InputStream data = reader.getSheet(sheet.getId())) {
            parser.parse(new InputSource(data));
        }
        return rows.upload();
    }

    /** A number the sheet handler formatted: its value, and whether its format is a date's. */
    private record Numeric(double value, boolean date) {
    }

    /**
     * Formats numbers for the sheet handler, which hands on text only, and keeps the number of the cell just read with
     * it: amounts and dates are read from the number itself, not from its text.
     */
    private static final class Numbers extends DataFormatter {
        private final boolean date1904;
        private Numeric last;

        Numbers(boolean date1904) {
            this.date1904 = date1904;
        }

        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString) {
            last = new Numeric(value, DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value));
            return super.formatRawCellContents(value, formatIndex, formatString, date1904);
        }

        /** The number of the cell just read, or null when it was text; forgotten once taken. */
        Numeric take() {
            Numeric number = last;
            last = null;
            return number;
        }

        String date(Numeric number) {
            return DateUtil.getLocalDateTime(number.value(), date1904).toLocalDate().toString();
        }
    }

    /** A cell as the sheet handler hands it on: its text, and its number when it is a numeric cell. */
    private record Raw(String text, Numeric number) {
    }

    /**
     * The sheet's rows as its XML goes: the rows above the header, then the header, found by its titles and checked
     * when it ends, then the lines.
     */
    private static final class Rows implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final Numbers numbers;
        private final int maxLines;
        private final List<Line> lines = new ArrayList<>();
        private Map<Integer, Raw> cells;
        private Map<Integer, Column> columns;
        private Map<Integer, String> header;
        private int headerRow;
        private int column;

        Rows(Numbers numbers, int maxLines) {
            this.numbers = numbers;
            this.maxLines = maxLines;
        }

        @Override
        public void startRow(int rowNum) {
            if (rowNum < 0 || rowNum > SHEET.getLastRowIndex()) {
                throw outOfRange("A" + (rowNum + 1));
            }
            column = -1;
            cells = new TreeMap<>();
        }

        @Override
        public void cell(String reference, String formatted, XSSFComment comment) {
            Numeric number = numbers.take();
            // A cell without its reference is the one after the previous, as Excel reads it.
            column = reference == null ? column + 1 : new CellReference(reference).getCol();
            // The result workbook writes one column more than the header's last: that one must exist too.
            if (column < 0 || column >= SHEET.getLastColumnIndex()) {
                throw outOfRange(reference);
            }
            if (formatted != null && (columns == null || header.containsKey(column))) {
                cells.put(column, new Raw(formatted, number));
            }
        }

        @Override
        public void endRow(int rowNum) {
            if (columns == null) {
                findHeader(rowNum);
                return;
            }
            Line line = line(rowNum + 1);
            if (line == null) {
                return;
            }
            if (lines.size() == maxLines) {
                throw Problem.of(ProblemType.BATCH_TOO_LARGE, Wording.of("import.too-many-rows", maxLines)).exception();
            }
            lines.add(line);
        }

        /** The row is the header if it holds a title of the template; one of the first {@link #HEADER_SEARCH} must. */
        private void findHeader(int rowNum) {
            Map<Integer, Column> found = new HashMap<>();
            Map<Integer, String> titles = new TreeMap<>();
            cells.forEach((index, raw) -> {
                String title = normalise(raw.text());
                titles.put(index, title);
                String key = ReferenceData.key(title);
                Arrays.stream(Column.values())
                        .filter(c -> !found.containsValue(c) && c.titles.stream().anyMatch(t -> ReferenceData.key(t).equals(key)))
                        .findFirst().ifPresent(c -> found.put(index, c));
            });
            if (found.isEmpty()) {
                if (rowNum + 1 >= HEADER_SEARCH) {
                    throw noHeader();
                }
                return;
            }
            List<FieldViolation> missing = Arrays.stream(Column.values())
                    .filter(c -> c.required() && !found.containsValue(c))
                    .map(c -> FieldViolation.of(c.title, "import.not-in-header", rowNum + 1))
                    .toList();
            if (!missing.isEmpty()) {
                throw Problem.of(ProblemType.INVALID_REQUEST, Wording.of("import.header-incomplete", rowNum + 1, ROWS),
                        missing).exception();
            }
            // A downloaded list without its 版本 would post every row of an old download as a correction, unchecked,
            // and undo what others changed since.
            boolean downloaded = Arrays.stream(ProjectColumn.values())
                    .anyMatch(c -> !c.inTemplate && c != ProjectColumn.VERSION && titles.containsValue(c.title));
            if (downloaded && !found.containsValue(Column.VERSION)) {
                throw Problem.of(ProblemType.INVALID_REQUEST, Wording.of("import.version-column-missing", rowNum + 1),
                        List.of(FieldViolation.of(Column.VERSION.title, "import.not-in-header", rowNum + 1))).exception();
            }
            columns = found;
            header = titles;
            headerRow = rowNum + 1;
        }

        /** The row's line, or null when it holds nothing to import: empty, or the totals. */
        private Line line(int row) {
            Map<Column, Object> values = new EnumMap<>(Column.class);
            List<FieldViolation> errors = new ArrayList<>();
            Map<Integer, Object> uploaded = new TreeMap<>();
            cells.forEach((index, raw) -> {
                Column at = columns.get(index);
                uploaded.put(index, raw.number() == null ? raw.text()
                        : raw.number().date() ? numbers.date(raw.number()) : Double.valueOf(raw.number().value()));
                if (at == null) {
                    return;
                }
                Object value = value(at, raw, errors);
                if (value != null) {
                    values.put(at, value);
                }
            });
            boolean filled = !errors.isEmpty()
                    || values.keySet().stream().anyMatch(c -> c != Column.VERSION && c != Column.CONFIRM_NEW);
            if (!filled || ProjectColumn.TOTALS.equals(values.get(Column.PROJECT_ID))) {
                return null;
            }
            return new Line(row, values, errors, uploaded);
        }

        /** The upload, once the whole sheet is read; a sheet without rows has no header either. */
        Upload upload() {
            if (columns == null) {
                throw noHeader();
            }
            return new Upload(headerRow, header, columns, lines);
        }

        /**
         * A cell's value as its column reads it: text, an amount, a list, an ISO date, a Boolean or a Long; null when
         * empty, or when it cannot be read, which {@code errors} then says.
         */
        private Object value(Column column, Raw raw, List<FieldViolation> errors) {
            Numeric number = raw.number();
            if (number != null && column.kind == Kind.AMOUNT) {
                // The double's shortest decimal form (0.1 is 0.1, not 0.1000000000000000055...), then cents.
                return BigDecimal.valueOf(number.value()).setScale(2, RoundingMode.HALF_UP);
            }
            if (number != null && column.kind == Kind.DATE && number.date()) {
                return LocalDate.parse(numbers.date(number));
            }
            String text = normalise(number != null && column.kind != Kind.DATE
                    ? BigDecimal.valueOf(number.value()).stripTrailingZeros().toPlainString()
                    : raw.text());
            if (text.isEmpty()) {
                return null;
            }
            Object value = switch (column.kind) {
                case TEXT, CODE -> asRead(text);
                case CODES -> Arrays.stream(LIST_SEPARATORS.split(text)).filter(code -> !code.isEmpty()).toList();
                case AMOUNT -> amount(text);
                case DATE -> day(text);
                case YES -> yes(text);
                case WHOLE -> WHOLE.matcher(halfWidth(text)).matches() ? Long.valueOf(halfWidth(text)) : null;
            };
            if (value == null) {
                String key = switch (column.kind) {
                    case AMOUNT -> "import.not-an-amount";
                    case DATE -> "import.not-a-date";
                    case YES -> "import.not-yes";
                    default -> "import.not-a-version";
                };
                errors.add(FieldViolation.of(column.violationField(), key, text));
            }
            return value;
        }

        private ProblemException noHeader() {
            return Problem.of(ProblemType.INVALID_REQUEST, Wording.of("import.no-header", HEADER_SEARCH, ROWS,
                    String.join("、", Column.template().stream().map(c -> c.title).toList()))).exception();
        }
    }

    /**
     * The workbook's zip as POI reads it: each part inflated only as far as it is read, and counted, all of them
     * together at most {@link #MAX_UNZIPPED_BYTES}. The row limit stops a long sheet early; this stops what it does not
     * count (empty rows, shared strings, styles), at a ratio POI's own zip bomb check lets through.
     */
    private static final class BoundedParts extends ZipFileZipEntrySource {
        private long unzipped;

        BoundedParts(byte[] body) throws IOException {
            super(ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(body)).get());
        }

        @Override
        public InputStream getInputStream(ZipArchiveEntry entry) throws IOException {
            return new ProxyInputStream(super.getInputStream(entry)) {
                @Override
                protected void afterRead(int n) {
                    unzipped += Math.max(n, 0);
                    if (unzipped > MAX_UNZIPPED_BYTES) {
                        throw Problem.of(ProblemType.BODY_TOO_LARGE, Wording.of("import.parts-too-large",
                                MAX_UNZIPPED_BYTES, entry.getName())).exception();
                    }
                }
            };
        }
    }

    /** An amount typed as text: a decimal, grouped with commas or not, perhaps followed by 万元, rounded to cents. */
    private static BigDecimal amount(String text) {
        String written = halfWidth(text).strip();
        String number = written.endsWith(TEN_THOUSAND_YUAN)
                ? written.substring(0, written.length() - TEN_THOUSAND_YUAN.length()).strip() : written;
        String plain = GROUPED_NUMBER.matcher(number).matches() ? number.replace(",", "") : number;
        // Plain digits only: an exponent (1e150000) would make setScale build a number of that many digits.
        return PLAIN_NUMBER.matcher(plain).matches() ? new BigDecimal(plain).setScale(2, RoundingMode.HALF_UP) : null;
    }

    /** A date typed as text: 2024-05-01, 2024/5/1, 2024.5.1 or 2024年5月1日. */
    private static LocalDate day(String text) {
        Matcher day = DAY.matcher(halfWidth(text));
        if (!day.matches()) {
            return null;
        }
        try {
            return LocalDate.of(Integer.parseInt(day.group(1)),
                    Integer.parseInt(day.group(2) != null ? day.group(2) : day.group(3)), Integer.parseInt(day.group(4)));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Boolean yes(String text) {
        return switch (text) {
            case "是" -> Boolean.TRUE;
            case "否" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static ProblemException outOfRange(String cell) {
        return Problem.of(ProblemType.INVALID_REQUEST, Wording.of("import.cell-out-of-range", cell)).exception();
    }

    /** A text as a cell can hold it: the end of a longer one cut off. */
    private static String fitting(String text) {
        return text.length() <= SHEET.getMaxTextLength() ? text : text.substring(0, SHEET.getMaxTextLength() - 1) + "…";
    }

    /** Full-width digits, commas and points (１２，０００．５) as their half-width forms. */
    private static String halfWidth(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC);
    }

    /**
     * Line breaks (Alt-Enter), full-width spaces (U+3000) and other white space around a text taken away. Not a
     * regular expression: one anchored at the end backtracks over every run of spaces inside the text, and a cell of
     * a million spaces (a few kilobytes zipped) would cost minutes of CPU.
     */
    static String normalise(String text) {
        return text.strip();
    }

    /** A text as a cell holding it is read: trimmed, its line breaks spaces. */
    static String asRead(String text) {
        return INNER_BREAKS.matcher(normalise(text)).replaceAll(" ");
    }
}
