package cn.qxqy.pipeline.domain;

import java.util.List;

/** The stage machine's answer to an incoming event. */
public sealed interface Decision {

    record Accepted(ProjectState next) implements Decision {
    }

    record Rejected(Rejection kind, String detail, List<FieldViolation> violations) implements Decision {
        public Rejected {
            violations = List.copyOf(violations);
        }
    }
}
