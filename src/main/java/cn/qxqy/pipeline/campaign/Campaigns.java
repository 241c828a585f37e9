package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.reference.Campaign;
import cn.qxqy.pipeline.reference.CampaignTarget;
import cn.qxqy.pipeline.reference.ReferenceData;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
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

    private String write(CampaignWithTargets campaign) {
        try {
            return json.writeValueAsString(campaign);
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
