package cn.qxqy.pipeline.command;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.EventStore.Commit;
import cn.qxqy.pipeline.eventstore.EventStore.Outcome;
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

    private record Waiting(Submission submission, UniEmitter<? super Outcome<Refusal>> emitter) {
    }

    private final EventStore store;
    private final ProjectCommands commands;
    private final int maxGroup;
    private final Lane[] lanes;

    public GroupCommit(EventStore store, ProjectCommands commands, PipelineConfig config) {
        this.store = store;
        this.commands = commands;
        this.maxGroup = config.append().maxGroup();
        this.lanes = new Lane[config.append().lanes()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane();
        }
    }

    /** Appends the event with the next group of its lane: where it landed, or why it is refused. */
    public Uni<Outcome<Refusal>> append(Submission submission) {
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
            store.appendAll(group.stream().map(Waiting::submission).toList(), Commit.EACH, commands)
                    .onTermination().invoke(this::finish)
                    .subscribe().with(
                            outcomes -> {
                                for (int i = 0; i < group.size(); i++) {
                                    group.get(i).emitter().complete(outcomes.get(i));
                                }
                            },
                            failure -> group.forEach(waiting -> waiting.emitter().fail(failure)));
        }

        private void finish() {
            running.set(false);
            drain();
        }
    }
}
