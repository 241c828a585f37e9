package cn.qxqy.pipeline.projection;

/**
 * One row of the campaign figures: the whole campaign ({@code dimension} "all", {@code key} "*") or one
 * region, industry chain or category of it.
 */
public record FigureKey(String campaignId, String dimension, String key) implements Comparable<FigureKey> {

    public static final String ALL = "all";
    public static final String REGION = "region";
    public static final String CHAIN = "chain";
    public static final String CATEGORY = "category";

    /**
     * Rows are always locked in this order, so that concurrent projectors cannot deadlock: by campaign, dimension, key.
     * Spelled out: a rebuild compares keys millions of times, and a chain of key extractors shared with the other keys
     * made every comparison a call through several megamorphic sites (JFR: 10 % of the replay).
     */
    @Override
    public int compareTo(FigureKey other) {
        int order = campaignId.compareTo(other.campaignId);
        if (order == 0) {
            order = dimension.compareTo(other.dimension);
        }
        return order != 0 ? order : key.compareTo(other.key);
    }
}
