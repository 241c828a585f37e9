package cn.qxqy.pipeline.domain;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectFieldsTest {

    @Test
    void theFieldsAreEveryComponentOfTheDetailsThenOfTheSigningMilestonesAndReport() {
        List<String> components = Stream.of(ProjectDetails.class, ProjectState.Signing.class,
                        ProjectState.Milestones.class, ProjectState.Report.class)
                .flatMap(record -> Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName))
                // The report's period has been stored as reportedPeriod; every other field is named as its component.
                .map(name -> name.equals("period") ? "reportedPeriod" : name)
                .toList();

        assertThat(ProjectFields.ALL).extracting(ProjectFields.Field::name).containsExactlyElementsOf(components);
    }

    @Test
    void aStateAssembledFromTheFieldsGivesEachFieldBackItsOwnValue() {
        ProjectState state = ProjectFields.state(7, Stage.STARTED, ProjectFieldsTest::distinctValue);

        assertThat(state.version()).isEqualTo(7);
        assertThat(state.stage()).isEqualTo(Stage.STARTED);
        assertThat(ProjectFields.ALL).allSatisfy(field ->
                assertThat(field.of(state)).as(field.name()).isEqualTo(distinctValue(field)));
    }

    /** A value of the field's kind that no other field has. */
    private static Object distinctValue(ProjectFields.Field field) {
        int i = ProjectFields.ALL.indexOf(field);
        return switch (field.kind()) {
            case TEXT -> field.name();
            case AMOUNT -> new BigDecimal(i + ".50");
            case DATE -> LocalDate.of(2024, 1, 1).plusDays(i);
            case MONTH -> YearMonth.of(2024, 1).plusMonths(i);
            case TEXT_LIST -> List.of(field.name(), "second");
        };
    }
}
