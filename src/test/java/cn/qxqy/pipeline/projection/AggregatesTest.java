package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.testing.history.Catalog;
import cn.qxqy.pipeline.testing.history.ExpectedFigures;
import cn.qxqy.pipeline.testing.history.ModelProject;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sums behind the campaign's figures, timeline and progress, without a database: what the projector adds up
 * batch by batch from each event's before and after must be what a rebuild counts from the projects as they are, and
 * both what DESIGN.md's rules give for the same projects ({@link ExpectedFigures}, and the progress groups recounted
 * here). The rows are dated: summed up to a day, they are what the projects as they stood that day count for; up to
 * the year's end, what they count for now. Seeded: {@code -Daggregates.seed=N} draws other projects.
 */
class AggregatesTest {

    private static final long DEFAULT_SEED = 20241206L;
    private static final int ROUNDS = 40;
    private static final int PROJECTS = 60;
    /** No event of the generated histories is dated later: summed up to it, the rows are the projects as they are. */
    private static final LocalDate YEAR_END = LocalDate.of(GeneratedProjects.TODAY.getYear(), 12, 31);

    @Test
    void theProjectorsDeltasSummedInAnyBatchesAreWhatARebuildCountsFromTheProjectsAsTheyAre() {
        long seed = Long.getLong("aggregates.seed", DEFAULT_SEED);
        GeneratedProjects generated = new GeneratedProjects(seed);
        Random random = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            List<GeneratedProjects.Project> projects = generated.next(PROJECTS);

            Aggregates rebuilt = new Aggregates();
            projects.forEach(p -> rebuilt.add(p.last()));
            Aggregates tables = new Aggregates();
            for (List<ProjectionWriter.Change> batch : batches(interleaved(projects, random), random)) {
                // As ProjectionWriter.write sums a poll's changes, then adds the sums to the rows.
                Aggregates deltas = new Aggregates();
                batch.forEach(c -> deltas.add(c.before(), c.after()));
                Contributions.add(tables.figures, deltas.figures, Figures::plus);
                Contributions.add(tables.timeline, deltas.timeline, Timeline.Entry::plus);
                Contributions.add(tables.progress, deltas.progress, ProgressGroups.Entry::plus);
            }

            String where = "seed " + seed + ", round " + round + ": ";
            assertThat(normalised(tables)).as(where + "the projector's sums against the rebuild's")
                    .isEqualTo(normalised(rebuilt));
        }
    }

    @Test
    void theProjectorsDatedRowsSummedUpToAnyDayAreWhatTheProjectsAsTheyStoodThatDayCountFor() {
        long seed = Long.getLong("aggregates.seed", DEFAULT_SEED);
        GeneratedProjects generated = new GeneratedProjects(seed);
        Random random = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            List<GeneratedProjects.Project> projects = generated.next(PROJECTS);
            Aggregates tables = new Aggregates();
            for (List<ProjectionWriter.Change> batch : batches(interleaved(projects, random), random)) {
                Aggregates deltas = new Aggregates();
                batch.forEach(c -> deltas.add(c.before(), c.after()));
                Contributions.add(tables.figures, deltas.figures, Figures::plus);
                Contributions.add(tables.timeline, deltas.timeline, Timeline.Entry::plus);
                Contributions.add(tables.progress, deltas.progress, ProgressGroups.Entry::plus);
            }
            for (int d = 0; d < 5; d++) {
                LocalDate day = GeneratedProjects.TODAY.minusDays(random.nextInt(3 * 365));
                Map<String, Object> asOf = new LinkedHashMap<>();
                asOf.put("figures", nonZero(AggregatesTest.<FigureKey, Figures>sum(projects, p -> Figures.contribution(p.last().asOf(day)), Figures::plus),
                        Figures::isZero, AggregatesTest::fields));
                asOf.put("timeline", nonZero(AggregatesTest.<Timeline.Key, Timeline.Entry>sum(projects, p -> Timeline.contribution(p.last().asOf(day).state()),
                        Timeline.Entry::plus), Timeline.Entry::isZero, AggregatesTest::fields));
                asOf.put("progress", nonZero(AggregatesTest.<ProgressGroups.Key, ProgressGroups.Entry>sum(projects,
                        p -> ProgressGroups.contribution(p.last().asOf(day)),
                        ProgressGroups.Entry::plus), ProgressGroups.Entry::isZero, AggregatesTest::fields));

                assertThat(normalised(upTo(tables, day))).as("seed " + seed + ", round " + round + ", as of " + day)
                        .isEqualTo(normalised(asOf));
            }
        }
    }

    @Test
    void theFiguresTimelineAndProgressAreWhatDesignsRulesGiveForTheSameProjects() {
        long seed = Long.getLong("aggregates.seed", DEFAULT_SEED);
        GeneratedProjects generated = new GeneratedProjects(seed);
        SoftAssertions softly = new SoftAssertions();
        int withdrawn = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<GeneratedProjects.Project> projects = generated.next(PROJECTS);
            Aggregates rebuilt = new Aggregates();
            projects.forEach(p -> rebuilt.add(p.last()));
            Map<String, ModelProject> models = new LinkedHashMap<>();
            projects.forEach(p -> models.put(p.id(), p.model()));
            withdrawn += (int) projects.stream().filter(p -> !p.last().current().isActive()).count();

            for (String campaign : GeneratedProjects.CAMPAIGNS) {
                String where = "seed " + seed + ", round " + round + ", " + campaign + ": ";
                softly.assertThat(normalised(figures(rebuilt, campaign, FigureKey.ALL)))
                        .as(where + "summary").isEqualTo(normalised(Map.of("*", ExpectedFigures.summary(models,
                                campaign).fields())));
                for (String by : List.of("region", "chain", "category")) {
                    Map<String, Map<String, Object>> expected = new TreeMap<>();
                    ExpectedFigures.breakdown(models, campaign, by).forEach((key, row) -> expected.put(key, row.fields()));
                    softly.assertThat(normalised(figures(rebuilt, campaign, dimension(by))))
                            .as(where + "breakdown by " + by).isEqualTo(normalised(expected));
                }
                softly.assertThat(normalised(timeline(rebuilt, campaign))).as(where + "timeline")
                        .isEqualTo(normalised(ExpectedFigures.timeline(models, campaign)));
                softly.assertThat(normalised(progress(rebuilt, campaign))).as(where + "progress groups")
                        .isEqualTo(normalised(expectedProgress(models, campaign)));
            }
        }
        softly.assertThat(withdrawn).as("withdrawn projects among those generated").isGreaterThan(ROUNDS);
        softly.assertAll();
    }

    /** Every project's changes in its own order, the projects' changes mixed as partitions and polls mix them. */
    private static List<ProjectionWriter.Change> interleaved(List<GeneratedProjects.Project> projects, Random random) {
        List<List<ProjectionWriter.Change>> pending = new ArrayList<>();
        projects.forEach(p -> pending.add(new ArrayList<>(p.changes())));
        List<ProjectionWriter.Change> all = new ArrayList<>();
        while (!pending.isEmpty()) {
            int i = random.nextInt(pending.size());
            all.add(pending.get(i).remove(0));
            if (pending.get(i).isEmpty()) {
                pending.remove(i);
            }
        }
        return all;
    }

    /** Consecutive batches of 1 to 50 changes, as polls of the topic return them. */
    private static List<List<ProjectionWriter.Change>> batches(List<ProjectionWriter.Change> changes, Random random) {
        List<List<ProjectionWriter.Change>> batches = new ArrayList<>();
        for (int from = 0; from < changes.size(); ) {
            int to = Math.min(changes.size(), from + 1 + random.nextInt(50));
            batches.add(changes.subList(from, to));
            from = to;
        }
        return batches;
    }

    private static String dimension(String by) {
        return switch (by) {
            case "region" -> FigureKey.REGION;
            case "chain" -> FigureKey.CHAIN;
            default -> FigureKey.CATEGORY;
        };
    }

    /** The sums by kind and dated row, each row's fields by the API's JSON paths; rows that sum to nothing left out. */
    private static Map<String, Object> normalised(Aggregates sums) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("figures", nonZero(sums.figures, Figures::isZero, AggregatesTest::fields));
        all.put("timeline", nonZero(sums.timeline, Timeline.Entry::isZero, AggregatesTest::fields));
        all.put("progress", nonZero(sums.progress, ProgressGroups.Entry::isZero, AggregatesTest::fields));
        return normalised(all);
    }

    /** The dated rows of each kind summed up to {@code day}, by their undated key. */
    private static Map<String, Object> upTo(Aggregates sums, LocalDate day) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("figures", nonZero(upTo(sums.figures, day, Figures::plus), Figures::isZero, AggregatesTest::fields));
        all.put("timeline", nonZero(upTo(sums.timeline, day, Timeline.Entry::plus), Timeline.Entry::isZero,
                AggregatesTest::fields));
        all.put("progress", nonZero(upTo(sums.progress, day, ProgressGroups.Entry::plus), ProgressGroups.Entry::isZero,
                AggregatesTest::fields));
        return all;
    }

    private static <K extends Comparable<K>, V> SortedMap<K, V> upTo(Map<Dated<K>, V> rows, LocalDate day,
                                                                    BinaryOperator<V> plus) {
        SortedMap<K, V> summed = new TreeMap<>();
        rows.forEach((row, change) -> {
            if (!row.effectiveOn().isAfter(day)) {
                summed.merge(row.key(), change, plus);
            }
        });
        return summed;
    }

    private static <K extends Comparable<K>, V> SortedMap<K, V> sum(List<GeneratedProjects.Project> projects,
                                                                   Function<GeneratedProjects.Project, SortedMap<K, V>> rows,
                                                                   BinaryOperator<V> plus) {
        SortedMap<K, V> summed = new TreeMap<>();
        projects.forEach(p -> Contributions.add(summed, rows.apply(p), plus));
        return summed;
    }

    private static <K, V> Map<String, Object> nonZero(Map<K, V> rows, Predicate<V> isZero,
                                                     Function<V, Map<String, Object>> fields) {
        Map<String, Object> kept = new TreeMap<>();
        rows.forEach((key, value) -> {
            if (!isZero.test(value)) {
                kept.put(key.toString(), fields.apply(value));
            }
        });
        return kept;
    }

    /** Amounts by value (100.50 is 100.5), counts as longs, in nested maps. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalised(Map<String, ?> fields) {
        Map<String, Object> out = new TreeMap<>();
        fields.forEach((key, value) -> {
            if (value instanceof BigDecimal amount) {
                out.put(key, amount.signum() == 0 ? BigDecimal.ZERO : amount.stripTrailingZeros());
            } else if (value instanceof Integer count) {
                out.put(key, count.longValue());
            } else if (value instanceof Map<?, ?> nested) {
                out.put(key, normalised((Map<String, ?>) nested));
            } else {
                out.put(key, value);
            }
        });
        return out;
    }

    /** A row of figures as ExpectedFigures names its fields. */
    private static Map<String, Object> fields(Figures f) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("projects", f.projects());
        fields.put("withdrawn", f.withdrawn());
        fields.put("plannedInvestment", f.plannedInvestment());
        fields.put("annualPlannedInvestment", f.annualPlannedInvestment());
        fields.put("signedInvestment", f.signedInvestment());
        fields.put("investmentToDate", f.investmentToDate());
        fields.put("investmentThisYear", f.investmentThisYear());
        f.stagesByName().forEach((stage, s) -> {
            fields.put("stages." + stage + ".current", s.current());
            fields.put("stages." + stage + ".reached", s.reached());
            fields.put("stages." + stage + ".plannedInvestment", s.plannedInvestment());
        });
        return fields;
    }

    private static Map<String, Object> fields(ProgressGroups.Entry e) {
        return Map.of("projects", e.projects(), "annualPlannedInvestment", e.annualPlannedInvestment(),
                "investmentToDate", e.investmentToDate(), "investmentThisYear", e.investmentThisYear());
    }

    private static Map<String, Object> fields(Timeline.Entry e) {
        return Map.of("projects", e.projects(), "investment", e.investment());
    }

    /** The campaign's rows of one dimension up to the year's end, by their key, as ExpectedFigures names fields. */
    private static Map<String, Map<String, Object>> figures(Aggregates sums, String campaign, String dimension) {
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        upTo(sums.figures, YEAR_END, Figures::plus).forEach((key, row) -> {
            if (key.campaignId().equals(campaign) && key.dimension().equals(dimension) && !row.isZero()) {
                Map<String, Object> fields = fields(row);
                fields.remove("investmentThisYear");
                rows.put(key.key(), fields);
            }
        });
        return rows;
    }

    /** The campaign's timeline as ExpectedFigures gives it: per month, every milestone's projects and investment. */
    private static Map<String, Map<String, Object>> timeline(Aggregates sums, String campaign) {
        Map<String, Map<String, Object>> months = new TreeMap<>();
        upTo(sums.timeline, YEAR_END, Timeline.Entry::plus).forEach((key, entry) -> {
            if (key.campaignId().equals(campaign) && !entry.isZero()) {
                Map<String, Object> month = months.computeIfAbsent(key.month().toString(),
                        m -> new LinkedHashMap<>(ExpectedFigures.emptyMonth()));
                month.put(key.milestone() + ".projects", entry.projects());
                month.put(key.milestone() + ".investment", entry.investment());
            }
        });
        return months;
    }

    private static Map<String, Map<String, Object>> progress(Aggregates sums, String campaign) {
        Map<String, Map<String, Object>> groups = new TreeMap<>();
        upTo(sums.progress, YEAR_END, ProgressGroups.Entry::plus).forEach((key, entry) -> {
            if (key.campaignId().equals(campaign) && !entry.isZero()) {
                groups.put(group(key.regionCode(), key.categories(), key.signed(), key.started(), key.completed()),
                        Map.of("projects", entry.projects(), "annualPlannedInvestment", entry.annualPlannedInvestment(),
                                "investmentToDate", entry.investmentToDate()));
            }
        });
        return groups;
    }

    /** The active projects grouped by their county, categories and the milestones they hold, counted from the model. */
    private static Map<String, Map<String, Object>> expectedProgress(Map<String, ModelProject> models,
                                                                    String campaign) {
        Map<String, Map<String, Object>> groups = new TreeMap<>();
        BinaryOperator<BigDecimal> add = BigDecimal::add;
        for (ModelProject p : models.values()) {
            if (!campaign.equals(p.campaignId) || !p.active()) {
                continue;
            }
            List<String> categories = Catalog.CATEGORIES.stream().filter(p.categories::contains).sorted().toList();
            Map<String, Object> group = groups.computeIfAbsent(group(p.regionCode, categories, p.signedOn != null,
                    p.startedOn != null, p.completedOn != null), g -> new LinkedHashMap<>(Map.of("projects", 0L,
                    "annualPlannedInvestment", BigDecimal.ZERO, "investmentToDate", BigDecimal.ZERO)));
            group.merge("projects", 1L, (a, b) -> (Long) a + (Long) b);
            group.merge("annualPlannedInvestment", orZero(p.annual), (a, b) -> add.apply((BigDecimal) a, (BigDecimal) b));
            group.merge("investmentToDate", orZero(p.investmentToDate),
                    (a, b) -> add.apply((BigDecimal) a, (BigDecimal) b));
        }
        return groups;
    }

    private static String group(String county, List<String> categories, boolean signed, boolean started,
                                boolean completed) {
        return county + " " + categories + (signed ? " " + Stage.SIGNED : "") + (started ? " " + Stage.STARTED : "")
                + (completed ? " " + Stage.COMPLETED : "");
    }

    private static BigDecimal orZero(BigDecimal amount) {
        return amount == null ? BigDecimal.ZERO : amount;
    }
}
