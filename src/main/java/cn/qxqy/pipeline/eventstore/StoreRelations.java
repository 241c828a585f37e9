package cn.qxqy.pipeline.eventstore;

/**
 * The store's tables as other rooms may read them inside a statement of their own, for the reads that must stay
 * set-based in PostgreSQL: a join of every project's head with a read model (the projector's lag, a rebuild's catch-up,
 * the consistency check) would otherwise carry every project through Java. A relation here is a subquery with the
 * columns its comment names, which the store keeps whatever becomes of its tables; the planner pulls it up into the
 * caller's statement, so it reads as fast as the table. No other room names a table of the store (ArchitectureTest).
 */
public final class StoreRelations {

    /**
     * Every project the store has: {@code project_id}, and {@code version}, its last event's; not the other kinds of
     * stream. Give it an alias.
     */
    public static final String HEADS = "(SELECT project_id, version FROM stream_heads WHERE " + EventStore.PROJECT_STREAMS
            + ")";

    private StoreRelations() {
    }
}
