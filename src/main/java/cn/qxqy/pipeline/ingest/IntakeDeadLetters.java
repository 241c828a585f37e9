package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.eventstore.AppendResult;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemException;
import cn.qxqy.pipeline.problem.ProblemType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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

/**
 * The intake's dead letters, read from the topic {@code project-intake-dlq} by partition and offset, and replayed by an
 * admin once the sending department has fixed the cause. The topic is the one record of them: a replay reads the
 * record there and submits it exactly as the intake did, so a replay stored twice is stored once (same eventId).
 */
@ApplicationScoped
public class IntakeDeadLetters {

    private static final Logger LOG = Logger.getLogger(IntakeDeadLetters.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    /** A dead letter as the admin sees it: where it is, what it was, and why it was refused. */
    @Schema(name = "IntakeDeadLetter", description = "An intake record refused into project-intake-dlq, with its problem")
    public record DeadLetter(int partition, long offset, String key, String department, Problem problem, String value) {
    }

    /**
     * What a replay did with one offset: STORED (a new event), ALREADY_STORED (the same event was stored before),
     * REFUSED again (with the problem), or NOT_FOUND (no record at that offset).
     */
    @Schema(name = "IntakeReplay", description = "What a replay did with one offset of project-intake-dlq")
    public record Replay(int partition, long offset, String outcome, AppendResult result, Problem problem) {
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
        return Uni.createFrom().item(() -> read(partition, fromOffset, limit, null))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(records -> records.values().stream().map(this::deadLetter).toList());
    }

    /** Replays the records at the given offsets of a partition, in offset order; the outcome of each. */
    public Uni<List<Replay>> replay(int partition, List<Long> offsets) {
        SortedSet<Long> wanted = new TreeSet<>(offsets);
        return Uni.createFrom().item(() -> read(partition, wanted.first(), Integer.MAX_VALUE, wanted))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(records -> Multi.createFrom().iterable(wanted)
                        .onItem().transformToUniAndConcatenate(offset -> {
                            ConsumerRecord<String, String> record = records.get(offset);
                            return record == null
                                    ? Uni.createFrom().item(new Replay(partition, offset, "NOT_FOUND", null, null))
                                    : replay(record);
                        })
                        .collect().asList());
    }

    private Uni<Replay> replay(ConsumerRecord<String, String> record) {
        IngestService.Posted posted;
        try {
            Header department = record.headers().lastHeader(KafkaIntake.DEPARTMENT_HEADER);
            if (department == null) {
                throw Problem.invalid("the dead letter names no department", List.of()).exception();
            }
            posted = intake.posted(record, new String(department.value(), StandardCharsets.UTF_8));
        } catch (ProblemException unreadable) {
            return Uni.createFrom().item(new Replay(record.partition(), record.offset(), "REFUSED", null,
                    unreadable.problem()));
        }
        return ingest.submitAll(List.of(posted)).map(outcomes -> {
            var outcome = outcomes.get(0);
            String what = outcome.refusal() != null ? "REFUSED" : outcome.result().created() ? "STORED" : "ALREADY_STORED";
            LOG.infof("intake dead letter %s-%d@%d replayed: %s", record.topic(), record.partition(), record.offset(), what);
            return new Replay(record.partition(), record.offset(), what, outcome.result(),
                    outcome.refusal() == null ? null : outcome.refusal().problem());
        });
    }

    /**
     * Reads a partition from {@code fromOffset} until {@code limit} records, the end of the partition, or (when
     * {@code only} is given) its last offset; keeps the records whose offset is in {@code only}, or all.
     */
    private TreeMap<Long, ConsumerRecord<String, String>> read(int partition, long fromOffset, int limit, SortedSet<Long> only) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        TreeMap<Long, ConsumerRecord<String, String>> found = new TreeMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            TopicPartition tp = new TopicPartition(topic, partition);
            List<org.apache.kafka.common.PartitionInfo> partitions = consumer.partitionsFor(topic);
            if (partitions.isEmpty()) {
                // Nothing was ever dead-lettered: the topic is made by the first dead letter.
                return found;
            }
            if (partitions.stream().noneMatch(info -> info.partition() == partition)) {
                throw Problem.invalid("the topic " + topic + " has no partition " + partition,
                        List.of(new FieldViolation("partition", "no such partition"))).exception();
            }
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long last = only == null ? end - 1 : Math.min(end - 1, only.last());
            consumer.seek(tp, Math.max(fromOffset, consumer.beginningOffsets(List.of(tp)).get(tp)));
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (consumer.position(tp) <= last && found.size() < limit && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL).records(tp)) {
                    if (record.offset() <= last && found.size() < limit && (only == null || only.contains(record.offset()))) {
                        found.put(record.offset(), record);
                    }
                }
            }
        }
        return found;
    }

    private DeadLetter deadLetter(ConsumerRecord<String, String> record) {
        return new DeadLetter(record.partition(), record.offset(), record.key(),
                header(record, KafkaIntake.DEPARTMENT_HEADER), problem(header(record, "problem")), record.value());
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
