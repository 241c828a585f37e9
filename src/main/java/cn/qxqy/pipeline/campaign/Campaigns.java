package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.reference.Campaign;
import cn.qxqy.pipeline.reference.CampaignTarget;
import cn.qxqy.pipeline.reference.ReferenceData;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The campaigns and their targets, as administrators define them and every read shows them. */
@ApplicationScoped
public class Campaigns {

    private final ReferenceData reference;

    public Campaigns(ReferenceData reference) {
        this.reference = reference;
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
                            return existing == null ? campaign.persist().replaceWith(true) : Uni.createFrom().item(false);
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
                            .replaceWith(true);
                }));
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
