package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.Catalog.MILESTONES;
import static cn.qxqy.pipeline.testing.history.Catalog.STAGES;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.nz;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The campaign figures recomputed by DESIGN.md's rules from the projects the accepted events make, apart from the
 * service's projector, rebuild and check: summary and breakdown rows, and the monthly timeline.
 */
public final class ExpectedFigures {

    private ExpectedFigures() {
    }

    /** The figures of one row: a campaign, or one region, chain or category of it. */
    public static final class Row {
        long projects;
        long withdrawn;
        BigDecimal planned = BigDecimal.ZERO;
        BigDecimal annual = BigDecimal.ZERO;
        BigDecimal signed = BigDecimal.ZERO;
        BigDecimal investmentToDate = BigDecimal.ZERO;
        final long[] current = new long[4];
        final long[] reached = new long[4];
        final BigDecimal[] stagePlanned = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};

        void add(ModelProject p) {
            if (!p.active()) {
                withdrawn++;
                return;
            }
            projects++;
            planned = planned.add(nz(p.planned));
            annual = annual.add(nz(p.annual));
            if (p.signedOn != null) {
                signed = signed.add(nz(p.signedInvestment));
            }
            investmentToDate = investmentToDate.add(nz(p.investmentToDate));
            int i = STAGES.indexOf(p.stage);
            if (i >= 0) {
                current[i]++;
                stagePlanned[i] = stagePlanned[i].add(nz(p.planned));
            }
            reached[0]++;
            reached[1] += p.signedOn != null ? 1 : 0;
            reached[2] += p.startedOn != null ? 1 : 0;
            reached[3] += p.completedOn != null ? 1 : 0;
        }

        /** The row as the API's fields, by their JSON paths. */
        public Map<String, Object> fields() {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("projects", projects);
            f.put("withdrawn", withdrawn);
            f.put("plannedInvestment", planned);
            f.put("annualPlannedInvestment", annual);
            f.put("signedInvestment", signed);
            f.put("investmentToDate", investmentToDate);
            for (int i = 0; i < 4; i++) {
                String stage = "stages." + STAGES.get(i) + ".";
                f.put(stage + "current", current[i]);
                f.put(stage + "reached", reached[i]);
                f.put(stage + "plannedInvestment", stagePlanned[i]);
            }
            return f;
        }
    }

    /** One month's figure of one milestone in the timeline. */
    private static final class Cell {
        long projects;
        BigDecimal investment = BigDecimal.ZERO;

        void add(BigDecimal amount) {
            projects++;
            investment = investment.add(nz(amount));
        }
    }

    /** The campaign's summary row. */
    public static Row summary(Map<String, ModelProject> projects, String campaign) {
        return rows(projects, campaign, p -> List.of("*")).getOrDefault("*", new Row());
    }

    /** The campaign's rows by region, chain or category; a key without projects has none. */
    public static Map<String, Row> breakdown(Map<String, ModelProject> projects, String campaign, String by) {
        return rows(projects, campaign, p -> switch (by) {
            case "region" -> List.of(p.regionCode);
            case "chain" -> List.of(p.chain);
            default -> p.categories;
        });
    }

    private static Map<String, Row> rows(Map<String, ModelProject> projects, String campaign,
                                         Function<ModelProject, List<String>> keys) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (ModelProject p : projects.values()) {
            if (campaign.equals(p.campaignId)) {
                for (String key : keys.apply(p)) {
                    rows.computeIfAbsent(key, k -> new Row()).add(p);
                }
            }
        }
        return rows;
    }

    /**
     * The timeline by DESIGN.md and issue 3, from the projects' milestone dates: per month of a milestone's date, over
     * active projects (a retraction has unset the date of the milestone it undid); a withdrawn project counts only
     * under WITHDRAWN in the month of its withdrawal, with its planned investment. Investment is the signed investment
     * for SIGNED, the planned investment otherwise. Months ascending; each month's fields by their JSON paths, every
     * milestone listed.
     */
    public static Map<String, Map<String, Object>> timeline(Map<String, ModelProject> projects, String campaign) {
        Map<String, Map<String, Cell>> months = new TreeMap<>();
        for (ModelProject p : projects.values()) {
            if (!campaign.equals(p.campaignId)) {
                continue;
            }
            if (!p.active()) {
                put(months, p.withdrawnOn, "WITHDRAWN", p.planned);
                continue;
            }
            put(months, p.reservedOn, "RESERVED", p.planned);
            put(months, p.signedOn, "SIGNED", p.signedInvestment);
            put(months, p.startedOn, "STARTED", p.planned);
            put(months, p.completedOn, "COMPLETED", p.planned);
        }
        Map<String, Map<String, Object>> fields = new LinkedHashMap<>();
        months.forEach((month, cells) -> fields.put(month, monthFields(cells)));
        return fields;
    }

    /** A month of the timeline without any milestone. */
    public static Map<String, Object> emptyMonth() {
        return monthFields(Map.of());
    }

    private static Map<String, Object> monthFields(Map<String, Cell> cells) {
        Map<String, Object> f = new LinkedHashMap<>();
        for (String milestone : MILESTONES) {
            Cell cell = cells.getOrDefault(milestone, new Cell());
            f.put(milestone + ".projects", cell.projects);
            f.put(milestone + ".investment", cell.investment);
        }
        return f;
    }

    private static void put(Map<String, Map<String, Cell>> months, LocalDate on, String milestone, BigDecimal amount) {
        if (on != null) {
            months.computeIfAbsent(YearMonth.from(on).toString(), m -> new TreeMap<>())
                    .computeIfAbsent(milestone, k -> new Cell()).add(amount);
        }
    }

    static long countIn(Map<String, ModelProject> projects, String campaign) {
        return projects.values().stream().filter(p -> campaign.equals(p.campaignId)).count();
    }
}
