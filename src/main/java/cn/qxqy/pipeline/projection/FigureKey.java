package cn.qxqy.pipeline.projection;

import java.util.Comparator;

/**
 * One row of the campaign figures: the whole campaign ({@code dimension} "all", {@code key} "*") or one
 * region, industry chain or category of it.
 */
public record FigureKey(String campaignId, String dimension, String key) implements Comparable<FigureKey> {

    public static final String ALL = "all";
    public static final String REGION = "region";
    public static final String CHAIN = "chain";
    public static final String CATEGORY = "category";

    private static final Comparator<FigureKey> ORDER = Comparator.comparing(FigureKey::campaignId)
            .thenComparing(FigureKey::dimension).thenComparing(FigureKey::key);

    /** Rows are always locked in this order, so that concurrent projectors cannot deadlock. */
    @Override
    public int compareTo(FigureKey other) {
        return ORDER.compare(this, other);
    }
}
