package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.reference.Campaign;
import cn.qxqy.pipeline.reference.CampaignTarget;
import cn.qxqy.pipeline.reference.Measure;
import cn.qxqy.pipeline.reference.ReferenceData;
import cn.qxqy.pipeline.reference.ReferenceResource;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The campaigns and their targets, as administrators define them and every read shows them; and as they stood at
 * any instant, for reads with {@code knownAt}: each change keeps the whole definition in campaign_history, in the
 * change's own transaction.
 */
@ApplicationScoped
public class Campaigns {

    /** The definition goes as text: the client would send a string bound to jsonb as a JSON string. */
    private static final String RECORD =
            "INSERT INTO campaign_history (campaign_id, definition) VALUES (?1, CAST(CAST(?2 AS text) AS jsonb))";
    /** The latest definition recorded by ?2, or the earliest of all when none was (the migrations' campaigns). */
    private static final String AS_KNOWN_AT = """
            SELECT CAST(definition AS text) FROM campaign_history WHERE campaign_id = ?1
            ORDER BY recorded_at <= ?2 DESC, CASE WHEN recorded_at <= ?2 THEN -change ELSE change END
            LIMIT 1""";
    private static final String SHARES = """
            SELECT CAST(coalesce(jsonb_object_agg(target_code, regions), '{}') AS text) FROM (
                SELECT target_code, jsonb_object_agg(region_code, share) AS regions FROM county_shares
                WHERE campaign_id = ?1 GROUP BY target_code) AS t""";
    private static final String DELETE_SHARES = "DELETE FROM county_shares WHERE campaign_id = ?1";
    /** ?2 is {@link CountyShares#byTarget} as JSON. */
    private static final String INSERT_SHARES = """
            INSERT INTO county_shares (campaign_id, target_code, region_code, share)
            SELECT ?1, t.key, r.key, CAST(CAST(r.value AS text) AS numeric)
            FROM jsonb_each(CAST(CAST(?2 AS text) AS jsonb)) AS t, jsonb_each(t.value) AS r""";
    private static final String RECORD_SHARES =
            "INSERT INTO county_share_history (campaign_id, shares) VALUES (?1, CAST(CAST(?2 AS text) AS jsonb))";
    private static final String SHARES_KNOWN_AT = """
            SELECT CAST(shares AS text) FROM county_share_history WHERE campaign_id = ?1 AND recorded_at <= ?2
            ORDER BY change DESC LIMIT 1""";
    /** As {@link CampaignSettings} reads from JSON. */
    private static final String SETTINGS = """
            SELECT CAST(jsonb_build_object(
                'bands', jsonb_build_object('leading', band_leading, 'normal', band_normal, 'lagging', band_lagging),
                'followUps', jsonb_build_object('signedNotStartedDays', signed_not_started_days,
                    'reservedNotSignedDays', reserved_not_signed_days, 'reportDueDay', report_due_day,
                    'plannedDates', planned_dates)) AS text)
            FROM campaign_settings WHERE campaign_id = ?1""";
    /** ?2 is {@link CampaignSettings} as JSON. */
    private static final String UPSERT_SETTINGS = """
            INSERT INTO campaign_settings (campaign_id, band_leading, band_normal, band_lagging, signed_not_started_days,
                reserved_not_signed_days, report_due_day, planned_dates)
            SELECT ?1, CAST(s #>> '{bands,leading}' AS numeric), CAST(s #>> '{bands,normal}' AS numeric),
                CAST(s #>> '{bands,lagging}' AS numeric), CAST(s #>> '{followUps,signedNotStartedDays}' AS integer),
                CAST(s #>> '{followUps,reservedNotSignedDays}' AS integer),
                CAST(s #>> '{followUps,reportDueDay}' AS integer), CAST(s #>> '{followUps,plannedDates}' AS boolean)
            FROM (SELECT CAST(CAST(?2 AS text) AS jsonb) AS s) AS given
            ON CONFLICT (campaign_id) DO UPDATE SET band_leading = excluded.band_leading,
                band_normal = excluded.band_normal, band_lagging = excluded.band_lagging, signed_not_started_days = excluded.signed_not_started_days,
                reserved_not_signed_days = excluded.reserved_not_signed_days,
                report_due_day = excluded.report_due_day, planned_dates = excluded.planned_dates""";
    private static final String RECORD_SETTINGS =
            "INSERT INTO campaign_settings_history (campaign_id, settings) VALUES (?1, CAST(CAST(?2 AS text) AS jsonb))";
    private static final String SETTINGS_KNOWN_AT = """
            SELECT CAST(settings AS text) FROM campaign_settings_history WHERE campaign_id = ?1 AND recorded_at <= ?2
            ORDER BY change DESC LIMIT 1""";
    private static final TypeReference<Map<String, Map<String, BigDecimal>>> BY_TARGET = new TypeReference<>() {
    };

    private final ReferenceData reference;
    private final ObjectMapper json;

    public Campaigns(ReferenceData reference, ObjectMapper json) {
        this.reference = reference;
        this.json = json;
    }

    /** Every campaign with its targets, the latest year first. */
    public Uni<List<CampaignWithTargets>> all() {
        return Panache.withSession(() -> Campaign.<Campaign>listAll(Sort.descending("year").and("campaignId"))
                .flatMap(campaigns -> CampaignTarget.<CampaignTarget>listAll(Sort.by("campaignId").and("sort"))
                        .map(targets -> {
                            Map<String, List<TargetDefinition>> byCampaign = targets.stream().collect(
                                    Collectors.groupingBy(t -> t.campaignId,
                                            Collectors.mapping(Campaigns::definition, Collectors.toList())));
                            List<CampaignWithTargets> list = new ArrayList<>(campaigns.size());
                            campaigns.forEach(c -> list.add(CampaignWithTargets.of(c,
                                    byCampaign.getOrDefault(c.campaignId, List.of()))));
                            return list;
                        })));
    }

    /** The campaign with its targets, or null when there is none of that id. */
    public Uni<CampaignWithTargets> find(String campaignId) {
        return Panache.withSession(() -> Campaign.<Campaign>findById(campaignId).flatMap(campaign -> campaign == null
                ? Uni.createFrom().nullItem()
                : targetRows(campaignId).map(targets -> CampaignWithTargets.of(campaign, targets))));
    }

    /**
     * The campaign with its targets as a read at {@code knownAt} would have shown them; before its first recorded
     * change, the earliest definition known. Null when the campaign never existed.
     */
    public Uni<CampaignWithTargets> asKnownAt(String campaignId, Instant knownAt) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session
                        .createNativeQuery(AS_KNOWN_AT, String.class)
                        .setParameter(1, campaignId)
                        .setParameter(2, OffsetDateTime.ofInstant(knownAt, ZoneOffset.UTC))
                        .getResultList()))
                .map(found -> found.isEmpty() ? null : parse(found.get(0)));
    }

    /** The campaign's targets in their order; empty when it has none or does not exist. */
    public Uni<List<TargetDefinition>> targets(String campaignId) {
        return Panache.withSession(() -> targetRows(campaignId));
    }

    /**
     * Creates or replaces the campaign; true when created. Two first definitions of one campaign at once both find
     * none, and one of them fails on the primary key: it is tried once more and then replaces.
     */
    public Uni<Boolean> define(CampaignDefinition definition) {
        return Panache.<Boolean>withTransaction(() -> Campaign.<Campaign>findById(definition.campaignId(),
                                LockModeType.PESSIMISTIC_WRITE)
                        .flatMap(existing -> {
                            Campaign campaign = existing == null ? new Campaign() : existing;
                            campaign.campaignId = definition.campaignId();
                            campaign.nameZh = definition.nameZh();
                            campaign.nameEn = definition.nameEn();
                            campaign.year = definition.year();
                            campaign.cityCode = definition.cityCode();
                            campaign.launchedOn = definition.launchedOn();
                            campaign.startsOn = definition.startsOn();
                            campaign.endsOn = definition.endsOn();
                            Uni<Boolean> created = existing == null
                                    ? campaign.persist().replaceWith(true) : Uni.createFrom().item(false);
                            return created.call(() -> record(campaign));
                        }))
                .onFailure(Campaigns::isUniqueViolation).retry().atMost(1)
                .call(reference::forget);
    }

    /** Replaces the campaign's targets, all at once; false when there is no such campaign. */
    public Uni<Boolean> replaceTargets(String campaignId, List<TargetDefinition> targets) {
        // The campaign row lock serializes concurrent replacements of the same list.
        return Panache.withTransaction(() -> Campaign.<Campaign>findById(campaignId, LockModeType.PESSIMISTIC_WRITE)
                .flatMap(campaign -> {
                    if (campaign == null) {
                        return Uni.createFrom().item(false);
                    }
                    List<CampaignTarget> rows = new ArrayList<>(targets.size());
                    for (int i = 0; i < targets.size(); i++) {
                        rows.add(row(campaignId, i + 1, targets.get(i)));
                    }
                    return CampaignTarget.delete("campaignId", campaignId)
                            .flatMap(deleted -> rows.isEmpty() ? Uni.createFrom().voidItem() : CampaignTarget.persist(rows))
                            .call(() -> record(campaign))
                            .replaceWith(true);
                }));
    }

    /**
     * Each county's share of each of the campaign's targets, as set; none when never set or there is no such
     * campaign. A share of a target the campaign no longer has is left out.
     */
    public Uni<CountyShares> shares(String campaignId) {
        return Panache.withSession(() -> text(SHARES, campaignId, null)
                .flatMap(found -> targetRows(campaignId).map(targets -> ofTargets(campaignId, found, targets))));
    }

    /** The shares as a read at {@code knownAt} would have shown them: none before the first were set. */
    public Uni<CountyShares> sharesKnownAt(String campaignId, Instant knownAt) {
        return Panache.withSession(() -> text(SHARES_KNOWN_AT, campaignId, knownAt))
                .flatMap(found -> asKnownAt(campaignId, knownAt).map(campaign ->
                        ofTargets(campaignId, found, campaign == null ? List.of() : campaign.targets())));
    }

    /**
     * Replaces all of the campaign's shares at once and keeps them in their history; false when there is no such
     * campaign. The caller checked each share against the campaign's targets and counties.
     */
    public Uni<Boolean> replaceShares(CountyShares shares) {
        String given = write(shares.byTarget());
        // The campaign row lock orders one campaign's replacements as their history rows.
        return Panache.withTransaction(() -> Campaign.<Campaign>findById(shares.campaignId(),
                LockModeType.PESSIMISTIC_WRITE).flatMap(campaign -> campaign == null
                ? Uni.createFrom().item(false)
                : update(DELETE_SHARES, shares.campaignId(), null)
                        .call(() -> update(INSERT_SHARES, shares.campaignId(), given))
                        .call(() -> update(RECORD_SHARES, shares.campaignId(), given))
                        .replaceWith(true)));
    }

    /** The campaign's settings, {@link CampaignSettings#DEFAULTS} when never set or there is no such campaign. */
    public Uni<CampaignSettings> settings(String campaignId) {
        return Panache.withSession(() -> text(SETTINGS, campaignId, null)).map(this::settingsOf);
    }

    /** The settings as a read at {@code knownAt} would have used them: the defaults before the first were set. */
    public Uni<CampaignSettings> settingsKnownAt(String campaignId, Instant knownAt) {
        return Panache.withSession(() -> text(SETTINGS_KNOWN_AT, campaignId, knownAt)).map(this::settingsOf);
    }

    /** Sets the campaign's settings and keeps them in their history; false when there is no such campaign. */
    public Uni<Boolean> replaceSettings(String campaignId, CampaignSettings settings) {
        String given = write(settings);
        return Panache.withTransaction(() -> Campaign.<Campaign>findById(campaignId, LockModeType.PESSIMISTIC_WRITE)
                .flatMap(campaign -> campaign == null
                        ? Uni.createFrom().item(false)
                        : update(UPSERT_SETTINGS, campaignId, given)
                                .call(() -> update(RECORD_SETTINGS, campaignId, given))
                                .replaceWith(true)));
    }

    /**
     * The county-level units of the campaign's city, in the order of the reference list: the regions whose code
     * shares the city's prefix (141100: 1411xx), the city's own code left out. Empty when there is no such campaign.
     */
    public Uni<List<CountyUnit>> countyUnits(String campaignId) {
        return unitsOfCity(campaignId).map(units -> units.stream().filter(u -> !u.city()).map(CityUnit::unit).toList());
    }

    /** The city level (市本级) of the campaign's city, shown beside the counties but not ranked; null when none. */
    public Uni<CountyUnit> cityLevel(String campaignId) {
        return unitsOfCity(campaignId).map(units -> units.stream().filter(CityUnit::city).map(CityUnit::unit)
                .findFirst().orElse(null));
    }

    private record CityUnit(CountyUnit unit, boolean city) {
    }

    private Uni<List<CityUnit>> unitsOfCity(String campaignId) {
        return Panache.withSession(() -> Campaign.<Campaign>findById(campaignId))
                .flatMap(campaign -> reference.list("regions").map(regions -> {
                    if (campaign == null) {
                        return List.<CityUnit>of();
                    }
                    String prefix = campaign.cityCode.substring(0, 4);
                    List<CityUnit> units = new ArrayList<>();
                    for (int i = 0; i < regions.size(); i++) {
                        ReferenceResource.Entry region = regions.get(i);
                        if (region.code().startsWith(prefix)) {
                            units.add(new CityUnit(new CountyUnit(region.code(), region.nameZh(), region.nameEn(), i),
                                    region.code().equals(campaign.cityCode)));
                        }
                    }
                    return units;
                }));
    }

    private static Uni<String> text(String sql, String campaignId, Instant knownAt) {
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql, String.class).setParameter(1, campaignId);
            if (knownAt != null) {
                query.setParameter(2, OffsetDateTime.ofInstant(knownAt, ZoneOffset.UTC));
            }
            return query.getResultList();
        }).map(found -> found.isEmpty() ? null : found.get(0));
    }

    private static Uni<Integer> update(String sql, String campaignId, String given) {
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql).setParameter(1, campaignId);
            if (given != null) {
                query.setParameter(2, given);
            }
            return query.executeUpdate();
        });
    }

    /**
     * The shares found (JSON, or null for none) of the targets the campaign has, as they fit each target now: a
     * target redefined from 万元 to a count of projects leaves no share of a fraction of a project behind.
     */
    private CountyShares ofTargets(String campaignId, String found, List<TargetDefinition> targets) {
        Map<String, Map<String, BigDecimal>> all = found == null ? Map.of() : read(found, BY_TARGET);
        Map<String, Map<String, BigDecimal>> byTarget = new LinkedHashMap<>();
        for (TargetDefinition target : targets) {
            Map<String, BigDecimal> shares = all.get(target.code());
            if (shares != null) {
                Map<String, BigDecimal> fitting = new LinkedHashMap<>();
                shares.forEach((region, share) -> {
                    if (target.measure() != Measure.PROJECTS || share.stripTrailingZeros().scale() <= 0) {
                        fitting.put(region, share);
                    }
                });
                byTarget.put(target.code(), Collections.unmodifiableMap(fitting));
            }
        }
        return new CountyShares(campaignId, Collections.unmodifiableMap(byTarget));
    }

    private CampaignSettings settingsOf(String found) {
        return found == null ? CampaignSettings.DEFAULTS : read(found, new TypeReference<>() {
        });
    }

    private <T> T read(String found, TypeReference<T> type) {
        try {
            return json.readValue(found, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Keeps the campaign in its history as a read now shows it, targets as stored; called in the change's
     * transaction, under the campaign's row lock.
     */
    private Uni<Void> record(Campaign campaign) {
        // The history row names the campaign: a new one's row goes in first.
        return Panache.flush().flatMap(flushed -> targetRows(campaign.campaignId))
                .flatMap(targets -> Panache.getSession().flatMap(session -> session.createNativeQuery(RECORD)
                        .setParameter(1, campaign.campaignId)
                        .setParameter(2, write(CampaignWithTargets.of(campaign, targets)))
                        .executeUpdate()))
                .replaceWithVoid();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CampaignWithTargets parse(String definition) {
        try {
            return json.readValue(definition, CampaignWithTargets.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Uni<List<TargetDefinition>> targetRows(String campaignId) {
        return CampaignTarget.<CampaignTarget>list("campaignId", Sort.by("sort"), campaignId)
                .map(rows -> rows.stream().map(Campaigns::definition).toList());
    }

    private static CampaignTarget row(String campaignId, int sort, TargetDefinition definition) {
        CampaignTarget row = new CampaignTarget();
        row.campaignId = campaignId;
        row.code = definition.code();
        row.nameZh = definition.nameZh();
        row.nameEn = definition.nameEn();
        row.measure = definition.measure();
        // The table's check allows no empty array: every category is null.
        row.categories = definition.categories().isEmpty() ? null : definition.categories().toArray(String[]::new);
        row.reachedStage = definition.reachedStage();
        row.target = definition.target();
        row.sort = sort;
        return row;
    }

    private static TargetDefinition definition(CampaignTarget row) {
        return new TargetDefinition(row.code, row.nameZh, row.nameEn, row.measure,
                row.categories == null ? List.of() : List.of(row.categories), row.reachedStage, row.target);
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
