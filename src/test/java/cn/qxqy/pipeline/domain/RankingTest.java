package cn.qxqy.pipeline.domain;

import static org.assertj.core.api.Assertions.assertThat;

import cn.qxqy.pipeline.domain.Ranking.Band;
import cn.qxqy.pipeline.domain.Ranking.BandThresholds;
import cn.qxqy.pipeline.domain.Ranking.Schedule;
import cn.qxqy.pipeline.domain.Ranking.Share;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RankingTest {

    private static final Schedule LEAP_YEAR = new Schedule(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31));
    // Three days, so one elapsed day is a third: completion rates on the thresholds are not terminating decimals.
    private static final Schedule THREE_DAYS = new Schedule(LocalDate.of(2024, 6, 1), LocalDate.of(2024, 6, 3));
    private static final LocalDate FIRST_OF_THREE = LocalDate.of(2024, 6, 1);

    @Test
    void aLeapYearHas366DaysAndItsLastDayOfFebruaryIsTheSixtiethElapsed() {
        LocalDate leapDay = LocalDate.of(2024, 2, 29);

        assertThat(LEAP_YEAR.totalDays()).isEqualTo(366);
        assertThat(LEAP_YEAR.elapsedDays(leapDay)).isEqualTo(60);
        assertThat(LEAP_YEAR.percentage(leapDay)).isEqualByComparingTo("16.4");
        assertThat(new Schedule(LocalDate.of(2023, 1, 1), LocalDate.of(2023, 12, 31)).totalDays()).isEqualTo(365);
    }

    @Test
    void theStartDayCountsAsOneElapsedDayAndTheDayBeforeAsNone() {
        assertThat(LEAP_YEAR.elapsedDays(LocalDate.of(2024, 1, 1))).isEqualTo(1);
        assertThat(LEAP_YEAR.elapsedDays(LocalDate.of(2023, 12, 31))).isZero();
        assertThat(LEAP_YEAR.percentage(LocalDate.of(2023, 6, 30))).isEqualByComparingTo("0.0");
    }

    @Test
    void afterTheEndTheWholeCalendarHasElapsed() {
        assertThat(LEAP_YEAR.elapsedDays(LocalDate.of(2024, 12, 31))).isEqualTo(366);
        assertThat(LEAP_YEAR.elapsedDays(LocalDate.of(2025, 3, 1))).isEqualTo(366);
        assertThat(LEAP_YEAR.percentage(LocalDate.of(2025, 3, 1))).isEqualByComparingTo("100.0");
    }

    @Test
    void thePercentageRoundsAHalfUpToOneDecimal() {
        Schedule fourHundredDays = new Schedule(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 1).plusDays(399));

        assertThat(fourHundredDays.percentage(LocalDate.of(2024, 1, 1))).isEqualTo(new BigDecimal("0.3"));
        assertThat(fourHundredDays.percentage(LocalDate.of(2024, 1, 3))).isEqualTo(new BigDecimal("0.8"));
    }

    @Test
    void aRatioExactlyOnEachThresholdIsInTheHigherBand() {
        // One day of three elapsed and a share of 30: a ratio r to schedule is reached = 10 r.
        assertThat(band("11", "30")).isEqualTo(Band.LEADING);
        assertThat(band("9", "30")).isEqualTo(Band.NORMAL);
        assertThat(band("7", "30")).isEqualTo(Band.LAGGING);
    }

    @Test
    void aRatioJustBelowEachThresholdIsInTheLowerBand() {
        assertThat(band("10.99", "30")).isEqualTo(Band.NORMAL);
        assertThat(band("8.99", "30")).isEqualTo(Band.LAGGING);
        assertThat(band("6.99", "30")).isEqualTo(Band.SEVERELY_LAGGING);
        assertThat(band("0", "30")).isEqualTo(Band.SEVERELY_LAGGING);
    }

    @Test
    void bandsCompareExactlyWhereTheRatesAndTheScheduleDoNotTerminate() {
        // 60 of 366 days and a share of 7: on 1.1 exactly reached is 462/366, which no decimal spells.
        LocalDate leapDay = LocalDate.of(2024, 2, 29);
        BigDecimal onLeading = new BigDecimal("462").divide(new BigDecimal("366"), 30, RoundingMode.CEILING);
        BigDecimal belowLeading = new BigDecimal("462").divide(new BigDecimal("366"), 30, RoundingMode.FLOOR);

        assertThat(LEAP_YEAR.band(onLeading, new BigDecimal("7"), leapDay, BandThresholds.DEFAULTS))
                .isEqualTo(Band.LEADING);
        assertThat(LEAP_YEAR.band(belowLeading, new BigDecimal("7"), leapDay, BandThresholds.DEFAULTS))
                .isEqualTo(Band.NORMAL);
    }

    @Test
    void aCampaignsOwnThresholdsDecideItsBands() {
        BandThresholds strict = new BandThresholds(new BigDecimal("1.5"), new BigDecimal("1.2"), new BigDecimal("1"));

        assertThat(THREE_DAYS.band(new BigDecimal("14.99"), new BigDecimal("30"), FIRST_OF_THREE, strict))
                .isEqualTo(Band.NORMAL);
        assertThat(THREE_DAYS.band(new BigDecimal("15"), new BigDecimal("30"), FIRST_OF_THREE, strict))
                .isEqualTo(Band.LEADING);
        assertThat(THREE_DAYS.band(new BigDecimal("10"), new BigDecimal("30"), FIRST_OF_THREE, strict))
                .isEqualTo(Band.LAGGING);
        assertThat(THREE_DAYS.band(new BigDecimal("9.99"), new BigDecimal("30"), FIRST_OF_THREE, strict))
                .isEqualTo(Band.SEVERELY_LAGGING);
    }

    @Test
    void thereIsNoBandWithoutAShareOrBeforeTheCalendarStarts() {
        assertThat(band("5", null)).isNull();
        assertThat(band("5", "0")).isNull();
        assertThat(THREE_DAYS.band(BigDecimal.ONE, BigDecimal.TEN, FIRST_OF_THREE.minusDays(1), BandThresholds.DEFAULTS))
                .isNull();
    }

    @Test
    void tiesShareARankAndTheNextRankSkipsThem() {
        List<Share> shares = List.of(share("1", "2"), share("3", "4"), share("2", "4"), share("0", "5"));

        assertThat(Ranking.ranks(shares, Ranking.BY_COMPLETION_RATE)).containsExactly(2, 1, 2, 4);
    }

    @Test
    void twoTiedLeadersAreBothFirstAndTheThirdIsThird() {
        List<Integer> ranks = Ranking.ranks(List.of(7, 9, 9), Comparator.<Integer>reverseOrder());

        assertThat(ranks).containsExactly(3, 1, 1);
    }

    @Test
    void whenAllAreEqualAllAreFirst() {
        List<Share> shares = List.of(share("1", "3"), share("2", "6"), share("10", "30"));

        assertThat(Ranking.ranks(shares, Ranking.BY_COMPLETION_RATE)).containsExactly(1, 1, 1);
        assertThat(Ranking.ranks(List.<Share>of(), Ranking.BY_COMPLETION_RATE)).isEmpty();
    }

    @Test
    void completionRatesCompareExactlyWhereTheirDecimalsWouldRoundAlike() {
        // 1/3 and 333/1000 both print 33.3 %, yet a third is more.
        List<Share> shares = List.of(share("333", "1000"), share("1", "3"));

        assertThat(Ranking.ranks(shares, Ranking.BY_COMPLETION_RATE)).containsExactly(2, 1);
    }

    private static Band band(String reached, String share) {
        return THREE_DAYS.band(new BigDecimal(reached), share == null ? null : new BigDecimal(share), FIRST_OF_THREE,
                BandThresholds.DEFAULTS);
    }

    private static Share share(String reached, String share) {
        return new Share(new BigDecimal(reached), new BigDecimal(share));
    }
}
