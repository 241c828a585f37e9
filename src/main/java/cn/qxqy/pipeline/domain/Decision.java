package cn.qxqy.pipeline.domain;

import java.util.List;

/** The stage machine's answer to an incoming event. */
public sealed interface Decision {

    record Accepted(ProjectState next) implements Decision {
    }

    record Rejected(Rejection kind, Wording reason, List<FieldViolation> violations) implements Decision {
        public Rejected {
            violations = List.copyOf(violations);
        }

        /** The reason in English. */
        public String detail() {
            return reason.english();
        }
    }
}
