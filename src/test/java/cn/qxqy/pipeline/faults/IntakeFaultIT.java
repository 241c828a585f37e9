package cn.qxqy.pipeline.faults;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The two oversized records on one department's intake topic, against the production jar: a 1,048,200-byte
 * value that is not JSON (its dead letter is over the producer's max.request.size) and a 314,219-byte envelope with
 * 25,000 unknown data fields (its problem listed every one). Valid records sent behind them on three departments'
 * topics must be stored within seconds, the dead-letter metric count both, and liveness stay UP meanwhile; all of it
 * again after the replica is stopped and started (the offsets were committed: no restart loop). Last, with Kafka
 * stopped, the admin's dead-letter endpoints answer 503 with Retry-After within the request timeout.
 */
@ExtendWith(SoftAssertionsExtension.class)
class IntakeFaultIT {

    private static final int NOT_JSON_BYTES = 1_048_200;
    private static final int UNKNOWN_FIELDS = 25_000;
    private static final int UNKNOWN_FIELDS_BYTES = 314_219;
    /** The department of the oversized records, and two more; their regions as the Deployment's properties give them. */
    private static final String OVERSIZED_DEPARTMENT = "sww";
    private static final Map<String, String> REGIONS = Map.of(Cluster.DEPARTMENT.client(), "141102",
            OVERSIZED_DEPARTMENT, "141182", "xingxian", "141123");
    private static final Duration STORED_WITHIN = Duration.ofSeconds(20);
    private static final Duration ADMIN_ANSWER_WITHIN = Duration.ofSeconds(15);

    @InjectSoftAssertions
    private SoftAssertions softly;

    @Test
    void oversizedIntakeRecordsNeitherStopTheIntakeNorFailLivenessAcrossARestart() throws Exception {
        try (Cluster cluster = Cluster.start("IntakeFaultIT", 1, Map.of(
                "PIPELINE_DEPARTMENTS_SWW_REGIONS", REGIONS.get(OVERSIZED_DEPARTMENT),
                "PIPELINE_DEPARTMENTS_XINGXIAN_REGIONS", REGIONS.get("xingxian")))) {
            String campaign = cluster.createCampaign();
            Replica replica = cluster.replica(0);
            // The intake follows the topic pattern: a new department's topic is read within metadata.max.age.ms.
            Set<UUID> warmUp = send(cluster, campaign, "FW-" + UUID.randomUUID().toString().substring(0, 8) + "-").keySet();
            softly.assertThat(cluster.awaitStored(warmUp, Duration.ofSeconds(90))).as("a first record of each department")
                    .containsExactlyInAnyOrderElementsOf(warmUp);
            round(cluster, replica, campaign, "first start");

            replica.stop();
            cluster.start(0);
            round(cluster, replica, campaign, "after a restart");

            cluster.stopKafka();
            for (HttpRequest.Builder request : List.of(
                    HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/api/v1/admin/intake-dead-letters?partition=0")).GET(),
                    HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/api/v1/admin/intake-dead-letters/replay"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"partition\":0,\"offsets\":[0]}")))) {
                long sent = System.nanoTime();
                HttpResponse<String> answer = cluster.http.send(request.timeout(ADMIN_ANSWER_WITHIN.plusSeconds(15))
                                .header("Authorization", cluster.bearer(Cluster.ADMIN)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                Duration took = Duration.ofNanos(System.nanoTime() - sent);
                String what = answer.request().method() + " " + answer.request().uri().getPath();
                System.out.printf("[faults] IntakeFaultIT: Kafka stopped, %s answered %d in %.1f s: %s%n", what,
                        answer.statusCode(), took.toMillis() / 1000.0, answer.body());
                softly.assertThat(answer.statusCode()).as(what + " with Kafka stopped").isEqualTo(503);
                softly.assertThat(answer.headers().firstValue("Retry-After")).as(what + " Retry-After").isPresent();
                softly.assertThat(answer.body()).as(what + " problem").contains("/problems/kafka-unavailable");
                softly.assertThat(took).as(what + " answered within").isLessThan(ADMIN_ANSWER_WITHIN);
            }
        }
    }

    /**
     * The two oversized records on the department's topic, then one valid reservation on each department's topic:
     * stored within seconds, both oversized records dead-lettered (one truncated, one with a bounded problem) and
     * counted, liveness UP throughout.
     */
    private void round(Cluster cluster, Replica replica, String campaign, String when) throws Exception {
        double deadLettersBefore = metric(cluster, replica, "pipeline_intake_dead_letters_total");
        String prefix = "FI-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String notJson = prefix + "not-json";
        String unknownFields = prefix + "unknown-fields";
        List<String> liveness = new CopyOnWriteArrayList<>();
        ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor();
        prober.scheduleWithFixedDelay(() -> liveness.add(live(cluster, replica)), 0, 500, TimeUnit.MILLISECONDS);
        try {
            try (KafkaProducer<String, String> producer = producer(cluster)) {
                String topic = "project-intake." + OVERSIZED_DEPARTMENT;
                producer.send(new ProducerRecord<>(topic, notJson,
                        "not json ".repeat(NOT_JSON_BYTES / 9 + 1).substring(0, NOT_JSON_BYTES))).get();
                producer.send(new ProducerRecord<>(topic, unknownFields, withUnknownFields(unknownFields, campaign))).get();
            }
            Map<UUID, String> valid = send(cluster, campaign, prefix);
            long sent = System.nanoTime();
            Set<UUID> stored = cluster.awaitStored(valid.keySet(), STORED_WITHIN);
            double storedAfter = Cluster.seconds(sent);
            Map<String, ConsumerRecord<String, String>> deadLetters = deadLetters(cluster, Set.of(notJson, unknownFields));
            long deadLettersCounted = Math.round(metric(cluster, replica, "pipeline_intake_dead_letters_total")
                    - deadLettersBefore);
            System.out.printf("[faults] IntakeFaultIT (%s): %d of %d valid records on %s stored %.1f s after they were "
                            + "sent; dead letters %s, counted %d; liveness %s%n", when, stored.size(), valid.size(),
                    REGIONS.keySet(), storedAfter, deadLetters.keySet(), deadLettersCounted, Set.copyOf(liveness));

            softly.assertThat(stored).as(when + ": valid records behind the oversized ones, stored within "
                    + STORED_WITHIN).containsExactlyInAnyOrderElementsOf(valid.keySet());
            softly.assertThat(deadLetters).as(when + ": the oversized records dead-lettered")
                    .containsOnlyKeys(notJson, unknownFields);
            if (deadLetters.containsKey(notJson)) {
                ConsumerRecord<String, String> truncated = deadLetters.get(notJson);
                softly.assertThat(header(truncated, "original-size")).as(when + ": truncated dead letter's original-size")
                        .isEqualTo(String.valueOf(NOT_JSON_BYTES));
                softly.assertThat(header(truncated, "original-topic")).isEqualTo("project-intake." + OVERSIZED_DEPARTMENT);
                softly.assertThat(header(truncated, "original-sha256")).hasSize(64);
            }
            if (deadLetters.containsKey(unknownFields)) {
                softly.assertThat(Cluster.JSON.readTree(header(deadLetters.get(unknownFields), "problem")).path("errors")
                        .size()).as(when + ": violations listed in the problem").isEqualTo(21);
            }
            softly.assertThat(deadLettersCounted).as(when + ": pipeline_intake_dead_letters_total").isGreaterThanOrEqualTo(2);
        } finally {
            // Not shutdownNow: interrupting a probe in flight recorded an InterruptedException as liveness failing.
            prober.shutdown();
            prober.awaitTermination(5, TimeUnit.SECONDS);
        }
        softly.assertThat(liveness).as(when + ": /q/health/live while the intake took the records").isNotEmpty()
                .allMatch(status -> status.equals("200"));
    }

    /** One valid reservation on each department's intake topic; eventId → projectId. */
    private static Map<UUID, String> send(Cluster cluster, String campaign, String prefix) throws Exception {
        Map<UUID, String> sent = new LinkedHashMap<>();
        try (KafkaProducer<String, String> producer = producer(cluster)) {
            for (Map.Entry<String, String> department : REGIONS.entrySet()) {
                UUID eventId = UUID.randomUUID();
                String projectId = prefix + department.getKey();
                producer.send(new ProducerRecord<>("project-intake." + department.getKey(), projectId,
                        Cluster.JSON.writeValueAsString(reservation(eventId, projectId, campaign, department.getValue(),
                                Map.of())))).get();
                sent.put(eventId, projectId);
            }
        }
        return sent;
    }

    private static KafkaProducer<String, String> producer(Cluster cluster) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    private static String withUnknownFields(String projectId, String campaign) throws Exception {
        Map<String, Object> unknown = new LinkedHashMap<>();
        for (int i = 0; i < UNKNOWN_FIELDS; i++) {
            unknown.put(String.format("u%05d", i), 1);
        }
        String json = Cluster.JSON.writeValueAsString(reservation(UUID.randomUUID(), projectId, campaign, "141182", unknown));
        return json + " ".repeat(UNKNOWN_FIELDS_BYTES - json.getBytes(StandardCharsets.UTF_8).length);
    }

    private static Map<String, Object> reservation(UUID eventId, String projectId, String campaign, String region,
                                                   Map<String, Object> extraData) {
        Map<String, Object> data = new LinkedHashMap<>(Map.of("name", "故障测试项目 " + projectId, "campaignId", campaign,
                "regionCode", region, "industryChain", "coal", "categories", List.of(), "plannedInvestment", 100));
        data.putAll(extraData);
        return Map.of("eventId", eventId.toString(), "projectId", projectId, "type", "ProjectReserved",
                "occurredOn", "2024-03-01", "data", data);
    }

    /** The status of /q/health/live, or what kept it from answering. */
    private static String live(Cluster cluster, Replica replica) {
        try {
            return String.valueOf(cluster.get(replica, "/q/health/live", false, Duration.ofSeconds(2)).statusCode());
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** A metric of the replica's /q/metrics without labels. */
    private static double metric(Cluster cluster, Replica replica, String name) throws Exception {
        HttpResponse<String> metrics = cluster.http.send(HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/q/metrics"))
                        .timeout(Duration.ofSeconds(10)).header("Accept", "text/plain").GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (metrics.statusCode() != 200) {
            throw new IllegalStateException("/q/metrics answered " + metrics.statusCode() + ": " + metrics.body());
        }
        return metrics.body().lines().filter(line -> line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1)))
                .findFirst().orElseThrow(() -> new IllegalStateException("/q/metrics has no " + name));
    }


    /** The records of project-intake-dlq with one of the keys, by key, read from the start (10 s at most). */
    private static Map<String, ConsumerRecord<String, String>> deadLetters(Cluster cluster, Set<String> keys) {
        Map<String, ConsumerRecord<String, String>> found = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("project-intake-dlq").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (found.size() < keys.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (keys.contains(record.key())) {
                        found.put(record.key(), record);
                    }
                });
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
