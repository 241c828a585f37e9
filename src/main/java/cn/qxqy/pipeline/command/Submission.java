package cn.qxqy.pipeline.command;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Writer;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.NewEvent;
import cn.qxqy.pipeline.eventstore.TraceContext;

import java.util.List;

/**
 * One event to append, with the department that writes it and the regions it holds, what the caller found wrong
 * with it beyond the domain's rules (unknown codes), and the trace context of the request that posted it, which
 * the outbox carries on to Kafka.
 */
public record Submission(NewEvent event, Writer writer, List<FieldViolation> knownViolations, String traceContext)
        implements EventStore.Submitted {

    /** A submission in the trace context of the calling request. */
    public static Submission of(NewEvent event, Writer writer, List<FieldViolation> knownViolations) {
        return new Submission(event, writer, knownViolations, TraceContext.current());
    }
}
