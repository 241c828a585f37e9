package cn.qxqy.pipeline.spreadsheet;

import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.HorizontalAlignment;
import org.apache.poi.ss.usermodel.PageMargin;
import org.apache.poi.ss.usermodel.PrintSetup;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.VerticalAlignment;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFColor;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tables written one row at a time into an .xlsx workbook (a sheet each) or a CSV file (a section each, one after
 * another), so that an export is written once for both. Every table starts with its title row (the campaign's name,
 * the table's and 数据截至), then its header. Cells: text, a whole number (long or int), an amount in 万元
 * ({@link BigDecimal}, format {@value #MONEY}), a {@link Percent}, a {@link Shaded} text, a date (yyyy-MM-dd), or null for an empty cell.
 * Text is never a formula: an inline string in the workbook, and in CSV written after a {@code '} when it starts as a
 * formula would.
 */
public abstract class Tables implements AutoCloseable {

    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public static final String CSV = "text/csv;charset=UTF-8";
    /** 万元 with 2 fraction digits, thousands grouped. */
    public static final String MONEY = "#,##0.00";
    /** Rows an .xlsx export keeps in memory; the rows before them are flushed to a temporary file. */
    private static final int WINDOW = 200;

    /** A percentage such as 45.5 (meaning 45.5%), shown with 1 fraction digit. */
    public record Percent(BigDecimal value) {
    }

    /**
     * A text on a coloured fill ({@code green}, {@code blue}, {@code yellow} or {@code red}, light enough for black
     * text), such as a band of the 通报: the word says it too, for a print in black and white; CSV writes the text.
     */
    public record Shaded(String text, String colour) {
    }

    /**
     * What every table of a file is titled with: the campaign's name and the instant its figures stand at
     * ({@code asOf}, in the campaign's zone, Asia/Shanghai), and for figures as recorded by an earlier instant, that
     * instant ({@code knownAt}, else null).
     */
    public record Title(String campaign, ZonedDateTime asOf, ZonedDateTime knownAt) {

        public Title(String campaign, ZonedDateTime asOf) {
            this(campaign, asOf, null);
        }

        private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

        /** The title row of the table {@code table}. */
        public String of(String table) {
            return campaign + "\u3000" + table + "\u3000数据截至 " + INSTANT.format(asOf)
                    + (knownAt == null ? "" : "（按 " + INSTANT.format(knownAt) + " 已记录的数据）");
        }

        /**
         * The name a file of these tables is saved under, such as {@code 2024年千项千亿项目大会战-项目清单-20241231.xlsx}:
         * the campaign's name without what a file name may not hold (nor quotation marks), what the file holds, the
         * date of its figures.
         */
        public String fileName(String what, String extension) {
            return campaign.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}“”‘’「」『』\\s]", "") + "-" + what + "-"
                    + DAY.format(asOf) + "." + extension;
        }

        /** The date of the figures, for an ASCII file name. */
        public String day() {
            return DAY.format(asOf);
        }
    }

    /** One table: its header, rows and totals. */
    public interface Table {

        void header(List<String> titles);

        void row(List<?> cells);

        /** A totals row (合计), set apart from the rows above it. */
        void totals(List<?> cells);

        /** A row with no cell, between two parts of a table. */
        void gap();
    }

    /** A new sheet of the workbook, or a new section of the CSV file, named {@code name}, starting with its title. */
    public abstract Table table(String name);

    /** Writes what is still to be written and releases what the tables held; the stream stays open. */
    @Override
    public abstract void close() throws IOException;

    public static Tables xlsx(OutputStream out, Title title) {
        return new Xlsx(out, title);
    }

    /**
     * CSV in UTF-8 after a byte order mark (Excel and WPS read UTF-8 only with it), RFC 4180 quoting, CRLF; each table
     * starts with its title on a line of its own, after a blank line but for the first.
     */
    public static Tables csv(OutputStream out, Title title) {
        return new Csv(out, title);
    }

    /**
     * A Content-Disposition (RFC 6266) that saves the answer as {@code fileName}: {@code filename*} in UTF-8 (RFC 8187)
     * for the browsers and clients that read it, which is all of today's, and {@code asciiFileName} for those that do
     * not.
     */
    public static String attachment(String fileName, String asciiFileName) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "!#$&+-.^_`|~".indexOf(c) >= 0)) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return "attachment; filename=\"" + asciiFileName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"; filename*=UTF-8''"
                + encoded;
    }

    /**
     * How wide a text shows, in widths of a digit, the unit of a column's width: a Han character, a full-width form
     * or CJK punctuation takes two, anything else one; a text of several lines is as wide as its widest.
     */
    public static int displayWidth(String text) {
        int widest = 0;
        for (String line : text.split("\n", -1)) {
            widest = Math.max(widest, line.codePoints().map(c -> wide(c) ? 2 : 1).sum());
        }
        return widest;
    }

    private static boolean wide(int codePoint) {
        Character.UnicodeBlock block = Character.UnicodeBlock.of(codePoint);
        return Character.isIdeographic(codePoint)
                || block == Character.UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION
                || block == Character.UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS && codePoint < 0xFF61
                || block == Character.UnicodeBlock.CJK_COMPATIBILITY_FORMS
                || block == Character.UnicodeBlock.VERTICAL_FORMS;
    }

    /**
     * Sets a sheet up to print as a report: landscape A4, as wide as one page (as many pages down as it takes), the
     * rows {@code 0..repeatedRows-1} (title and header) again on every page, and 第 n 页，共 m 页 in the footer.
     * Core SpreadsheetML (pageSetup, printOptions, the Print_Titles name, headerFooter), which WPS and LibreOffice
     * read as Excel does.
     */
    public static void printAsReport(Sheet sheet, int repeatedRows) {
        PrintSetup print = sheet.getPrintSetup();
        print.setPaperSize(PrintSetup.A4_PAPERSIZE);
        print.setLandscape(true);
        sheet.setFitToPage(true);
        print.setFitWidth((short) 1);
        print.setFitHeight((short) 0);
        sheet.setMargin(PageMargin.LEFT, 0.4);
        sheet.setMargin(PageMargin.RIGHT, 0.4);
        sheet.setMargin(PageMargin.TOP, 0.5);
        sheet.setMargin(PageMargin.BOTTOM, 0.6);
        if (repeatedRows > 0) {
            sheet.setRepeatingRows(new CellRangeAddress(0, repeatedRows - 1, -1, -1));
        }
        // &P and &N: the page's number and the number of pages, as the spreadsheet prints them.
        sheet.getFooter().setCenter("第 &P 页，共 &N 页");
    }

    private static final class Xlsx extends Tables {
        /** Room for a cell's margins and a bold font, in widths of a digit. */
        private static final int PADDING = 2;
        /** About as many digit widths of the body's font as an A4 page in landscape holds between its margins. */
        private static final int A4_LANDSCAPE = 150;
        /** The widest a column grows for text; a longer text wraps within it. */
        private static final int WIDEST_TEXT = 40;
        /** The height of a line of the body's font, in points. */
        private static final float LINE = 15;
        /** The title's font against the body's (14 pt against 11 pt), bold. */
        private static final double TITLE_SCALE = 1.35;

        private final OutputStream out;
        private final SXSSFWorkbook workbook = new SXSSFWorkbook(WINDOW);
        private final Title title;
        private final Styles styles;
        private final CellStyle titleStyle;
        /** Formats a cell as a spreadsheet shows it, to know how wide it is. */
        private final DataFormatter formatter = new DataFormatter(Locale.ROOT);
        private final List<XlsxTable> tables = new ArrayList<>();

        Xlsx(OutputStream out, Title title) {
            this.out = out;
            this.title = title;
            // The rows flushed out of the window go to a temporary file: compressed, a large list takes little disk.
            workbook.setCompressTempFiles(true);
            styles = new Styles(workbook);
            Font large = workbook.createFont();
            large.setBold(true);
            large.setFontHeightInPoints((short) 14);
            titleStyle = workbook.createCellStyle();
            titleStyle.setFont(large);
            titleStyle.setVerticalAlignment(VerticalAlignment.CENTER);
        }

        @Override
        public Table table(String name) {
            XlsxTable table = new XlsxTable(workbook.createSheet(name), title.of(name));
            tables.add(table);
            return table;
        }

        @Override
        public void close() throws IOException {
            try {
                tables.forEach(XlsxTable::finish);
                workbook.write(out);
            } finally {
                workbook.close();
                workbook.dispose();
            }
        }

        /**
         * A sheet as it is written. The streaming window forgets the rows it flushed, so the widest text of each column
         * is kept as the rows go by, and the widths are set when the workbook is closed.
         */
        private final class XlsxTable implements Table {
            private final SXSSFSheet sheet;
            private final String title;
            private final List<Integer> widths = new ArrayList<>();
            private int next;
            private int headers;

            XlsxTable(SXSSFSheet sheet, String title) {
                this.sheet = sheet;
                this.title = title;
                Row row = sheet.createRow(next++);
                row.setHeightInPoints(24);
                Cell cell = row.createCell(0);
                cell.setCellValue(title);
                cell.setCellStyle(titleStyle);
            }

            @Override
            public void header(List<String> titles) {
                if (headers++ == 0 && next == 1) {
                    // The title and the header stay in view as the rows scroll, and head every printed page.
                    sheet.createFreezePane(0, 2);
                    printAsReport(sheet, 2);
                }
                write(titles, Styles.Part.HEADER);
            }

            @Override
            public void row(List<?> cells) {
                write(cells, Styles.Part.BODY);
            }

            @Override
            public void totals(List<?> cells) {
                write(cells, Styles.Part.TOTALS);
            }

            @Override
            public void gap() {
                next++;
            }

            private void write(List<?> cells, Styles.Part part) {
                Row row = sheet.createRow(next++);
                int lines = 1;
                for (int i = 0; i < cells.size(); i++) {
                    Object value = cells.get(i);
                    if (value == null) {
                        continue;
                    }
                    Cell cell = row.createCell(i);
                    int width;
                    if (value instanceof BigDecimal amount) {
                        cell.setCellValue(amount.doubleValue());
                        cell.setCellStyle(styles.of(part, MONEY, false));
                        width = displayWidth(formatter.formatCellValue(cell));
                    } else if (value instanceof Percent p) {
                        cell.setCellValue(p.value().doubleValue());
                        cell.setCellStyle(styles.of(part, "0.0", false));
                        width = displayWidth(formatter.formatCellValue(cell));
                    } else if (value instanceof Shaded shaded) {
                        cell.setCellValue(shaded.text());
                        cell.setCellStyle(styles.of(part, null, false, shaded.colour()));
                        width = displayWidth(shaded.text());
                    } else if (value instanceof Long || value instanceof Integer) {
                        cell.setCellValue(((Number) value).doubleValue());
                        cell.setCellStyle(styles.of(part, "#,##0", false));
                        width = displayWidth(formatter.formatCellValue(cell));
                    } else {
                        String text = value.toString();
                        width = displayWidth(text);
                        cell.setCellValue(text);
                        cell.setCellStyle(styles.of(part, null, width > WIDEST_TEXT));
                        lines = Math.max(lines, (width + WIDEST_TEXT - 1) / WIDEST_TEXT);
                        width = Math.min(width, WIDEST_TEXT);
                    }
                    while (widths.size() <= i) {
                        widths.add(0);
                    }
                    widths.set(i, Math.max(widths.get(i), width));
                }
                if (lines > 1) {
                    // Set, not left to the spreadsheet: LibreOffice keeps a row's default height for wrapped text.
                    row.setHeightInPoints(lines * LINE);
                }
            }

            /** Each column as wide as its widest cell, the title across them all, and wider if it needs it. */
            void finish() {
                int columns = Math.max(1, widths.size());
                int[] chars = new int[columns];
                for (int i = 0; i < columns; i++) {
                    chars[i] = (i < widths.size() ? widths.get(i) : 0) + PADDING;
                }
                int missing = (int) Math.ceil(displayWidth(title) * TITLE_SCALE) + PADDING - Arrays.stream(chars).sum();
                for (int i = 0; missing > 0 && i < columns; i++) {
                    int share = (missing + columns - 1 - i) / (columns - i);
                    chars[i] += share;
                    missing -= share;
                }
                for (int i = 0; i < columns; i++) {
                    sheet.setColumnWidth(i, Math.min(255, chars[i]) * 256);
                }
                if (columns > 1) {
                    sheet.addMergedRegion(new CellRangeAddress(0, 0, 0, columns - 1));
                }
                if (headers == 0) {
                    printAsReport(sheet, 1);
                }
                if (Arrays.stream(chars).sum() > A4_LANDSCAPE) {
                    // Fitted to one A4 page's width, a list this wide prints below 6 pt; A3 keeps it legible.
                    sheet.getPrintSetup().setPaperSize(PrintSetup.A3_PAPERSIZE);
                }
            }
        }
    }

    /**
     * The cell styles of a workbook, one per use: the header (bold, centred), body and totals rows (bold), each with
     * its number format and thin borders, so that a printed table has its grid.
     */
    private static final class Styles {
        enum Part { HEADER, BODY, TOTALS }

        private final Workbook workbook;
        private final Font bold;
        private final Map<String, CellStyle> made = new HashMap<>();

        Styles(Workbook workbook) {
            this.workbook = workbook;
            bold = workbook.createFont();
            bold.setBold(true);
        }

        /** The fills of {@link Shaded}: Excel's colour-scale green, blue, yellow and red, which black text reads on. */
        private static final Map<String, String> FILLS = Map.of("green", "63BE7B", "blue", "9BC2E6",
                "yellow", "FFEB84", "red", "F8696B");

        CellStyle of(Part part, String format, boolean wrap) {
            return of(part, format, wrap, null);
        }

        CellStyle of(Part part, String format, boolean wrap, String fill) {
            return made.computeIfAbsent(part + "|" + format + "|" + wrap + "|" + fill, key -> {
                CellStyle style = workbook.createCellStyle();
                style.setBorderTop(BorderStyle.THIN);
                style.setBorderBottom(BorderStyle.THIN);
                style.setBorderLeft(BorderStyle.THIN);
                style.setBorderRight(BorderStyle.THIN);
                style.setVerticalAlignment(VerticalAlignment.CENTER);
                if (part != Part.BODY) {
                    style.setFont(bold);
                }
                if (part == Part.HEADER) {
                    style.setAlignment(HorizontalAlignment.CENTER);
                }
                if (format != null) {
                    style.setDataFormat(workbook.createDataFormat().getFormat(format));
                }
                style.setWrapText(wrap);
                if (fill != null) {
                    style.setFillForegroundColor(new XSSFColor(HexFormat.of().parseHex(FILLS.get(fill)), null));
                    style.setFillPattern(FillPatternType.SOLID_FOREGROUND);
                    style.setAlignment(HorizontalAlignment.CENTER);
                }
                return style;
            });
        }
    }

    private static final class Csv extends Tables {
        private static final String FORMULA_STARTS = "=+-@\t\r";
        private final Writer out;
        private final Title title;
        private boolean first = true;

        Csv(OutputStream stream, Title title) {
            this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            this.title = title;
            try {
                out.write('\uFEFF');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Table table(String name) {
            if (!first) {
                line(List.of());
            }
            line(List.of(title.of(name)));
            first = false;
            return new Table() {
                @Override
                public void header(List<String> titles) {
                    line(titles);
                }

                @Override
                public void row(List<?> cells) {
                    line(cells);
                }

                @Override
                public void totals(List<?> cells) {
                    line(cells);
                }

                @Override
                public void gap() {
                    line(List.of());
                }
            };
        }

        private void line(List<?> cells) {
            try {
                for (int i = 0; i < cells.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    out.write(field(cells.get(i)));
                }
                out.write("\r\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. A text a spreadsheet
         * would take for a formula is written after a {@code '} first; numbers are written as they are, a negative
         * one too.
         */
        private static String field(Object value) {
            String text = value == null ? ""
                    : value instanceof BigDecimal amount ? amount.setScale(2, RoundingMode.HALF_UP).toPlainString()
                    : value instanceof Percent p ? p.value().toPlainString()
                    : value instanceof Shaded shaded ? asText(shaded.text())
                    : value instanceof Number || value instanceof LocalDate ? value.toString()
                    : asText(value.toString());
            if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
                return '"' + text.replace("\"", "\"\"") + '"';
            }
            return text;
        }

        /**
         * OWASP's rule against CSV injection: Excel, WPS and LibreOffice open a cell starting with = + - @, a tab or a
         * carriage return as a formula (=HYPERLINK, =cmd|...), unless a {@code '} comes first, which they show as text.
         */
        private static String asText(String text) {
            return !text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
