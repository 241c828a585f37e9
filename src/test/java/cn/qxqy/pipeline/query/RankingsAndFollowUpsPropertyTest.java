package cn.qxqy.pipeline.query;

import static org.junit.jupiter.api.Assertions.fail;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.history.CountyHistory;
import cn.qxqy.pipeline.testing.history.CountyReads;
import cn.qxqy.pipeline.testing.history.FollowUpModel;
import io.quarkus.test.junit.QuarkusTest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Issue 26's property: for a random history over a few counties and two campaigns (one on the default settings, one
 * with its own thresholds and follow-up rules), with dates the day before, on and after each rule's due day, answers
 * from the counties and refused ones, the rankings (on month ends, around the due days, today, and as known halfway)
 * and the follow-up lists (open and closed, paged through, and filtered) equal an independent model's
 * ({@link cn.qxqy.pipeline.testing.history.RankingModel}, {@link FollowUpModel}), not the service's own arithmetic.
 *
 * <p>Seeded: {@code -DcountyHistory.seed=N} replays another history (the seed is printed).
 */
@QuarkusTest
class RankingsAndFollowUpsPropertyTest {

    private static final int PROBLEMS_SHOWN = 400;

    @Test
    void rankingsAndFollowUpItemsOnAnyDayEqualTheIndependentModel() {
        SoftAssertions softly = new SoftAssertions();
        long started = System.nanoTime();
        CountyHistory history = CountyHistory.seeded("RankingsAndFollowUpsPropertyTest");
        history.defineCampaigns();
        history.post(softly);
        Api.awaitProjected();
        history.answer(softly);
        List<String> log = new ArrayList<>();
        log.add(String.format("%d events, %d answers posted in %.1f s", history.stored.size(), history.answers.size(),
                seconds(started)));
        CountyReads reads = new CountyReads(history, softly);
        Map<String, Integer> statuses = new TreeMap<>();
        Set<String> distinctRankings = new HashSet<>();
        try {
            List<LocalDate> days = new ArrayList<>(history.readDays());
            days.add(null);
            for (String campaign : history.campaigns.keySet()) {
                for (LocalDate day : days) {
                    distinctRankings.add(reads.checkRankings(campaign, day, false));
                    String county = history.countyUnits().get(day == null ? 0 : day.getDayOfMonth()
                            % history.countyUnits().size());
                    String rule = FollowUpModel.RULES.get(day == null ? 0 : day.getDayOfYear() % 4);
                    reads.checkFollowUps(campaign, day, county, rule)
                            .forEach(i -> statuses.merge(i.rule() + " " + i.status(), 1, Integer::sum));
                }
                distinctRankings.add(reads.checkRankings(campaign, null, true));
                distinctRankings.add(reads.checkRankings(campaign, history.readDays().get(0), true));
            }
        } catch (AssertionError | RuntimeException e) {
            softly.fail("aborted: " + e);
        }
        log.add(String.format("%d reads by %.1f s", reads.reads(), seconds(started)));
        // A history that never reaches a status or a rule would prove nothing about it.
        for (String seen : List.of("OPEN", "ANSWERED", "CLOSED_LATE")) {
            softly.assertThat(statuses.keySet().stream().filter(s -> s.endsWith(" " + seen)).count())
                    .as("items %s over the reads %s", seen, statuses).isPositive();
        }
        for (String rule : FollowUpModel.RULES) {
            softly.assertThat(statuses.keySet().stream().filter(s -> s.startsWith(rule + " ")).count())
                    .as("items of %s over the reads %s", rule, statuses).isPositive();
        }
        softly.assertThat(distinctRankings).as("distinct rankings over the reads").hasSizeGreaterThan(4);
        System.out.printf("RankingsAndFollowUpsPropertyTest seed=%d: %s; items by rule and status %s; %d problem(s)%n",
                history.seed, String.join("; ", log), statuses, softly.errorsCollected().size());
        List<Throwable> problems = softly.errorsCollected();
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s) with seed " + history.seed + " (replay with -DcountyHistory.seed="
                    + history.seed + "):\n" + problems.stream().limit(PROBLEMS_SHOWN).map(Throwable::getMessage)
                    .collect(Collectors.joining("\n")));
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
