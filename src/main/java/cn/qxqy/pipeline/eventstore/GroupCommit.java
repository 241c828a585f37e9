package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.eventstore.EventStore.Outcome;
import cn.qxqy.pipeline.eventstore.EventStore.Submission;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Group commit of concurrent single-event appends: the events that arrive while a lane's transaction runs are
 * appended together by its next one, so that many requests share one commit (one fsync) and one round trip per
 * statement. A project always goes to the same lane, so its events are decided in the order they arrived; the
 * lanes commit in parallel.
 */
@ApplicationScoped
public class GroupCommit {

    private record Waiting(Submission submission, UniEmitter<? super AppendResult> emitter) {
    }

    private final EventStore store;
    private final int maxGroup;
    private final Lane[] lanes;

    public GroupCommit(EventStore store, PipelineConfig config) {
        this.store = store;
        this.maxGroup = config.append().maxGroup();
        this.lanes = new Lane[config.append().lanes()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane();
        }
    }

    /** Appends the event with the next group of its lane; fails with the refusal when it is refused. */
    public Uni<AppendResult> append(Submission submission) {
        Lane lane = lanes[Math.floorMod(submission.event().projectId().hashCode(), lanes.length)];
        return Uni.createFrom().emitter(emitter -> lane.offer(new Waiting(submission, emitter)));
    }

    private final class Lane {
        private final Queue<Waiting> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean();

        void offer(Waiting waiting) {
            queue.add(waiting);
            drain();
        }

        private void drain() {
            if (queue.isEmpty() || !running.compareAndSet(false, true)) {
                return;
            }
            List<Waiting> group = new ArrayList<>();
            for (Waiting next; group.size() < maxGroup && (next = queue.poll()) != null; ) {
                group.add(next);
            }
            store.appendAll(group.stream().map(Waiting::submission).toList())
                    .onTermination().invoke(this::finish)
                    .subscribe().with(
                            outcomes -> {
                                for (int i = 0; i < group.size(); i++) {
                                    answer(group.get(i).emitter(), outcomes.get(i));
                                }
                            },
                            failure -> group.forEach(waiting -> waiting.emitter().fail(failure)));
        }

        private void finish() {
            running.set(false);
            drain();
        }
    }

    private static void answer(UniEmitter<? super AppendResult> emitter, Outcome outcome) {
        if (outcome.refusal() != null) {
            emitter.fail(outcome.refusal());
        } else {
            emitter.complete(outcome.result());
        }
    }
}
