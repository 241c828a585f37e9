package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.history.AsOfHistory;
import cn.qxqy.pipeline.testing.history.AsOfReads;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Issue 25's property: a random history with corrections, moves between counties and campaigns, retractions,
 * withdrawals, reports and late arrivals, posted in rounds; at random (asOf, knownAt) pairs every figure of the
 * summary, each breakdown and the progress of both campaigns, and every project's view, equal an independent model's
 * ({@link cn.qxqy.pipeline.testing.history.AsOfModel}, not the service's own fold).
 *
 * <p>Seeded: {@code -DasOfHistory.seed=N} replays another history (the seed is printed).
 */
@QuarkusTest
class AsOfPropertyTest {

    private static final int PAIRS = 24;
    /** Project views read at each pair but today's, where every project is read: the reads are most of the time. */
    private static final int PROJECTS_PER_PAIR = 16;

    @Test
    void everyFigureOnAnyDateAsKnownAtAnyInstantEqualsTheIndependentModel() {
        SoftAssertions softly = new SoftAssertions();
        AsOfHistory history = AsOfHistory.seeded("AsOfPropertyTest");
        long started = System.nanoTime();
        List<String> log = new ArrayList<>();
        history.post(softly);
        log.add(String.format("posted in %.1f s", seconds(started)));
        Set<List<Map<String, Object>>> distinct = new HashSet<>();
        try {
            history.checkCoverage(softly);
            Api.awaitProjected();
            AsOfReads reads = new AsOfReads(history, softly);
            List<AsOfHistory.Axes> pairs = history.pairs(PAIRS);
            for (AsOfHistory.Axes axes : pairs) {
                boolean today = axes.asOf() == null && axes.known() == null;
                distinct.add(reads.check(axes, today ? history.projectIds() : history.someProjects(PROJECTS_PER_PAIR)));
            }
            log.add(String.format("%d pairs read by %.1f s, %d distinct answers", PAIRS + 1, seconds(started),
                    distinct.size()));
        } catch (AssertionError | RuntimeException e) {
            // Keep what was found so far: an abort (a timeout, say) must not hide the problems before it.
            softly.fail("aborted: " + e);
        }
        // Pairs that all answer alike would prove nothing about the axes.
        softly.assertThat(distinct).as("distinct campaign summaries over the pairs").hasSizeGreaterThanOrEqualTo(PAIRS / 2);
        history.report(log, softly);
        history.assertNoProblems(softly);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
