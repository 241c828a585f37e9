package cn.qxqy.pipeline.projection;

import java.time.LocalDate;

/**
 * A row of an aggregate read model from the day its change takes effect: a read as of a day sums the rows of each key
 * up to that day. Ordered by key, then day, the order rows are locked in.
 */
public record Dated<K extends Comparable<K>>(K key, LocalDate effectiveOn) implements Comparable<Dated<K>> {

    @Override
    public int compareTo(Dated<K> other) {
        int byKey = key.compareTo(other.key);
        return byKey != 0 ? byKey : effectiveOn.compareTo(other.effectiveOn);
    }
}
