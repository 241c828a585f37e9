package cn.qxqy.pipeline.faults;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The drills of README, "Backup and recovery", against the production jar: a lost topic republished from the store.
 */
@ExtendWith(SoftAssertionsExtension.class)
class RecoveryFaultIT {

    private static final String TOPIC = Verification.TOPIC;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @InjectSoftAssertions
    private SoftAssertions softly;

    @Test
    void aDeletedAndRecreatedTopicIsRepublishedFromTheStoreAndCarriesEveryAcknowledgedEventOnce() throws Exception {
        try (Cluster cluster = Cluster.start("RecoveryTopicFaultIT", 1);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            Writers writers = new Writers(cluster, cluster.createCampaign(), 8);
            writers.start();
            writers.awaitMoreAcks(300, Duration.ofSeconds(60));
            writers.stop();
            awaitEmptyOutbox(cluster);

            int partitions = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().size();
            cluster.replica(0).stop();
            long lost = System.nanoTime();
            admin.deleteTopics(List.of(TOPIC)).all().get();
            while (admin.listTopics().names().get().contains(TOPIC)) {
                Thread.sleep(200);
            }
            admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get();
            cluster.start(0);

            JsonNode started = Cluster.JSON.readTree(post(cluster, "/api/v1/admin/recovery/republish?fromPosition=1", 202));
            JsonNode progress = awaitRepublished(cluster, started.path("id").asLong(), Duration.ofSeconds(120));
            System.out.printf("[faults] RecoveryFaultIT: topic deleted and recreated with %d partitions; republished "
                            + "%d events through position %d; back %.1f s after the loss%n", partitions,
                    progress.path("publishedEvents").asLong(), progress.path("publishedThrough").asLong(),
                    Cluster.seconds(lost));
            softly.assertThat(progress.path("error").isNull()).as("the republish's error: " + progress).isTrue();

            Verification.verify(cluster, writers, softly);
            Map<UUID, Integer> onTopic = recordsPerEvent(cluster.bootstrapServers(), writers.projectPrefix());
            softly.assertThat(onTopic).as("records per acknowledged event on the recreated topic")
                    .containsAllEntriesOf(once(writers.acks().keySet()));
        }
    }

    private static Map<UUID, Integer> once(Set<UUID> eventIds) {
        Map<UUID, Integer> once = new HashMap<>();
        eventIds.forEach(id -> once.put(id, 1));
        return once;
    }

    private static void awaitEmptyOutbox(Cluster cluster) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cluster.outbox().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the outbox did not empty within 60 s");
            }
            Thread.sleep(200);
        }
    }

    private static JsonNode awaitRepublished(Cluster cluster, long id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (JsonNode republish : cluster.getJson("/api/v1/admin/recovery/republish", true, Duration.ofSeconds(30))) {
                if (republish.path("id").asLong() == id && !republish.path("finishedAt").isNull()) {
                    return republish;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("republish " + id + " did not finish within " + timeout);
            }
            Thread.sleep(500);
        }
    }

    /** POST as the admin to a live replica, which must answer {@code status}; the body. */
    static String post(Cluster cluster, String path, int status) throws Exception {
        Replica replica = cluster.live();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(replica.baseUrl() + path))
                        .timeout(Duration.ofSeconds(60)).header("Authorization", cluster.bearer(Cluster.ADMIN))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != status) {
            throw new AssertionError("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** How many records of the topic carry each event of the test's projects, from offset 0 to the end now. */
    static Map<UUID, Integer> recordsPerEvent(String bootstrapServers, String prefix) throws Exception {
        Map<UUID, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + TOPIC + " to its end within 60 s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && record.key().startsWith(prefix)) {
                        counts.merge(UUID.fromString(Cluster.JSON.readTree(record.value()).path("eventId").asText()),
                                1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }
}
