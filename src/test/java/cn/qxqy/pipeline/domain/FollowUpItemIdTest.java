package cn.qxqy.pipeline.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FollowUpItemIdTest {

    @Test
    void eachFormSpellsTheIdTheRulesName() {
        assertThat(FollowUpItemId.of("2024-qxqy-001", FollowUpRule.SIGNED_NOT_STARTED))
                .hasToString("2024-qxqy-001:signed-not-started");
        assertThat(FollowUpItemId.of("2024-qxqy-001", FollowUpRule.RESERVED_NOT_SIGNED))
                .hasToString("2024-qxqy-001:reserved-not-signed");
        assertThat(FollowUpItemId.reportMissing("2024-qxqy-001", YearMonth.of(2024, 6)))
                .hasToString("2024-qxqy-001:report-missing:2024-06");
        assertThat(FollowUpItemId.plannedDatePassed("2024-qxqy-001", FollowUpItemId.COMPLETED))
                .hasToString("2024-qxqy-001:planned-date-passed:completed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"p1:signed-not-started", "p1:reserved-not-signed", "p1:report-missing:2024-06",
            "p1:report-missing:1999-12", "p1:planned-date-passed:started", "p1:planned-date-passed:completed",
            "A.b_c-9:signed-not-started",
            "p123456789012345678901234567890123456789012345678901234567890123:report-missing:2024-01"})
    void anIdReadsBackAsTheSameItem(String text) {
        FollowUpItemId id = FollowUpItemId.parse(text).orElseThrow();

        assertThat(id).hasToString(text);
        assertThat(FollowUpItemId.parse(id.toString())).contains(id);
    }

    @Test
    void aParsedIdKeepsItsProjectRuleAndQualifier() {
        assertThat(FollowUpItemId.parse("2024-qxqy-001:report-missing:2024-06"))
                .contains(FollowUpItemId.reportMissing("2024-qxqy-001", YearMonth.of(2024, 6)));
        assertThat(FollowUpItemId.parse("2024-qxqy-001:planned-date-passed:started"))
                .contains(new FollowUpItemId("2024-qxqy-001", FollowUpRule.PLANNED_DATE_PASSED, "started"));
        assertThat(FollowUpItemId.parse("2024-qxqy-001:signed-not-started"))
                .contains(new FollowUpItemId("2024-qxqy-001", FollowUpRule.SIGNED_NOT_STARTED, null));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"p1", "p1:", ":signed-not-started", "p1:unknown-rule", "p1:SIGNED-NOT-STARTED",
            "p1:signed-not-started:", "p1:signed-not-started:2024-06", "p1:reserved-not-signed:started",
            "p1:report-missing", "p1:report-missing:", "p1:report-missing:2024-13", "p1:report-missing:2024-00",
            "p1:report-missing:2024-6", "p1:report-missing:24-06", "p1:report-missing:2024-06-01",
            "p1:report-missing:２０２４-06", "p1:report-missing:2024-06:x", "p1:planned-date-passed",
            "p1:planned-date-passed:", "p1:planned-date-passed:begun", "p1:planned-date-passed:STARTED",
            "p1:planned-date-passed:started:completed", "-p1:signed-not-started", "p 1:signed-not-started",
            "项目:signed-not-started", "p1::signed-not-started",
            "p1234567890123456789012345678901234567890123456789012345678901234:signed-not-started"})
    void malformedIdsNameNoItem(String text) {
        assertThat(FollowUpItemId.parse(text)).isEmpty();
    }
}
