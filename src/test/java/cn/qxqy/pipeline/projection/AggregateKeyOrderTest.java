package cn.qxqy.pipeline.projection;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order aggregate rows are summed and locked in: figures by campaign, dimension, key; progress groups by campaign,
 * county, categories as one text each, then the milestones held.
 */
class AggregateKeyOrderTest {

    private static ProgressGroups.Key key(String... categories) {
        return new ProgressGroups.Key("2024-qxqy", "141102", List.of(categories), true, false, false);
    }

    @Test
    void categoriesSortAsTheirJoinedTextWithAListBeforeTheLongerOnesItBegins() {
        List<ProgressGroups.Key> keys = new ArrayList<>(List.of(key("b"), key("ab"), key("a", "b"), key(), key("a"),
                key("a", "c"), key("a", "b", "c")));
        Collections.shuffle(keys, new java.util.Random(27));

        Collections.sort(keys);

        assertThat(keys).extracting(ProgressGroups.Key::categories).containsExactly(List.of(), List.of("a"),
                List.of("a", "b"), List.of("a", "b", "c"), List.of("a", "c"), List.of("ab"), List.of("b"));
    }

    @Test
    void equalCategoriesFallBackToTheMilestonesHeldWithNotHeldFirst() {
        List<ProgressGroups.Key> keys = new ArrayList<>();
        for (boolean signed : new boolean[]{true, false}) {
            for (boolean started : new boolean[]{true, false}) {
                for (boolean completed : new boolean[]{true, false}) {
                    keys.add(new ProgressGroups.Key("2024-qxqy", "141102", List.of("a"), signed, started, completed));
                }
            }
        }

        Collections.sort(keys);

        assertThat(keys).extracting(k -> List.of(k.signed(), k.started(), k.completed())).containsExactly(
                List.of(false, false, false), List.of(false, false, true), List.of(false, true, false),
                List.of(false, true, true), List.of(true, false, false), List.of(true, false, true),
                List.of(true, true, false), List.of(true, true, true));
        assertThat(key("a").compareTo(key("a"))).isZero();
    }

    @Test
    void countiesComeBeforeCategoriesAndCampaignsBeforeCounties() {
        ProgressGroups.Key otherCounty = new ProgressGroups.Key("2024-qxqy", "141100", List.of("z"), true, false, false);
        ProgressGroups.Key otherCampaign = new ProgressGroups.Key("2023-qxqy", "141199", List.of("z"), true, false, false);

        assertThat(otherCounty).isLessThan(key("a"));
        assertThat(otherCampaign).isLessThan(otherCounty);
    }

    @Test
    void figureRowsSortByCampaignThenDimensionThenKey() {
        List<FigureKey> keys = new ArrayList<>(List.of(new FigureKey("b", "all", "*"), new FigureKey("a", "region", "141102"),
                new FigureKey("a", "region", "141100"), new FigureKey("a", "chain", "coal"), new FigureKey("a", "all", "*")));
        Collections.shuffle(keys, new java.util.Random(27));

        Collections.sort(keys);

        assertThat(keys).containsExactly(new FigureKey("a", "all", "*"), new FigureKey("a", "chain", "coal"),
                new FigureKey("a", "region", "141100"), new FigureKey("a", "region", "141102"), new FigureKey("b", "all", "*"));
        assertThat(new FigureKey("a", "all", "*")).isEqualByComparingTo(new FigureKey("a", "all", "*"));
    }
}
