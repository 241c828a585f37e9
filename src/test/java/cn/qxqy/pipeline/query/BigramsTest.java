package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pairs of adjacent characters the name search's GIN index holds (bigrams(), V5, lowered once since V23): lowered,
 * sorted, without repeats, none for a name shorter than two characters, as V5 gave them, so that the indexes built
 * before V23 stay valid.
 */
@QuarkusTest
class BigramsTest {

    @Test
    void pairsAreLoweredSortedAndWithoutRepeats() {
        assertThat(Api.sqlValue("SELECT bigrams('氢能产业 ÄB')::text")).isEqualTo("{\" ä\",äb,\"业 \",产业,氢能,能产}");
        assertThat(Api.sqlValue("SELECT bigrams('aAaA')::text")).isEqualTo("{aa}");
    }

    @Test
    void aNameShorterThanTwoCharactersHasNoPairs() {
        assertThat(Api.sqlValue("SELECT bigrams('')::text")).isEqualTo("{}");
        assertThat(Api.sqlValue("SELECT bigrams('铝')::text")).isEqualTo("{}");
    }

    @Test
    void everyViewsPairsAreWhatV5sBodyGives() {
        assertThat(Api.sqlValue("""
                SELECT count(*) FROM project_view WHERE bigrams(name) IS DISTINCT FROM (
                    SELECT coalesce(array_agg(DISTINCT substr(lower(name), i, 2)), '{}')
                    FROM generate_series(1, char_length(lower(name)) - 1) AS i)""")).isEqualTo("0");
    }
}
