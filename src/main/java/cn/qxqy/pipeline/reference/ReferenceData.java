package cn.qxqy.pipeline.reference;

import cn.qxqy.pipeline.domain.DetailsCorrection;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectDetails;
import cn.qxqy.pipeline.domain.ProjectEvent;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCorrected;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectReserved;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The codes a project may use (campaigns, regions, industry chains, categories, zones), read from the
 * database and kept for a short while, so that reference data edited there takes effect without a deploy.
 */
@ApplicationScoped
public class ReferenceData {

    /** The reference lists the API serves, by path segment. */
    public static final List<String> LISTS = List.of("regions", "industry-chains", "categories", "stages");

    /** @param lists the entries of each of {@link #LISTS}, by path segment, in their order */
    private record Codes(Set<String> campaigns, Set<String> regions, Set<String> chains, Set<String> categories,
                         Set<String> zones, Map<String, List<ReferenceResource.Entry>> lists, long loadedAt) {
    }

    private final Pool pool;
    private final Duration ttl;
    private volatile Codes codes;

    public ReferenceData(Pool pool, @ConfigProperty(name = "pipeline.reference.ttl", defaultValue = "PT30S") Duration ttl) {
        this.pool = pool;
        this.ttl = ttl;
    }

    /** Violations of the event's reference codes: unknown campaign, region, chain, category or zone. */
    public Uni<List<FieldViolation>> check(ProjectEvent event) {
        if (event instanceof ProjectReserved r) {
            ProjectDetails d = r.details();
            return check(d.campaignId(), d.regionCode(), d.industryChain(), d.zone(), d.categories());
        }
        if (event instanceof ProjectCorrected c) {
            DetailsCorrection d = c.correction();
            return check(d.campaignId(), d.regionCode(), d.industryChain(), d.zone(), d.categories());
        }
        return Uni.createFrom().item(List.of());
    }

    private Uni<List<FieldViolation>> check(String campaignId, String regionCode, String industryChain, String zone,
                                            List<String> categories) {
        return codes().map(known -> {
            List<FieldViolation> violations = new ArrayList<>();
            unknown(violations, "data.campaignId", campaignId, known.campaigns(), "campaign");
            unknown(violations, "data.regionCode", regionCode, known.regions(), "region code");
            unknown(violations, "data.industryChain", industryChain, known.chains(), "industry chain");
            unknown(violations, "data.zone", zone, known.zones(), "development zone");
            if (categories != null) {
                for (String category : categories) {
                    unknown(violations, "data.categories", category, known.categories(), "category");
                }
            }
            return violations;
        });
    }

    /**
     * Whether the campaign exists. A campaign this replica has not cached yet (created through another one within
     * the TTL) is looked up again, so only reads of unknown campaigns pay a query.
     */
    public Uni<Boolean> isCampaign(String campaignId) {
        return codes().flatMap(known -> {
            if (known.campaigns().contains(campaignId)) {
                return Uni.createFrom().item(true);
            }
            forget();
            return codes().map(reloaded -> reloaded.campaigns().contains(campaignId));
        });
    }

    /** The entries of a reference list, or null when {@code list} is not one of {@link #LISTS}. */
    public Uni<List<ReferenceResource.Entry>> list(String list) {
        return codes().map(known -> known.lists().get(list));
    }

    /** Reads the codes again on next use: this replica takes a new campaign at once, the others within the TTL. */
    public void forget() {
        codes = null;
    }

    private static void unknown(List<FieldViolation> violations, String field, String code, Set<String> known, String what) {
        if (code != null && !code.isBlank() && !known.contains(code)) {
            violations.add(new FieldViolation(field, "unknown " + what + " '" + code + "'"));
        }
    }

    private Uni<Codes> codes() {
        Codes current = codes;
        if (current != null && System.nanoTime() - current.loadedAt() < ttl.toNanos()) {
            return Uni.createFrom().item(current);
        }
        return pool.query("""
                        SELECT 'campaign' AS kind, campaign_id AS code, NULL AS name_zh, NULL AS name_en, 0 AS sort
                        FROM campaigns
                        UNION ALL SELECT 'region', code, name_zh, name_en, sort FROM regions
                        UNION ALL SELECT 'chain', code, name_zh, name_en, sort FROM industry_chains
                        UNION ALL SELECT 'category', code, name_zh, name_en, sort FROM categories
                        UNION ALL SELECT 'stage', code, name_zh, name_en, sort FROM stages
                        UNION ALL SELECT 'zone', name_zh, NULL, NULL, 0 FROM zones
                        ORDER BY 1, 5""")
                .execute()
                .map(rows -> {
                    Map<String, Set<String>> byKind = Map.of("campaign", new HashSet<>(), "region", new HashSet<>(),
                            "chain", new HashSet<>(), "category", new HashSet<>(), "stage", new HashSet<>(),
                            "zone", new HashSet<>());
                    Map<String, List<ReferenceResource.Entry>> entries = Map.of("region", new ArrayList<>(),
                            "chain", new ArrayList<>(), "category", new ArrayList<>(), "stage", new ArrayList<>());
                    for (Row row : rows) {
                        String kind = row.getString("kind");
                        byKind.get(kind).add(row.getString("code"));
                        if (entries.containsKey(kind)) {
                            entries.get(kind).add(new ReferenceResource.Entry(row.getString("code"),
                                    row.getString("name_zh"), row.getString("name_en")));
                        }
                    }
                    Codes loaded = new Codes(Set.copyOf(byKind.get("campaign")), Set.copyOf(byKind.get("region")),
                            Set.copyOf(byKind.get("chain")), Set.copyOf(byKind.get("category")),
                            Set.copyOf(byKind.get("zone")), Map.of("regions", List.copyOf(entries.get("region")),
                            "industry-chains", List.copyOf(entries.get("chain")),
                            "categories", List.copyOf(entries.get("category")),
                            "stages", List.copyOf(entries.get("stage"))), System.nanoTime());
                    codes = loaded;
                    return loaded;
                });
    }
}
