package cn.qxqy.pipeline.spreadsheet;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The named schemas of the files the API answers or takes, for {@code @Content(schema = @Schema(implementation))}. */
public final class FileSchemas {

    private FileSchemas() {
    }

    @Schema(name = "XlsxFile", type = SchemaType.STRING, format = "binary",
            description = "an Office Open XML workbook (.xlsx)")
    public static final class XlsxFile {
        private XlsxFile() {
        }
    }

    @Schema(name = "CsvFile", type = SchemaType.STRING, format = "binary",
            description = "CSV (RFC 4180) in UTF-8 after a byte order mark, lines ending CRLF; a text starting with =, +, "
                    + "-, @, a tab or a carriage return is written after a ' (never a formula), numbers as they are")
    public static final class CsvFile {
        private CsvFile() {
        }
    }
}
