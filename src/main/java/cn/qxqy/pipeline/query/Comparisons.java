package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.campaign.CampaignWithTargets;
import cn.qxqy.pipeline.campaign.Campaigns;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.Figures.StageFigures;
import cn.qxqy.pipeline.query.ComparisonResponses.BreakdownChanges;
import cn.qxqy.pipeline.query.ComparisonResponses.BreakdownRowChange;
import cn.qxqy.pipeline.query.ComparisonResponses.Change;
import cn.qxqy.pipeline.query.ComparisonResponses.Comparison;
import cn.qxqy.pipeline.query.ComparisonResponses.FigureChanges;
import cn.qxqy.pipeline.query.ComparisonResponses.RateChange;
import cn.qxqy.pipeline.query.ComparisonResponses.Side;
import cn.qxqy.pipeline.query.ComparisonResponses.StageChange;
import cn.qxqy.pipeline.query.ComparisonResponses.StageChanges;
import cn.qxqy.pipeline.query.ComparisonResponses.TargetChange;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Comparisons: a campaign as of a day against the same campaign on another day (环比, month over month) or against
 * another campaign at the same point of its year (同比). Both sides are read through {@link CampaignReads}, so that
 * they are the figures the summary, breakdowns and progress answer for those days.
 */
@ApplicationScoped
public class Comparisons {

    private static final List<String> BREAKDOWNS = List.of("region", "chain", "category");

    private final CampaignReads reads;
    private final Campaigns campaigns;
    private final Clock clock;

    public Comparisons(CampaignReads reads, Campaigns campaigns, Clock clock) {
        this.reads = reads;
        this.campaigns = campaigns;
        this.clock = clock;
    }

    /** What one side read: the summary, the three breakdowns and the progress, for one campaign and one day. */
    record Reading(CampaignResponses.Summary summary, CampaignResponses.Breakdown region,
                   CampaignResponses.Breakdown chain, CampaignResponses.Breakdown category,
                   CampaignResponses.Progress progress) {
    }

    /**
     * @param against a date (环比), or null when {@code againstCampaign} is given (同比); exactly one of the two
     */
    public Uni<Comparison> compare(String campaignId, String asOf, String knownAt, String against, String againstCampaign) {
        TimeAxes axes = TimeAxes.of(asOf, knownAt, clock);
        LocalDate today = LocalDate.now(clock);
        LocalDate againstDay = againstDay(against, againstCampaign, today);
        return reads.campaign(campaignId).flatMap(campaign -> otherCampaign(campaign, againstCampaign)
                .flatMap(other -> {
                    Side side = new Side(campaignId, axes.asOf(), axes.asOf() == null || started(campaign, axes.asOf()));
                    LocalDate day = againstDay != null ? againstDay : sameDayOfItsYear(referenceDay(campaign, axes, today), other.year());
                    Side otherSide = new Side(other.campaignId(), day, started(other, day) && !day.isAfter(today));
                    return read(side, axes).flatMap(value -> read(otherSide, new TimeAxes(day, axes.knownAt()))
                            .map(againstValue -> compare(campaignId, axes, side, otherSide, value, againstValue)));
                }));
    }

    /** The date of {@code against}; a 400 naming it when it is malformed, future, or not exactly one of the two given. */
    static LocalDate againstDay(String against, String againstCampaign, LocalDate today) {
        if ((against == null) == (againstCampaign == null)) {
            throw invalid(FieldViolation.of("against", "comparison.against-one"));
        }
        if (against == null) {
            return null;
        }
        LocalDate day;
        try {
            day = LocalDate.parse(against);
        } catch (DateTimeParseException e) {
            throw invalid(FieldViolation.of("against", "json.date"));
        }
        if (day.isAfter(today)) {
            throw invalid(FieldViolation.of("against", "date.future"));
        }
        return day;
    }

    /** The same month and day in another year; 29 February reads as 28 February in a year without one. */
    static LocalDate sameDayOfItsYear(LocalDate day, int year) {
        return MonthDay.from(day).atYear(year);
    }

    /**
     * The day a comparison with another campaign stands on: {@code asOf}, or without it today, or the campaign's last
     * day once it is over (a finished campaign's figures now are those of its end).
     */
    static LocalDate referenceDay(CampaignWithTargets campaign, TimeAxes axes, LocalDate today) {
        if (axes.asOf() != null) {
            return axes.asOf();
        }
        LocalDate end = campaign.endsOn();
        return today.isAfter(end) ? end : today;
    }

    static boolean started(CampaignWithTargets campaign, LocalDate day) {
        return !day.isBefore(campaign.startsOn());
    }

    private Uni<CampaignWithTargets> otherCampaign(CampaignWithTargets campaign, String againstCampaign) {
        if (againstCampaign == null) {
            return Uni.createFrom().item(campaign);
        }
        return campaigns.find(againstCampaign).map(other -> {
            if (other == null) {
                throw invalid(FieldViolation.of("againstCampaign", "comparison.unknown-campaign", againstCampaign));
            }
            return other;
        });
    }

    /** One read after another: the reads share the request's Hibernate Reactive session, which takes one at a time. */
    private Uni<Reading> read(Side side, TimeAxes axes) {
        if (!side.present()) {
            return Uni.createFrom().nullItem();
        }
        String id = side.campaignId();
        return reads.summary(id, axes).flatMap(summary -> Multi.createFrom().iterable(BREAKDOWNS)
                .onItem().transformToUniAndConcatenate(by -> reads.breakdown(id, by, axes)).collect().asList()
                .flatMap(breakdowns -> reads.progress(id, axes).map(progress -> new Reading(summary,
                        breakdowns.get(0), breakdowns.get(1), breakdowns.get(2), progress))));
    }

    /** The comparison of two readings; a null reading is an absent side, whose values and deltas are null. */
    static Comparison compare(String campaignId, TimeAxes axes, Side side, Side against, Reading value, Reading other) {
        FigureChanges headline = figures(value == null ? null : Numbers.of(value.summary()),
                other == null ? null : Numbers.of(other.summary()));
        List<TargetChange> targets = matched(value, other, r -> r.progress().targets(), CampaignResponses.TargetProgress::code,
                (a, b) -> {
                    CampaignResponses.TargetProgress t = a != null ? a : b;
                    return new TargetChange(t.code(), t.nameZh(), t.nameEn(), t.unit(),
                            Change.of(a == null ? null : a.actual(), b == null ? null : b.actual()),
                            Change.of(a == null ? null : a.percentage(), b == null ? null : b.percentage()));
                });
        List<RateChange> rates = matched(value, other, r -> r.progress().rates(), CampaignResponses.RateProgress::code,
                (a, b) -> {
                    CampaignResponses.RateProgress r = a != null ? a : b;
                    return new RateChange(r.code(), r.nameZh(), r.nameEn(),
                            Change.of(a == null ? null : a.percentage(), b == null ? null : b.percentage()));
                });
        BreakdownChanges breakdowns = new BreakdownChanges(rows(value, other, Reading::region),
                rows(value, other, Reading::chain), rows(value, other, Reading::category));
        return new Comparison(campaignId, axes.asOf(), axes.knownAt(), side, against, headline, targets, rates, breakdowns);
    }

    private static List<BreakdownRowChange> rows(Reading value, Reading other,
                                                 Function<Reading, CampaignResponses.Breakdown> breakdown) {
        return matched(value, other, r -> breakdown.apply(r).items(), CampaignResponses.BreakdownItem::key, (a, b) -> {
            CampaignResponses.BreakdownItem item = a != null ? a : b;
            return new BreakdownRowChange(item.key(), item.name(), item.nameEn(),
                    figures(a == null ? null : Numbers.of(a), b == null ? null : Numbers.of(b)));
        });
    }

    /**
     * The entries of both sides paired by their key, in this side's order and then the other side's own (two campaigns'
     * targets need not be the same); an entry one side lacks is paired with null.
     */
    private static <T, R> List<R> matched(Reading value, Reading other, Function<Reading, List<T>> entries,
                                          Function<T, String> key, BiFunction<T, T, R> pair) {
        Map<String, T> ours = keyed(value, entries, key);
        Map<String, T> theirs = keyed(other, entries, key);
        List<R> paired = new ArrayList<>();
        ours.forEach((k, entry) -> paired.add(pair.apply(entry, theirs.get(k))));
        theirs.forEach((k, entry) -> {
            if (!ours.containsKey(k)) {
                paired.add(pair.apply(null, entry));
            }
        });
        return paired;
    }

    private static <T> Map<String, T> keyed(Reading reading, Function<Reading, List<T>> entries, Function<T, String> key) {
        Map<String, T> keyed = new LinkedHashMap<>();
        if (reading != null) {
            entries.apply(reading).forEach(entry -> keyed.put(key.apply(entry), entry));
        }
        return keyed;
    }

    /** The figures the summary and a breakdown row share. */
    private record Numbers(long projects, long withdrawn, BigDecimal plannedInvestment, BigDecimal annualPlannedInvestment,
                           BigDecimal signedInvestment, BigDecimal investmentToDate, BigDecimal investmentThisYear,
                           CampaignResponses.Stages stages) {

        static Numbers of(CampaignResponses.Summary s) {
            return new Numbers(s.projects(), s.withdrawn(), s.plannedInvestment(), s.annualPlannedInvestment(),
                    s.signedInvestment(), s.investmentToDate(), s.investmentThisYear(), s.stages());
        }

        static Numbers of(CampaignResponses.BreakdownItem i) {
            return new Numbers(i.projects(), i.withdrawn(), i.plannedInvestment(), i.annualPlannedInvestment(),
                    i.signedInvestment(), i.investmentToDate(), i.investmentThisYear(), i.stages());
        }
    }

    private static FigureChanges figures(Numbers a, Numbers b) {
        return new FigureChanges(
                Change.of(a == null ? null : a.projects(), b == null ? null : b.projects()),
                Change.of(a == null ? null : a.withdrawn(), b == null ? null : b.withdrawn()),
                Change.of(a == null ? null : a.plannedInvestment(), b == null ? null : b.plannedInvestment()),
                Change.of(a == null ? null : a.annualPlannedInvestment(), b == null ? null : b.annualPlannedInvestment()),
                Change.of(a == null ? null : a.signedInvestment(), b == null ? null : b.signedInvestment()),
                Change.of(a == null ? null : a.investmentToDate(), b == null ? null : b.investmentToDate()),
                Change.of(a == null ? null : a.investmentThisYear(), b == null ? null : b.investmentThisYear()),
                new StageChanges(
                        stage(a, b, CampaignResponses.Stages::RESERVED), stage(a, b, CampaignResponses.Stages::SIGNED),
                        stage(a, b, CampaignResponses.Stages::STARTED), stage(a, b, CampaignResponses.Stages::COMPLETED)));
    }

    private static StageChange stage(Numbers a, Numbers b, Function<CampaignResponses.Stages, StageFigures> stage) {
        return StageChange.of(a == null ? null : stage.apply(a.stages()), b == null ? null : stage.apply(b.stages()));
    }

    private static RuntimeException invalid(FieldViolation violation) {
        return Problem.of(ProblemType.INVALID_QUERY, Wording.of("query.invalid"), List.of(violation)).exception();
    }
}
