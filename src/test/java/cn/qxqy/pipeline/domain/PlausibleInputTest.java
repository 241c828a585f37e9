package cn.qxqy.pipeline.domain;

import cn.qxqy.pipeline.domain.ProjectEvent.InvestmentReported;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectReserved;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectWithdrawn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Dates within a plausible range, texts with something visible and nothing that garbles them (issue 11, item 4). */
class PlausibleInputTest {

    private static final LocalDate TODAY = LocalDate.of(2024, 6, 15);

    private static ProjectDetails named(String name) {
        return new ProjectDetails(name, "2024-qxqy", "141102", "hydrogen", List.of("special-bond"),
                new BigDecimal("8000.00"), null, null, null, null, null, null);
    }

    private static List<FieldViolation> violations(ProjectState state, ProjectEvent event) {
        Decision decision = ProjectStateMachine.decide(state, event, TODAY);
        assertThat(decision).isInstanceOf(Decision.Rejected.class);
        Decision.Rejected rejected = (Decision.Rejected) decision;
        assertThat(rejected.kind()).isEqualTo(Rejection.INVALID_FIELD);
        return rejected.violations();
    }

    private static ProjectState reserved() {
        return ((Decision.Accepted) ProjectStateMachine.decide(ProjectState.UNKNOWN,
                new ProjectReserved(LocalDate.of(2024, 3, 1), named("吕梁氢能产业园")), TODAY)).next();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000-01-01", "1900-01-01", "1999-12-31", "-999999999-01-01"})
    void aMilestoneBefore2000IsRefused(String date) {
        assertThat(violations(ProjectState.UNKNOWN, new ProjectReserved(LocalDate.parse(date), named("项目"))))
                .containsExactly(new FieldViolation("occurredOn", "must not be before 2000-01-01"));
    }

    @Test
    void theFirstDayOf2000AndTodayAreAccepted() {
        assertThat(ProjectStateMachine.decide(ProjectState.UNKNOWN,
                new ProjectReserved(ProjectStateMachine.EARLIEST, named("项目")), TODAY)).isInstanceOf(Decision.Accepted.class);
        assertThat(ProjectStateMachine.decide(ProjectState.UNKNOWN, new ProjectReserved(TODAY, named("项目")), TODAY))
                .isInstanceOf(Decision.Accepted.class);
    }

    @Test
    void aReportForAPeriodBefore2000IsRefused() {
        assertThat(violations(reserved(), new InvestmentReported(TODAY, YearMonth.of(1999, 12), BigDecimal.TEN)))
                .containsExactly(new FieldViolation("data.period", "must not be before 2000-01"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u200b\u200b\u200b", "\ufeff", "\u3000\u00a0", "\u200d\u2060", "\u00ad", "\u3164",
            "\u2800", "\ufe0f", " \u200c "})
    void aNameOfInvisibleCharactersIsBlank(String name) {
        assertThat(Text.isBlank(name)).isTrue();
        assertThat(violations(ProjectState.UNKNOWN, new ProjectReserved(TODAY, named(name))))
                .containsExactly(new FieldViolation("data.name", "must not be blank"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"项目", "a\u200bb", "👩\u200d💻", "\u0301x", "Ⅻ"})
    void aNameWithAnythingVisibleIsNotBlank(String name) {
        assertThat(Text.isBlank(name)).isFalse();
    }

    @Test
    void theDomainRefusesForbiddenCharactersWhateverReadTheEvent() {
        assertThat(violations(reserved(), new ProjectWithdrawn(TODAY, "撤资\u0000")))
                .containsExactly(new FieldViolation("data.reason", "must not contain NUL (U+0000 at character 3)"));
        assertThat(violations(ProjectState.UNKNOWN, new ProjectReserved(TODAY, named("\u001b[31m红色项目"))))
                .containsExactly(new FieldViolation("data.name",
                        "must not contain control characters (U+001B at character 1)"));
        assertThat(violations(ProjectState.UNKNOWN, new ProjectReserved(TODAY, named("exe.\u202etxt"))))
                .extracting(FieldViolation::field).containsExactly("data.name");
    }

    @Test
    void codesAreBounded() {
        ProjectDetails longCode = new ProjectDetails("项目", "c".repeat(65), "141102", "hydrogen", List.of(),
                BigDecimal.TEN, null, null, null, null, null, null);
        assertThat(violations(ProjectState.UNKNOWN, new ProjectReserved(TODAY, longCode)))
                .containsExactly(new FieldViolation("data.campaignId", "at most 64 characters"));
    }

    @Test
    void forbiddenCharactersAreNamedWithTheirCodePoint() {
        assertThat(Text.forbidden("项目\ud800")).isEqualTo("must not contain a lone surrogate (U+D800 at character 3)");
        assertThat(Text.forbidden("a\udb40\udc41")).isEqualTo("must not contain invisible tag characters (U+E0041 at character 2)");
        assertThat(Text.forbidden("a\ufdd0")).startsWith("must not contain noncharacters");
        assertThat(Text.forbidden("a\u2029")).startsWith("must not contain line or paragraph separators");
        assertThat(Text.forbidden("a\u061cb")).startsWith("must not contain bidirectional");
        assertThat(Text.forbidden("吕梁 👩\u200d💻 \u3000 Ⅻ ü\u0308")).isNull();
        assertThat(Text.printable("a\u0000b\ud800", 64)).isEqualTo("a\\u0000b\\uD800");
        assertThat(Text.printable("abcdef", 3)).isEqualTo("abc…");
    }
}
