package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.eventstore.JsonFields;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Takes events from the Kafka topic {@code project-intake}: the same envelope as the batch endpoint's items
 * (with {@code projectId}), the sending department in the header {@code department}. A refused event goes to
 * {@code project-intake-dlq} with its problem in the header {@code problem}; a failure of ours is retried, and
 * the offset is committed only once the event is stored or dead-lettered, so nothing is lost.
 */
@ApplicationScoped
public class KafkaIntake {

    private static final Logger LOG = Logger.getLogger(KafkaIntake.class);
    static final String DEPARTMENT_HEADER = "department";

    private final IngestService ingest;
    private final MutinyEmitter<String> deadLetters;
    private final ObjectMapper strict;
    private final PipelineMetrics metrics;

    public KafkaIntake(IngestService ingest, @Channel("project-intake-dlq") MutinyEmitter<String> deadLetters,
                       ObjectMapper mapper, PipelineMetrics metrics) {
        this.ingest = ingest;
        this.deadLetters = deadLetters;
        this.strict = JsonFields.strict(mapper);
        this.metrics = metrics;
    }

    @Incoming("project-intake")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        return Uni.createFrom().item(() -> submission(record))
                .flatMap(submission -> ingest.submit(submission.envelope(), null, submission.department()))
                .replaceWithVoid()
                .onFailure(e -> !(e instanceof ProblemException))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).atMost(20)
                .onFailure(ProblemException.class)
                .recoverWithUni(e -> deadLetter(record, ((ProblemException) e).problem()));
    }

    private record Submission(JsonNode envelope, String department) {
    }

    private Submission submission(ConsumerRecord<String, String> record) {
        Header department = record.headers().lastHeader(DEPARTMENT_HEADER);
        if (department == null || department.value().length == 0) {
            throw Problem.invalid("an intake record names its department in the header '" + DEPARTMENT_HEADER + "'",
                    List.of()).exception();
        }
        try {
            return new Submission(strict.readTree(record.value() == null ? "" : record.value()),
                    new String(department.value(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw Problem.invalid("the record is not valid JSON: " + e.getOriginalMessage(), List.of()).exception();
        }
    }

    private Uni<Void> deadLetter(ConsumerRecord<String, String> record, Problem problem) {
        LOG.infof("intake record %s-%d@%d refused: %s", record.topic(), record.partition(), record.offset(),
                problem.detail());
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        try {
            headers.add("problem", strict.writeValueAsBytes(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return deadLetters.sendMessage(Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(headers).build()))
                .invoke(metrics::deadLettered);
    }
}
