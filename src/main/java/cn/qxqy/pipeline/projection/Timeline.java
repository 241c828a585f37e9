package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.DatedState;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.Stage;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Milestones per month of their date (occurredOn, not arrival), over active projects: a retraction removes
 * the milestone it undoes, a withdrawal moves the project to the WITHDRAWN milestone of its month.
 */
public final class Timeline {

    /** One row of {@code campaign_timeline}. */
    public record Key(String campaignId, YearMonth month, Stage milestone) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            int byCampaign = campaignId.compareTo(other.campaignId);
            if (byCampaign != 0) {
                return byCampaign;
            }
            int byMonth = month.compareTo(other.month);
            return byMonth != 0 ? byMonth : milestone.compareTo(other.milestone);
        }
    }

    /** @param investment signed investment for SIGNED, planned investment for the other milestones, 万元 */
    @Schema(name = "TimelineEntry", description = "A row of campaign_timeline: projects and investment of a milestone in a month")
    public record Entry(long projects, BigDecimal investment) {
        static final Entry ZERO = new Entry(0, BigDecimal.ZERO.setScale(2));

        public Entry plus(Entry o) {
            return new Entry(projects + o.projects, investment.add(o.investment));
        }

        Entry negate() {
            return new Entry(-projects, investment.negate());
        }

        boolean isZero() {
            return projects == 0 && investment.signum() == 0;
        }
    }

    private Timeline() {
    }

    public static SortedMap<Key, Entry> contribution(ProjectState p) {
        SortedMap<Key, Entry> rows = new TreeMap<>();
        if (!p.isKnown()) {
            return rows;
        }
        String campaign = p.details().campaignId();
        BigDecimal planned = p.details().plannedInvestment();
        if (!p.isActive()) {
            put(rows, campaign, p.milestones().withdrawnOn(), Stage.WITHDRAWN, planned);
            return rows;
        }
        put(rows, campaign, p.milestones().reservedOn(), Stage.RESERVED, planned);
        put(rows, campaign, p.milestones().signedOn(), Stage.SIGNED, p.signing().signedInvestment());
        put(rows, campaign, p.milestones().startedOn(), Stage.STARTED, planned);
        put(rows, campaign, p.milestones().completedOn(), Stage.COMPLETED, planned);
        return rows;
    }

    public static SortedMap<Dated<Key>, Entry> dated(DatedState project) {
        return dated(Contributions.days(project));
    }

    static SortedMap<Dated<Key>, Entry> dated(List<Contributions.AsOfDay> days) {
        return Contributions.dated(days, asOf -> contribution(asOf.state()), Entry::plus, Entry::negate, Entry::isZero);
    }

    static SortedMap<Dated<Key>, Entry> delta(DatedState before, DatedState after) {
        return delta(Contributions.days(before), Contributions.days(after));
    }

    static SortedMap<Dated<Key>, Entry> delta(List<Contributions.AsOfDay> before, List<Contributions.AsOfDay> after) {
        return Contributions.delta(dated(before), dated(after), Entry::plus, Entry::negate, Entry::isZero);
    }

    private static void put(SortedMap<Key, Entry> rows, String campaign, LocalDate on, Stage milestone, BigDecimal amount) {
        if (on != null) {
            rows.put(new Key(campaign, YearMonth.from(on), milestone), new Entry(1, amount));
        }
    }
}
