package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.testing.history.ModelProject;
import cn.qxqy.pipeline.testing.history.RandomHistory;
import cn.qxqy.pipeline.testing.history.ReadModelAssertions;
import cn.qxqy.pipeline.testing.history.Rebuilds;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Rebuilds of the read models over a long random history (see {@link RandomHistory}), while a reader polls the
 * figures: readers never see anything but the figures, and after the swap the figures still equal the test's own
 * recomputation of the accepted events, including those posted while the rebuild ran. Both scenarios share one
 * history, posted once.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// Quiet first, then with writes: the order only fixes which events a seed goes on to post.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RandomHistoryRebuildTest {

    private RandomHistory history;
    /** What posting the history found: wrong answers, or a history too poor to prove much. */
    private final SoftAssertions posting = new SoftAssertions();

    /** Posts the history before the first test; here rather than in a @BeforeAll, where the service has no URL yet. */
    @BeforeEach
    void postTheHistoryOnce() {
        if (history == null) {
            history = RandomHistory.seeded("RandomHistoryRebuildTest");
            history.post(posting);
            new ReadModelAssertions(history, posting).awaitProjected("live");
            history.checkCoverage(history.recompute(), posting);
        }
        history.assertNoProblems(posting);
    }

    @Test
    @Order(1)
    void readersSeeOnlyTheSameFiguresWhileRebuildsRunWithoutWrites() {
        SoftAssertions softly = new SoftAssertions();
        ReadModelAssertions readModels = new ReadModelAssertions(history, softly);
        Map<String, ModelProject> recomputed = history.recompute();
        List<String> log = new ArrayList<>();
        try {
            // No writes meanwhile, so before == after and the reader must never see anything else.
            Rebuilds.Run quiet = new Rebuilds(history, softly).whileReading();
            readModels.checkEverything("after rebuild", recomputed, false);
            readModels.checkConsistency("after rebuild", recomputed);
            log.add(String.format("rebuild while reading: %s; checks after it done at %.1f s", quiet,
                    history.secondsSinceStart()));
        } catch (AssertionError | RuntimeException e) {
            softly.fail("aborted in the rebuild while reading: " + e);
        }
        history.report(recomputed, log, softly);
        history.assertNoProblems(softly);
    }

    @Test
    @Order(2)
    void rebuildsWhileEventsKeepComingLoseNoneOfThem() {
        SoftAssertions softly = new SoftAssertions();
        ReadModelAssertions readModels = new ReadModelAssertions(history, softly);
        Map<String, ModelProject> recomputed = history.recompute();
        List<String> log = new ArrayList<>();
        try {
            // The catch-up and the swap must lose none of the events posted meanwhile.
            Rebuilds.Run busy = new Rebuilds(history, softly).whileWriting();
            readModels.awaitProjected("after rebuild with writes");
            recomputed = history.recompute();
            readModels.checkEverything("after rebuild with writes", recomputed, true);
            readModels.checkConsistency("after rebuild with writes", recomputed);
            log.add(String.format("rebuild while writing: %s; checks after it done at %.1f s", busy,
                    history.secondsSinceStart()));
        } catch (AssertionError | RuntimeException e) {
            softly.fail("aborted in the rebuild while writing: " + e);
        }
        history.report(recomputed, log, softly);
        history.assertNoProblems(softly);
    }
}
