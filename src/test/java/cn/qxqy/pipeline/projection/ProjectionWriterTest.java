package cn.qxqy.pipeline.projection;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one part of {@link ProjectionWriter} that stands without PostgreSQL: the text form of a {@code text[]} value
 * that a page of views is inserted with (one array per column). What it writes, the views and the aggregates' deltas,
 * is checked against PostgreSQL by the projection's Quarkus tests; the sums it writes, by {@link AggregatesTest}.
 */
class ProjectionWriterTest {

    @Test
    void everyElementIsQuotedSoThatNoTextReadsAsNullOrSplitsInTwo() {
        assertThat(ProjectionWriter.arrayLiteral(new String[]{"central-budget", "NULL", "a,b", "{x}", "", " 空格 "}))
                .isEqualTo("{\"central-budget\",\"NULL\",\"a,b\",\"{x}\",\"\",\" 空格 \"}");
    }

    @Test
    void quotesAndBackslashesInsideAnElementAreEscaped() {
        assertThat(ProjectionWriter.arrayLiteral(new String[]{"say \"hi\"", "C:\\dir\\", "\\\""}))
                .isEqualTo("{\"say \\\"hi\\\"\",\"C:\\\\dir\\\\\",\"\\\\\\\"\"}");
    }

    @Test
    void noElementsIsTheEmptyArray() {
        assertThat(ProjectionWriter.arrayLiteral(new String[0])).isEqualTo("{}");
    }
}
