package cn.qxqy.pipeline.reference;

import cn.qxqy.pipeline.domain.EventTypes;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectDetails;
import cn.qxqy.pipeline.domain.ProjectEvent;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The codes a project may use (campaigns, regions, industry chains, categories, zones), read from the
 * database and kept for a short while, so that reference data edited there takes effect without a deploy.
 */
@ApplicationScoped
public class ReferenceData {

    /** The reference lists the API serves, by path segment. */
    public static final List<String> LISTS = List.of("regions", "industry-chains", "categories", "stages",
            "event-types");

    /** The event types' names for people, from the registry rather than a table: a type exists in code only. */
    private static final List<ReferenceResource.Entry> EVENT_TYPES = EventTypes.ALL.stream()
            .map(type -> new ReferenceResource.Entry(type.name(), type.label().zh(), type.label().en())).toList();

    /** The lists a spreadsheet may name codes of, by name or code ({@link #lookup}). */
    public static final List<String> LOOKUPS = List.of("regions", "industry-chains", "categories", "zones");

    /**
     * @param lists   the entries of each of {@link #LISTS}, by path segment, in their order
     * @param lookups the entries of each of {@link #LOOKUPS}, zones named by their Chinese name as projects give it
     */
    private record Codes(Map<String, String> campaigns, Set<String> regions, Set<String> chains, Set<String> categories,
                         Set<String> zones, Map<String, List<ReferenceResource.Entry>> lists,
                         Map<String, Lookup> lookups) {
    }

    /**
     * A reference list as people write it: each entry's code found by the code itself, its Chinese or its English
     * name, matched after {@link #key}.
     */
    public record Lookup(List<ReferenceResource.Entry> entries, Map<String, String> codes) {

        static Lookup of(List<ReferenceResource.Entry> entries) {
            Map<String, String> codes = new HashMap<>();
            for (ReferenceResource.Entry entry : entries) {
                // Names first, so that a code wins over a name written the same (none is, today).
                codes.put(key(entry.nameEn()), entry.code());
                codes.put(key(entry.nameZh()), entry.code());
                codes.put(key(entry.code()), entry.code());
            }
            return new Lookup(entries, Map.copyOf(codes));
        }

        /** The code {@code text} names, if any. */
        public Optional<String> code(String text) {
            return Optional.ofNullable(codes.get(key(text)));
        }
    }

    private static final Pattern WHITE_SPACE = Pattern.compile("[\\s\\u3000]+");

    /**
     * A name or code as compared: full-width forms as their half-width ones (ＣＯＡＬ, （汾酒）), without white space,
     * in lower case.
     */
    public static String key(String text) {
        return WHITE_SPACE.matcher(Normalizer.normalize(text, Normalizer.Form.NFKC)).replaceAll("").toLowerCase(Locale.ROOT);
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
            unknown(violations, "data.campaignId", campaignId, known.campaigns().keySet(), "reference.unknown-campaign");
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
            if (known.campaigns().containsKey(campaignId)) {
                return Uni.createFrom().item(true);
            }
            return forget().flatMap(ignored -> codes()).map(reloaded -> reloaded.campaigns().containsKey(campaignId));
        });
    }

    /** The entries of a reference list, or null when {@code list} is not one of {@link #LISTS}. */
    public Uni<List<ReferenceResource.Entry>> list(String list) {
        return codes().map(known -> known.lists().get(list));
    }

    /** One of {@link #LOOKUPS}, or null when {@code list} is not one of them. */
    public Uni<Lookup> lookup(String list) {
        return codes().map(known -> known.lookups().get(list));
    }

    /** The campaign's Chinese name, or null when there is no such campaign. */
    public Uni<String> campaignName(String campaignId) {
        return isCampaign(campaignId).flatMap(known -> codes()).map(known -> known.campaigns().get(campaignId));
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
                .map(zones -> new Codes(campaigns.stream().collect(Collectors.toUnmodifiableMap(c -> c.campaignId, c -> c.nameZh)),
                        codes(regions), codes(chains), codes(categories),
                        zones.stream().map(z -> z.nameZh).collect(Collectors.toSet()),
                        Map.of("regions", entries(regions), "industry-chains", entries(chains),
                                "categories", entries(categories), "stages", entries(stages),
                                "event-types", EVENT_TYPES),
                        Map.of("regions", Lookup.of(entries(regions)), "industry-chains", Lookup.of(entries(chains)),
                                "categories", Lookup.of(entries(categories)), "zones", Lookup.of(zones.stream()
                                        .sorted(Comparator.comparingInt(z -> z.sort))
                                        .map(z -> new ReferenceResource.Entry(z.nameZh, z.nameZh, z.nameEn)).toList())))))))))));
    }

    private static Set<String> codes(List<? extends ReferenceEntry> entries) {
        return entries.stream().map(e -> e.code).collect(Collectors.toUnmodifiableSet());
    }

    private static List<ReferenceResource.Entry> entries(List<? extends ReferenceEntry> entries) {
        return entries.stream().map(ReferenceEntry::toEntry).toList();
    }
}
