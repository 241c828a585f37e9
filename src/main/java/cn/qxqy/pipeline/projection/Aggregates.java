package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.ProjectState;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Sums for the aggregate read models (figures, timeline, progress groups): what projects contribute (a rebuild, the
 * consistency check) or what changes of projects add (the projector). Sorted, so that rows are written, and locked,
 * in one order. Rebuild pages add from several threads at once.
 */
final class Aggregates {

    final SortedMap<FigureKey, Figures> figures = new TreeMap<>();
    final SortedMap<Timeline.Key, Timeline.Entry> timeline = new TreeMap<>();
    final SortedMap<ProgressGroups.Key, ProgressGroups.Entry> progress = new TreeMap<>();

    /** Adds what a project in state {@code p} counts for. */
    synchronized void add(ProjectState p) {
        Contributions.add(figures, Figures.contribution(p), Figures::plus);
        Contributions.add(timeline, Timeline.contribution(p), Timeline.Entry::plus);
        Contributions.add(progress, ProgressGroups.contribution(p), ProgressGroups.Entry::plus);
    }

    /** Adds what a project's change from {@code before} to {@code after} changes. */
    synchronized void add(ProjectState before, ProjectState after) {
        Contributions.add(figures, Figures.delta(before, after), Figures::plus);
        Contributions.add(timeline, Timeline.delta(before, after), Timeline.Entry::plus);
        Contributions.add(progress, ProgressGroups.delta(before, after), ProgressGroups.Entry::plus);
    }
}
