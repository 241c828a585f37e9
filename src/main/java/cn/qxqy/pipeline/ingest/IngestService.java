package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.eventstore.AppendResult;
import cn.qxqy.pipeline.eventstore.EventData;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.NewEvent;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import cn.qxqy.pipeline.problem.ProblemException;
import cn.qxqy.pipeline.reference.ReferenceData;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.MDC;

import java.time.Duration;

/** Takes one posted event from any channel: reads it, checks its reference codes, appends it. */
@ApplicationScoped
public class IngestService {

    private final EventStore store;
    private final ReferenceData reference;
    private final PipelineMetrics metrics;

    public IngestService(EventStore store, ReferenceData reference, PipelineMetrics metrics) {
        this.store = store;
        this.reference = reference;
        this.metrics = metrics;
    }

    /**
     * @param projectIdFromPath the project named by the URL, or null when the envelope names it
     * @return where the event landed; fails with a {@link cn.qxqy.pipeline.problem.ProblemException} when refused
     */
    public Uni<AppendResult> submit(JsonNode envelope, String projectIdFromPath, String source) {
        long start = System.nanoTime();
        String type = envelope != null && EventData.TYPES.contains(envelope.path("type").asText()) ? envelope.path("type").asText()
                : "unknown";
        return Uni.createFrom().item(() -> Envelope.read(envelope, projectIdFromPath, source))
                .invoke(IngestService::logContext)
                .flatMap(this::append)
                .onItemOrFailure().invoke((result, failure) -> {
                    metrics.append().record(Duration.ofNanos(System.nanoTime() - start));
                    if (result != null && result.created()) {
                        metrics.accepted(type);
                    } else if (failure instanceof ProblemException refused) {
                        metrics.refused(type, refused.problem().title());
                    }
                });
    }

    /** Every log line of this request names the event and the project. */
    private static void logContext(NewEvent event) {
        MDC.put("eventId", event.eventId().toString());
        MDC.put("projectId", event.projectId());
    }

    private Uni<AppendResult> append(NewEvent event) {
        return reference.check(event.event()).flatMap(violations -> store.append(event, violations));
    }
}
