package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.eventstore.JsonFields;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import cn.qxqy.pipeline.problem.DatabaseUnavailable;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemException;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.security.Senders;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes events from the Kafka topics {@code project-intake.<department>}: the same envelope as the batch endpoint's
 * items (with {@code projectId}). Each department produces to its own topic, which the broker's ACLs let only that
 * department's principal write: the topic, not anything in the record, proves the sender (a header could name any
 * department, and ACLs cannot restrict a header's value). The department's regions are
 * {@code pipeline.departments.<department>.regions}. A refused event goes to {@code project-intake-dlq} with its
 * problem in the header {@code problem} and its department in {@code department}; an unavailable database is waited for,
 * and the offset is committed only once the event is stored or dead-lettered, so nothing is lost. Dead letters are
 * replayed by an admin ({@link IntakeDeadLetters}).
 */
@ApplicationScoped
public class KafkaIntake {

    private static final Logger LOG = Logger.getLogger(KafkaIntake.class);
    /** The intake topics' common prefix; what follows it names the department. */
    static final String TOPIC_PREFIX = "project-intake.";
    /** On a dead letter: the department whose topic the record came from, for its replay. */
    static final String DEPARTMENT_HEADER = "department";

    private final IngestService ingest;
    private final MutinyEmitter<String> deadLetters;
    private final ObjectMapper strict;
    private final PipelineMetrics metrics;
    private final Senders senders;

    public KafkaIntake(IngestService ingest, @Channel("project-intake-dlq") MutinyEmitter<String> deadLetters,
                       ObjectMapper mapper, PipelineMetrics metrics, Senders senders) {
        this.ingest = ingest;
        this.senders = senders;
        this.deadLetters = deadLetters;
        this.strict = JsonFields.strict(mapper);
        this.metrics = metrics;
    }

    /**
     * A polled batch of records: those readable are appended in one transaction (each decided on its own), the
     * refused ones dead-lettered in order. A failure of ours retries the whole batch, which is safe: the
     * transaction stored all or nothing, and a stored event posted again changes nothing.
     */
    @Incoming("project-intake")
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        List<IngestService.Posted> batch = new ArrayList<>();
        // Per record, in the order polled: why it is unreadable, or null (then its outcome is the next of the batch's).
        List<Problem> unreadable = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            all.add(record);
            try {
                batch.add(posted(record, department(record)));
                unreadable.add(null);
            } catch (ProblemException refused) {
                unreadable.add(refused.problem());
            }
        }
        Uni<List<IngestService.Outcome>> appended = batch.isEmpty() ? Uni.createFrom().item(List.of())
                : submit(batch).onFailure().recoverWithUni(failure -> {
                    LOG.warnf("intake batch of %d failed (%s): appending its records one by one", batch.size(),
                            failure.getMessage());
                    return Multi.createFrom().iterable(batch)
                            .onItem().transformToUniAndConcatenate(posted -> submit(List.of(posted))
                                    .map(outcomes -> outcomes.get(0))
                                    .onFailure().recoverWithItem(KafkaIntake::fault))
                            .collect().asList();
                });
        return appended.flatMap(outcomes -> {
            // Dead-lettered in the order the records came, readable or not.
            List<Uni<Void>> deadLetters = new ArrayList<>();
            int next = 0;
            for (int i = 0; i < all.size(); i++) {
                Problem problem = unreadable.get(i);
                if (problem == null) {
                    ProblemException refusal = outcomes.get(next++).refusal();
                    problem = refusal == null ? null : refusal.problem();
                }
                if (problem != null) {
                    deadLetters.add(deadLetter(all.get(i), problem));
                }
            }
            return deadLetters.isEmpty() ? Uni.createFrom().voidItem()
                    : Multi.createFrom().iterable(deadLetters).onItem().transformToUniAndConcatenate(u -> u)
                    .collect().last().replaceWithVoid();
        });
    }

    /**
     * Appends, retrying for as long as the database is unavailable or refuses for a passing reason: an outage is
     * never the sender's fault, so it never dead-letters anything (the offsets wait, nothing is lost).
     */
    private Uni<List<IngestService.Outcome>> submit(List<IngestService.Posted> batch) {
        return ingest.submitAll(batch)
                .onFailure(DatabaseUnavailable::isTransient).invoke(failure ->
                        LOG.warnf("intake waits for the database: %s", failure.getMessage()))
                .onFailure(DatabaseUnavailable::isTransient).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }

    /** A record that fails on its own for a reason of ours: dead-lettered as a 500, to be replayed after the fix. */
    private static IngestService.Outcome fault(Throwable failure) {
        LOG.error("intake record failed", failure);
        return new IngestService.Outcome(null, Problem.of(ProblemType.INTERNAL_ERROR,
                "the record could not be stored (" + failure + "); an admin may replay it").exception());
    }

    /** The department whose intake topic the record came from. */
    static String department(ConsumerRecord<String, String> record) {
        return record.topic().substring(TOPIC_PREFIX.length());
    }

    /** The record as posted by {@code department}. */
    IngestService.Posted posted(ConsumerRecord<String, String> record, String department) {
        try {
            return new IngestService.Posted(strict.readTree(record.value() == null ? "" : record.value()),
                    senders.ofIntake(department, record.topic() + "-" + record.partition() + "@" + record.offset()));
        } catch (JsonProcessingException e) {
            throw Problem.invalid("the record is not valid JSON: " + e.getOriginalMessage(), List.of()).exception();
        }
    }

    private Uni<Void> deadLetter(ConsumerRecord<String, String> record, Problem problem) {
        LOG.infof("intake record %s-%d@%d refused: %s", record.topic(), record.partition(), record.offset(),
                problem.detail());
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(DEPARTMENT_HEADER);
        headers.add(DEPARTMENT_HEADER, department(record).getBytes(StandardCharsets.UTF_8));
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
