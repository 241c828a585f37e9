package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.AppendResult;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemException;
import cn.qxqy.pipeline.problem.ProblemType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The intake's dead letters, read from the topic {@code project-intake-dlq} by partition and offset, and replayed by an
 * admin once the sending department has fixed the cause. The topic is the one record of them: a replay reads the
 * record there and submits it exactly as the intake did, so a replay stored twice is stored once (same eventId). A
 * truncated dead letter ({@link KafkaIntake#ORIGINAL_SHA256_HEADER}) is replayed from its original, read again from its
 * intake topic, partition and offset: it can be while the intake topic keeps it (its retention).
 */
@ApplicationScoped
public class IntakeDeadLetters {

    private static final Logger LOG = Logger.getLogger(IntakeDeadLetters.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long the admin's consumer waits for the broker in each call (metadata, offsets): Kafka's default of 60 s
     * would hold the request that long when Kafka is down, then fail it as a 500.
     */
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(5);

    /** A dead letter as the admin sees it: where it is, what it was, and why it was refused. */
    @Schema(name = "IntakeDeadLetter", description = "An intake record refused into project-intake-dlq, with its problem")
    public record DeadLetter(int partition, long offset, @Schema(nullable = true) String key,
                             @Schema(nullable = true) String department, @Schema(nullable = true) Problem problem,
                             @Schema(nullable = true) String value) {
    }

    /**
     * What a replay did with one offset: STORED (a new event), ALREADY_STORED (the same event was stored before),
     * REFUSED again (with the problem), NOT_FOUND (no record at that offset), or ORIGINAL_NOT_FOUND (a truncated dead
     * letter whose original is no longer in its intake topic, or is not the record its digest names).
     */
    @Schema(name = "IntakeReplay", description = "What a replay did with one offset of project-intake-dlq")
    public record Replay(int partition, long offset, String outcome, @Schema(nullable = true) AppendResult result,
                         @Schema(nullable = true) Problem problem) {
    }

    /** Kafka did not answer the admin's consumer in time: nothing was done, the request may be repeated. */
    public static final class KafkaUnavailable extends RuntimeException {

        KafkaUnavailable(Throwable cause) {
            super("Kafka did not answer within " + KAFKA_TIMEOUT.toSeconds() + " s: " + cause.getMessage(), cause);
        }

        KafkaUnavailable(String why) {
            super(why);
        }
    }

    /** A dead letter to replay, and for a truncated one its original (null when it cannot be found). */
    private record Found(ConsumerRecord<String, String> letter, ConsumerRecord<String, String> original) {
    }

    private final Map<String, Object> kafka;
    private final String topic;
    private final KafkaIntake intake;
    private final IngestService ingest;
    private final ObjectMapper mapper;

    public IntakeDeadLetters(@Identifier("default-kafka-broker") Map<String, Object> kafka,
                             @ConfigProperty(name = "mp.messaging.outgoing.project-intake-dlq.topic") String topic,
                             KafkaIntake intake, IngestService ingest, ObjectMapper mapper) {
        this.kafka = kafka;
        this.topic = topic;
        this.intake = intake;
        this.ingest = ingest;
        this.mapper = mapper;
    }

    /** Up to {@code limit} dead letters of a partition from {@code fromOffset} on. */
    public Uni<List<DeadLetter>> list(int partition, long fromOffset, int limit) {
        return withConsumer(consumer -> read(consumer, partition, fromOffset, limit, null))
                .map(records -> records.values().stream().map(this::deadLetter).toList());
    }

    /**
     * Replays the records at the given offsets of a partition, in offset order; the outcome of each. Called on the
     * request's Vert.x context, where it submits them: Kafka is read on a worker thread meanwhile.
     */
    public Uni<List<Replay>> replay(int partition, List<Long> offsets) {
        SortedSet<Long> wanted = new TreeSet<>(offsets);
        Context request = Vertx.currentContext();
        return withConsumer(consumer -> {
                    Map<Long, Found> found = new HashMap<>();
                    read(consumer, partition, wanted.first(), Integer.MAX_VALUE, wanted).forEach((offset, letter) ->
                            found.put(offset, new Found(letter, truncated(letter) ? original(consumer, letter) : null)));
                    return found;
                })
                // Back on the request's context: the submission reads the reference data through Hibernate Reactive,
                // which refuses a worker thread.
                .emitOn(task -> request.runOnContext(ignored -> task.run()))
                .flatMap(found -> Multi.createFrom().iterable(wanted)
                        .onItem().transformToUniAndConcatenate(offset -> {
                            Found letter = found.get(offset);
                            return letter == null
                                    ? Uni.createFrom().item(new Replay(partition, offset, "NOT_FOUND", null, null))
                                    : replay(letter);
                        })
                        .collect().asList());
    }

    private Uni<Replay> replay(Found found) {
        ConsumerRecord<String, String> letter = found.letter();
        if (truncated(letter) && found.original() == null) {
            return Uni.createFrom().item(new Replay(letter.partition(), letter.offset(), "ORIGINAL_NOT_FOUND", null, null));
        }
        ConsumerRecord<String, String> record = truncated(letter) ? found.original() : letter;
        IngestService.Posted posted;
        try {
            String department = header(letter, KafkaIntake.DEPARTMENT_HEADER);
            if (department == null) {
                throw Problem.invalid(Wording.of("dead-letters.no-department"), List.of()).exception();
            }
            posted = intake.posted(record, department);
        } catch (ProblemException unreadable) {
            return Uni.createFrom().item(new Replay(letter.partition(), letter.offset(), "REFUSED", null,
                    unreadable.problem()));
        }
        return ingest.submitAll(List.of(posted)).map(outcomes -> {
            var outcome = outcomes.get(0);
            String what = outcome.refusal() != null ? "REFUSED" : outcome.result().created() ? "STORED" : "ALREADY_STORED";
            LOG.infof("intake dead letter %s-%d@%d replayed%s: %s", letter.topic(), letter.partition(), letter.offset(),
                    record == letter ? "" : " from " + record.topic() + "-" + record.partition() + "@" + record.offset(),
                    what);
            return new Replay(letter.partition(), letter.offset(), what, outcome.result(),
                    outcome.refusal() == null ? null : outcome.refusal().problem());
        });
    }

    /** Runs {@code work} on a worker thread with a consumer of its own, which waits for Kafka {@link #KAFKA_TIMEOUT}. */
    private <T> Uni<T> withConsumer(Function<KafkaConsumer<String, String>, T> work) {
        return Uni.createFrom().item(() -> {
                    Map<String, Object> config = new HashMap<>(kafka);
                    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
                    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
                    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
                    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
                    config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
                    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
                    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
                    try {
                        return work.apply(consumer);
                    } catch (RetriableException e) {
                        throw new KafkaUnavailable(e);
                    } finally {
                        consumer.close(CloseOptions.timeout(KAFKA_TIMEOUT));
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * Reads a partition of the dead letters from {@code fromOffset} until {@code limit} records, the end of the
     * partition, or (when {@code only} is given) its last offset; keeps the records whose offset is in {@code only},
     * or all.
     */
    private TreeMap<Long, ConsumerRecord<String, String>> read(KafkaConsumer<String, String> consumer, int partition,
                                                              long fromOffset, int limit, SortedSet<Long> only) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic);
        if (partitions.isEmpty()) {
            // Nothing was ever dead-lettered: the topic is made by the first dead letter.
            return new TreeMap<>();
        }
        if (partitions.stream().noneMatch(info -> info.partition() == partition)) {
            throw Problem.invalid(Wording.of("dead-letters.no-partition", topic, partition),
                    List.of(FieldViolation.of("partition", "dead-letters.no-such-partition"))).exception();
        }
        return read(consumer, new TopicPartition(topic, partition), fromOffset, limit, only);
    }

    private static TreeMap<Long, ConsumerRecord<String, String>> read(KafkaConsumer<String, String> consumer,
                                                                     TopicPartition tp, long fromOffset, int limit,
                                                                     SortedSet<Long> only) {
        TreeMap<Long, ConsumerRecord<String, String>> found = new TreeMap<>();
        consumer.assign(List.of(tp));
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        long last = only == null ? end - 1 : Math.min(end - 1, only.last());
        consumer.seek(tp, Math.max(fromOffset, consumer.beginningOffsets(List.of(tp)).get(tp)));
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (consumer.position(tp) <= last && found.size() < limit) {
            if (System.nanoTime() > deadline) {
                // Offsets not reached are not offsets without a record: no NOT_FOUND, no short page.
                throw new KafkaUnavailable("Kafka did not deliver offsets up to " + last + " of " + tp + " within "
                        + READ_TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<String, String> record : consumer.poll(POLL).records(tp)) {
                if (record.offset() <= last && found.size() < limit && (only == null || only.contains(record.offset()))) {
                    found.put(record.offset(), record);
                }
            }
        }
        return found;
    }

    /**
     * The intake record a truncated dead letter stands for, read from its intake topic at its partition and offset;
     * null if it is not there any more (the topic's retention) or is not the record the dead letter's digest names.
     */
    private static ConsumerRecord<String, String> original(KafkaConsumer<String, String> consumer,
                                                          ConsumerRecord<String, String> letter) {
        String originalTopic = header(letter, KafkaIntake.ORIGINAL_TOPIC_HEADER);
        String partition = header(letter, KafkaIntake.ORIGINAL_PARTITION_HEADER);
        String offset = header(letter, KafkaIntake.ORIGINAL_OFFSET_HEADER);
        if (originalTopic == null || partition == null || offset == null
                || !originalTopic.startsWith(KafkaIntake.TOPIC_PREFIX)) {
            return null;
        }
        TopicPartition tp = new TopicPartition(originalTopic, Integer.parseInt(partition));
        if (consumer.partitionsFor(originalTopic).stream().noneMatch(info -> info.partition() == tp.partition())) {
            return null;
        }
        long at = Long.parseLong(offset);
        ConsumerRecord<String, String> original = read(consumer, tp, at, 1, new TreeSet<>(List.of(at))).get(at);
        return original != null && KafkaIntake.sha256(original.value())
                .equals(header(letter, KafkaIntake.ORIGINAL_SHA256_HEADER)) ? original : null;
    }

    private static boolean truncated(ConsumerRecord<String, String> letter) {
        return letter.headers().lastHeader(KafkaIntake.ORIGINAL_SHA256_HEADER) != null;
    }

    private DeadLetter deadLetter(ConsumerRecord<String, String> record) {
        return new DeadLetter(record.partition(), record.offset(), record.key(),
                header(record, KafkaIntake.DEPARTMENT_HEADER), problem(header(record, KafkaIntake.PROBLEM_HEADER)),
                record.value());
    }

    /** The refusal the intake wrote into the record's header; a header it cannot read is shown as its text. */
    private Problem problem(String json) {
        try {
            return json == null ? null : mapper.readValue(json, Problem.class);
        } catch (IOException e) {
            return Problem.of(ProblemType.INTERNAL_ERROR, "the problem header is not a problem: " + json);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
