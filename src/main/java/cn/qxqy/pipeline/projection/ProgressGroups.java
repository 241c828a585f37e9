package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.DatedState;
import cn.qxqy.pipeline.domain.ProjectState;

import io.vertx.mutiny.sqlclient.Row;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Active projects grouped by what a campaign target or rate may ask of them (table {@code campaign_progress}):
 * their county, categories and the milestones they hold; the county so that each county's progress against its share
 * of a target (排名通报) is counted as the campaign's is. A few hundred rows per campaign at most, whatever the number of
 * projects, kept like the figures by upserts of per-event deltas, so that a campaign's progress (进度) reads them
 * instead of its projects.
 */
public final class ProgressGroups {

    /**
     * @param regionCode the county the project counted in that day
     * @param categories sorted, without repeats
     */
    public record Key(String campaignId, String regionCode, List<String> categories, boolean signed, boolean started,
                      boolean completed) implements Comparable<Key> {
        public static Key fromRow(Row row) {
            return new Key(row.getString("campaign_id"), row.getString("region_code"),
                    List.of(row.getArrayOfStrings("categories")),
                    row.getBoolean("signed"), row.getBoolean("started"), row.getBoolean("completed"));
        }

        /**
         * By campaign, county, categories (as their text joined would sort), then the milestones held, false first.
         * Spelled out, as {@link FigureKey#compareTo}: a rebuild compares keys millions of times.
         */
        @Override
        public int compareTo(Key other) {
            int order = campaignId.compareTo(other.campaignId);
            if (order == 0) {
                order = regionCode.compareTo(other.regionCode);
            }
            if (order == 0) {
                order = compareCategories(categories, other.categories);
            }
            if (order == 0) {
                order = Boolean.compare(signed, other.signed);
            }
            if (order == 0) {
                order = Boolean.compare(started, other.started);
            }
            return order != 0 ? order : Boolean.compare(completed, other.completed);
        }

        /** Element by element, a list before the longer ones it begins. */
        private static int compareCategories(List<String> a, List<String> b) {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                int byCategory = a.get(i).compareTo(b.get(i));
                if (byCategory != 0) {
                    return byCategory;
                }
            }
            return Integer.compare(a.size(), b.size());
        }
    }

    /**
     * @param annualPlannedInvestment and {@code investmentToDate}, {@code investmentThisYear} (本年完成投资): 万元, a
     *                                missing amount counting 0
     */
    @Schema(name = "ProgressEntry", description = "A row of campaign_progress: the projects of a group and their amounts")
    public record Entry(long projects, BigDecimal annualPlannedInvestment, BigDecimal investmentToDate,
                        BigDecimal investmentThisYear) {
        private static final BigDecimal NONE = BigDecimal.ZERO.setScale(2);

        /** Sums keep 2 fraction digits however PostgreSQL scaled them. */
        public static Entry fromRow(Row row) {
            return new Entry(row.getLong("projects"), row.getBigDecimal("annual_planned_investment").setScale(2),
                    row.getBigDecimal("investment_to_date").setScale(2), row.getBigDecimal("investment_this_year").setScale(2));
        }

        public Entry plus(Entry o) {
            return new Entry(projects + o.projects, annualPlannedInvestment.add(o.annualPlannedInvestment),
                    investmentToDate.add(o.investmentToDate), investmentThisYear.add(o.investmentThisYear));
        }

        Entry negate() {
            return new Entry(-projects, annualPlannedInvestment.negate(), investmentToDate.negate(),
                    investmentThisYear.negate());
        }

        public boolean isZero() {
            return projects == 0 && annualPlannedInvestment.signum() == 0 && investmentToDate.signum() == 0
                    && investmentThisYear.signum() == 0;
        }
    }

    private ProgressGroups() {
    }

    /** The group a project as it stood on a day counts in, and what it adds to it. */
    public static SortedMap<Key, Entry> contribution(DatedState.AsOf asOf) {
        SortedMap<Key, Entry> rows = new TreeMap<>();
        ProjectState p = asOf.state();
        if (p.isKnown() && p.isActive()) {
            ProjectState.Milestones m = p.milestones();
            rows.put(new Key(p.details().campaignId(), p.details().regionCode(),
                            p.details().categories().stream().distinct().sorted().toList(), m.signedOn() != null, m.startedOn() != null, m.completedOn() != null),
                    new Entry(1, orZero(p.details().annualPlannedInvestment()), orZero(p.report().investmentToDate()),
                            asOf.investmentThisYear()));
        }
        return rows;
    }

    public static SortedMap<Dated<Key>, Entry> dated(DatedState project) {
        return dated(Contributions.days(project));
    }

    static SortedMap<Dated<Key>, Entry> dated(List<Contributions.AsOfDay> days) {
        return Contributions.dated(days, ProgressGroups::contribution, Entry::plus, Entry::negate, Entry::isZero);
    }

    static SortedMap<Dated<Key>, Entry> delta(DatedState before, DatedState after) {
        return delta(Contributions.days(before), Contributions.days(after));
    }

    static SortedMap<Dated<Key>, Entry> delta(List<Contributions.AsOfDay> before, List<Contributions.AsOfDay> after) {
        return Contributions.delta(dated(before), dated(after), Entry::plus, Entry::negate, Entry::isZero);
    }

    private static BigDecimal orZero(BigDecimal amount) {
        return amount == null ? Entry.NONE : amount;
    }
}
