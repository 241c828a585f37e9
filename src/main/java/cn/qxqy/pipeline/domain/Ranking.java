package cn.qxqy.pipeline.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How counties are ranked against their shares of a campaign's targets (排名通报): the part of the campaign's calendar
 * that has passed (时序进度), each county's band by its completion rate against it, and ranks that ties share.
 */
public final class Ranking {

    /** A county's completion rate ÷ 时序进度, banded; colours as the 通报 prints them. */
    public enum Band {
        LEADING(new EventTypes.Label("领先", "Ahead"), "green"),
        NORMAL(new EventTypes.Label("正常", "On schedule"), "blue"),
        LAGGING(new EventTypes.Label("滞后", "Behind"), "yellow"),
        SEVERELY_LAGGING(new EventTypes.Label("严重滞后", "Far behind"), "red");

        private final EventTypes.Label label;
        private final String colour;

        Band(EventTypes.Label label, String colour) {
            this.label = label;
            this.colour = colour;
        }

        public EventTypes.Label label() {
            return label;
        }

        public String colour() {
            return colour;
        }
    }

    /**
     * A campaign's band thresholds on completion rate ÷ 时序进度: at least {@code leading} is 领先, at least
     * {@code normal} 正常, at least {@code lagging} 滞后, below it 严重滞后.
     */
    public record BandThresholds(BigDecimal leading, BigDecimal normal, BigDecimal lagging) {

        public static final BandThresholds DEFAULTS =
                new BandThresholds(new BigDecimal("1.1"), new BigDecimal("0.9"), new BigDecimal("0.7"));
    }

    /**
     * 时序进度 of a calendar on a day: the days from {@code startsOn} to the day, inclusive, over the days from
     * {@code startsOn} to {@code endsOn}, inclusive; 0 before the start, the whole after the end.
     */
    public record Schedule(LocalDate startsOn, LocalDate endsOn) {

        public long totalDays() {
            return ChronoUnit.DAYS.between(startsOn, endsOn) + 1;
        }

        public long elapsedDays(LocalDate day) {
            return Math.max(0, Math.min(totalDays(), ChronoUnit.DAYS.between(startsOn, day) + 1));
        }

        /** 时序进度 in percent, rounded half up to 1 decimal, as the rates are. */
        public BigDecimal percentage(LocalDate day) {
            return BigDecimal.valueOf(elapsedDays(day) * 100)
                    .divide(BigDecimal.valueOf(totalDays()), 1, RoundingMode.HALF_UP);
        }

        /**
         * The band of {@code reached} of a {@code share} on {@code day}, compared exactly (reached × total ≥ t × share ×
         * elapsed, no rounding); null without a share or before the calendar starts.
         */
        public Band band(BigDecimal reached, BigDecimal share, LocalDate day, BandThresholds thresholds) {
            long elapsed = elapsedDays(day);
            if (share == null || share.signum() <= 0 || elapsed == 0) {
                return null;
            }
            BigDecimal left = reached.multiply(BigDecimal.valueOf(totalDays()));
            BigDecimal scheduled = share.multiply(BigDecimal.valueOf(elapsed));
            if (left.compareTo(thresholds.leading().multiply(scheduled)) >= 0) {
                return Band.LEADING;
            }
            if (left.compareTo(thresholds.normal().multiply(scheduled)) >= 0) {
                return Band.NORMAL;
            }
            return left.compareTo(thresholds.lagging().multiply(scheduled)) >= 0 ? Band.LAGGING : Band.SEVERELY_LAGGING;
        }
    }

    /** How a county did on a target: {@code reached} of its {@code share}. */
    public record Share(BigDecimal reached, BigDecimal share) {
    }

    /** Higher completion rate first, compared exactly by cross-multiplying (a ÷ s against b ÷ t). */
    public static final Comparator<Share> BY_COMPLETION_RATE = (a, b) ->
            b.reached().multiply(a.share()).compareTo(a.reached().multiply(b.share()));

    private Ranking() {
    }

    /**
     * Competition ranks (1, 1, 3) of {@code entries}, best first by {@code betterFirst}: each entry's rank is one more
     * than the number of entries strictly better than it. The ranks come back in the entries' order.
     */
    public static <T> List<Integer> ranks(List<T> entries, Comparator<? super T> betterFirst) {
        List<Integer> ranks = new ArrayList<>(entries.size());
        for (T entry : entries) {
            int better = 0;
            for (T other : entries) {
                if (betterFirst.compare(other, entry) < 0) {
                    better++;
                }
            }
            ranks.add(better + 1);
        }
        return ranks;
    }
}
