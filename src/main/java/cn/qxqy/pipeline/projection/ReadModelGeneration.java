package cn.qxqy.pipeline.projection;

/**
 * The number that grows with every committed change of what the read API shows (table
 * {@code read_model_generation}, V9): conditional reads derive their ETags from it.
 */
public final class ReadModelGeneration {

    /** The last statement of a transaction that changes the read models: the row stays locked only while it commits. */
    static final String BUMP = "UPDATE read_model_generation SET generation = generation + 1";

    public static final String CURRENT = "SELECT generation FROM read_model_generation";

    private ReadModelGeneration() {
    }
}
