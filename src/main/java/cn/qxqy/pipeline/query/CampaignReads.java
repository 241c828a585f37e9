package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.campaign.CampaignWithTargets;
import cn.qxqy.pipeline.campaign.Campaigns;
import cn.qxqy.pipeline.campaign.TargetDefinition;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.FigureKey;
import cn.qxqy.pipeline.projection.Figures;
import cn.qxqy.pipeline.reference.ReferenceData;
import cn.qxqy.pipeline.reference.ReferenceResource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign's figures on the two time axes ({@link TimeAxes}): what the campaign reads, the exports, the issued
 * reports and the comparisons answer, one way.
 */
@ApplicationScoped
public class CampaignReads {

    /** Breakdown dimensions: the figures' dimension and the reference list naming its keys. */
    static final Map<String, String[]> BREAKDOWNS = Map.of(
            "region", new String[]{FigureKey.REGION, "regions"},
            "chain", new String[]{FigureKey.CHAIN, "industry-chains"},
            "category", new String[]{FigureKey.CATEGORY, "categories"});

    private final Campaigns campaigns;
    private final CampaignFigures figures;
    private final KnownAtReplay replay;
    private final ReferenceData referenceData;
    private final Clock clock;

    public CampaignReads(Campaigns campaigns, CampaignFigures figures, KnownAtReplay replay,
                         ReferenceData referenceData, Clock clock) {
        this.campaigns = campaigns;
        this.figures = figures;
        this.replay = replay;
        this.referenceData = referenceData;
        this.clock = clock;
    }

    /** The campaign with its targets; a 404 problem when there is none of that id. */
    public Uni<CampaignWithTargets> campaign(String campaignId) {
        return campaigns.find(campaignId).map(campaign -> {
            if (campaign == null) {
                throw unknownCampaign(campaignId);
            }
            return campaign;
        });
    }

    /**
     * The generation of the read models: equal before and after several reads, those reads saw one state of them
     * (each read is its own statement, and a projector batch may commit between two).
     */
    public Uni<Long> generation() {
        return figures.generation();
    }

    public Uni<CampaignResponses.Summary> summary(String campaignId, TimeAxes axes) {
        return known(campaignId).flatMap(ignored -> figures(campaignId, FigureKey.ALL, axes))
                .map(all -> CampaignResponses.Summary.of(campaignId, axes,
                        all.isEmpty() ? Figures.ZERO : all.values().iterator().next()));
    }

    /** @param by region, chain or category; anything else is a 400 naming {@code by} */
    public Uni<CampaignResponses.Breakdown> breakdown(String campaignId, String by, TimeAxes axes) {
        String[] dimension = by == null ? null : BREAKDOWNS.get(by);
        if (dimension == null) {
            throw Problem.of(ProblemType.INVALID_QUERY, Wording.of("query.unknown-breakdown"),
                    List.of(FieldViolation.of("by", "field.one-of", BREAKDOWNS.keySet())))
                    .exception();
        }
        return known(campaignId)
                .flatMap(ignored -> Uni.combine().all().unis(referenceData.list(dimension[1]),
                        figures(campaignId, dimension[0], axes)).asTuple())
                .map(results -> {
                    List<CampaignResponses.BreakdownItem> items = new ArrayList<>();
                    for (ReferenceResource.Entry entry : results.getItem1()) {
                        items.add(CampaignResponses.BreakdownItem.of(entry.code(), entry.nameZh(), entry.nameEn(),
                                results.getItem2().getOrDefault(entry.code(), Figures.ZERO)));
                    }
                    return new CampaignResponses.Breakdown(campaignId, axes.asOf(), axes.knownAt(), by, items);
                });
    }

    public Uni<CampaignResponses.Progress> progress(String campaignId, TimeAxes axes) {
        return targets(campaignId, axes).flatMap(targets -> progressGroups(campaignId, axes)
                .map(groups -> CampaignProgress.of(campaignId, axes, targets, groups)));
    }

    /** Month by month; {@code granularity} is checked by the caller. */
    public Uni<CampaignResponses.Timeline> timeline(String campaignId, String granularity, TimeAxes axes) {
        return known(campaignId)
                .flatMap(ignored -> axes.knownAt() == null ? figures.timeline(campaignId, axes.day(clock))
                        : replay.timeline(campaignId, axes.day(clock), axes.knownAt()))
                .map(rows -> {
                    // Rows come month by month; each month lists every milestone, 0 where none was reached.
                    Map<String, Map<Stage, CampaignResponses.Milestones>> months = new LinkedHashMap<>();
                    for (CampaignFigures.TimelineRow row : rows) {
                        months.computeIfAbsent(row.month(), month -> new EnumMap<>(Stage.class))
                                .put(row.milestone(), new CampaignResponses.Milestones(row.projects(), row.investment()));
                    }
                    List<CampaignResponses.Period> periods = new ArrayList<>();
                    months.forEach((month, reached) -> periods.add(new CampaignResponses.Period(month,
                            milestone(reached, Stage.RESERVED), milestone(reached, Stage.SIGNED),
                            milestone(reached, Stage.STARTED), milestone(reached, Stage.COMPLETED),
                            milestone(reached, Stage.WITHDRAWN))));
                    return new CampaignResponses.Timeline(campaignId, axes.asOf(), axes.knownAt(), granularity, periods);
                });
    }

    /** From the read models, or with a knownAt from the store replayed as known then. */
    private Uni<Map<String, Figures>> figures(String campaignId, String dimension, TimeAxes axes) {
        return axes.knownAt() == null ? figures.figures(campaignId, dimension, axes.day(clock))
                : replay.figures(campaignId, dimension, axes.day(clock), axes.knownAt());
    }

    private Uni<List<CampaignProgress.Group>> progressGroups(String campaignId, TimeAxes axes) {
        return axes.knownAt() == null ? figures.progressGroups(campaignId, axes.day(clock))
                : replay.progressGroups(campaignId, axes.day(clock), axes.knownAt());
    }

    /**
     * A 400 naming asOf when it is before the campaign starts (as the campaign was defined at knownAt, or now); an
     * unknown campaign is left to the read's 404. Called before a read, never beside one: it reads through Hibernate
     * Reactive, whose session reads one at a time.
     */
    public Uni<Void> refuseBeforeStart(String campaignId, TimeAxes axes) {
        if (axes.asOf() == null) {
            return Uni.createFrom().voidItem();
        }
        return definition(campaignId, axes).invoke(campaign -> {
            if (campaign != null) {
                axes.refuseBefore(campaign.startsOn());
            }
        }).replaceWithVoid();
    }

    /** The campaign as defined at knownAt, or now; null when there is none. */
    private Uni<CampaignWithTargets> definition(String campaignId, TimeAxes axes) {
        return axes.knownAt() == null ? campaigns.find(campaignId) : campaigns.asKnownAt(campaignId, axes.knownAt());
    }

    /** The targets as they were at knownAt, or now. */
    private Uni<List<TargetDefinition>> targets(String campaignId, TimeAxes axes) {
        return known(campaignId).flatMap(ignored -> axes.knownAt() == null ? campaigns.targets(campaignId)
                : definition(campaignId, axes).map(CampaignWithTargets::targets));
    }

    private Uni<Void> known(String campaignId) {
        return referenceData.isCampaign(campaignId).flatMap(known -> known
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(unknownCampaign(campaignId)));
    }

    private static CampaignResponses.Milestones milestone(Map<Stage, CampaignResponses.Milestones> reached, Stage stage) {
        return reached.getOrDefault(stage, CampaignResponses.Milestones.NONE);
    }

    static RuntimeException unknownCampaign(String campaignId) {
        return Problem.of(ProblemType.UNKNOWN_CAMPAIGN, Wording.of("campaign.unknown", campaignId)).exception();
    }
}
