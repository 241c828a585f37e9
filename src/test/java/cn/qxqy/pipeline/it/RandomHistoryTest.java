package cn.qxqy.pipeline.it;

import cn.qxqy.pipeline.testing.history.ModelProject;
import cn.qxqy.pipeline.testing.history.RandomHistory;
import cn.qxqy.pipeline.testing.history.ReadModelAssertions;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A long random history of valid, invalid and illegal events, posted singly and in batches: every answer must be the
 * one DESIGN.md calls for, and the campaign figures the service derives must equal what the test recomputes on its
 * own, from DESIGN.md's rules, out of the events the service accepted. See {@link RandomHistory}.
 *
 * <p>Seeded: {@code -DrandomHistory.seed=N} replays another history (the seed is printed). The Kafka broker and
 * PostgreSQL come from {@code cn.qxqy.pipeline.testing.PipelineInfrastructure}, a global test resource.
 */
@QuarkusTest
class RandomHistoryTest {

    @Test
    void figuresEqualAnIndependentRecomputationOfTheAcceptedHistory() {
        SoftAssertions softly = new SoftAssertions();
        RandomHistory history = RandomHistory.seeded("RandomHistoryTest");
        history.post(softly);
        List<String> log = new ArrayList<>();
        log.add(String.format("history of %d events (%d accepted) posted in %.1f s", history.postedCount(),
                history.acceptedCount(), history.secondsSinceStart()));
        Map<String, ModelProject> recomputed = history.recompute();
        ReadModelAssertions readModels = new ReadModelAssertions(history, softly);
        try {
            // The live read models, once they have caught up, against the test's own recomputation.
            readModels.awaitProjected("live");
            history.checkCoverage(recomputed, softly);
            readModels.checkEverything("live", recomputed, true);
            // The service's own consistency check: its read models equal its recomputation from the store.
            readModels.checkConsistency("live", recomputed);
            log.add(String.format("live checks done at %.1f s", history.secondsSinceStart()));
        } catch (AssertionError | RuntimeException e) {
            // Keep what was found so far: an abort (a timeout, say) must not hide the problems before it.
            softly.fail("aborted: " + e);
        }
        history.report(recomputed, log, softly);
        history.assertNoProblems(softly);
    }
}
