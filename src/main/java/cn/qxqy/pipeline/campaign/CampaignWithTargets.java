package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.reference.Campaign;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.LocalDate;
import java.util.List;

/** A campaign as the reads show it. */
@Schema(name = "Campaign", description = "A campaign with its targets")
public record CampaignWithTargets(String campaignId, String nameZh, String nameEn, int year, String cityCode,
                                  @Schema(nullable = true) LocalDate launchedOn,
                                  @Schema(description = "the first day of the campaign's calendar: figures as of an "
                                          + "earlier day are refused") LocalDate startsOn,
                                  @Schema(description = "the last day of the campaign's calendar") LocalDate endsOn,
                                  List<TargetDefinition> targets) {

    static CampaignWithTargets of(Campaign campaign, List<TargetDefinition> targets) {
        return new CampaignWithTargets(campaign.campaignId, campaign.nameZh, campaign.nameEn, campaign.year,
                campaign.cityCode, campaign.launchedOn, campaign.startsOn, campaign.endsOn, targets);
    }
}
