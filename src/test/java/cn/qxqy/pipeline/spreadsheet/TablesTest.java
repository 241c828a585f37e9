package cn.qxqy.pipeline.spreadsheet;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Tables} written to memory: the CSV's quoting, the titles, the file names. */
class TablesTest {

    private static final Tables.Title TITLE = new Tables.Title("2024年“千项千亿”项目大会战",
            ZonedDateTime.of(2024, 12, 31, 23, 59, 30, 0, ZoneId.of("Asia/Shanghai")));

    @Test
    void aTextStartingAsAFormulaIsWrittenAfterAQuoteAndANegativeNumberAsItIs() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Tables tables = Tables.csv(out, TITLE)) {
            Tables.Table table = tables.table("表");
            table.row(Arrays.asList("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=b", " =x", "", null));
            table.row(List.of(new BigDecimal("-12.5"), -3L, -4, new Tables.Percent(new BigDecimal("-1.5")),
                    LocalDate.of(2024, 3, 15)));
        }
        String csv = new String(out.toByteArray(), StandardCharsets.UTF_8);
        assertThat(csv).isEqualTo("\uFEFF2024年“千项千亿”项目大会战\u3000表\u3000数据截至 2024-12-31 23:59:30\r\n"
                + "'=1+2,'+1,'-1,'@SUM(A1),'\tx,\"'\rx\",a=b, =x,,\r\n"
                + "-12.50,-3,-4,-1.5,2024-03-15\r\n");
    }

    @Test
    void eachCsvSectionStartsWithItsTitleAfterABlankLine() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Tables tables = Tables.csv(out, TITLE)) {
            tables.table("汇总").header(List.of("指标", "数值"));
            tables.table("分县").header(List.of("代码"));
        }
        assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "\uFEFF2024年“千项千亿”项目大会战\u3000汇总\u3000数据截至 2024-12-31 23:59:30", "指标,数值", "",
                "2024年“千项千亿”项目大会战\u3000分县\u3000数据截至 2024-12-31 23:59:30", "代码");
    }

    @Test
    void aHanCharacterOrFullWidthFormIsTwoDigitsWide() {
        assertThat(Tables.displayWidth("12,345.60")).isEqualTo(9);
        assertThat(Tables.displayWidth("计划总投资（万元）")).isEqualTo(18);
        assertThat(Tables.displayWidth("兴县 LL-2024-0001")).isEqualTo(17);
        assertThat(Tables.displayWidth("第一行\n第二行更长")).isEqualTo(10);
    }

    @Test
    void theFileIsNamedForTheCampaignItsContentAndTheDateOfItsFigures() {
        assertThat(TITLE.fileName("项目清单", "xlsx")).isEqualTo("2024年千项千亿项目大会战-项目清单-20241231.xlsx");
        assertThat(new Tables.Title("a/b:c*?\"<>|", TITLE.asOf()).fileName("报表", "csv"))
                .isEqualTo("abc-报表-20241231.csv");
    }

    @Test
    void theContentDispositionHasAnAsciiFallbackAndTheNameInUtf8() {
        String header = Tables.attachment("2024年千项千亿项目大会战-项目清单-20241231.xlsx",
                "2024-qxqy-projects-20241231.xlsx");
        assertThat(header).startsWith("attachment; filename=\"2024-qxqy-projects-20241231.xlsx\"; filename*=UTF-8''")
                .as("a header is ASCII").matches("[\\x20-\\x7e]+");
        String encoded = header.substring(header.indexOf("UTF-8''") + "UTF-8''".length());
        assertThat(encoded).matches("[A-Za-z0-9!#$&+\\-.^_`|~%]+");
        assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8))
                .isEqualTo("2024年千项千亿项目大会战-项目清单-20241231.xlsx");
        assertThat(Tables.attachment("x", "a \"b\".csv")).startsWith("attachment; filename=\"a__b_.csv\";");
    }
}
