package cn.qxqy.pipeline.ops;

import io.smallrye.mutiny.Uni;

/**
 * Figures every replica exports alike, kept in the tables of a room above this one (the outbox's backlog, the
 * projector's lag): at each of the {@link DependencySampler}'s samples the room that owns them reads them and sets
 * their gauges, so that no SQL here reaches into another room's tables.
 */
public interface SharedFigures {

    /** Reads the figures and sets their gauges in {@link PipelineMetrics}; fails when they could not be read. */
    Uni<Void> sample();
}
