package cn.qxqy.pipeline.faults;

import cn.qxqy.pipeline.embedded.EmbeddedInfrastructure;
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
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The drills of README, "Backup and recovery", against the production jar: PostgreSQL restored from a base backup and
 * its WAL archive to a point in time while Kafka is ahead of it, and a lost topic republished from the store.
 */
@ExtendWith(SoftAssertionsExtension.class)
class RecoveryFaultIT {

    private static final String TOPIC = Verification.TOPIC;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @InjectSoftAssertions
    private SoftAssertions softly;

    @Test
    void aStoreRestoredToAnEarlierPointHoldsAppendsUntilAcknowledgedAndTheRepostedEventsAreStoredOnce() throws Exception {
        String name = "RecoveryRestoreFaultIT";
        Path dataDir = Cluster.DIR.resolve("postgres").resolve(name);
        Path archive = Cluster.DIR.resolve("postgres").resolve(name + "-wal-archive");
        Path backup = Cluster.DIR.resolve("postgres").resolve(name + "-base-backup");
        for (Path dir : List.of(archive, backup, dataDir.resolveSibling(name + "-lost"))) {
            EmbeddedInfrastructure.deleteRecursively(dir);
        }
        Files.createDirectories(archive);
        try (Cluster cluster = Cluster.start(name, 1)) {
            // WAL archiving as CloudNativePG's barman-cloud does it, into a directory: a restart turns it on.
            sql(cluster, "ALTER SYSTEM SET archive_mode = 'on'",
                    "ALTER SYSTEM SET archive_command = 'test ! -f " + archive + "/%f && cp %p " + archive + "/%f'");
            cluster.stopDatabase();
            cluster.startDatabase();
            Writers writers = new Writers(cluster, cluster.createCampaign(), 8);
            writers.start();
            writers.awaitMoreAcks(150, Duration.ofSeconds(60));

            baseBackup(cluster, dataDir, backup);
            writers.awaitMoreAcks(150, Duration.ofSeconds(60));
            // Taken before the target: an event acknowledged by then was committed before it, one acknowledged
            // between the target and a later look may not have been.
            Set<UUID> beforeTarget = Set.copyOf(writers.acks().keySet());
            String target = value(cluster, "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                    + "'YYYY-MM-DD HH24:MI:SS.US') || '+00'");
            writers.awaitMoreAcks(150, Duration.ofSeconds(60));
            writers.stop();
            awaitEmptyOutbox(cluster);
            Set<UUID> pastTarget = new HashSet<>(writers.acks().keySet());
            pastTarget.removeAll(beforeTarget);
            String lastSegment = value(cluster, "SELECT pg_walfile_name(pg_switch_wal())");
            awaitFile(archive.resolve(lastSegment), Duration.ofSeconds(60));

            // The operator's restore: the service scaled to 0, the data directory replaced by the base backup, which
            // replays the archived WAL up to the target and is promoted.
            cluster.replica(0).stop();
            cluster.stopDatabase();
            Files.move(dataDir, dataDir.resolveSibling(name + "-lost"));
            Files.move(backup, dataDir);
            Files.createFile(dataDir.resolve("recovery.signal"));
            Files.writeString(dataDir.resolve("postgresql.auto.conf"), "restore_command = 'cp " + archive + "/%f %p'\n"
                    + "recovery_target_time = '" + target + "'\nrecovery_target_action = 'promote'\n",
                    StandardOpenOption.APPEND);
            long restoring = System.nanoTime();
            cluster.startDatabase();
            awaitPromoted(cluster, Duration.ofSeconds(120));
            long restoredEvents = Long.parseLong(value(cluster, "SELECT count(*) FROM events WHERE project_id LIKE '"
                    + writers.projectPrefix() + "%'"));
            cluster.start(0);

            JsonNode noticed = awaitAppendsHeld(cluster, Duration.ofSeconds(60));
            Set<UUID> listed = new HashSet<>();
            noticed.path("unacknowledged").path("lostEvents").forEach(e -> listed.add(UUID.fromString(e.path("eventId").asText())));
            System.out.printf("[faults] RecoveryFaultIT: restored to %s in %.1f s (%d of the test's events kept); %d "
                            + "acknowledged before the target, %d after; the service lists %d lost events%n", target,
                    Cluster.seconds(restoring), restoredEvents, beforeTarget.size(), pastTarget.size(), listed.size());
            softly.assertThat(listed).as("lost events listed: none acknowledged before the target")
                    .doesNotContainAnyElementsOf(beforeTarget);
            softly.assertThat(listed.size() + restoredEvents).as("the restored events and the lost ones: every event")
                    .isEqualTo(writers.acks().size());
            HttpResponse<String> held = postEvent(cluster, writers);
            softly.assertThat(held.statusCode()).as("an append before the acknowledgement: " + held.body()).isEqualTo(503);
            softly.assertThat(held.body()).contains("/problems/recovery-pending");

            JsonNode acknowledged = Cluster.JSON.readTree(post(cluster, "/api/v1/admin/recovery/acknowledge", 200));
            int reposted = 0;
            for (JsonNode event : acknowledged.path("lostEvents")) {
                if (writers.repost(UUID.fromString(event.path("eventId").asText()))) {
                    reposted++;
                }
            }
            System.out.printf("[faults] RecoveryFaultIT: acknowledged; the department re-posted %d events%n", reposted);
            softly.assertThat(reposted).as("re-posted events acknowledged").isEqualTo(listed.size());
            awaitRebuild(cluster, Duration.ofSeconds(120));

            Verification.verify(cluster, writers, softly, true);
        }
    }

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

    private static void sql(Cluster cluster, String... statements) throws Exception {
        try (Connection db = cluster.jdbc(); Statement st = db.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        }
    }

    private static String value(Cluster cluster, String query) throws Exception {
        try (Connection db = cluster.jdbc(); Statement st = db.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * What pg_basebackup does, with the server's low-level API: pg_backup_start, a copy of the data directory without
     * its WAL and the running server's files, pg_backup_stop (which waits for the WAL it needs to be archived), and its
     * backup_label in the copy.
     */
    private static void baseBackup(Cluster cluster, Path dataDir, Path backup) throws Exception {
        try (Connection db = cluster.jdbc(); Statement st = db.createStatement()) {
            st.execute("SELECT pg_backup_start('drill', true)");
            Set<String> skipped = Set.of("postmaster.pid", "postmaster.opts", "epg-lock");
            try (var paths = Files.walk(dataDir)) {
                for (Path path : (Iterable<Path>) paths::iterator) {
                    Path relative = dataDir.relativize(path);
                    Path copy = backup.resolve(relative.toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(copy);
                    } else if (!relative.startsWith("pg_wal") && !skipped.contains(relative.toString())) {
                        try {
                            Files.copy(path, copy);
                        } catch (NoSuchFileException removedMeanwhile) {
                            // The WAL replay recreates what the server removed during the copy.
                        }
                    }
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT labelfile FROM pg_backup_stop(true)")) {
                rs.next();
                Files.writeString(backup.resolve("backup_label"), rs.getString(1));
            }
        }
        try (var wal = Files.list(backup.resolve("pg_wal"))) {
            for (Path file : (Iterable<Path>) wal::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(backup.resolve("pg_wal").resolve("archive_status"));
        // PostgreSQL refuses a data directory others may read.
        Files.setPosixFilePermissions(backup, PosixFilePermissions.fromString("rwx------"));
    }

    private static void awaitFile(Path file, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " was not archived within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private static void awaitPromoted(Cluster cluster, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if ("f".equals(value(cluster, "SELECT pg_is_in_recovery()"))) {
                    return;
                }
            } catch (SQLException starting) {
                // not accepting connections yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("PostgreSQL did not finish its recovery within " + timeout);
            }
            Thread.sleep(500);
        }
    }

    private static JsonNode awaitAppendsHeld(Cluster cluster, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode status = cluster.getJson("/api/v1/admin/recovery", true, Duration.ofSeconds(30));
            if (status.path("appendsHeld").asBoolean()) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the restore was not noticed within " + timeout + ": " + status);
            }
            Thread.sleep(500);
        }
    }

    private static void awaitRebuild(Cluster cluster, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!"DONE".equals(cluster.projection("rebuild").map(r -> r.path("state").asText()).orElse(""))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the rebuild did not finish within " + timeout);
            }
            Thread.sleep(500);
        }
    }

    /** A new project's reservation, as the department's system posts it. */
    private static HttpResponse<String> postEvent(Cluster cluster, Writers writers) throws Exception {
        String body = Cluster.JSON.writeValueAsString(Map.of("eventId", UUID.randomUUID().toString(),
                "type", "ProjectReserved", "occurredOn", "2024-03-01", "data", Map.of("name", "恢复期间的项目",
                        "campaignId", writers.campaignId(), "regionCode", "141102", "industryChain", "coal",
                        "categories", List.of(), "plannedInvestment", 100)));
        return HTTP.send(HttpRequest.newBuilder(URI.create(cluster.live().baseUrl() + "/api/v1/projects/"
                                + writers.projectPrefix() + "held/events"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .header("Authorization", cluster.bearer(Cluster.DEPARTMENT))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
