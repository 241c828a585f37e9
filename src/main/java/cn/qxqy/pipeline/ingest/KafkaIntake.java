package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import cn.qxqy.pipeline.problem.DatabaseUnavailable;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemException;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.security.Senders;
import cn.qxqy.pipeline.wire.JsonFields;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Takes events from the Kafka topics {@code project-intake.<department>}: the same envelope as the batch endpoint's
 * items (with {@code projectId}). Each department produces to its own topic, which the broker's ACLs let only that
 * department's principal write: the topic, not anything in the record, proves the sender (a header could name any
 * department, and ACLs cannot restrict a header's value). The department's regions are
 * {@code pipeline.departments.<department>.regions}. A refused event goes to {@code project-intake-dlq} with its
 * problem in the header {@code problem}, its department in {@code department} and where it came from in
 * {@code original-topic}, {@code original-partition} and {@code original-offset}; a dead letter too large for Kafka
 * goes truncated ({@link #ORIGINAL_SHA256_HEADER}). An unavailable database, and a dead letter Kafka does not take, are
 * waited for, and the offset is committed only once the event is stored or dead-lettered, so nothing is lost. Dead
 * letters are replayed by an admin ({@link IntakeDeadLetters}).
 */
@ApplicationScoped
public class KafkaIntake {

    private static final Logger LOG = Logger.getLogger(KafkaIntake.class);
    /** The intake topics' common prefix; what follows it names the department. */
    static final String TOPIC_PREFIX = "project-intake.";
    /** On a dead letter: the department whose topic the record came from, for its replay. */
    static final String DEPARTMENT_HEADER = "department";
    /** On a dead letter: why the record was refused, a problem as JSON. */
    static final String PROBLEM_HEADER = "problem";
    /** On a dead letter: where the refused record is in its intake topic. */
    static final String ORIGINAL_TOPIC_HEADER = "original-topic";
    static final String ORIGINAL_PARTITION_HEADER = "original-partition";
    static final String ORIGINAL_OFFSET_HEADER = "original-offset";
    /**
     * On a truncated dead letter only: the size in bytes of the original value and its SHA-256 (hex, of its UTF-8
     * bytes as the intake read them). Its value is then only the original's beginning, to recognise it by; a replay
     * reads the original from its intake topic, and checks it by this digest.
     */
    static final String ORIGINAL_SIZE_HEADER = "original-size";
    static final String ORIGINAL_SHA256_HEADER = "original-sha256";
    /** What a truncated dead letter keeps of the original's key and value, in characters. */
    private static final int TRUNCATED_KEY_CHARS = 256;
    private static final int TRUNCATED_VALUE_CHARS = 4096;
    /**
     * Room left in a produce request for what Kafka adds to a record (batch header, lengths, attributes) and for the
     * short headers of ours.
     */
    private static final int RECORD_OVERHEAD_BYTES = 1024;

    private final IngestService ingest;
    private final MutinyEmitter<String> deadLetters;
    private final ObjectMapper strict;
    private final PipelineMetrics metrics;
    private final Senders senders;
    /** The largest dead letter the producer sends whole; a larger one goes truncated. */
    private final int maxDeadLetterBytes;

    public KafkaIntake(IngestService ingest, @Channel("project-intake-dlq") MutinyEmitter<String> deadLetters,
                       ObjectMapper mapper, PipelineMetrics metrics, Senders senders,
                       @ConfigProperty(name = "mp.messaging.outgoing.project-intake-dlq.max.request.size")
                       int maxRequestSize) {
        this.ingest = ingest;
        this.senders = senders;
        this.deadLetters = deadLetters;
        this.strict = JsonFields.strict(mapper);
        this.metrics = metrics;
        this.maxDeadLetterBytes = maxRequestSize - RECORD_OVERHEAD_BYTES;
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
                        LOG.warnf("intake waits (the database unavailable, or a recovery pending): %s", failure.getMessage()))
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
            throw Problem.invalid(Wording.of("record.not-json", e.getOriginalMessage()), List.of()).exception();
        }
    }

    /**
     * Produces the record's dead letter, whole if Kafka takes it, else truncated. One that Kafka does not take at all
     * (the broker down, or refusing it for another reason) is tried again with back-off for as long as it takes: the
     * batch, and so its offsets, wait for it, and {@link PipelineMetrics#deadLettersWaiting} shows it meanwhile.
     */
    private Uni<Void> deadLetter(ConsumerRecord<String, String> record, Problem problem) {
        LOG.infof("intake record %s-%d@%d refused: %s", record.topic(), record.partition(), record.offset(),
                problem.detail());
        AtomicBoolean waiting = new AtomicBoolean();
        return Uni.createFrom().deferred(() -> {
                    byte[] why = json(problem);
                    return fitsWhole(record, why)
                            ? deadLetters.sendMessage(letter(record, why, false))
                            // The broker's or the topic's limit may be below the producer's.
                            .onFailure(KafkaIntake::tooLarge).recoverWithUni(() -> sendTruncated(record, why))
                            : sendTruncated(record, why);
                })
                .onFailure().invoke(failure -> {
                    if (waiting.compareAndSet(false, true)) {
                        metrics.deadLettersWaiting(1);
                    }
                    LOG.warnf("the dead letter of intake record %s-%d@%d is not written yet, trying again: %s",
                            record.topic(), record.partition(), record.offset(), failure.toString());
                })
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(30)).indefinitely()
                .invoke(metrics::deadLettered)
                // Written, or given up with the stream (a shutdown): either way no longer waiting.
                .onTermination().invoke(() -> {
                    if (waiting.getAndSet(false)) {
                        metrics.deadLettersWaiting(-1);
                    }
                });
    }

    private Uni<Void> sendTruncated(ConsumerRecord<String, String> record, byte[] problem) {
        LOG.warnf("the dead letter of intake record %s-%d@%d (%d bytes) is too large for Kafka: sent truncated",
                record.topic(), record.partition(), record.offset(), record.serializedValueSize());
        return deadLetters.sendMessage(letter(record, problem, true)).invoke(metrics::deadLetterTruncated);
    }

    private byte[] json(Problem problem) {
        try {
            return strict.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the record, with the headers its dead letter adds, is within what the producer sends. */
    private boolean fitsWhole(ConsumerRecord<String, String> record, byte[] problem) {
        long size = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize())
                + problem.length;
        for (Header header : record.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size <= maxDeadLetterBytes;
    }

    private static boolean tooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The dead letter: the record with our headers; truncated, only the beginning of its key and value, without its
     * own headers (the original keeps them), with the original's size and digest.
     */
    private Message<String> letter(ConsumerRecord<String, String> record, byte[] problem, boolean truncated) {
        RecordHeaders headers = truncated ? new RecordHeaders() : new RecordHeaders(record.headers().toArray());
        for (String ours : List.of(DEPARTMENT_HEADER, PROBLEM_HEADER, ORIGINAL_TOPIC_HEADER, ORIGINAL_PARTITION_HEADER,
                ORIGINAL_OFFSET_HEADER, ORIGINAL_SIZE_HEADER, ORIGINAL_SHA256_HEADER)) {
            headers.remove(ours);
        }
        headers.add(DEPARTMENT_HEADER, utf8(department(record)));
        headers.add(PROBLEM_HEADER, problem);
        headers.add(ORIGINAL_TOPIC_HEADER, utf8(record.topic()));
        headers.add(ORIGINAL_PARTITION_HEADER, utf8(String.valueOf(record.partition())));
        headers.add(ORIGINAL_OFFSET_HEADER, utf8(String.valueOf(record.offset())));
        String key = record.key();
        String value = record.value();
        if (truncated) {
            headers.add(ORIGINAL_SIZE_HEADER, utf8(String.valueOf(Math.max(0, record.serializedValueSize()))));
            headers.add(ORIGINAL_SHA256_HEADER, utf8(sha256(value)));
            key = beginning(key, TRUNCATED_KEY_CHARS);
            value = beginning(value, TRUNCATED_VALUE_CHARS);
        }
        return Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key).withHeaders(headers).build());
    }

    /** SHA-256 of the value's UTF-8 bytes, hex; of no bytes for a null value. */
    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((value == null ? "" : value).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The first {@code chars} characters of the text, never half a surrogate pair. */
    private static String beginning(String text, int chars) {
        if (text == null || text.length() <= chars) {
            return text;
        }
        return text.substring(0, Character.isHighSurrogate(text.charAt(chars - 1)) ? chars - 1 : chars);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
