package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.security.Senders;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Who sets a campaign's county shares and settings: an administrator, or a department holding the campaign's whole
 * city (the city's 发改委), as issues its reports. A county would otherwise set its own share.
 */
final class CityOffice {

    private CityOffice() {
    }

    /** A 403 unless the request comes from an administrator or a department holding the campaign's city. */
    static void check(CampaignWithTargets campaign, SecurityContext security, Senders senders) {
        // An administrator's token may name no department: it is not asked for one.
        if (security.isUserInRole("admin")) {
            return;
        }
        var sender = senders.ofRequest(security, null);
        if (!sender.writer().holds(campaign.cityCode())) {
            throw Problem.of(ProblemType.FORBIDDEN, Wording.of("county-shares.city-not-held",
                    sender.author().department(), campaign.cityCode())).exception();
        }
    }

    /** The campaign, or a 404 when there is none. */
    static CampaignWithTargets known(CampaignWithTargets campaign, String campaignId) {
        if (campaign == null) {
            throw unknown(campaignId);
        }
        return campaign;
    }

    /** The 404 of a campaign there is none of (or no longer: removed while it was being changed). */
    static RuntimeException unknown(String campaignId) {
        return Problem.of(ProblemType.UNKNOWN_CAMPAIGN, Wording.of("campaign.unknown", campaignId)).exception();
    }
}
