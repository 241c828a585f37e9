package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.ReferenceModel.RESERVED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.SIGNED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.WITHDRAWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import cn.qxqy.pipeline.testing.history.RankingModel.CountyRank;
import cn.qxqy.pipeline.testing.history.RankingModel.InvestmentRank;
import cn.qxqy.pipeline.testing.history.RankingModel.Rankings;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ranking model on a hand-computed case: campaign A over 2024 (366 days), three counties of which two have a share
 * of the project target (4 and 2), a city-level project; 31 March is the 91st day (24.9 %).
 */
class RankingModelTest {

    private static final RankingModel.Campaign CAMPAIGN = new RankingModel.Campaign("A", "141100",
            List.of("141123", "141124", "141125"), LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31),
            List.of(new AsOfFigures.Target("projects", "projects", null, null, new BigDecimal("10")),
                    new AsOfFigures.Target("signed", "annualPlannedInvestment", null, "SIGNED", new BigDecimal("500"))),
            Map.of("projects", Map.of("141123", new BigDecimal("4"), "141124", new BigDecimal("2")),
                    "signed", Map.of("141125", new BigDecimal("1000"))),
            new BigDecimal("1.1"), new BigDecimal("0.9"), new BigDecimal("0.7"));

    private final List<HistoryEvent> stored = new ArrayList<>();

    private void reserve(String project, String on, String region, String planned) {
        stored.add(HistoryEvent.of("example", 201, project, RESERVED, LocalDate.parse(on), new LinkedHashMap<>(Map.of(
                "name", "例 " + project, "campaignId", "A", "regionCode", region, "industryChain", "coal",
                "categories", List.of(), "plannedInvestment", new BigDecimal(planned),
                "annualPlannedInvestment", new BigDecimal("700")))));
    }

    private Rankings at(String day) {
        return RankingModel.rankings(stored, stored.size(), CAMPAIGN, LocalDate.parse(day));
    }

    private void history() {
        reserve("X1", "2024-01-10", "141123", "5000");
        reserve("X2", "2024-02-10", "141123", "5000");
        reserve("C1", "2024-01-15", "141100", "1000");
        reserve("Z1", "2024-01-16", "141125", "8000");
        reserve("Y1", "2024-03-05", "141124", "3000");
        reserve("Y2", "2024-06-01", "141124", "3000");
        stored.add(HistoryEvent.of("example", 201, "X2", WITHDRAWN, LocalDate.of(2024, 12, 1),
                new LinkedHashMap<>(Map.of("reason", "撤销"))));
        stored.add(HistoryEvent.of("example", 201, "Z1", SIGNED, LocalDate.of(2024, 3, 20),
                new LinkedHashMap<>(Map.of("signedInvestment", new BigDecimal("6000"), "investor", "甲"))));
    }

    @Test
    void countiesEqualOnTheirSharesTieAndOneWithoutAShareIsListedUnranked() {
        history();

        Rankings march = at("2024-03-31");

        assertThat(march).extracting(Rankings::elapsedDays, Rankings::totalDays, Rankings::percentage,
                Rankings::previousDay).containsExactly(91L, 366L, new BigDecimal("24.9"), LocalDate.of(2024, 2, 29));
        RankingModel.TargetRanking projects = march.targets().get(0);
        assertThat(projects.counties()).extracting(CountyRank::regionCode, CountyRank::reached,
                CountyRank::completionRate, CountyRank::ratioToSchedule, CountyRank::band, CountyRank::rank,
                CountyRank::previousRank, CountyRank::rankChange).containsExactly(
                tuple("141123", new BigDecimal("2"), new BigDecimal("50.0"), new BigDecimal("2.01"), "LEADING", 1, 1, 0),
                tuple("141124", new BigDecimal("1"), new BigDecimal("50.0"), new BigDecimal("2.01"), "LEADING", 1, 2, 1),
                tuple("141125", new BigDecimal("1"), null, null, null, null, null, null));
        assertThat(projects).extracting(RankingModel.TargetRanking::sharesTotal,
                        RankingModel.TargetRanking::sharesDifference, RankingModel.TargetRanking::cityLevelReached)
                .containsExactly(new BigDecimal("6"), new BigDecimal("-4"), BigDecimal.ONE);
    }

    @Test
    void anAmountTargetSumsTheAnnualInvestmentOfTheProjectsThatReachedItsMilestone() {
        history();

        CountyRank z = at("2024-03-31").targets().get(1).counties().get(0);

        // 700 of 1000 is 70.0 %, against 91 of 366 days: 0.7 × 366 ÷ 91 = 2.815…
        assertThat(z).extracting(CountyRank::regionCode, CountyRank::reached, CountyRank::completionRate,
                        CountyRank::ratioToSchedule, CountyRank::rank)
                .containsExactly("141125", new BigDecimal("700"), new BigDecimal("70.0"), new BigDecimal("2.82"), 1);
        assertThat(at("2024-03-19").targets().get(1).counties().get(0).reached()).isZero();
    }

    @Test
    void atTheYearsEndTheWithdrawalAndTheLaterReservationSortTheCountiesAndBandThem() {
        history();

        Rankings end = at("2024-12-31");

        assertThat(end.targets().get(0).counties()).extracting(CountyRank::regionCode, CountyRank::ratioToSchedule,
                CountyRank::band, CountyRank::rank, CountyRank::rankChange).containsExactly(
                tuple("141124", new BigDecimal("1.00"), "NORMAL", 1, 0),
                tuple("141123", new BigDecimal("0.25"), "SEVERELY_LAGGING", 2, 0),
                tuple("141125", null, null, null, null));
    }

    @Test
    void everyCountyIsRankedOnInvestmentHigherFirstAndTheCityShownApart() {
        history();

        RankingModel.InvestmentRanking planned = at("2024-03-31").investments().get(0);

        assertThat(planned.code()).isEqualTo("planned-investment");
        assertThat(planned.counties()).extracting(InvestmentRank::regionCode, InvestmentRank::value,
                InvestmentRank::rank, InvestmentRank::previousRank).containsExactly(
                tuple("141123", new BigDecimal("10000"), 1, 1), tuple("141125", new BigDecimal("8000"), 2, 2),
                tuple("141124", new BigDecimal("3000"), 3, 3));
        assertThat(planned.cityLevelValue()).isEqualByComparingTo("1000");
    }

    @Test
    void theFirstMonthHasNoPreviousDayAndNoRankChange() {
        history();

        Rankings january = at("2024-01-31");

        assertThat(january.previousDay()).isNull();
        assertThat(january.targets().get(0).counties()).extracting(CountyRank::previousRank).containsOnlyNulls();
    }
}
