package cn.qxqy.pipeline.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may write what: the rule of {@link Writer}, one row per case. */
class WriterTest {

    private static final LocalDate DAY = LocalDate.of(2024, 5, 6);

    @ParameterizedTest(name = "{0} holding [{1}] writes {3} (moving to {4}) on a project of {2} reserved by {5}: {6}")
    @CsvSource(nullValues = "-", value = {
            // writer, holds,          project, event,     moveTo,  reservedBy, answer
            "xingxian, 141123,          -,      reserve,   141123,  -,          allowed",
            "xingxian, 141123,          -,      reserve,   141182,  -,          REGION_NOT_HELD",
            "fgw,      141100,          -,      reserve,   141182,  -,          allowed",
            "fgw,      141100,          -,      reserve,   141100,  -,          allowed",
            "shanxi,   140000,          -,      reserve,   141182,  -,          allowed",
            "fgw,      141100,          -,      reserve,   140100,  -,          REGION_NOT_HELD",
            "xingxian, 141123,          -,      sign,      -,       -,          allowed",
            "xingxian, 141123,          141123, sign,      -,       xingxian,   allowed",
            "xingxian, 141123,          141123, correct,   -,       xingxian,   allowed",
            "xingxian, 141123,          141123, correct,   141182,  xingxian,   REGION_NOT_HELD",
            "xingxian, 141123 141182,   141123, correct,   141182,  xingxian,   allowed",
            "sww,      141182,          141123, correct,   141182,  xingxian,   REGION_NOT_HELD",
            "sww,      141182,          141123, withdraw,  -,       xingxian,   REGION_NOT_HELD",
            "shangwu,  141123,          141123, correct,   -,       xingxian,   RESERVED_BY_ANOTHER",
            "shangwu,  141123,          141123, withdraw,  -,       xingxian,   RESERVED_BY_ANOTHER",
            "fgw,      141100,          141123, withdraw,  -,       xingxian,   allowed",
            "fgw,      141100,          141123, correct,   141182,  xingxian,   allowed",
            "xingxian, 141123,          141100, sign,      -,       fgw,        REGION_NOT_HELD",
            "fgw,      141100,          141123, sign,      -,       -,          allowed",
            "shangwu,  141123,          141123, sign,      -,       -,          allowed",
            "nobody,   -,               141123, sign,      -,       xingxian,   REGION_NOT_HELD",
            "nobody,   -,               -,      reserve,   141123,  -,          REGION_NOT_HELD",
    })
    void aWriterWritesOnlyWhereItHoldsTheRegionAndOnlyWhatItReservedUnlessItHoldsTheCity(
            String department, String holds, String projectRegion, String event, String moveTo, String reservedBy,
            String answer) {
        Writer writer = new Writer(department, holds == null ? List.of() : Arrays.asList(holds.split(" ")));
        ProjectState current = projectRegion == null ? ProjectState.UNKNOWN
                : ProjectStateMachine.apply(ProjectState.UNKNOWN, reservation(projectRegion));
        ProjectEvent posted = switch (event) {
            case "reserve" -> reservation(moveTo);
            case "sign" -> new ProjectEvent.ProjectSigned(DAY, new BigDecimal("10"), "某公司");
            case "correct" -> new ProjectEvent.ProjectCorrected(DAY, new ProjectDetails("新名称", null, moveTo, null,
                    null, null, null, null, null, null, null, null));
            case "withdraw" -> new ProjectEvent.ProjectWithdrawn(DAY, "撤资");
            default -> throw new IllegalArgumentException(event);
        };
        assertThat(writer.check(current, reservedBy, posted).map(denial -> denial.refusal().name()).orElse("allowed"))
                .isEqualTo(answer);
    }

    private static ProjectEvent reservation(String region) {
        return new ProjectEvent.ProjectReserved(DAY, new ProjectDetails("项目", "2024-qxqy", region, "other", List.of(),
                new BigDecimal("100"), null, null, null, null, null, null));
    }
}
