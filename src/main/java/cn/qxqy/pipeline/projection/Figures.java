package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.DatedState;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.Stage;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BinaryOperator;

/**
 * What one project adds to a row of campaign figures, or the sum over many. Totals are over active
 * (not withdrawn) projects; {@code withdrawn} counts the others.
 *
 * @param investmentThisYear 本年完成投资, 万元 ({@link DatedState.AsOf#investmentThisYear()})
 * @param stages per milestone stage (RESERVED, SIGNED, STARTED, COMPLETED, in that order)
 */
public record Figures(
        long projects,
        long withdrawn,
        BigDecimal plannedInvestment,
        BigDecimal annualPlannedInvestment,
        BigDecimal signedInvestment,
        BigDecimal investmentToDate,
        BigDecimal investmentThisYear,
        List<StageFigures> stages) {

    public static final List<Stage> MILESTONES = List.of(Stage.RESERVED, Stage.SIGNED, Stage.STARTED, Stage.COMPLETED);

    /** Zero 万元, shown with its 2 fraction digits like every other amount. */
    private static final BigDecimal NONE = BigDecimal.ZERO.setScale(2);

    public static final Figures ZERO = new Figures(0, 0, NONE, NONE, NONE, NONE, NONE,
            MILESTONES.stream().map(s -> StageFigures.ZERO).toList());

    /**
     * @param current projects in this stage now
     * @param reached projects that passed this milestone and still hold it
     * @param plannedInvestment planned investment of those in this stage now
     */
    public record StageFigures(long current, long reached, BigDecimal plannedInvestment) {
        static final StageFigures ZERO = new StageFigures(0, 0, NONE);

        StageFigures combine(StageFigures o, int sign) {
            return new StageFigures(current + sign * o.current, reached + sign * o.reached,
                    sign > 0 ? plannedInvestment.add(o.plannedInvestment) : plannedInvestment.subtract(o.plannedInvestment));
        }
    }

    /** The rows a project as it stood on a day counts in, and what it adds to each. */
    public static SortedMap<FigureKey, Figures> contribution(DatedState.AsOf asOf) {
        SortedMap<FigureKey, Figures> rows = new TreeMap<>();
        ProjectState project = asOf.state();
        if (!project.isKnown()) {
            return rows;
        }
        Figures figures = of(project, asOf.investmentThisYear());
        String campaign = project.details().campaignId();
        rows.put(new FigureKey(campaign, FigureKey.ALL, "*"), figures);
        rows.put(new FigureKey(campaign, FigureKey.REGION, project.details().regionCode()), figures);
        rows.put(new FigureKey(campaign, FigureKey.CHAIN, project.details().industryChain()), figures);
        for (String category : project.details().categories()) {
            rows.put(new FigureKey(campaign, FigureKey.CATEGORY, category), figures);
        }
        return rows;
    }

    /** What a project adds to each row from each day its figures change on: see {@link Contributions#dated}. */
    public static SortedMap<Dated<FigureKey>, Figures> dated(DatedState project) {
        return dated(Contributions.days(project));
    }

    static SortedMap<Dated<FigureKey>, Figures> dated(List<Contributions.AsOfDay> days) {
        return Contributions.dated(days, Figures::contribution, Figures::plus, ZERO::minus, Figures::isZero);
    }

    /** What changes in each dated row when a project goes from {@code before} to {@code after}; unchanged rows left out. */
    static SortedMap<Dated<FigureKey>, Figures> delta(DatedState before, DatedState after) {
        return delta(Contributions.days(before), Contributions.days(after));
    }

    static SortedMap<Dated<FigureKey>, Figures> delta(List<Contributions.AsOfDay> before, List<Contributions.AsOfDay> after) {
        return Contributions.delta(dated(before), dated(after), Figures::plus, ZERO::minus, Figures::isZero);
    }

    private static Figures of(ProjectState p, BigDecimal investmentThisYear) {
        if (!p.isActive()) {
            return new Figures(0, 1, NONE, NONE, NONE, NONE, NONE, ZERO.stages);
        }
        BigDecimal planned = p.details().plannedInvestment();
        List<StageFigures> stages = new ArrayList<>(MILESTONES.size());
        for (Stage stage : MILESTONES) {
            boolean current = p.stage() == stage;
            stages.add(new StageFigures(current ? 1 : 0, reached(p, stage) ? 1 : 0, current ? planned : NONE));
        }
        return new Figures(1, 0, planned, orZero(p.details().annualPlannedInvestment()),
                orZero(p.signing().signedInvestment()), orZero(p.report().investmentToDate()), investmentThisYear,
                List.copyOf(stages));
    }

    private static boolean reached(ProjectState p, Stage milestone) {
        return switch (milestone) {
            case RESERVED -> true;
            case SIGNED -> p.milestones().signedOn() != null;
            case STARTED -> p.milestones().startedOn() != null;
            case COMPLETED -> p.milestones().completedOn() != null;
            case WITHDRAWN -> throw new IllegalArgumentException("not a milestone stage");
        };
    }

    public Figures plus(Figures o) {
        return combine(o, 1);
    }

    public Figures minus(Figures o) {
        return combine(o, -1);
    }

    private Figures combine(Figures o, int sign) {
        BinaryOperator<BigDecimal> op = sign > 0 ? BigDecimal::add : BigDecimal::subtract;
        // An array, not a list copied: a rebuild sums figures millions of times.
        StageFigures[] s = new StageFigures[stages.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = stages.get(i).combine(o.stages.get(i), sign);
        }
        return new Figures(projects + sign * o.projects, withdrawn + sign * o.withdrawn,
                op.apply(plannedInvestment, o.plannedInvestment), op.apply(annualPlannedInvestment, o.annualPlannedInvestment),
                op.apply(signedInvestment, o.signedInvestment), op.apply(investmentToDate, o.investmentToDate),
                op.apply(investmentThisYear, o.investmentThisYear), List.of(s));
    }

    public boolean isZero() {
        return this.projects == 0 && withdrawn == 0 && plannedInvestment.signum() == 0
                && annualPlannedInvestment.signum() == 0 && signedInvestment.signum() == 0
                && investmentToDate.signum() == 0 && investmentThisYear.signum() == 0
                && stages.stream().allMatch(s -> s.current == 0 && s.reached == 0 && s.plannedInvestment.signum() == 0);
    }

    private static BigDecimal orZero(BigDecimal amount) {
        return amount == null ? NONE : amount;
    }

    /** The figures keyed by stage name, as the API shows them. */
    public Map<String, StageFigures> stagesByName() {
        Map<String, StageFigures> byName = new LinkedHashMap<>();
        for (int i = 0; i < MILESTONES.size(); i++) {
            byName.put(MILESTONES.get(i).name(), stages.get(i));
        }
        return byName;
    }
}
