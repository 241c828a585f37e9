package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.ReferenceModel.CORRECTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.REPORTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RESERVED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RETRACTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.SIGNED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.STARTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.WITHDRAWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import cn.qxqy.pipeline.testing.history.FollowUpModel.Answer;
import cn.qxqy.pipeline.testing.history.FollowUpModel.Counts;
import cn.qxqy.pipeline.testing.history.FollowUpModel.Item;
import cn.qxqy.pipeline.testing.history.FollowUpModel.Settings;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The follow-up model on hand-computed cases (2024, a leap year; campaign A over the whole year), so that a failure of
 * the property test points at the service and not at the model: each rule the day before, on and after its due day,
 * closing late, answers given after the read day, answered, overdue again and answered again, withdrawals and moves.
 */
class FollowUpModelTest {

    private static final LocalDate STARTS = LocalDate.of(2024, 1, 1);
    private static final LocalDate ENDS = LocalDate.of(2024, 12, 31);

    private final List<HistoryEvent> stored = new ArrayList<>();
    private final List<Answer> answers = new ArrayList<>();

    private void store(String project, String type, String on, Map<String, Object> data) {
        stored.add(HistoryEvent.of("example", 201, project, type, LocalDate.parse(on), new LinkedHashMap<>(data)));
    }

    private void reserve(String project, String on, String region, Map<String, Object> more) {
        Map<String, Object> data = new LinkedHashMap<>(Map.of("name", "例 " + project, "campaignId", "A",
                "regionCode", region, "industryChain", "coal", "categories", List.of(),
                "plannedInvestment", new BigDecimal("5000")));
        data.putAll(more);
        store(project, RESERVED, on, data);
    }

    private List<Item> at(String day) {
        return at(day, Settings.DEFAULTS);
    }

    private List<Item> at(String day, Settings settings) {
        return FollowUpModel.items(stored, "A", STARTS, ENDS, settings, answers, LocalDate.parse(day));
    }

    private Item item(String day, String itemId) {
        return at(day).stream().filter(i -> i.itemId().equals(itemId)).findFirst().orElse(null);
    }

    /** Signed on 1 February (due 90 days later, 1 May), planned to start on 1 May, started on 15 June. */
    private void signedThenStartedLate() {
        reserve("P", "2024-01-10", "141123", Map.of("plannedStartOn", "2024-05-01"));
        store("P", SIGNED, "2024-02-01", Map.of("signedInvestment", new BigDecimal("3000"), "investor", "甲"));
        store("P", STARTED, "2024-06-15", Map.of());
    }

    @Test
    void aSignedProjectIsDueNinetyDaysAfterTheSigningAndListedFromTheDayAfter() {
        signedThenStartedLate();

        assertThat(item("2024-04-30", "P:signed-not-started")).isNull();
        assertThat(item("2024-05-01", "P:signed-not-started")).isNull();
        assertThat(item("2024-05-02", "P:signed-not-started"))
                .extracting(Item::dueOn, Item::daysOverdue, Item::status, Item::closedOn, Item::regionCode)
                .containsExactly(LocalDate.of(2024, 5, 1), 1L, "OPEN", null, "141123");
        assertThat(item("2024-06-14", "P:planned-date-passed:started"))
                .extracting(Item::dueOn, Item::daysOverdue, Item::status, Item::qualifier)
                .containsExactly(LocalDate.of(2024, 5, 1), 44L, "OPEN", "started");
    }

    @Test
    void theStartClosesBothItemsLateAndTheReservationWasSignedInTime() {
        signedThenStartedLate();

        assertThat(at("2024-06-20")).filteredOn(i -> !i.rule().equals("report-missing"))
                .extracting(Item::itemId, Item::status, Item::closedOn, Item::daysOverdue)
                .containsExactly(
                        tuple("P:planned-date-passed:started", "CLOSED_LATE", LocalDate.of(2024, 6, 15), 50L),
                        tuple("P:signed-not-started", "CLOSED_LATE", LocalDate.of(2024, 6, 15), 50L));
        assertThat(at("2024-12-31")).extracting(Item::rule).doesNotContain("reserved-not-signed");
    }

    @Test
    void aStartOnItsDueDayIsNotLate() {
        reserve("Q", "2024-01-10", "141123", Map.of("plannedStartOn", "2024-05-01"));
        store("Q", STARTED, "2024-05-01", Map.of());

        assertThat(at("2024-05-10")).extracting(Item::itemId).doesNotContain("Q:planned-date-passed:started");
    }

    @Test
    void aMonthsReportIsDueOnTheTenthOfTheNextMonthAndClosedLateByItsFirstReport() {
        signedThenStartedLate();
        store("P", REPORTED, "2024-07-12", Map.of("period", "2024-06", "investmentToDate", new BigDecimal("100")));
        store("P", REPORTED, "2024-08-09", Map.of("period", "2024-07", "investmentToDate", new BigDecimal("200")));
        store("P", REPORTED, "2024-08-09", Map.of("period", "2024-06", "investmentToDate", new BigDecimal("110")));

        assertThat(item("2024-07-10", "P:report-missing:2024-06")).isNull();
        assertThat(item("2024-07-11", "P:report-missing:2024-06"))
                .extracting(Item::dueOn, Item::daysOverdue, Item::status)
                .containsExactly(LocalDate.of(2024, 7, 10), 1L, "OPEN");
        assertThat(item("2024-07-12", "P:report-missing:2024-06"))
                .extracting(Item::status, Item::closedOn).containsExactly("CLOSED_LATE", LocalDate.of(2024, 7, 12));
        assertThat(item("2024-09-01", "P:report-missing:2024-07")).isNull();
        assertThat(item("2024-09-11", "P:report-missing:2024-08"))
                .extracting(Item::status, Item::daysOverdue).containsExactly("OPEN", 1L);
    }

    @Test
    void aDueDayOfTheFifthMakesTheSameMonthLateEarlierAndARuleTurnedOffListsNothing() {
        signedThenStartedLate();
        Settings changed = new Settings(null, 180, 5, false);

        assertThat(at("2024-07-06", changed)).extracting(Item::itemId, Item::dueOn, Item::daysOverdue)
                .containsExactly(tuple("P:report-missing:2024-06", LocalDate.of(2024, 7, 5), 1L));
    }

    @Test
    void anAnswerCountsFromTheDayItWasGivenAndItsDatePassingReopensTheItem() {
        signedThenStartedLate();
        String item = "P:report-missing:2024-08";
        answers.add(new Answer(item, LocalDate.of(2024, 9, 12), "资金未到位", LocalDate.of(2024, 9, 20)));
        answers.add(new Answer("P:report-missing:2024-07", LocalDate.of(2024, 8, 20), "另一项", LocalDate.of(2024, 12, 1)));

        assertThat(item("2024-09-11", item).status()).isEqualTo("OPEN");
        assertThat(item("2024-09-12", item).status()).isEqualTo("ANSWERED");
        assertThat(item("2024-09-20", item).answer().reason()).isEqualTo("资金未到位");
        assertThat(item("2024-09-20", item).status()).isEqualTo("ANSWERED");
        assertThat(item("2024-09-21", item).status()).isEqualTo("OVERDUE_AGAIN");

        answers.add(new Answer(item, LocalDate.of(2024, 9, 22), "已协调", LocalDate.of(2024, 9, 30)));
        assertThat(item("2024-09-21", item).status()).isEqualTo("OVERDUE_AGAIN");
        assertThat(item("2024-09-25", item)).extracting(Item::status, i -> i.answer().reason())
                .containsExactly("ANSWERED", "已协调");
    }

    @Test
    void aReservationNeitherSignedNorStartedIsDue180DaysLaterUntilTheProjectIsWithdrawn() {
        reserve("W", "2024-01-05", "141124", Map.of());
        store("W", WITHDRAWN, "2024-07-10", Map.of("reason", "撤销"));

        assertThat(item("2024-07-03", "W:reserved-not-signed")).isNull();
        assertThat(item("2024-07-04", "W:reserved-not-signed"))
                .extracting(Item::dueOn, Item::status).containsExactly(LocalDate.of(2024, 7, 3), "OPEN");
        assertThat(at("2024-07-10")).isEmpty();
    }

    @Test
    void aRetractedSigningNeverClosedTheReservationsItem() {
        reserve("R", "2024-01-05", "141124", Map.of());
        store("R", SIGNED, "2024-08-01", Map.of("signedInvestment", new BigDecimal("10"), "investor", "乙"));
        store("R", RETRACTED, "2024-08-03", Map.of("reason", "误报"));

        assertThat(item("2024-08-05", "R:reserved-not-signed"))
                .extracting(Item::status, Item::closedOn).containsExactly("OPEN", null);
    }

    @Test
    void aMovedProjectIsListedUnderTheCountyAndCampaignItWasInOnTheDay() {
        reserve("M", "2024-01-05", "141124", Map.of());
        store("M", CORRECTED, "2024-07-20", Map.of("regionCode", "141125"));
        store("M", CORRECTED, "2024-08-01", Map.of("campaignId", "B"));

        assertThat(item("2024-07-19", "M:reserved-not-signed").regionCode()).isEqualTo("141124");
        assertThat(item("2024-07-25", "M:reserved-not-signed").regionCode()).isEqualTo("141125");
        assertThat(at("2024-08-01")).isEmpty();
    }

    @Test
    void itemsAreListedByCountyThenTheLongestOverdueAndCountedPerCountyAndRule() {
        signedThenStartedLate();
        reserve("W", "2024-01-05", "141124", Map.of());
        reserve("V", "2024-01-20", "141123", Map.of());
        answers.add(new Answer("V:reserved-not-signed", LocalDate.of(2024, 7, 20), "洽谈中", LocalDate.of(2024, 8, 31)));

        List<Item> items = at("2024-07-25");

        assertThat(items).extracting(Item::itemId, Item::daysOverdue, Item::status).containsExactly(
                tuple("P:planned-date-passed:started", 85L, "CLOSED_LATE"),
                tuple("P:signed-not-started", 85L, "CLOSED_LATE"),
                tuple("P:report-missing:2024-06", 15L, "OPEN"),
                tuple("V:reserved-not-signed", 7L, "ANSWERED"),
                tuple("W:reserved-not-signed", 22L, "OPEN"));
        assertThat(FollowUpModel.byCounty(items, List.of("141123", "141124", "141100"))).containsExactly(
                Map.entry("141123", new Counts(1, 1, 0, 2)), Map.entry("141124", new Counts(1, 0, 0, 0)),
                Map.entry("141100", new Counts(0, 0, 0, 0)));
        assertThat(FollowUpModel.byRule(items).get("reserved-not-signed")).isEqualTo(new Counts(1, 1, 0, 0));
    }
}
