package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.ReferenceModel.nz;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The campaign figures of {@link AsOfModel}'s projects, by DESIGN.md's sums and issue 25's 本年完成投资: the summary
 * and breakdown rows, and the progress towards the test's own targets with the rates.
 */
public final class AsOfFigures {

    /**
     * A target as the admin API defines it.
     *
     * @param categories null: every category; a project counts if it is in any of them
     * @param reachedStage null: every active project
     */
    public record Target(String code, String measure, List<String> categories, String reachedStage, BigDecimal target) {

        Map<String, Object> definition() {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("code", code);
            t.put("nameZh", "目标 " + code);
            t.put("nameEn", "Target " + code);
            t.put("measure", measure);
            t.put("categories", categories);
            t.put("reachedStage", reachedStage);
            t.put("target", target);
            return t;
        }

        private boolean counts(ModelProject p) {
            boolean inCategory = categories == null || categories.stream().anyMatch(p.categories::contains);
            return inCategory && (reachedStage == null || reached(p, reachedStage));
        }
    }

    /** Targets over counts and amounts, with and without categories and milestones. */
    public static final List<Target> TARGETS = List.of(
            new Target("projects", "projects", null, null, new BigDecimal("40")),
            new Target("private-started", "projects", List.of("private-capital", "chain-extension"), "STARTED",
                    new BigDecimal("7")),
            new Target("completed", "projects", null, "COMPLETED", new BigDecimal("3")),
            new Target("annual", "annualPlannedInvestment", null, null, new BigDecimal("1000000")),
            new Target("bond-signed", "annualPlannedInvestment", List.of("special-bond"), "SIGNED",
                    new BigDecimal("123456.78")));

    private static final String WAN_YUAN = "万元";

    private AsOfFigures() {
    }

    /** The figures of one row: ExpectedFigures' row, and 本年完成投资 beside 累计完成投资. */
    public static final class Row {
        private final ExpectedFigures.Row figures = new ExpectedFigures.Row();
        private BigDecimal investmentThisYear = BigDecimal.ZERO;

        void add(AsOfModel.Dated d) {
            figures.add(d.project());
            if (d.project().active()) {
                investmentThisYear = investmentThisYear.add(d.investmentThisYear());
            }
        }

        /** The row as the API's fields, by their JSON paths. */
        public Map<String, Object> fields() {
            Map<String, Object> f = figures.fields();
            f.put("investmentThisYear", investmentThisYear);
            return f;
        }
    }

    /** The campaign's summary row. */
    public static Row summary(Map<String, AsOfModel.Dated> projects, String campaign) {
        return rows(projects, campaign, p -> List.of("*")).getOrDefault("*", new Row());
    }

    /** The campaign's rows by region, chain or category; a key without projects has none. */
    public static Map<String, Row> breakdown(Map<String, AsOfModel.Dated> projects, String campaign, String by) {
        return rows(projects, campaign, p -> switch (by) {
            case "region" -> List.of(p.regionCode);
            case "chain" -> List.of(p.chain);
            default -> p.categories;
        });
    }

    private static Map<String, Row> rows(Map<String, AsOfModel.Dated> projects, String campaign,
                                         Function<ModelProject, List<String>> keys) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (AsOfModel.Dated d : projects.values()) {
            if (campaign.equals(d.project().campaignId)) {
                for (String key : keys.apply(d.project())) {
                    rows.computeIfAbsent(key, k -> new Row()).add(d);
                }
            }
        }
        return rows;
    }

    /** The progress document's figures: "projects", then each target and each rate by its code, fields by JSON path. */
    public record Progress(long projects, Map<String, Map<String, Object>> targets,
                           Map<String, Map<String, Object>> rates) {
    }

    /**
     * Progress over the campaign's active projects: each target's actual (a count, or the annual planned investment
     * of the projects it counts) against its goal, and the rates with their numerators and denominators; 投资完成率 is
     * 本年完成投资 over 年度计划投资. A percentage is rounded half up to 1 decimal, absent over a zero denominator.
     */
    public static Progress progress(Map<String, AsOfModel.Dated> projects, String campaign) {
        List<AsOfModel.Dated> active = projects.values().stream()
                .filter(d -> campaign.equals(d.project().campaignId) && d.project().active()).toList();
        Map<String, Map<String, Object>> targets = new LinkedHashMap<>();
        for (Target t : TARGETS) {
            List<ModelProject> counted = active.stream().map(AsOfModel.Dated::project).filter(t::counts).toList();
            boolean counting = t.measure().equals("projects");
            BigDecimal actual = counting ? BigDecimal.valueOf(counted.size())
                    : counted.stream().map(p -> nz(p.annual)).reduce(BigDecimal.ZERO, BigDecimal::add);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("unit", counting ? "projects" : WAN_YUAN);
            f.put("actual", actual);
            f.put("target", t.target());
            f.put("percentage", percentage(actual, t.target()));
            targets.put(t.code(), f);
        }
        Map<String, Map<String, Object>> rates = new LinkedHashMap<>();
        rates.put("start-rate-of-signed", rate("signed-and-started",
                count(active, p -> p.signedOn != null && p.startedOn != null), "signed",
                count(active, p -> p.signedOn != null)));
        rates.put("start-rate-of-planned", rate("started", count(active, p -> p.startedOn != null),
                "planned-to-start", count(active, p -> true)));
        rates.put("signing-rate", rate("signed", count(active, p -> p.signedOn != null), "active",
                count(active, p -> true)));
        rates.put("investment-completion-rate", rate("investment-this-year",
                active.stream().map(AsOfModel.Dated::investmentThisYear).reduce(BigDecimal.ZERO, BigDecimal::add),
                "annual-planned-investment",
                active.stream().map(d -> nz(d.project().annual)).reduce(BigDecimal.ZERO, BigDecimal::add)));
        return new Progress(active.size(), targets, rates);
    }

    private static BigDecimal count(List<AsOfModel.Dated> active, Predicate<ModelProject> counts) {
        return BigDecimal.valueOf(active.stream().map(AsOfModel.Dated::project).filter(counts).count());
    }

    private static Map<String, Object> rate(String numeratorCode, BigDecimal numerator, String denominatorCode,
                                            BigDecimal denominator) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("numerator.code", numeratorCode);
        f.put("numerator.value", numerator);
        f.put("denominator.code", denominatorCode);
        f.put("denominator.value", denominator);
        f.put("percentage", percentage(numerator, denominator));
        return f;
    }

    private static BigDecimal percentage(BigDecimal numerator, BigDecimal denominator) {
        return denominator.signum() == 0 ? null
                : numerator.multiply(BigDecimal.valueOf(100)).divide(denominator, 1, RoundingMode.HALF_UP);
    }

    private static boolean reached(ModelProject p, String stage) {
        return switch (stage) {
            case "SIGNED" -> p.signedOn != null;
            case "STARTED" -> p.startedOn != null;
            case "COMPLETED" -> p.completedOn != null;
            default -> throw new IllegalArgumentException("not a milestone of a target: " + stage);
        };
    }
}
