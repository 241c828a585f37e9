package cn.qxqy.pipeline.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's county shares (任务分解) of a campaign's targets: each county's part of each target in proportion to its
 * weight in the demo (how many of the demo's projects it has), the whole 5% above the city's target, as a city
 * assigns it so that a county falling short does not sink the city. The city level (141100) gets none: it is shown, not
 * ranked. Always the same for the same targets.
 */
final class DemoShares {

    /** What the counties are given in all, over the city's target. */
    static final BigDecimal OVER_TARGET = new BigDecimal("1.05");
    private static final String CITY = "141100";

    private DemoShares() {
    }

    /** A target as {@code GET /api/v1/campaigns/{id}} shows it. */
    record Target(String code, String measure, BigDecimal target) {
    }

    /**
     * The body of {@code PUT /api/v1/campaigns/{id}/county-shares}: every county's share of every target; whole
     * projects, at least 1, or 万元 with 2 decimals.
     */
    static List<Map<String, Object>> of(List<Target> targets) {
        List<Vocabulary.Region> counties = Vocabulary.REGIONS.stream().filter(r -> !r.code().equals(CITY)).toList();
        List<Map<String, Object>> shares = new ArrayList<>();
        for (Target target : targets) {
            List<BigDecimal> apportioned = apportion(target.target().multiply(OVER_TARGET),
                    target.measure().equals("projects") ? 0 : 2, counties);
            for (int i = 0; i < counties.size(); i++) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("targetCode", target.code());
                item.put("regionCode", counties.get(i).code());
                item.put("share", apportioned.get(i));
                shares.add(item);
            }
        }
        return shares;
    }

    /**
     * {@code total} (rounded up to the unit of {@code scale}) split by the counties' weights, largest remainders first,
     * so that the parts add up to it; each part at least one unit, a county without a share not being ranked.
     */
    private static List<BigDecimal> apportion(BigDecimal total, int scale, List<Vocabulary.Region> counties) {
        BigDecimal whole = total.setScale(scale, RoundingMode.CEILING);
        BigDecimal unit = BigDecimal.ONE.movePointLeft(scale);
        int weights = counties.stream().mapToInt(Vocabulary.Region::weight).sum();
        List<BigDecimal> parts = new ArrayList<>();
        List<BigDecimal> remainders = new ArrayList<>();
        BigDecimal given = BigDecimal.ZERO;
        for (Vocabulary.Region county : counties) {
            BigDecimal quota = whole.multiply(BigDecimal.valueOf(county.weight()))
                    .divide(BigDecimal.valueOf(weights), scale + 6, RoundingMode.HALF_UP);
            BigDecimal part = quota.setScale(scale, RoundingMode.FLOOR).max(unit);
            parts.add(part);
            remainders.add(quota.subtract(part));
            given = given.add(part);
        }
        List<Integer> byRemainder = new ArrayList<>();
        for (int i = 0; i < counties.size(); i++) {
            byRemainder.add(i);
        }
        byRemainder.sort((a, b) -> remainders.get(b).compareTo(remainders.get(a)));
        for (int k = 0; given.compareTo(whole) < 0; k = (k + 1) % byRemainder.size()) {
            int i = byRemainder.get(k);
            parts.set(i, parts.get(i).add(unit));
            given = given.add(unit);
        }
        return parts;
    }
}
