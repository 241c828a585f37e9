package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.domain.FollowUpSettings;
import cn.qxqy.pipeline.domain.Ranking;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A campaign's settings for its rankings and follow-ups: {@link #DEFAULTS} until an administrator or the city's
 * department sets them.
 *
 * @param bands     the ratios to 时序进度 from which a county is leading, normal or lagging
 * @param followUps which follow-up rules are on, with their days
 */
@Schema(name = "CampaignSettings", description = "A campaign's band thresholds for its rankings and its follow-up rules")
public record CampaignSettings(
        @Schema(description = "a county's completion rate over 时序进度 from which it is 领先 (leading), 正常 (normal) "
                + "or 滞后 (lagging); below lagging 严重滞后. Defaults 1.1, 0.9, 0.7") Ranking.BandThresholds bands,
        @Schema(description = "the follow-up rules (督办): a null number, or plannedDates false, turns its rule off. "
                + "Defaults 90, 180, 10, true") FollowUpSettings followUps) {

    public static final CampaignSettings DEFAULTS =
            new CampaignSettings(Ranking.BandThresholds.DEFAULTS, FollowUpSettings.DEFAULTS);
}
