package cn.qxqy.pipeline.spreadsheet;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The CSV of {@link Tables}, written to memory: each first character a spreadsheet takes for a formula's. */
class TablesTest {

    @Test
    void aTextStartingAsAFormulaIsWrittenAfterAQuoteAndANegativeNumberAsItIs() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Tables tables = Tables.csv(out, false)) {
            Tables.Table table = tables.table("表");
            table.row(Arrays.asList("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=b", " =x", "", null));
            table.row(List.of(new BigDecimal("-12.5"), -3L, -4, new Tables.Percent(new BigDecimal("-1.5")),
                    LocalDate.of(2024, 3, 15)));
        }
        String csv = new String(out.toByteArray(), StandardCharsets.UTF_8);
        assertThat(csv).isEqualTo("\uFEFF'=1+2,'+1,'-1,'@SUM(A1),'\tx,\"'\rx\",a=b, =x,,\r\n"
                + "-12.50,-3,-4,-1.5,2024-03-15\r\n");
    }
}
