package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.DatedState;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Sums for the aggregate read models (figures, timeline, progress groups), each row dated from the day it takes
 * effect: what projects contribute (a rebuild, the consistency check) or what changes of projects add (the projector).
 * Sorted, so that rows are written, and locked, in one order. Rebuild pages add from several threads at once.
 */
final class Aggregates {

    final SortedMap<Dated<FigureKey>, Figures> figures = new TreeMap<>();
    final SortedMap<Dated<Timeline.Key>, Timeline.Entry> timeline = new TreeMap<>();
    final SortedMap<Dated<ProgressGroups.Key>, ProgressGroups.Entry> progress = new TreeMap<>();

    /** Adds what project {@code p} counts for on each day. */
    synchronized void add(DatedState p) {
        Contributions.add(figures, Figures.dated(p), Figures::plus);
        Contributions.add(timeline, Timeline.dated(p), Timeline.Entry::plus);
        Contributions.add(progress, ProgressGroups.dated(p), ProgressGroups.Entry::plus);
    }

    /** Adds what a project's change from {@code before} to {@code after} changes. */
    synchronized void add(DatedState before, DatedState after) {
        Contributions.add(figures, Figures.delta(before, after), Figures::plus);
        Contributions.add(timeline, Timeline.delta(before, after), Timeline.Entry::plus);
        Contributions.add(progress, ProgressGroups.delta(before, after), ProgressGroups.Entry::plus);
    }

    /** Adds sums made apart: a rebuild's pages sum on their own threads, then here, each holding the lock once. */
    synchronized void add(Aggregates sums) {
        Contributions.add(figures, sums.figures, Figures::plus);
        Contributions.add(timeline, sums.timeline, Timeline.Entry::plus);
        Contributions.add(progress, sums.progress, ProgressGroups.Entry::plus);
    }
}
