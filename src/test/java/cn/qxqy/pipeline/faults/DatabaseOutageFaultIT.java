package cn.qxqy.pipeline.faults;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * PostgreSQL stopped for 60 s under load on two replicas, then started again on the same data: writes and reads are
 * told to come back (503 with Retry-After), Kafka intake records sent meanwhile are stored afterwards, never
 * dead-lettered, and the read models catch up with no admin action.
 */
@ExtendWith(SoftAssertionsExtension.class)
class DatabaseOutageFaultIT {

    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final Duration READS_AFTER = Duration.ofSeconds(10);
    private static final int INTAKE_RECORDS = 20;

    @InjectSoftAssertions
    private SoftAssertions softly;

    @Test
    void writesDuringADatabaseOutageAreToldToRetryAndNothingIsLostOrCountedTwiceAfterwards() throws Exception {
        try (Cluster cluster = Cluster.start("DatabaseOutageFaultIT", 2)) {
            Writers writers = new Writers(cluster, cluster.createCampaign(), 12);
            String intakeCampaign = cluster.createCampaign();
            writers.start();
            writers.awaitMoreAcks(300, Duration.ofSeconds(60));

            long stopping = System.nanoTime();
            cluster.stopDatabase();
            Thread.sleep(READS_AFTER.toMillis());
            // Reads are told to come back too; departments' Kafka records wait for the database, never dead-lettered.
            List<String> reads = new ArrayList<>();
            for (Replica replica : cluster.replicas()) {
                HttpResponse<String> summary = cluster.get(replica, "/api/v1/campaigns/" + intakeCampaign + "/summary",
                        false, Duration.ofSeconds(30));
                reads.add(summary.statusCode() + " Retry-After=" + summary.headers().firstValue("Retry-After").orElse(null));
            }
            Map<UUID, String> intake = produceIntake(cluster.bootstrapServers(), intakeCampaign, INTAKE_RECORDS);
            Thread.sleep(OUTAGE.minus(READS_AFTER).toMillis());
            long restarting = System.nanoTime();
            cluster.startDatabase();
            long up = System.nanoTime();
            writers.awaitMoreAcks(1, Duration.ofSeconds(60));
            Thread.sleep(5_000);
            writers.stop();

            // Answers from the moment the stop began until the start began; a 200/201 then is an append committed
            // before the stop, anything else must tell the client to come back.
            List<Writers.Attempt> during = writers.attempts().stream()
                    .filter(a -> a.receivedNanos() >= stopping && a.receivedNanos() <= restarting
                            && a.status() != 200 && a.status() != 201).toList();
            long withRetryAfter = during.stream().filter(a -> a.status() == 503 && a.retryAfter() != null).count();
            long connectionErrors = during.stream().filter(Writers.Attempt::connectionError).count();
            List<Writers.Attempt> other = during.stream()
                    .filter(a -> !a.connectionError() && !(a.status() == 503 && a.retryAfter() != null)).toList();
            Optional<Writers.Ack> firstCreated = writers.firstCreatedAfter(up);
            System.out.printf("[faults] DatabaseOutageFaultIT: PostgreSQL down %.1f s; answers meanwhile: %d × 503 with "
                            + "Retry-After, %d connection errors, %d other %s; first 201 %s after PostgreSQL "
                            + "was back%n", (restarting - stopping) / 1e9, withRetryAfter, connectionErrors, other.size(),
                    other.stream().limit(5).toList(),
                    firstCreated.map(a -> String.format("%.1f s", (a.receivedNanos() - up) / 1e9)).orElse("never"));

            softly.assertThat(other).as("answers during the outage other than 200/201 or 503 with Retry-After")
                    .isEmpty();
            softly.assertThat(withRetryAfter).as("503s with Retry-After during the outage").isPositive();
            softly.assertThat(firstCreated).as("a 201 after PostgreSQL was back").isPresent();
            System.out.printf("[faults] DatabaseOutageFaultIT: summary reads during the outage: %s%n", reads);
            softly.assertThat(reads).as("reads during the outage").allMatch(read -> read.equals("503 Retry-After=5"));
            // Liveness: the Kafka channels waited for the database instead of failing (Kubernetes would restart them).
            for (Replica replica : cluster.replicas()) {
                HttpResponse<String> live = cluster.get(replica, "/q/health/live", false, Duration.ofSeconds(10));
                System.out.printf("[faults] DatabaseOutageFaultIT: %s /q/health/live %d %s%n", replica.name(),
                        live.statusCode(), live.body().replaceAll("\\s+", " "));
                softly.assertThat(live.statusCode()).as(replica.name() + " alive after the outage").isEqualTo(200);
            }
            Verification.verify(cluster, writers, softly);

            Set<UUID> stored = cluster.awaitStored(intake.keySet(), Duration.ofSeconds(60));
            Set<String> deadLettered = deadLettered(cluster.bootstrapServers(), Set.copyOf(intake.values()));
            System.out.printf("[faults] DatabaseOutageFaultIT: %d intake records sent during the outage, %d stored, "
                    + "%d dead-lettered%n", intake.size(), stored.size(), deadLettered.size());
            softly.assertThat(stored).as("intake records sent during the outage, stored afterwards")
                    .containsExactlyInAnyOrderElementsOf(intake.keySet());
            softly.assertThat(deadLettered).as("intake records dead-lettered").isEmpty();
        }
    }

    /** Reservations sent to the department's intake topic as its system does; eventId → projectId. */
    private static Map<UUID, String> produceIntake(String bootstrapServers, String campaignId, int count) throws Exception {
        Map<UUID, String> sent = new LinkedHashMap<>();
        String prefix = "FI-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                UUID eventId = UUID.randomUUID();
                String projectId = prefix + i;
                String envelope = Cluster.JSON.writeValueAsString(Map.of("eventId", eventId.toString(),
                        "projectId", projectId, "type", "ProjectReserved", "occurredOn", "2024-03-01",
                        "data", Map.of("name", "故障测试项目 " + projectId, "campaignId", campaignId, "regionCode", "141102",
                                "industryChain", "coal", "categories", List.of(), "plannedInvestment", 100,
                                "annualPlannedInvestment", 40)));
                ProducerRecord<String, String> record = new ProducerRecord<>(
                        "project-intake." + Cluster.DEPARTMENT.client(), projectId, envelope);
                producer.send(record).get();
                sent.put(eventId, projectId);
            }
        }
        return sent;
    }


    /** The keys among {@code projectIds} of records in project-intake-dlq, read from offset 0 to its end. */
    private static Set<String> deadLettered(String bootstrapServers, Set<String> projectIds) {
        Set<String> found = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("project-intake-dlq").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (projectIds.contains(record.key())) {
                        found.add(record.key());
                    }
                });
            }
        }
        return found;
    }
}
