package cn.qxqy.pipeline.query;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The projects of a campaign that a new project is likely the same as: in the same county, with a name alike by
 * pg_trgm's similarity (the trigrams two names share over all of theirs, ignoring case and punctuation), as the read
 * side has them. A typo fixed in a name, or a word added to it, leaves most of a name's trigrams in place:
 * 交城县夏家营镇高标准农田建设项目 and …高标准农田改造建设项目 are 0.71 alike. So are, less, two towns' projects of one name
 * pattern (…夏家营镇… and …西营镇…高标准农田建设项目, 0.65): the row names the project it is alike, and 确认新建 settles it.
 * Here, beside the other reads of the read model, for the import to ask.
 */
@ApplicationScoped
public class LikelyDuplicates {

    /** How alike two names must be. */
    public static final double SIMILARITY = 0.6;

    /**
     * The most alike project for each row, of one county, but for the row's own project. {@code %} (alike above
     * pg_trgm's looser default threshold, 0.3) lets the trigram index on names find the candidates; the similarity
     * test then keeps those alike enough.
     */
    private static final String MOST_ALIKE = """
            SELECT DISTINCT ON (r.i) r.i, p.project_id, p.name
            FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS r (i, region_code, name, own)
            JOIN project_view p ON p.campaign_id = $1 AND p.region_code = r.region_code AND p.project_id <> r.own
            WHERE p.name % r.name AND similarity(p.name, r.name) >= $6
            ORDER BY r.i, similarity(p.name, r.name) DESC, p.project_id""";

    /** A new project as a row gives it, and the project the row itself would create. */
    public record Candidate(int index, String regionCode, String name, String ownProjectId) {
    }

    /** A project already in the campaign. */
    public record Match(String projectId, String name) {
    }

    private final Pool pool;

    LikelyDuplicates(Pool pool) {
        this.pool = pool;
    }

    /** For each candidate with one, by its index, the project it is likely the same as. */
    public Uni<Map<Integer, Match>> of(String campaignId, List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery(MOST_ALIKE).execute(Tuple.from(List.of(campaignId,
                        candidates.stream().map(Candidate::index).toArray(Integer[]::new),
                        candidates.stream().map(Candidate::regionCode).toArray(String[]::new),
                        candidates.stream().map(Candidate::name).toArray(String[]::new),
                        candidates.stream().map(Candidate::ownProjectId).toArray(String[]::new),
                        SIMILARITY)))
                .map(rows -> {
                    Map<Integer, Match> matches = new HashMap<>();
                    rows.forEach(row -> matches.put(row.getInteger("i"),
                            new Match(row.getString("project_id"), row.getString("name"))));
                    return matches;
                });
    }
}
