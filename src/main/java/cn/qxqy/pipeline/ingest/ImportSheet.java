package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemException;
import cn.qxqy.pipeline.problem.ProblemType;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.apache.commons.io.input.ProxyInputStream;
import org.apache.poi.ooxml.POIXMLTypeLoader;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.util.ZipFileZipEntrySource;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
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

    /**
     * What the parts of a file may hold together, uncompressed, as they are read: the XML of a thousand filled rows,
     * with their shared strings and styles, takes a few MiB.
     */
    static final long MAX_UNZIPPED_BYTES = 8L * 1024 * 1024;

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
     * The filled rows of an uploaded template, at most {@code maxRows}. Read as a stream: the rows as the sheet's XML
     * goes, stopping at the first row over {@code maxRows}; each part inflated only as far as it is read, all of them
     * together at most {@link #MAX_UNZIPPED_BYTES}.
     *
     * @throws cn.qxqy.pipeline.problem.ProblemException 400 when the body is not an .xlsx workbook or its header is
     *                                                   not the template's, 413 when it has more rows or its parts
     *                                                   more bytes
     */
    static List<Line> read(byte[] body, int maxRows) {
        try (BoundedParts parts = new BoundedParts(body)) {
            OPCPackage workbook = OPCPackage.open(parts);
            try {
                return rows(workbook, maxRows);
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
            throw Problem.of(ProblemType.INVALID_REQUEST, "the body is not an .xlsx workbook: " + e.getMessage())
                    .exception();
        }
    }

    private static List<Line> rows(OPCPackage workbook, int maxRows)
            throws IOException, SAXException, ParserConfigurationException, OpenXML4JException, XmlException {
        XSSFReader reader = new XSSFReader(workbook);
        CTWorkbook book;
        try (InputStream data = reader.getWorkbookData()) {
            book = WorkbookDocument.Factory.parse(data, POIXMLTypeLoader.DEFAULT_XML_OPTIONS).getWorkbook();
        }
        List<CTSheet> sheets = book.getSheets().getSheetList();
        CTSheet sheet = sheets.stream().filter(s -> ROWS.equalsIgnoreCase(s.getName())).findFirst()
                .or(() -> sheets.stream().findFirst())
                .orElseThrow(() -> Problem.of(ProblemType.INVALID_REQUEST, "the workbook has no sheet").exception());
        Numbers numbers = new Numbers(book.isSetWorkbookPr() && book.getWorkbookPr().getDate1904());
        Rows rows = new Rows(numbers, maxRows);
        // Without a styles part the handler would hand on numbers unformatted, past Numbers: a default one instead.
        StylesTable styles = Optional.ofNullable(reader.getStylesTable()).orElseGet(StylesTable::new);
        XMLReader parser = XMLHelper.newXMLReader();
        // Phonetic runs (furigana) are not part of a cell's text, as the workbook model reads it.
        parser.setContentHandler(new XSSFSheetXMLHandler(styles, new ReadOnlySharedStringsTable(workbook, false), rows,
                numbers, false));
        try (InputStream data = reader.getSheet(sheet.getId())) {
            parser.parse(new InputSource(data));
        }
        return rows.lines();
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

    /** The sheet's rows as its XML goes: the first is the header, checked when it ends; the others become lines. */
    private static final class Rows implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final Numbers numbers;
        private final int maxRows;
        private final List<Line> lines = new ArrayList<>();
        private Map<Column, String> titles;
        private boolean headerChecked;
        private Map<Column, Object> cells;
        private int row;
        private int column;

        Rows(Numbers numbers, int maxRows) {
            this.numbers = numbers;
            this.maxRows = maxRows;
        }

        @Override
        public void startRow(int rowNum) {
            row = rowNum;
            column = -1;
            if (headerChecked) {
                cells = new EnumMap<>(Column.class);
            } else {
                titles = new EnumMap<>(Column.class);
            }
        }

        @Override
        public void cell(String reference, String formatted, XSSFComment comment) {
            Numeric number = numbers.take();
            // A cell without its reference is the one after the previous, as Excel reads it.
            column = reference == null ? column + 1 : new CellReference(reference).getCol();
            if (formatted == null || column >= Column.values().length) {
                return;
            }
            Column at = Column.values()[column];
            if (!headerChecked) {
                titles.put(at, normalise(formatted));
                return;
            }
            Object value = value(at.kind, formatted, number);
            if (value != null) {
                cells.put(at, value);
            }
        }

        @Override
        public void endRow(int rowNum) {
            if (!headerChecked) {
                checkHeader(titles);
                headerChecked = true;
                return;
            }
            if (cells.isEmpty()) {
                return;
            }
            if (lines.size() == maxRows) {
                throw Problem.of(ProblemType.BATCH_TOO_LARGE, "an import may have at most " + maxRows + " rows")
                        .exception();
            }
            lines.add(new Line(row + 1, cells));
        }

        /** The lines read, once the whole sheet is; a sheet without rows has no header either. */
        List<Line> lines() {
            if (!headerChecked) {
                checkHeader(Map.of());
            }
            return lines;
        }

        /** A cell's value as its column reads it: text, an amount, a list of codes or an ISO date; null when empty. */
        private Object value(Kind kind, String formatted, Numeric number) {
            if (number != null && kind == Kind.DATE && number.date()) {
                return numbers.date(number);
            }
            if (number != null && kind == Kind.AMOUNT) {
                // The double's shortest decimal form (0.1 is 0.1, not 0.1000000000000000055...), then cents.
                return BigDecimal.valueOf(number.value()).setScale(2, RoundingMode.HALF_UP);
            }
            String text = normalise(number != null && kind == Kind.TEXT
                    ? BigDecimal.valueOf(number.value()).stripTrailingZeros().toPlainString()
                    : formatted);
            if (text.isEmpty()) {
                return null;
            }
            return switch (kind) {
                case AMOUNT -> amount(text);
                case LIST -> Arrays.stream(LIST_SEPARATORS.split(text)).filter(code -> !code.isEmpty()).toList();
                case TEXT, DATE -> INNER_BREAKS.matcher(text).replaceAll(" ");
            };
        }
    }

    private static void checkHeader(Map<Column, String> titles) {
        List<FieldViolation> violations = new ArrayList<>();
        for (Column column : Column.values()) {
            if (!column.title.equals(titles.getOrDefault(column, ""))) {
                violations.add(new FieldViolation(new CellReference(0, column.ordinal()).formatAsString(),
                        "must be " + column.title));
            }
        }
        if (!violations.isEmpty()) {
            throw Problem.of(ProblemType.INVALID_REQUEST, "the first row of sheet " + ROWS
                    + " must be the template's header", violations).exception();
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
                        throw Problem.of(ProblemType.BODY_TOO_LARGE, "the parts of an import file may hold at most "
                                + MAX_UNZIPPED_BYTES + " bytes uncompressed; " + entry.getName() + " goes over")
                                .exception();
                    }
                }
            };
        }
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
