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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        return all(filters).map(found -> {
            long withdrawn = found.stream().filter(p -> p.stage() == Stage.WITHDRAWN).count();
            List<ProjectView> listed = found.stream()
                    .filter(p -> !filters.activeOnly() || p.stage() != Stage.WITHDRAWN)
                    .sorted(order(sort)).toList();
            long first = after == null ? (long) pageNumber * pageSize : after.position();
            int from = after == null ? (int) Math.min(listed.size(), first) : indexAfter(listed, sort, after);
            int to = Math.min(listed.size(), from + pageSize);
            String next = null;
            if (to < listed.size()) {
                ProjectView last = listed.get(to - 1);
                next = Cursor.encode(sort, filters.digest(), first + pageSize, text(key(sort, last)), last.projectId());
            }
            int reportedPage = after == null ? pageNumber : (int) Math.min(Integer.MAX_VALUE, after.position() / pageSize);
            long total = found.size() - withdrawn + (filters.activeOnly() ? 0 : withdrawn);
            return new Page(listed.subList(from, to), reportedPage, pageSize, total, withdrawn, next);
        });
    }

    /** Every project that matches the filters, withdrawn ones too, in projectId order: what the list export writes. */
    Uni<List<ProjectView>> all(Filters filters) {
        return replay.projectsAsOf(filters.axes().day(clock), filters.axes().knownAt(), state -> matches(filters, state))
                .map(found -> found.stream().map(project -> ProjectView.of(project.getKey(), project.getValue())).toList());
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

    /** The first project after the cursor's, in the sort's order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int indexAfter(List<ProjectView> listed, String sort, Cursor after) {
        boolean descending = sort.startsWith("-");
        for (int i = 0; i < listed.size(); i++) {
            ProjectView p = listed.get(i);
            Comparable key = key(sort, p);
            int byKey = key == null ? (after.key() == null ? 0 : 1)
                    : after.key() == null ? -1 : (descending ? -1 : 1) * key.compareTo(after.key());
            int byId = (descending ? -1 : 1) * p.projectId().compareTo(after.projectId());
            if (byKey > 0 || byKey == 0 && byId > 0) {
                return i;
            }
        }
        return listed.size();
    }

    private static Comparable<?> key(String sort, ProjectView project) {
        return KEYS.get(sort.startsWith("-") ? sort.substring(1) : sort).apply(project);
    }

    /** A key as a cursor holds it: amounts plain, dates ISO. */
    private static String text(Comparable<?> key) {
        return key == null ? null : key instanceof BigDecimal amount ? amount.toPlainString() : key.toString();
    }
}
