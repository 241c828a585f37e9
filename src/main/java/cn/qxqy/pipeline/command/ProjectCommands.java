package cn.qxqy.pipeline.command;

import cn.qxqy.pipeline.domain.Decision;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.ProjectStateMachine;
import cn.qxqy.pipeline.domain.Rejection;
import cn.qxqy.pipeline.domain.Writer;
import cn.qxqy.pipeline.eventstore.EventStore.Decided;
import cn.qxqy.pipeline.eventstore.EventStore.Decider;
import cn.qxqy.pipeline.eventstore.StoreConflict;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The decision on an append: each event decided by the stage machine on its project's state, which the store
 * locks and hands over inside the append's transaction, together with what ingest found wrong with the event's
 * reference codes, and whether the writing department may write it ({@link Writer}).
 */
@ApplicationScoped
public class ProjectCommands implements Decider<Submission, Refusal> {

    private final Clock clock;

    public ProjectCommands(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Decided<Refusal> decide(ProjectState current, String reservedBy, Submission submission) {
        Decision decision = ProjectStateMachine.decide(current, submission.event().event(), LocalDate.now(clock));
        List<FieldViolation> knownViolations = submission.knownViolations();
        if (!knownViolations.isEmpty()) {
            // Bad fields come before the project's state: list them all, the domain's and the caller's.
            List<FieldViolation> all = new ArrayList<>(knownViolations);
            if (decision instanceof Decision.Rejected rejected && rejected.kind() == Rejection.INVALID_FIELD) {
                all.addAll(0, rejected.violations());
            }
            return Decided.refuse(new Refusal.InvalidFields(all));
        }
        if (decision instanceof Decision.Rejected rejected && rejected.kind() != Rejection.ILLEGAL_TRANSITION) {
            return Decided.refuse(new Refusal.Rejected(rejected));
        }
        // A writer without the right to the project learns nothing of its stage: rights before transitions.
        Optional<Writer.Denial> denial = submission.writer().check(current, reservedBy, submission.event().event());
        if (denial.isPresent()) {
            return Decided.refuse(new Refusal.Denied(denial.get()));
        }
        if (decision instanceof Decision.Rejected rejected) {
            return Decided.refuse(new Refusal.Rejected(rejected));
        }
        return Decided.accept(((Decision.Accepted) decision).next());
    }

    /** The original sender always has its answer; another only if it may write the event to the project as it is. */
    @Override
    public Optional<Refusal> refuseRepost(ProjectState current, String reservedBy, Submission submission,
                                          String originalDepartment) {
        Writer writer = submission.writer();
        if (writer.department().equals(originalDepartment)) {
            return Optional.empty();
        }
        return writer.check(current, reservedBy, submission.event().event()).map(Refusal.Denied::new);
    }

    @Override
    public Refusal conflict(StoreConflict conflict) {
        return new Refusal.Conflict(conflict);
    }
}
