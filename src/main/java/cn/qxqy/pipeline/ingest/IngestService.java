package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.command.CommandService;
import cn.qxqy.pipeline.command.Refusal;
import cn.qxqy.pipeline.command.Submission;
import cn.qxqy.pipeline.domain.EventTypes.EventType;
import cn.qxqy.pipeline.domain.EventTypes;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.AppendResult;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.NewEvent;
import cn.qxqy.pipeline.eventstore.StoreConflict;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemException;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.ProjectorBacklog;
import cn.qxqy.pipeline.recovery.RecoveryState;
import cn.qxqy.pipeline.reference.ReferenceData;
import cn.qxqy.pipeline.security.Sender;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.MDC;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Takes posted events from any channel: reads each, checks its reference codes, appends it. */
@ApplicationScoped
public class IngestService {

    private final CommandService commands;
    private final ReferenceData reference;
    private final PipelineMetrics metrics;
    private final RecoveryState recovery;
    private final ProjectorBacklog backlog;

    public IngestService(CommandService commands, ReferenceData reference, PipelineMetrics metrics,
                         RecoveryState recovery, ProjectorBacklog backlog) {
        this.commands = commands;
        this.reference = reference;
        this.metrics = metrics;
        this.recovery = recovery;
        this.backlog = backlog;
    }

    /**
     * One event, committed together with whatever other events arrive at the same time.
     *
     * @param projectIdFromPath the project named by the URL, or null when the envelope names it
     * @return where the event landed; fails with a {@link ProblemException} when refused
     */
    public Uni<AppendResult> submit(JsonNode envelope, String projectIdFromPath, Sender sender) {
        long start = System.nanoTime();
        return Uni.createFrom().item(() -> Envelope.read(envelope, projectIdFromPath, sender.author()))
                .invoke(recovery::refuseAppendsWhileRestored)
                .invoke(backlog::refuseWhileBehind)
                .invoke(IngestService::logContext)
                .flatMap(event -> check(event, sender)
                        .flatMap(commands::append)
                        .flatMap(outcome -> outcome.refusal() == null ? Uni.createFrom().item(outcome.result())
                                : Uni.createFrom().failure(problemOf(outcome.refusal(), event).exception())))
                .onItemOrFailure().invoke((result, failure) -> record(envelope, start, result, failure));
    }

    /** An envelope as posted, and who posted it. */
    public record Posted(JsonNode envelope, Sender sender) {
    }

    /** What became of one posted envelope: where its event landed, or the problem that refused it. */
    public record Outcome(AppendResult result, ProblemException refusal) {
    }

    /**
     * A batch: each envelope read and checked on its own, then all those readable appended in order in one
     * transaction. The outcomes are in the order of the envelopes.
     */
    public Uni<List<Outcome>> submitAll(List<Posted> batch) {
        return submitAll(batch, EventStore.Commit.EACH);
    }

    /**
     * As {@link #submitAll(List)}, storing what {@code commit} says; with {@link EventStore.Commit#ALL_OR_NOTHING} an
     * unreadable envelope stores nothing, yet the others are still decided, so that the answer names every refusal.
     */
    public Uni<List<Outcome>> submitAll(List<Posted> batch, EventStore.Commit commit) {
        long start = System.nanoTime();
        if (commit != EventStore.Commit.NONE) {
            // Checked on each subscription, so that the intake's retries see the acknowledgement.
            return Uni.createFrom().voidItem().invoke(recovery::refuseAppendsWhileRestored)
                    .invoke(backlog::refuseWhileBehind)
                    .flatMap(allowed -> submitAll(batch, commit, start));
        }
        return submitAll(batch, commit, start);
    }

    private Uni<List<Outcome>> submitAll(List<Posted> batch, EventStore.Commit commit, long start) {
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(posted -> Uni.createFrom()
                        .item(() -> Envelope.read(posted.envelope(), null, posted.sender().author()))
                        .flatMap(event -> check(event, posted.sender()))
                        .map(submission -> new Read(submission, null))
                        .onFailure(ProblemException.class).recoverWithItem(failure -> new Read(null, (ProblemException) failure)))
                .collect().asList()
                .flatMap(read -> {
                    List<Submission> readable = read.stream().map(Read::submission).filter(Objects::nonNull).toList();
                    EventStore.Commit storing = commit == EventStore.Commit.ALL_OR_NOTHING
                            && readable.size() < read.size() ? EventStore.Commit.NONE : commit;
                    return (readable.isEmpty() ? Uni.createFrom().item(List.<EventStore.Outcome<Refusal>>of())
                            : commands.appendAll(readable, storing)).map(appended -> merge(read, appended));
                })
                .invoke(outcomes -> {
                    for (int i = 0; i < outcomes.size(); i++) {
                        Outcome outcome = outcomes.get(i);
                        // An event decided but not stored (position 0) is neither accepted nor refused.
                        if (outcome.result() == null || outcome.result().position() != 0) {
                            record(batch.get(i).envelope(), start, outcome.result(), outcome.refusal());
                        }
                    }
                });
    }

    /** An envelope read and checked: a submission to append, or why it cannot be. */
    private record Read(Submission submission, ProblemException refusal) {
    }

    /** The unreadable envelopes' refusals, with the appended envelopes' outcomes in their places. */
    private static List<Outcome> merge(List<Read> read, List<EventStore.Outcome<Refusal>> appended) {
        List<Outcome> outcomes = new ArrayList<>(read.size());
        int next = 0;
        for (Read item : read) {
            if (item.refusal() != null) {
                outcomes.add(new Outcome(null, item.refusal()));
                continue;
            }
            EventStore.Outcome<Refusal> outcome = appended.get(next++);
            outcomes.add(new Outcome(outcome.result(), outcome.refusal() == null ? null
                    : problemOf(outcome.refusal(), item.submission().event()).exception()));
        }
        return outcomes;
    }

    private Uni<Submission> check(NewEvent event, Sender sender) {
        return reference.check(event.event()).map(violations -> Submission.of(event, sender.writer(), violations));
    }

    private void record(JsonNode envelope, long start, AppendResult result, Throwable failure) {
        String type = envelope == null ? "unknown"
                : EventTypes.named(envelope.path("type").asText()).map(EventType::name).orElse("unknown");
        metrics.append().record(Duration.ofNanos(System.nanoTime() - start));
        if (result != null && result.created()) {
            metrics.accepted(type);
        } else if (failure instanceof ProblemException refused) {
            String problemType = refused.problem().type();
            metrics.refused(type, problemType.substring(problemType.lastIndexOf('/') + 1));
        }
    }

    /**
     * The problem a refused append of {@code event} answers, worded here at the edge rather than in the append's
     * transaction.
     */
    private static Problem problemOf(Refusal refusal, NewEvent event) {
        if (refusal instanceof Refusal.InvalidFields invalid) {
            return Problem.invalid(Wording.of("event.invalid"), invalid.violations());
        }
        if (refusal instanceof Refusal.Rejected rejected) {
            return Problem.rejected(rejected.rejected());
        }
        if (refusal instanceof Refusal.Denied denied) {
            return Problem.denied(denied.denial());
        }
        StoreConflict conflict = ((Refusal.Conflict) refusal).conflict();
        return switch (conflict.kind()) {
            // The store's English names the project's version, which the other languages' wording leaves to a read.
            case VERSION_CONFLICT -> Problem.of(ProblemType.VERSION_CONFLICT,
                    Wording.of("conflict.version", event.expectedVersion(), event.projectId()))
                    .withEnglishDetail(conflict.getMessage());
            case EVENT_ID_REUSED -> Problem.of(ProblemType.EVENT_ID_REUSED,
                    Wording.of("conflict.event-id", event.eventId()));
            case PROJECT_CODE_TAKEN -> Problem.of(ProblemType.PROJECT_CODE_IN_USE, Wording.of("conflict.project-code"),
                    List.of(FieldViolation.of(conflict.field(), "conflict.project-code-field")));
        };
    }


    /** Every log line of this request names the event and the project. */
    private static void logContext(NewEvent event) {
        MDC.put("eventId", event.eventId().toString());
        MDC.put("projectId", event.projectId());
    }
}
