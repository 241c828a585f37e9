package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.eventstore.AppendResult;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.NewEvent;
import cn.qxqy.pipeline.reference.ReferenceData;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Takes one posted event from any channel: reads it, checks its reference codes, appends it. */
@ApplicationScoped
public class IngestService {

    private final EventStore store;
    private final ReferenceData reference;

    public IngestService(EventStore store, ReferenceData reference) {
        this.store = store;
        this.reference = reference;
    }

    /**
     * @param projectIdFromPath the project named by the URL, or null when the envelope names it
     * @return where the event landed; fails with a {@link cn.qxqy.pipeline.problem.ProblemException} when refused
     */
    public Uni<AppendResult> submit(JsonNode envelope, String projectIdFromPath, String source) {
        return Uni.createFrom().item(() -> Envelope.read(envelope, projectIdFromPath, source))
                .flatMap(this::append);
    }

    private Uni<AppendResult> append(NewEvent event) {
        return reference.check(event.event()).flatMap(violations -> store.append(event, violations));
    }
}
