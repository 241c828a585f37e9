package cn.qxqy.pipeline.command;

import cn.qxqy.pipeline.domain.Decision;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Writer;
import cn.qxqy.pipeline.eventstore.StoreConflict;

import java.util.List;

/**
 * Why an event is not appended, in the command side's words: the edge that received it words the problem, so that
 * no HTTP answer is made inside the append's transaction.
 */
public sealed interface Refusal {

    /** Fields the event may not have: the caller's findings (unknown codes) and the domain's. */
    record InvalidFields(List<FieldViolation> violations) implements Refusal {
        public InvalidFields {
            violations = List.copyOf(violations);
        }
    }

    /** The stage machine refuses the event on its project's state. */
    record Rejected(Decision.Rejected rejected) implements Refusal {
    }

    /** The sending department may not write the event to the project. */
    record Denied(Writer.Denial denial) implements Refusal {
    }

    /** The event conflicts with what is stored. */
    record Conflict(StoreConflict conflict) implements Refusal {
    }
}
