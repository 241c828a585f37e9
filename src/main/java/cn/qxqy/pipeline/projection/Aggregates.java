package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.DatedState;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums for the aggregate read models (figures, timeline, progress groups), each row dated from the day it takes
 * effect: what projects contribute (a rebuild, the consistency check) or what changes of projects add (the projector).
 * Summed by hash and sorted once when written ({@code ProjectionWriter}), so that rows are locked in one order: a
 * projector batch adds each project's rows of every changed day, many more than the rows they sum into, and sorted maps
 * spent a third of the projector's CPU comparing keys (issue 27). Rebuild pages add from several threads at once.
 */
final class Aggregates {

    final Map<Dated<FigureKey>, Figures> figures = new HashMap<>();
    final Map<Dated<Timeline.Key>, Timeline.Entry> timeline = new HashMap<>();
    final Map<Dated<ProgressGroups.Key>, ProgressGroups.Entry> progress = new HashMap<>();

    /** Adds what project {@code p} counts for on each day. */
    void add(DatedState p) {
        List<Contributions.AsOfDay> days = Contributions.days(p);
        sum(Figures.dated(days), Timeline.dated(days), ProgressGroups.dated(days));
    }

    /** Adds what a project's change from {@code before} to {@code after} changes. */
    void add(DatedState before, DatedState after) {
        List<Contributions.AsOfDay> from = Contributions.days(before);
        List<Contributions.AsOfDay> to = Contributions.days(after);
        sum(Figures.delta(from, to), Timeline.delta(from, to), ProgressGroups.delta(from, to));
    }

    /** Worked out outside the lock, summed under it: rebuild pages add from several threads. */
    private synchronized void sum(Map<Dated<FigureKey>, Figures> figureRows,
                                  Map<Dated<Timeline.Key>, Timeline.Entry> timelineRows,
                                  Map<Dated<ProgressGroups.Key>, ProgressGroups.Entry> progressRows) {
        Contributions.add(figures, figureRows, Figures::plus);
        Contributions.add(timeline, timelineRows, Timeline.Entry::plus);
        Contributions.add(progress, progressRows, ProgressGroups.Entry::plus);
    }

    /** Adds sums made apart: a rebuild's pages sum on their own threads, then here, each holding the lock once. */
    void add(Aggregates sums) {
        sum(sums.figures, sums.timeline, sums.progress);
    }
}
