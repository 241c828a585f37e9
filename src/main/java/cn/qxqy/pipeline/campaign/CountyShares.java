package cn.qxqy.pipeline.campaign;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Each county's share of each target of a campaign, as set; a county without a share of a target is not ranked on it.
 *
 * @param byTarget target code -> region code -> share (a whole number of projects, or 万元 with at most 2 decimals)
 */
public record CountyShares(String campaignId, Map<String, Map<String, BigDecimal>> byTarget) {

    /** The county's share of the target, or null when it has none. */
    public BigDecimal share(String targetCode, String regionCode) {
        return byTarget.getOrDefault(targetCode, Map.of()).get(regionCode);
    }
}
