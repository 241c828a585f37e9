package cn.qxqy.pipeline.spreadsheet;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

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
import java.util.List;

/**
 * Tables written one row at a time into an .xlsx workbook (a sheet each) or a CSV file (a section each, one after
 * another), so that an export is written once for both. Cells: text, a whole number (long or int), an amount in 万元
 * ({@link BigDecimal}, format {@value #MONEY}), a {@link Percent}, a date (yyyy-MM-dd), or null for an empty cell.
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

    /** One table: its header, rows and totals. */
    public interface Table {

        void header(List<String> titles);

        void row(List<?> cells);

        /** A totals row (合计), set apart from the rows above it. */
        void totals(List<?> cells);

        /** A row with no cell, between two parts of a table. */
        void gap();
    }

    /** A new sheet of the workbook, or a new section of the CSV file, named {@code title}. */
    public abstract Table table(String title);

    /** Writes what is still to be written and releases what the tables held; the stream stays open. */
    @Override
    public abstract void close() throws IOException;

    public static Tables xlsx(OutputStream out) {
        return new Xlsx(out);
    }

    /**
     * CSV in UTF-8 after a byte order mark (Excel and WPS read UTF-8 only with it), RFC 4180 quoting, CRLF;
     * {@code titled}: each table starts with its title on a line of its own, after a blank line but for the first.
     */
    public static Tables csv(OutputStream out, boolean titled) {
        return new Csv(out, titled);
    }

    private static final class Xlsx extends Tables {
        private final OutputStream out;
        private final SXSSFWorkbook workbook = new SXSSFWorkbook(WINDOW);
        private final CellStyle money;
        private final CellStyle percent;
        private final CellStyle boldText;
        private final CellStyle boldMoney;

        Xlsx(OutputStream out) {
            this.out = out;
            // The rows flushed out of the window go to a temporary file: compressed, a large list takes little disk.
            workbook.setCompressTempFiles(true);
            Font bold = workbook.createFont();
            bold.setBold(true);
            short moneyFormat = workbook.createDataFormat().getFormat(MONEY);
            money = workbook.createCellStyle();
            money.setDataFormat(moneyFormat);
            percent = workbook.createCellStyle();
            percent.setDataFormat(workbook.createDataFormat().getFormat("0.0"));
            boldText = workbook.createCellStyle();
            boldText.setFont(bold);
            boldMoney = workbook.createCellStyle();
            boldMoney.setFont(bold);
            boldMoney.setDataFormat(moneyFormat);
        }

        @Override
        public Table table(String title) {
            SXSSFSheet sheet = workbook.createSheet(title);
            return new Table() {
                private int next;

                @Override
                public void header(List<String> titles) {
                    write(sheet, titles, true);
                    if (next == 1) {
                        sheet.createFreezePane(0, 1);
                    }
                }

                @Override
                public void row(List<?> cells) {
                    write(sheet, cells, false);
                }

                @Override
                public void totals(List<?> cells) {
                    write(sheet, cells, true);
                }

                @Override
                public void gap() {
                    next++;
                }

                private void write(Sheet sheet, List<?> cells, boolean bold) {
                    Row row = sheet.createRow(next++);
                    for (int i = 0; i < cells.size(); i++) {
                        Object value = cells.get(i);
                        if (value == null) {
                            continue;
                        }
                        Cell cell = row.createCell(i);
                        if (value instanceof BigDecimal amount) {
                            cell.setCellValue(amount.doubleValue());
                            cell.setCellStyle(bold ? boldMoney : money);
                        } else if (value instanceof Percent p) {
                            cell.setCellValue(p.value().doubleValue());
                            cell.setCellStyle(percent);
                        } else {
                            if (value instanceof Long || value instanceof Integer) {
                                cell.setCellValue(((Number) value).doubleValue());
                            } else {
                                cell.setCellValue(value.toString());
                            }
                            if (bold) {
                                cell.setCellStyle(boldText);
                            }
                        }
                    }
                }
            };
        }

        @Override
        public void close() throws IOException {
            try {
                workbook.write(out);
            } finally {
                workbook.close();
                workbook.dispose();
            }
        }
    }

    private static final class Csv extends Tables {
        private static final String FORMULA_STARTS = "=+-@\t\r";
        private final Writer out;
        private final boolean titled;
        private boolean first = true;

        Csv(OutputStream stream, boolean titled) {
            this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            this.titled = titled;
            try {
                out.write('\uFEFF');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Table table(String title) {
            if (titled) {
                if (!first) {
                    line(List.of());
                }
                line(List.of(title));
            }
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
