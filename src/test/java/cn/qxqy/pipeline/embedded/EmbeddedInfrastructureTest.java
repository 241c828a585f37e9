package cn.qxqy.pipeline.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker and database, without Quarkus. */
class EmbeddedInfrastructureTest {

    @Test
    @Timeout(60)
    void ephemeralInfrastructureServesKafkaAndPostgres() throws Exception {
        // What a killed JVM leaves behind: cleaned up by the next ephemeral start.
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path leftover = Files.createTempDirectory("pipeline-embedded-");
        Files.writeString(leftover.resolve("owner.pid"), String.valueOf(dead.pid()));
        Files.createDirectories(leftover.resolve("kafka"));

        Path dataDir;
        try (EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.startEphemeral()) {
            assertFalse(Files.exists(leftover), "a dead run's directory is deleted");
            Map<String, String> config = infrastructure.config();
            assertEquals(List.of("kafka.bootstrap.servers", "quarkus.datasource.username", "quarkus.datasource.password",
                    "quarkus.datasource.jdbc.url", "quarkus.datasource.reactive.url"), List.copyOf(config.keySet()));
            int pgPort = infrastructure.database().port();
            assertEquals("postgresql://localhost:" + pgPort + "/postgres", config.get("quarkus.datasource.reactive.url"));
            assertEquals("jdbc:postgresql://localhost:" + pgPort + "/postgres", config.get("quarkus.datasource.jdbc.url"));
            dataDir = infrastructure.database().dataDir();

            // Kafka: a fresh topic, auto-created, read back through a consumer group (so __consumer_offsets works).
            String bootstrap = config.get("kafka.bootstrap.servers");
            String topic = "roundtrip-" + UUID.randomUUID();
            send(bootstrap, topic, "key-1", "千项千亿");
            Properties props = consumerProps(bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                consumer.subscribe(List.of(topic));
                ConsumerRecord<String, String> record = pollOne(consumer);
                assertEquals("key-1", record.key());
                assertEquals("千项千亿", record.value());
                consumer.commitSync();
            }

            // PostgreSQL, with the pg_trgm extension (also on Chinese text).
            try (Connection connection = connect(config);
                    Statement statement = connection.createStatement()) {
                assertEquals(1, queryInt(statement, "select 1"));
                statement.execute("create extension if not exists pg_trgm");
                statement.execute("create extension if not exists pg_trgm");
                assertTrue(List.of("UTC", "Etc/UTC").contains(queryString(statement, "show timezone")));
                assertTrue(queryInt(statement, "select array_length(show_trgm('千项千亿'), 1)") > 0,
                        "pg_trgm extracts trigrams from Chinese text");
                assertTrue(queryDouble(statement, "select similarity('千项千亿 项目', '千项千亿')") > 0.3);
                assertEquals(17, queryInt(statement, "select current_setting('server_version_num')::int / 10000"));
                // Commits wait for their WAL; throw-away data is not flushed to disk.
                assertEquals("on", queryString(statement, "show synchronous_commit"));
                assertEquals("off", queryString(statement, "show fsync"));
            }
        }
        assertFalse(Files.exists(dataDir), "the ephemeral data directory is deleted on close");
    }

    @Test
    @Timeout(90)
    void persistentInfrastructureKeepsDataAcrossRestarts(@TempDir Path dir) throws Exception {
        String topic = "kept";
        String clusterId;
        try (EmbeddedInfrastructure first = EmbeddedInfrastructure.startPersistent(dir, 0, 0, 0)) {
            clusterId = first.kafka().clusterId();
            try (Connection connection = connect(first.config());
                    Statement statement = connection.createStatement()) {
                for (String setting : List.of("synchronous_commit", "fsync", "full_page_writes")) {
                    assertEquals("on", queryString(statement, "show " + setting), setting + ": the data must be durable");
                }
                statement.execute("create table kept (id int primary key, name text)");
                statement.execute("insert into kept values (1, '千项千亿')");
            }
            send(first.kafka().bootstrapServers(), topic, "k", "survives a restart");
        }

        try (EmbeddedInfrastructure second = EmbeddedInfrastructure.startPersistent(dir, 0, 0, 0)) {
            assertEquals(clusterId, second.kafka().clusterId(), "the formatted log directory is reused");
            try (Connection connection = connect(second.config());
                    Statement statement = connection.createStatement()) {
                assertEquals("千项千亿", queryString(statement, "select name from kept where id = 1"));
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(second.kafka().bootstrapServers()))) {
                TopicPartition partition = new TopicPartition(topic, 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                ConsumerRecord<String, String> record = pollOne(consumer);
                assertEquals("survives a restart", record.value());
            }
        }
    }

    private static void send(String bootstrap, String topic, String key, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, 0, key, value)).get();
        }
    }

    private static Properties consumerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }

    private static ConsumerRecord<String, String> pollOne(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                return record;
            }
        }
        throw new AssertionError("no record received within 20 s");
    }

    private static Connection connect(Map<String, String> config) throws SQLException {
        return DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
    }

    private static int queryInt(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getInt(1);
        }
    }

    private static double queryDouble(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getDouble(1);
        }
    }

    private static String queryString(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
