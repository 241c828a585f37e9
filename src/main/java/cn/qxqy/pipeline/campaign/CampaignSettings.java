package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.domain.FollowUpSettings;
import cn.qxqy.pipeline.domain.Ranking;

/**
 * A campaign's settings for its rankings and follow-ups: {@link #DEFAULTS} until an administrator or the city's
 * department sets them.
 *
 * @param bands     the ratios to 时序进度 from which a county is leading, normal or lagging
 * @param followUps which follow-up rules are on, with their days
 */
public record CampaignSettings(Ranking.BandThresholds bands, FollowUpSettings followUps) {

    public static final CampaignSettings DEFAULTS =
            new CampaignSettings(Ranking.BandThresholds.DEFAULTS, FollowUpSettings.DEFAULTS);
}
