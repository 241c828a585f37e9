package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.domain.DatedState;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.RecordedEvent;
import cn.qxqy.pipeline.projection.FigureKey;
import cn.qxqy.pipeline.projection.Figures;
import cn.qxqy.pipeline.projection.ProgressGroups;
import cn.qxqy.pipeline.projection.Timeline;
import cn.qxqy.pipeline.recovery.RecoveryState;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The store as it was known at an instant ({@code knownAt}): each project's history without the events recorded
 * after it, folded into a {@link DatedState}, and the campaign figures summed from it in memory. Replayed from the
 * event store, the truth, so that an audit read does not depend on the read models. A replay reads the whole store,
 * so the replays of settled instants ({@link TimeAxes#settled}) are cached, keyed by the store's epoch too; a young
 * instant's is not, as an append in flight may still count in it.
 */
@ApplicationScoped
public class KnownAtReplay {

    /** Projects read per query, as the rebuild reads them. */
    private static final int PAGE = 1000;

    /** A cached replay: the store's epoch (a restore changes it) and the instant. */
    private record Key(String epoch, Instant knownAt) {
    }

    private final Pool pool;
    private final EventStore store;
    private final RecoveryState recoveries;
    private final Cache cache;
    private final Clock clock;
    private final Duration settledAfter;

    public KnownAtReplay(Pool pool, EventStore store, RecoveryState recoveries, @CacheName("known-at") Cache cache,
                         Clock clock, PipelineConfig config) {
        this.pool = pool;
        this.store = store;
        this.recoveries = recoveries;
        this.cache = cache;
        this.clock = clock;
        this.settledAfter = config.read().settledAfter();
    }

    /** Every project known at {@code knownAt}, in projectId order; the answer is the caller's, on a worker thread. */
    Uni<Map<String, DatedState>> projects(Instant knownAt) {
        String epoch = recoveries.epoch();
        if (epoch == null || !new TimeAxes(null, knownAt).settled(clock, settledAfter)) {
            return replay(knownAt);
        }
        return cache.<Key, Map<String, DatedState>>getAsync(new Key(epoch, knownAt), key -> replay(key.knownAt()))
                .emitOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * One project as known at {@code knownAt} (null: as known now): {@link DatedState#UNKNOWN} when it was not
     * recorded yet. A single history: read whatever the instant, never cached.
     */
    Uni<DatedState> project(String projectId, Instant knownAt) {
        return store.history(projectId).map(history -> known(history, knownAt));
    }

    /** The figures of each key of a campaign's dimension as of {@code day}; keys without projects are absent. */
    Uni<Map<String, Figures>> figures(String campaignId, String dimension, LocalDate day, Instant knownAt) {
        return projects(knownAt).map(projects -> {
            Map<String, Figures> byKey = new HashMap<>();
            for (DatedState project : projects.values()) {
                for (Map.Entry<FigureKey, Figures> row : Figures.contribution(project.asOf(day)).entrySet()) {
                    if (row.getKey().campaignId().equals(campaignId) && row.getKey().dimension().equals(dimension)) {
                        byKey.merge(row.getKey().key(), row.getValue(), Figures::plus);
                    }
                }
            }
            return byKey;
        });
    }

    /** The campaign's progress groups as of {@code day}. */
    Uni<List<CampaignProgress.Group>> progressGroups(String campaignId, LocalDate day, Instant knownAt) {
        return projects(knownAt).map(projects -> {
            Map<ProgressGroups.Key, ProgressGroups.Entry> sums = new TreeMap<>();
            for (DatedState project : projects.values()) {
                ProgressGroups.contribution(project.asOf(day)).forEach((key, entry) -> {
                    if (key.campaignId().equals(campaignId)) {
                        sums.merge(key, entry, (a, b) -> new ProgressGroups.Entry(a.projects() + b.projects(),
                                a.annualPlannedInvestment().add(b.annualPlannedInvestment()),
                                a.investmentToDate().add(b.investmentToDate()),
                                a.investmentThisYear().add(b.investmentThisYear())));
                    }
                });
            }
            List<CampaignProgress.Group> groups = new ArrayList<>(sums.size());
            sums.forEach((key, entry) -> groups.add(new CampaignProgress.Group(Set.copyOf(key.categories()),
                    key.signed(), key.started(), key.completed(), entry.projects(), entry.annualPlannedInvestment(),
                    entry.investmentToDate(), entry.investmentThisYear())));
            return groups;
        });
    }

    /** The campaign's timeline as of {@code day}, month by month, as {@link CampaignFigures#timeline} answers it. */
    Uni<List<CampaignFigures.TimelineRow>> timeline(String campaignId, LocalDate day, Instant knownAt) {
        return projects(knownAt).map(projects -> {
            SortedMap<Timeline.Key, Timeline.Entry> sums = new TreeMap<>();
            for (DatedState project : projects.values()) {
                Timeline.contribution(project.asOf(day).state()).forEach((key, entry) -> {
                    if (key.campaignId().equals(campaignId)) {
                        sums.merge(key, entry, (a, b) -> new Timeline.Entry(a.projects() + b.projects(),
                                a.investment().add(b.investment())));
                    }
                });
            }
            List<CampaignFigures.TimelineRow> rows = new ArrayList<>(sums.size());
            sums.forEach((key, entry) -> {
                if (entry.projects() != 0 || entry.investment().signum() != 0) {
                    rows.add(new CampaignFigures.TimelineRow(key.month().toString(), key.milestone(), entry.projects(),
                            entry.investment()));
                }
            });
            return rows;
        });
    }

    /**
     * The projects as of {@code day}, as known at {@code knownAt}, that {@code matches} accepts, in projectId order:
     * what the search and the list export page and sort.
     */
    Uni<List<Map.Entry<String, ProjectState>>> projectsAsOf(LocalDate day, Instant knownAt,
                                                            Predicate<ProjectState> matches) {
        return projects(knownAt).map(projects -> {
            List<Map.Entry<String, ProjectState>> found = new ArrayList<>();
            projects.forEach((projectId, project) -> {
                ProjectState state = project.asOf(day).state();
                if (state.isKnown() && matches.test(state)) {
                    found.add(Map.entry(projectId, state));
                }
            });
            return found;
        });
    }

    /**
     * The whole store read page by page in one snapshot, each page folded as it arrives on a worker thread (the
     * store decodes it there), so that only the folded states are held.
     */
    private Uni<Map<String, DatedState>> replay(Instant knownAt) {
        Map<String, DatedState> known = new LinkedHashMap<>();
        return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                        .execute()
                        .flatMap(snapshot -> store.pages(conn, PAGE))
                        .flatMap(pages -> Multi.createFrom().iterable(pages)
                                .onItem().transformToUniAndConcatenate(page -> store.histories(conn, page)
                                        .invoke(histories -> histories.forEach((projectId, history) -> {
                                            DatedState project = known(history, knownAt);
                                            if (project.current().isKnown()) {
                                                known.put(projectId, project);
                                            }
                                        })))
                                .collect().last()))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(ignored -> Collections.unmodifiableMap(known));
    }

    /**
     * A history as known at {@code knownAt}: up to its first event recorded later. recorded_at is the appending
     * transaction's start, so a later version may carry an earlier time; it was not visible before the one it follows.
     */
    private static DatedState known(List<RecordedEvent> history, Instant knownAt) {
        DatedState state = DatedState.UNKNOWN;
        for (RecordedEvent event : history) {
            if (knownAt != null && event.recordedAt().toInstant().isAfter(knownAt)) {
                break;
            }
            state = state.next(event.projectEvent());
        }
        return state;
    }
}
