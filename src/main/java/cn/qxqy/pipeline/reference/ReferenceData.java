package cn.qxqy.pipeline.reference;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectDetails;
import cn.qxqy.pipeline.domain.ProjectEvent;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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
                         Set<String> zones, Map<String, List<ReferenceResource.Entry>> lists) {
    }

    private static final Sort IN_ORDER = Sort.by("sort");

    /** Expires after {@code pipeline.reference.ttl}: see application.properties. */
    private final Cache cache;

    public ReferenceData(@CacheName("reference-data") Cache cache) {
        this.cache = cache;
    }

    /** Violations of the event's reference codes: unknown campaign, region, chain, category or zone. */
    public Uni<List<FieldViolation>> check(ProjectEvent event) {
        if (event instanceof ProjectEvent.WithDetails withDetails && withDetails.details() != null) {
            ProjectDetails d = withDetails.details();
            return check(d.campaignId(), d.regionCode(), d.industryChain(), d.zone(), d.categories());
        }
        return Uni.createFrom().item(List.of());
    }

    private Uni<List<FieldViolation>> check(String campaignId, String regionCode, String industryChain, String zone,
                                            List<String> categories) {
        return codes().map(known -> {
            List<FieldViolation> violations = new ArrayList<>();
            unknown(violations, "data.campaignId", campaignId, known.campaigns(), "reference.unknown-campaign");
            unknown(violations, "data.regionCode", regionCode, known.regions(), "reference.unknown-region");
            unknown(violations, "data.industryChain", industryChain, known.chains(), "reference.unknown-chain");
            unknown(violations, "data.zone", zone, known.zones(), "reference.unknown-zone");
            if (categories != null) {
                for (String category : categories) {
                    unknown(violations, "data.categories", category, known.categories(), "reference.unknown-category");
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
            return forget().flatMap(ignored -> codes()).map(reloaded -> reloaded.campaigns().contains(campaignId));
        });
    }

    /** The entries of a reference list, or null when {@code list} is not one of {@link #LISTS}. */
    public Uni<List<ReferenceResource.Entry>> list(String list) {
        return codes().map(known -> known.lists().get(list));
    }

    /** The codes of the regions: the counties and the city level. */
    public Uni<Set<String>> regions() {
        return codes().map(Codes::regions);
    }

    /** The codes of the categories. */
    public Uni<Set<String>> categories() {
        return codes().map(Codes::categories);
    }

    /** Reads the codes again on next use: this replica takes a new campaign at once, the others within the TTL. */
    public Uni<Void> forget() {
        return cache.invalidateAll();
    }

    /** @param message the catalogue's key for an unknown code of this kind */
    private static void unknown(List<FieldViolation> violations, String field, String code, Set<String> known,
                                String message) {
        if (code != null && !code.isBlank() && !known.contains(code)) {
            violations.add(FieldViolation.of(field, message, code));
        }
    }

    private Uni<Codes> codes() {
        return cache.getAsync("codes", key -> Panache.withSession(() -> Campaign.<Campaign>listAll()
                .flatMap(campaigns -> Region.<Region>listAll(IN_ORDER)
                .flatMap(regions -> IndustryChain.<IndustryChain>listAll(IN_ORDER)
                .flatMap(chains -> Category.<Category>listAll(IN_ORDER)
                .flatMap(categories -> StageName.<StageName>listAll(IN_ORDER)
                .flatMap(stages -> Zone.<Zone>listAll()
                .map(zones -> new Codes(campaigns.stream().map(c -> c.campaignId).collect(Collectors.toSet()),
                        codes(regions), codes(chains), codes(categories),
                        zones.stream().map(z -> z.nameZh).collect(Collectors.toSet()),
                        Map.of("regions", entries(regions), "industry-chains", entries(chains),
                                "categories", entries(categories), "stages", entries(stages)))))))))));
    }

    private static Set<String> codes(List<? extends ReferenceEntry> entries) {
        return entries.stream().map(e -> e.code).collect(Collectors.toUnmodifiableSet());
    }

    private static List<ReferenceResource.Entry> entries(List<? extends ReferenceEntry> entries) {
        return entries.stream().map(ReferenceEntry::toEntry).toList();
    }
}
