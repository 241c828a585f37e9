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

    /** Rows are always locked in this order, so that concurrent projectors cannot deadlock. */
    @Override
    public int compareTo(FigureKey other) {
        // Written out: a projector batch compares keys some 100,000 times (issue 27).
        int byCampaign = campaignId.compareTo(other.campaignId);
        if (byCampaign != 0) {
            return byCampaign;
        }
        int byDimension = dimension.compareTo(other.dimension);
        return byDimension != 0 ? byDimension : key.compareTo(other.key);
    }
}
