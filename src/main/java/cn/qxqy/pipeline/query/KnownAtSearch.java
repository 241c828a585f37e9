package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.projection.ProjectView;
import cn.qxqy.pipeline.query.ProjectViews.Cursor;
import cn.qxqy.pipeline.query.ProjectViews.Filters;
import cn.qxqy.pipeline.query.ProjectViews.Page;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The project search with a {@code knownAt}: the projects of the store replayed as recorded by then
 * ({@link KnownAtReplay}), as they stood at the end of the day, filtered, sorted and paged in Java the way
 * {@link ProjectViews} does it in SQL, cursors included.
 */
@ApplicationScoped
class KnownAtSearch {

    /** Each sort's key, as ProjectViews' SQL sorts it: projects without the date last in either direction. */
    private static final Map<String, Function<ProjectView, Comparable<?>>> KEYS = Map.of(
            "name", ProjectView::name,
            "plannedInvestment", ProjectView::plannedInvestment,
            "stageDate", p -> Stream.of(p.withdrawnOn(), p.completedOn(), p.startedOn(), p.signedOn())
                    .filter(date -> date != null).findFirst().orElse(p.reservedOn()),
            "reservedOn", ProjectView::reservedOn,
            "signedOn", ProjectView::signedOn,
            "startedOn", ProjectView::startedOn,
            "completedOn", ProjectView::completedOn,
            "projectId", ProjectView::projectId);

    private final KnownAtReplay replay;
    private final Clock clock;

    KnownAtSearch(KnownAtReplay replay, Clock clock) {
        this.replay = replay;
        this.clock = clock;
    }

    /** As {@link ProjectViews#search}, over the projects known at the filters' {@code knownAt}. */
    Uni<Page> search(Filters filters, String sort, int pageSize, int pageNumber, Cursor after) {
        LocalDate day = filters.axes().day(clock);
        long first = after == null ? (long) pageNumber * pageSize : after.position();
        // Only the projects up to the page's end are kept, after a cursor one more: whether there is a next.
        Kept kept = new Kept(order(sort), (int) Math.min(Integer.MAX_VALUE, after == null ? first + pageSize : pageSize + 1));
        return replay.eachProject(filters.axes().knownAt(), kept, (projectId, project) -> {
            ProjectState state = project.asOf(day).state();
            if (!state.isKnown() || !matches(filters, state)) {
                return;
            }
            boolean withdrawn = state.stage() == Stage.WITHDRAWN;
            kept.found(withdrawn);
            if (filters.activeOnly() && withdrawn) {
                return;
            }
            ProjectView view = ProjectView.of(projectId, state);
            if (after == null || isAfter(view, sort, after)) {
                kept.offer(view);
            }
        }).map(found -> {
            List<ProjectView> listed = found.sorted();
            long total = filters.activeOnly() ? found.count - found.withdrawn : found.count;
            int from = after == null ? (int) Math.min(listed.size(), first) : 0;
            int to = Math.min(listed.size(), from + pageSize);
            boolean more = after == null ? from + pageSize < total : listed.size() > pageSize;
            String next = null;
            if (more) {
                ProjectView last = listed.get(to - 1);
                next = Cursor.encode(sort, filters.digest(), first + pageSize, text(key(sort, last)), last.projectId());
            }
            int reportedPage = after == null ? pageNumber : (int) Math.min(Integer.MAX_VALUE, after.position() / pageSize);
            return new Page(List.copyOf(listed.subList(from, to)), reportedPage, pageSize, total, found.withdrawn, next);
        });
    }

    /** The first {@code limit} projects in the sort's order of those offered, and how many matched. */
    private static final class Kept {
        private final Comparator<ProjectView> order;
        private final int limit;
        private final PriorityQueue<ProjectView> last;
        private long count;
        private long withdrawn;

        Kept(Comparator<ProjectView> order, int limit) {
            this.order = order;
            this.limit = limit;
            this.last = new PriorityQueue<>(order.reversed());
        }

        void found(boolean isWithdrawn) {
            count++;
            withdrawn += isWithdrawn ? 1 : 0;
        }

        void offer(ProjectView project) {
            if (last.size() < limit) {
                last.add(project);
            } else if (order.compare(project, last.peek()) < 0) {
                last.poll();
                last.add(project);
            }
        }

        List<ProjectView> sorted() {
            List<ProjectView> sorted = new ArrayList<>(last);
            sorted.sort(order);
            return sorted;
        }
    }

    /** Every project that matches the filters, withdrawn ones too, in projectId order: what the list export writes. */
    Uni<List<ProjectView>> all(Filters filters) {
        LocalDate day = filters.axes().day(clock);
        List<ProjectView> found = new ArrayList<>();
        return replay.eachProject(filters.axes().knownAt(), found, (projectId, project) -> {
            ProjectState state = project.asOf(day).state();
            if (state.isKnown() && matches(filters, state)) {
                found.add(ProjectView.of(projectId, state));
            }
        });
    }

    private static boolean matches(Filters filters, ProjectState project) {
        return is(filters.campaignId(), project.details().campaignId())
                && is(filters.stage(), project.stage().name())
                && is(filters.regionCode(), project.details().regionCode())
                && is(filters.industryChain(), project.details().industryChain())
                && (blank(filters.category()) || project.details().categories().contains(filters.category()))
                && (blank(filters.q()) || project.details().name().toLowerCase(Locale.ROOT)
                .contains(filters.q().toLowerCase(Locale.ROOT)));
    }

    private static boolean is(String filter, String value) {
        return blank(filter) || filter.equals(value);
    }

    private static boolean blank(String filter) {
        return filter == null || filter.isBlank();
    }

    /** The sort's order, ties broken by projectId in the same direction; a missing key last either way. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<ProjectView> order(String sort) {
        boolean descending = sort.startsWith("-");
        Comparator<Comparable> direction = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
        return Comparator.<ProjectView, Comparable>comparing(p -> key(sort, p), Comparator.nullsLast(direction))
                .thenComparing(ProjectView::projectId, descending ? Comparator.reverseOrder() : Comparator.naturalOrder());
    }

    /** Whether a project comes after the cursor's in the sort's order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean isAfter(ProjectView p, String sort, Cursor after) {
        boolean descending = sort.startsWith("-");
        Comparable key = key(sort, p);
        int byKey = key == null ? (after.key() == null ? 0 : 1)
                : after.key() == null ? -1 : (descending ? -1 : 1) * key.compareTo(after.key());
        int byId = (descending ? -1 : 1) * p.projectId().compareTo(after.projectId());
        return byKey > 0 || byKey == 0 && byId > 0;
    }

    private static Comparable<?> key(String sort, ProjectView project) {
        return KEYS.get(sort.startsWith("-") ? sort.substring(1) : sort).apply(project);
    }

    /** A key as a cursor holds it: amounts plain, dates ISO. */
    private static String text(Comparable<?> key) {
        return key == null ? null : key instanceof BigDecimal amount ? amount.toPlainString() : key.toString();
    }
}
