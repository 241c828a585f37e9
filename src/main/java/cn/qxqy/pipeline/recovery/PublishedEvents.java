package cn.qxqy.pipeline.recovery;

import cn.qxqy.pipeline.eventstore.OutboxRelay;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Reads {@code project-events} as it was published, without a consumer group: the last records of each partition (is
 * Kafka ahead of the store?) and the records since a time (which events did a restore lose?). A Kafka consumer is not
 * thread-safe and blocks: it lives on a thread of its own.
 */
@ApplicationScoped
public class PublishedEvents {

    /** The last records read per partition, enough to pass over the markers at its end. */
    private static final int TAIL = 16;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** An event as the topic carries it; the department is its source. */
    public record Published(int partition, long offset, long position, String projectId, long version, UUID eventId,
                            String type, String department) {
    }

    private final Map<String, Object> kafka;
    private final String topic;
    private final ObjectMapper mapper;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "published-events");
        t.setDaemon(true);
        return t;
    });
    private KafkaConsumer<String, String> consumer;

    public PublishedEvents(@Identifier("default-kafka-broker") Map<String, Object> kafka,
                           @ConfigProperty(name = "mp.messaging.outgoing.project-events-out.topic") String topic,
                           ObjectMapper mapper) {
        this.kafka = kafka;
        this.topic = topic;
        this.mapper = mapper;
    }

    void stop(@Observes ShutdownEvent shutdown) {
        thread.submit(() -> {
            if (consumer != null) {
                consumer.close(Duration.ofSeconds(1));
            }
        });
        thread.shutdown();
    }

    /** The topic's partitions. */
    public Uni<List<Integer>> partitions() {
        return onThread(() -> partitionsOf(consumer()).stream().map(TopicPartition::partition).toList());
    }

    /** The last event of each partition that has one among its last records. */
    public Uni<List<Published>> lastOfEachPartition() {
        return onThread(() -> {
            KafkaConsumer<String, String> c = consumer();
            List<TopicPartition> partitions = partitionsOf(c);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions);
            Map<TopicPartition, Long> starts = c.beginningOffsets(partitions);
            Map<TopicPartition, Long> from = new HashMap<>();
            partitions.forEach(p -> from.put(p, Math.max(starts.get(p), ends.get(p) - TAIL)));
            Map<Integer, Published> last = new HashMap<>();
            for (Published event : read(c, from, ends)) {
                last.merge(event.partition(), event, (a, b) -> a.offset() > b.offset() ? a : b);
            }
            return List.copyOf(last.values());
        });
    }

    /** Every event published (by its record's timestamp) at or after {@code since}. */
    public Uni<List<Published>> since(Instant since) {
        return onThread(() -> {
            KafkaConsumer<String, String> c = consumer();
            List<TopicPartition> partitions = partitionsOf(c);
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(p -> times.put(p, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(times);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions);
            Map<TopicPartition, Long> from = new HashMap<>();
            found.forEach((p, offset) -> from.put(p, offset == null ? ends.get(p) : offset.offset()));
            return read(c, from, ends);
        });
    }

    private List<Published> read(KafkaConsumer<String, String> c, Map<TopicPartition, Long> from,
                                 Map<TopicPartition, Long> ends) {
        List<Published> events = new ArrayList<>();
        List<TopicPartition> wanted = from.keySet().stream().filter(p -> from.get(p) < ends.get(p)).toList();
        c.pause(c.assignment());
        c.resume(wanted);
        wanted.forEach(p -> c.seek(p, from.get(p)));
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (wanted.stream().anyMatch(p -> c.position(p) < ends.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("project-events could not be read to its end within " + READ_TIMEOUT);
            }
            for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(200))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < ends.get(partition)) {
                    event(record).ifPresent(events::add);
                }
            }
        }
        return events;
    }

    /** The record as an event; empty for a marker or anything else that is not one. */
    private Optional<Published> event(ConsumerRecord<String, String> record) {
        if (record.headers().lastHeader(OutboxRelay.MARKER_HEADER) != null || record.value() == null) {
            return Optional.empty();
        }
        try {
            JsonNode json = mapper.readTree(record.value());
            if (!json.path("position").canConvertToLong() || !json.path("version").canConvertToLong()) {
                return Optional.empty();
            }
            return Optional.of(new Published(record.partition(), record.offset(), json.get("position").asLong(),
                    json.path("projectId").asText(), json.get("version").asLong(),
                    UUID.fromString(json.path("eventId").asText()), json.path("type").asText(),
                    json.path("source").asText()));
        } catch (IOException | IllegalArgumentException notAnEvent) {
            return Optional.empty();
        }
    }

    /** The topic's partitions, all assigned: the client warns of offsets it looks up for partitions it is not. */
    private List<TopicPartition> partitionsOf(KafkaConsumer<String, String> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic);
        List<TopicPartition> partitions = infos == null ? List.of()
                : infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        if (!c.assignment().equals(Set.copyOf(partitions))) {
            c.assign(partitions);
        }
        return partitions;
    }

    private KafkaConsumer<String, String> consumer() {
        if (consumer == null) {
            Map<String, Object> config = new HashMap<>(kafka);
            // It assigns partitions itself and commits nothing: no group.
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "published-events");
            consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        }
        return consumer;
    }

    private <T> Uni<T> onThread(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(thread);
    }
}
