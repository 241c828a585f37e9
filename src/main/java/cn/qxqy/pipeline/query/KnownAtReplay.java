package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.domain.DatedState;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.RecordedEvent;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.Dated;
import cn.qxqy.pipeline.projection.FigureKey;
import cn.qxqy.pipeline.projection.Figures;
import cn.qxqy.pipeline.projection.ProgressGroups;
import cn.qxqy.pipeline.projection.Timeline;
import cn.qxqy.pipeline.recovery.RecoveryState;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * The store as it was known at an instant ({@code knownAt}): each project's history without the events recorded
 * after it, folded into a {@link DatedState}. Replayed from the event store, the truth, so that an audit read does not
 * depend on the read models. A replay reads the whole store on one connection for seconds, so a pod runs one at a
 * time; the others wait {@code pipeline.read.replay-wait}, then are told to come back. What a replay keeps is the
 * campaign figures as dated sums, as the projector writes them ({@link KnownFigures}), not the projects: the
 * replays of settled instants ({@link TimeAxes#settled}) are cached by those sums' rows, keyed by the store's epoch
 * too; a young instant's is not, as an append in flight may still count in it.
 */
@ApplicationScoped
public class KnownAtReplay {

    /** Projects read per query, as the rebuild reads them. */
    private static final int PAGE = 1000;
    /** How often a replay waiting for the one running tries again. */
    private static final Duration RETRY = Duration.ofMillis(100);

    /** A cached replay: the store's epoch (a restore changes it) and the instant. */
    private record Key(String epoch, Instant knownAt) {
    }

    /**
     * The campaign figures as of any day, known at an instant: each project's contribution from each day it changes
     * on ({@link Figures#dated}), summed over the projects, as campaign_figures, campaign_progress and
     * campaign_timeline hold them. Their size depends on the keys and days, not on the number of projects.
     */
    private record KnownFigures(SortedMap<Dated<FigureKey>, Figures> figures,
                                SortedMap<Dated<ProgressGroups.Key>, ProgressGroups.Entry> groups,
                                SortedMap<Dated<Timeline.Key>, Timeline.Entry> timeline) {

        KnownFigures() {
            this(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
        }

        void add(DatedState project) {
            Figures.dated(project).forEach((row, change) -> figures.merge(row, change, Figures::plus));
            ProgressGroups.dated(project).forEach((row, change) -> groups.merge(row, change, ProgressGroups.Entry::plus));
            Timeline.dated(project).forEach((row, change) -> timeline.merge(row, change, Timeline.Entry::plus));
        }

        /** The cache's weight: the rows held. */
        int rows() {
            return figures.size() + groups.size() + timeline.size();
        }
    }

    private final Pool pool;
    private final EventStore store;
    private final RecoveryState recoveries;
    private final Clock clock;
    private final Duration settledAfter;
    private final Duration wait;
    private final Semaphore running = new Semaphore(1);
    private final AsyncCache<Key, KnownFigures> kept;

    public KnownAtReplay(Pool pool, EventStore store, RecoveryState recoveries, Clock clock, PipelineConfig config) {
        this.pool = pool;
        this.store = store;
        this.recoveries = recoveries;
        this.clock = clock;
        this.settledAfter = config.read().settledAfter();
        this.wait = config.read().replayWait();
        this.kept = Caffeine.newBuilder()
                .maximumWeight(config.read().replayRowsKept())
                .<Key, KnownFigures>weigher((key, figures) -> figures.rows())
                .expireAfterAccess(Duration.ofMinutes(15))
                .buildAsync();
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
        return known(knownAt).map(known -> {
            Map<String, Figures> byKey = new HashMap<>();
            sum(known.figures(), day, Figures::plus).forEach((key, figures) -> {
                if (key.campaignId().equals(campaignId) && key.dimension().equals(dimension) && !figures.isZero()) {
                    byKey.put(key.key(), figures);
                }
            });
            return byKey;
        });
    }

    /** The campaign's progress groups as of {@code day}, a county's apart from another's. */
    Uni<List<CampaignProgress.Group>> progressGroups(String campaignId, LocalDate day, Instant knownAt) {
        return countyGroups(campaignId, day, knownAt)
                .map(byCounty -> byCounty.values().stream().flatMap(List::stream).toList());
    }

    /** The progress groups of each county (region code) of the campaign as of {@code day}. */
    Uni<Map<String, List<CampaignProgress.Group>>> countyGroups(String campaignId, LocalDate day, Instant knownAt) {
        return known(knownAt).map(known -> {
            Map<String, List<CampaignProgress.Group>> byCounty = new HashMap<>();
            sum(known.groups(), day, ProgressGroups.Entry::plus).forEach((key, entry) -> {
                if (key.campaignId().equals(campaignId) && !entry.isZero()) {
                    byCounty.computeIfAbsent(key.regionCode(), county -> new ArrayList<>()).add(
                            new CampaignProgress.Group(Set.copyOf(key.categories()), key.signed(), key.started(),
                                    key.completed(), entry.projects(), entry.annualPlannedInvestment(),
                                    entry.investmentToDate(), entry.investmentThisYear()));
                }
            });
            return byCounty;
        });
    }

    /** The campaign's timeline as of {@code day}, month by month, as {@link CampaignFigures#timeline} answers it. */
    Uni<List<CampaignFigures.TimelineRow>> timeline(String campaignId, LocalDate day, Instant knownAt) {
        return known(knownAt).map(known -> {
            List<CampaignFigures.TimelineRow> rows = new ArrayList<>();
            sum(known.timeline(), day, Timeline.Entry::plus).forEach((key, entry) -> {
                if (key.campaignId().equals(campaignId) && (entry.projects() != 0 || entry.investment().signum() != 0)) {
                    rows.add(new CampaignFigures.TimelineRow(key.month().toString(), key.milestone(), entry.projects(),
                            entry.investment()));
                }
            });
            return rows;
        });
    }

    /**
     * Hands each project known at {@code knownAt} to {@code each}, in projectId order, on a worker thread, and
     * answers {@code into}: the search and the list export keep what they need of them, nothing is cached.
     */
    <A> Uni<A> eachProject(Instant knownAt, A into, BiConsumer<String, DatedState> each) {
        return oneAtATime(() -> replay(knownAt, each)).replaceWith(() -> into);
    }

    /** The campaign figures known at {@code knownAt}; a settled instant's from the cache, or replayed once into it. */
    private Uni<KnownFigures> known(Instant knownAt) {
        String epoch = recoveries.epoch();
        if (epoch == null || !new TimeAxes(null, knownAt).settled(clock, settledAfter)) {
            return figuresOf(knownAt);
        }
        return Uni.createFrom().completionStage(() -> kept.get(new Key(epoch, knownAt),
                        (key, executor) -> figuresOf(key.knownAt()).subscribeAsCompletionStage()))
                .emitOn(Infrastructure.getDefaultWorkerPool());
    }

    private Uni<KnownFigures> figuresOf(Instant knownAt) {
        KnownFigures figures = new KnownFigures();
        return eachProject(knownAt, figures, (projectId, project) -> figures.add(project));
    }

    /** The rows of each key up to {@code day}, summed: each row is a change from its day on. */
    private static <K extends Comparable<K>, V> SortedMap<K, V> sum(SortedMap<Dated<K>, V> rows, LocalDate day,
                                                                    BinaryOperator<V> plus) {
        SortedMap<K, V> sums = new TreeMap<>();
        rows.forEach((row, change) -> {
            if (!row.effectiveOn().isAfter(day)) {
                sums.merge(row.key(), change, plus);
            }
        });
        return sums;
    }

    /**
     * Runs {@code replay} once no other replay runs on this pod; after {@code pipeline.read.replay-wait} without
     * one, a 503 with Retry-After. Waits on timers, never on a thread.
     */
    private Uni<Void> oneAtATime(Supplier<Uni<Void>> replay) {
        long deadline = System.nanoTime() + wait.toNanos();
        return admitted(deadline).flatMap(admitted -> replay.get().eventually(() -> running.release()));
    }

    private Uni<Void> admitted(long deadline) {
        if (running.tryAcquire()) {
            return Uni.createFrom().voidItem();
        }
        if (System.nanoTime() - deadline > 0) {
            return Uni.createFrom().failure(Problem.of(ProblemType.SERVER_BUSY, Wording.of("query.replay-running"))
                    .exception());
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(RETRY).flatMap(ignored -> admitted(deadline));
    }

    /**
     * The whole store read page by page in one snapshot, each page folded as it arrives on a worker thread (the
     * store decodes it there) and handed on, so that no history is held beyond its page.
     */
    private Uni<Void> replay(Instant knownAt, BiConsumer<String, DatedState> each) {
        return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                        .execute()
                        .flatMap(snapshot -> store.pages(conn, PAGE))
                        .flatMap(pages -> Multi.createFrom().iterable(pages)
                                .onItem().transformToUniAndConcatenate(page -> store.histories(conn, page)
                                        .invoke(histories -> histories.forEach((projectId, history) -> {
                                            DatedState project = known(history, knownAt);
                                            if (project.current().isKnown()) {
                                                each.accept(projectId, project);
                                            }
                                        })))
                                .collect().last()))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid();
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
