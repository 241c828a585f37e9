package cn.qxqy.pipeline.projection;

/**
 * The positions of project-events whose records carry events a restore of the store lost (README, "Backup and
 * recovery"): stale, never to be applied; their re-posts come with new positions. Kept by the recovery room, which
 * stands above this one.
 */
public interface LostPositions {

    boolean isLost(long position);
}
