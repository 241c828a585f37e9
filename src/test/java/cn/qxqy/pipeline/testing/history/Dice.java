package cn.qxqy.pipeline.testing.history;

import java.util.List;
import java.util.Random;

/** The seeded random source, with the few draws the generator needs. */
final class Dice extends Random {

    Dice(long seed) {
        super(seed);
    }

    <T> T of(List<T> list) {
        return list.get(nextInt(list.size()));
    }

    boolean chance(double p) {
        return nextDouble() < p;
    }

    /** Picks a name by weight: "a", 3, "b", 1, ... */
    String weighted(Object... namesAndWeights) {
        int total = 0;
        for (int i = 1; i < namesAndWeights.length; i += 2) {
            total += (Integer) namesAndWeights[i];
        }
        int r = nextInt(total);
        for (int i = 0; i < namesAndWeights.length; i += 2) {
            r -= (Integer) namesAndWeights[i + 1];
            if (r < 0) {
                return (String) namesAndWeights[i];
            }
        }
        throw new IllegalStateException();
    }
}
