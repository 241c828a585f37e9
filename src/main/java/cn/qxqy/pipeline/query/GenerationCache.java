package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.projection.ReadModelGeneration;
import cn.qxqy.pipeline.recovery.RecoveryState;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The answers of the leaders' reads kept for a {@link ReadModelGeneration}: the same read repeated between two
 * projector batches costs the generation lookup {@link ConditionalReads} makes for its ETag anyway, not its statements.
 * An answer is kept under the generation read before the read began, so it is never older than that generation (a
 * batch committed meanwhile makes it newer, as an uncached read would be); a request that saw another generation
 * never finds it. The store's epoch is part of the key too: a restore can bring a generation number back. Reads with
 * a knownAt are not kept here (they replay the event store); failures are never kept. This replica's memory only,
 * bounded by {@code pipeline.read.answer-rows-kept}, older generations given up first as nothing reads them any more,
 * and no longer than {@code pipeline.reference.ttl}.
 */
@ApplicationScoped
public class GenerationCache {

    private record Key(String epoch, long generation, List<Object> read) {
    }

    /**
     * A read's answer or its failure: a failed read completes normally in the cache, which would otherwise log every
     * refused request as a failed load.
     */
    private record Outcome(Object answer, Throwable failure) {
    }

    private final RecoveryState recoveries;
    private final Clock clock;
    private final AsyncCache<Key, Outcome> kept;

    public GenerationCache(RecoveryState recoveries, Clock clock, PipelineConfig config) {
        this.recoveries = recoveries;
        this.clock = clock;
        Caffeine<Key, Outcome> builder = Caffeine.newBuilder()
                .maximumWeight(config.read().answerRowsKept())
                .weigher((Key key, Outcome outcome) -> rows(outcome.answer()));
        // The names in a breakdown come from reference codes kept that long: an edit of a list in the database moves
        // the generation at once, but may show only once the codes are read again.
        Duration names = config.reference().ttl();
        this.kept = (names.isZero() ? builder : builder.expireAfterWrite(names)).buildAsync();
    }

    /**
     * The answer of {@code read} on {@code axes} for the read models' generation this request's ETag names: a kept
     * one, or read once and kept; read and not kept with a knownAt, or when the request has no generation.
     *
     * @param describes what the answer depends on besides the generation and the axes: the read's name and its other
     *                  parameters
     */
    <T> Uni<T> answer(RoutingContext request, TimeAxes axes, Supplier<Uni<T>> read, Object... describes) {
        Long generation = ConditionalReads.generation(request);
        if (generation == null || axes.knownAt() != null) {
            return read.get();
        }
        List<Object> described = new ArrayList<>(Arrays.asList(describes));
        // Without asOf, the day summed up to is the current year's end: the year is part of the answer.
        described.add(axes.asOf());
        described.add(axes.day(clock));
        Key key = new Key(recoveries.epoch(), generation, described);
        CompletableFuture<Outcome> outcome = kept.get(key, (k, executor) -> Uni.createFrom().<T>deferred(read::get)
                .map(answer -> new Outcome(answer, null))
                .onFailure().recoverWithItem(failure -> new Outcome(null, failure))
                .subscribeAsCompletionStage());
        if (outcome.isDone()) {
            return outcome(key, outcome, outcome.join());
        }
        // Read by this request or by another in flight: carry on on this request's own context, not the other's.
        Context context = Vertx.currentContext();
        Uni<Outcome> later = Uni.createFrom().completionStage(outcome);
        return (context == null ? later : later.emitOn(task -> context.runOnContext(ignored -> task.run())))
                .flatMap(done -> outcome(key, outcome, done));
    }

    /** The answer, or the failure of the read, which is not kept: the next request reads again. */
    @SuppressWarnings("unchecked")
    private <T> Uni<T> outcome(Key key, CompletableFuture<Outcome> entry, Outcome outcome) {
        if (outcome.failure() != null) {
            kept.asMap().remove(key, entry);
            return Uni.createFrom().failure(outcome.failure());
        }
        return Uni.createFrom().item((T) outcome.answer());
    }

    /** What an answer weighs: the items it lists, so that pages of 200 projects do not count as one summary. */
    private static int rows(Object answer) {
        if (answer instanceof ProjectViews.Page page) {
            return 1 + page.items().size();
        }
        if (answer instanceof CampaignResponses.Breakdown breakdown) {
            return 1 + breakdown.items().size();
        }
        if (answer instanceof CampaignResponses.Timeline timeline) {
            return 1 + timeline.periods().size();
        }
        if (answer instanceof CampaignResponses.Progress progress) {
            return 1 + progress.targets().size() + progress.rates().size();
        }
        return 1;
    }
}
