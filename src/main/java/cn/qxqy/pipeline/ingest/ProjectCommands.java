package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.domain.Decision;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.ProjectStateMachine;
import cn.qxqy.pipeline.domain.Rejection;
import cn.qxqy.pipeline.domain.Writer;
import cn.qxqy.pipeline.eventstore.EventStore.Decider;
import cn.qxqy.pipeline.eventstore.EventStore.Submission;
import cn.qxqy.pipeline.eventstore.EventStore.Verdict;
import cn.qxqy.pipeline.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command side of an append: each event decided by the stage machine on its project's state, which the store
 * locks and hands over inside the append's transaction, together with what ingest found wrong with the event's
 * reference codes, and whether the writing department may write it ({@link Writer}).
 */
@ApplicationScoped
public class ProjectCommands implements Decider {

    private final Clock clock;

    public ProjectCommands(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Verdict decide(ProjectState current, String reservedBy, Submission submission) {
        Decision decision = ProjectStateMachine.decide(current, submission.event().event(), LocalDate.now(clock));
        List<FieldViolation> knownViolations = submission.knownViolations();
        if (!knownViolations.isEmpty()) {
            // Bad fields come before the project's state: list them all, the domain's and the caller's.
            List<FieldViolation> all = new ArrayList<>(knownViolations);
            if (decision instanceof Decision.Rejected rejected && rejected.kind() == Rejection.INVALID_FIELD) {
                all.addAll(0, rejected.violations());
            }
            return Verdict.refuse(Problem.invalid("the event has invalid fields", all).exception());
        }
        if (decision instanceof Decision.Rejected rejected && rejected.kind() != Rejection.ILLEGAL_TRANSITION) {
            return Verdict.refuse(Problem.rejected(rejected).exception());
        }
        // A writer without the right to the project learns nothing of its stage: rights before transitions.
        Optional<Writer.Denial> denial = submission.writer().check(current, reservedBy, submission.event().event());
        if (denial.isPresent()) {
            return Verdict.refuse(Problem.denied(denial.get()).exception());
        }
        if (decision instanceof Decision.Rejected rejected) {
            return Verdict.refuse(Problem.rejected(rejected).exception());
        }
        return Verdict.accept(((Decision.Accepted) decision).next());
    }

    /** The original sender always has its answer; another only if it may write the event to the project as it is. */
    @Override
    public RuntimeException refuseRepost(ProjectState current, String reservedBy, Submission submission,
                                         String originalDepartment) {
        Writer writer = submission.writer();
        if (writer.department().equals(originalDepartment)) {
            return null;
        }
        return writer.check(current, reservedBy, submission.event().event())
                .map(denial -> (RuntimeException) Problem.denied(denial).exception()).orElse(null);
    }
}
