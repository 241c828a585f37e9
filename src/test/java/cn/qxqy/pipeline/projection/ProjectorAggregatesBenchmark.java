package cn.qxqy.pipeline.projection;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the projector's aggregate work costs per event, in CPU time of this thread: the deltas of a batch of 1,000
 * changes summed ({@link Aggregates#add(cn.qxqy.pipeline.domain.DatedState, cn.qxqy.pipeline.domain.DatedState)}) and
 * put in key order, as {@code ProjectionWriter} writes them. CPU time, not wall time, so that a busy machine changes it
 * less. Not part of the default test run (surefire runs {@code *Test} classes); run it with
 * {@code ./mvnw -B -o test -Dtest=ProjectorAggregatesBenchmark -Dsurefire.failIfNoSpecifiedTests=false}. It prints
 * the figure and asserts only that the batches summed rows.
 */
class ProjectorAggregatesBenchmark {

    private static final int BATCH = 1000;

    @Test
    void theAggregateWorkOfAProjectorBatchPerEvent() {
        List<ProjectionWriter.Change> changes = new ArrayList<>();
        new GeneratedProjects(27).next(3000).forEach(project -> changes.addAll(project.changes()));
        Collections.shuffle(changes, new Random(27));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long rows = 0;
        for (int round = 0; round < 30; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            for (int from = 0; from + BATCH <= changes.size(); from += BATCH) {
                Aggregates sums = new Aggregates();
                for (ProjectionWriter.Change change : changes.subList(from, from + BATCH)) {
                    sums.add(change.before(), change.after());
                }
                rows += sorted(sums.figures) + sorted(sums.timeline) + sorted(sums.progress);
            }
            long events = changes.size() / BATCH * BATCH;
            if (round >= 20) {
                System.out.printf(Locale.ROOT, "[bench] projector aggregates: %.1f µs CPU per event (%,d events in batches of %,d)%n",
                        (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / events, events, BATCH);
            }
        }
        assertThat(rows).isPositive();
    }

    /** The rows in key order, as the writer sends them. */
    private static <K extends Comparable<K>, V> int sorted(Map<K, V> sums) {
        return new TreeMap<>(sums).size();
    }
}
