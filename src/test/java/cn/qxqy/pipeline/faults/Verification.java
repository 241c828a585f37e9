package cn.qxqy.pipeline.faults;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.assertj.core.api.SoftAssertions;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What every fault test checks once its load has stopped, with no admin action: (1) every acknowledged event is in the
 * event store exactly once, and nothing else of the test's projects is, but events whose acknowledgement was lost in
 * flight; (2) every stored event is on the topic {@code project-events} at least once, in each project's version
 * order; (3) the read models catch up by themselves, and the service's consistency check and the campaign's figures
 * agree with what was acknowledged.
 */
final class Verification {

    static final String TOPIC = "project-events";
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> STAGES = List.of("RESERVED", "SIGNED", "STARTED", "COMPLETED");

    private record Stored(UUID eventId, String projectId, long version) {
    }

    private record Published(int partition, long offset, UUID eventId, String projectId, long version) {
    }

    private Verification() {
    }

    /**
     * Checks everything into the test's soft assertions (so that every failure is reported, with the test's own) and
     * prints what was measured; the eventIds of the test's projects found on the topic.
     */
    static Set<UUID> verify(Cluster cluster, Writers writers, SoftAssertions softly) throws Exception {
        return verify(cluster, writers, softly, false);
    }

    /** As {@link #verify(Cluster, Writers, SoftAssertions)}; {@code rebuilt}: a rebuild was part of the drill and is DONE. */
    static Set<UUID> verify(Cluster cluster, Writers writers, SoftAssertions softly, boolean rebuilt) throws Exception {
        String prefix = writers.projectPrefix();
        List<Writers.Attempt> attempts = writers.attempts();
        softly.assertThat(writers.unexpected()).as("answers other than 200/201 with the right version or 503 "
                + "(a 500 is a failure of the service)").isEmpty();

        long catchUpStart = System.nanoTime();
        String catchUpProblem = awaitCatchUp(cluster, prefix);
        double catchUpSeconds = Cluster.seconds(catchUpStart);
        softly.assertThat(catchUpProblem).as("read models caught up within " + CATCH_UP_TIMEOUT + " with no admin action")
                .isNull();

        // (1) The event store.
        Map<UUID, Stored> stored = new LinkedHashMap<>();
        Map<String, Long> heads = new TreeMap<>();
        int duplicateStoredIds = 0;
        long outbox;
        try (Connection db = cluster.jdbc()) {
            for (Stored event : storedEvents(db, prefix)) {
                if (stored.put(event.eventId(), event) != null) {
                    duplicateStoredIds++;
                }
            }
            try (PreparedStatement st = db.prepareStatement("SELECT project_id, version FROM stream_heads WHERE project_id LIKE ?")) {
                st.setString(1, prefix + "%");
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        heads.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM outbox")) {
                rs.next();
                outbox = rs.getLong(1);
            }
        }
        Map<UUID, Writers.Ack> acks = writers.acks();
        softly.assertThat(duplicateStoredIds).as("eventIds stored more than once").isZero();
        List<UUID> lost = acks.keySet().stream().filter(id -> !stored.containsKey(id)).toList();
        softly.assertThat(lost).as("acknowledged events missing from the event store").isEmpty();
        List<String> misplaced = acks.values().stream()
                .filter(a -> stored.containsKey(a.eventId()) && (!stored.get(a.eventId()).projectId().equals(a.projectId())
                        || stored.get(a.eventId()).version() != a.version()))
                .map(a -> a.eventId() + " acknowledged as " + a.projectId() + ":" + a.version() + ", stored as "
                        + stored.get(a.eventId()).projectId() + ":" + stored.get(a.eventId()).version())
                .toList();
        softly.assertThat(misplaced).as("acknowledged events stored elsewhere than acknowledged").isEmpty();
        List<UUID> unacknowledged = stored.keySet().stream().filter(id -> !acks.containsKey(id)).toList();
        List<UUID> lostInFlight = unacknowledged.stream().filter(writers.unresolved()::contains).toList();
        softly.assertThat(unacknowledged.stream().filter(id -> !writers.unresolved().contains(id)).toList())
                .as("stored events of the test's projects that were never posted or were acknowledged elsewhere")
                .isEmpty();
        Map<String, List<Long>> versions = stored.values().stream().collect(Collectors.groupingBy(Stored::projectId,
                TreeMap::new, Collectors.mapping(Stored::version, Collectors.toList())));
        List<String> gaps = new ArrayList<>();
        versions.forEach((projectId, vs) -> {
            List<Long> sorted = vs.stream().sorted().toList();
            for (int i = 0; i < sorted.size(); i++) {
                if (sorted.get(i) != i + 1) {
                    gaps.add(projectId + " has versions " + sorted);
                    break;
                }
            }
            if (!Long.valueOf(sorted.size()).equals(heads.get(projectId))) {
                gaps.add(projectId + " has " + sorted.size() + " events but its stream head says " + heads.get(projectId));
            }
        });
        softly.assertThat(gaps).as("projects whose stored versions are not 1..head").isEmpty();
        softly.assertThat(outbox).as("events left in the outbox (committed, not published)").isZero();

        // (2) The topic.
        List<Published> published = readTopic(cluster.bootstrapServers(), prefix);
        Set<UUID> publishedIds = new HashSet<>();
        Map<String, Integer> partitionOf = new HashMap<>();
        Map<String, Long> highest = new HashMap<>();
        List<String> disorder = new ArrayList<>();
        long duplicates = 0;
        for (Published record : published) {
            Integer partition = partitionOf.putIfAbsent(record.projectId(), record.partition());
            if (partition != null && partition != record.partition()) {
                disorder.add(record.projectId() + " is on partitions " + partition + " and " + record.partition());
            }
            long seen = highest.getOrDefault(record.projectId(), 0L);
            if (record.version() > seen + 1) {
                disorder.add(record.projectId() + ":" + record.version() + " at offset " + record.offset()
                        + " of partition " + record.partition() + " after version " + seen);
            }
            if (!publishedIds.add(record.eventId())) {
                duplicates++;
            }
            highest.put(record.projectId(), Math.max(seen, record.version()));
            Stored original = stored.get(record.eventId());
            if (original != null && (!original.projectId().equals(record.projectId()) || original.version() != record.version())) {
                disorder.add(record.eventId() + " published as " + record.projectId() + ":" + record.version()
                        + ", stored as " + original.projectId() + ":" + original.version());
            }
        }
        softly.assertThat(stored.keySet().stream().filter(id -> !publishedIds.contains(id)).toList())
                .as("stored events never published to " + TOPIC).isEmpty();
        softly.assertThat(disorder.stream().limit(20).toList())
                .as("records of " + TOPIC + " out of their project's version order (at least once allows repeats only)")
                .isEmpty();

        // (3) The service's own check, the campaign's figures against what was acknowledged, and no rebuild.
        JsonNode check = cluster.getJson("/api/v1/admin/projections/check", true, Duration.ofSeconds(120));
        softly.assertThat(check.path("consistent").asBoolean()).as("GET /api/v1/admin/projections/check: " + check)
                .isTrue();
        softly.assertThat(check.path("checkedEvents").asLong()).as("events the consistency check went through")
                .isGreaterThanOrEqualTo(stored.size());
        // A fault of the infrastructure is never a poisonous event: no project parked.
        softly.assertThat(cluster.getJson("/api/v1/admin/projections/dead-letters", true, Duration.ofSeconds(30)))
                .as("projects parked by the projector").isEmpty();
        JsonNode summary = cluster.getJson("/api/v1/campaigns/" + writers.campaignId() + "/summary", false,
                Duration.ofSeconds(30));
        Set<UUID> counted = new HashSet<>(acks.keySet());
        counted.addAll(lostInFlight);
        Map<String, Object> expected = expectedSummary(writers.sent(), counted);
        Map<String, Object> actual = new LinkedHashMap<>();
        expected.forEach((key, value) -> actual.put(key, figure(summary, key, value instanceof Long)));
        softly.assertThat(actual).as("the campaign's summary against the acknowledged events").isEqualTo(expected);
        JsonNode rebuild = cluster.projection("rebuild").orElseThrow();
        if (rebuilt) {
            softly.assertThat(rebuild.path("state").asText()).as("the drill's rebuild: " + rebuild).isEqualTo("DONE");
        } else {
            softly.assertThat(rebuild.path("startedAt").isNull() || rebuild.path("startedAt").isMissingNode())
                    .as("no rebuild ran: " + rebuild).isTrue();
        }

        long withRetryAfter = attempts.stream().filter(a -> a.status() == 503 && a.retryAfter() != null).count();
        long withoutRetryAfter = attempts.stream().filter(a -> a.status() == 503 && a.retryAfter() == null).count();
        long connectionErrors = attempts.stream().filter(Writers.Attempt::connectionError).count();
        System.out.printf("[faults] %s: acknowledged %d events of %d projects; stored %d (%d lost in flight: stored, "
                        + "acknowledgement lost); published %d records (%d duplicates); 503 with Retry-After %d, without %d; "
                        + "connection errors %d; other answers %d; read models %s; check consistent=%s over %d events%n",
                cluster.name, acks.size(), heads.size(), stored.size(), lostInFlight.size(), published.size(), duplicates,
                withRetryAfter, withoutRetryAfter, connectionErrors, writers.unexpected().size(),
                catchUpProblem == null ? String.format("caught up %.1f s after the load stopped", catchUpSeconds)
                        : "not caught up after " + CATCH_UP_TIMEOUT.toSeconds() + " s (" + catchUpProblem + ")",
                check.path("consistent").asText(), check.path("checkedEvents").asLong());
        writers.unexpected().stream().limit(10).forEach(a -> System.out.printf("[faults] %s:   unexpected: %s%n",
                cluster.name, a));
        return publishedIds;
    }

    /**
     * Waits until the projector's lag is 0 and every test project's view has its stream head's version; null when
     * they have, else what was still missing at the deadline.
     */
    private static String awaitCatchUp(Cluster cluster, String prefix) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        long lag = -1;
        while (System.nanoTime() < deadline) {
            try {
                lag = cluster.projection("projector").map(p -> p.path("lag").asLong(-1)).orElse(-1L);
            } catch (IOException e) {
                lag = -1; // a replica still recovering: ask again
            }
            if (lag == 0) {
                break;
            }
            Thread.sleep(250);
        }
        if (lag != 0) {
            return "projector lag " + lag;
        }
        Map<String, Long> pending = new TreeMap<>();
        try (Connection db = cluster.jdbc();
             PreparedStatement st = db.prepareStatement("SELECT project_id, version FROM stream_heads WHERE project_id LIKE ?")) {
            st.setString(1, prefix + "%");
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    pending.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        while (true) {
            Replica replica = cluster.live();
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var head = it.next();
                HttpResponse<String> r = cluster.get(replica, "/api/v1/projects/" + head.getKey(), false, Duration.ofSeconds(10));
                if (r.statusCode() == 200 && Cluster.JSON.readTree(r.body()).path("version").asLong() == head.getValue()) {
                    it.remove();
                }
            }
            if (pending.isEmpty()) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                return pending.size() + " project views behind their stream heads, e.g. " + pending.entrySet().iterator().next();
            }
            Thread.sleep(500);
        }
    }

    private static List<Stored> storedEvents(Connection db, String prefix) throws SQLException {
        List<Stored> events = new ArrayList<>();
        try (PreparedStatement st = db.prepareStatement(
                "SELECT event_id, project_id, version FROM events WHERE project_id LIKE ? ORDER BY position")) {
            st.setString(1, prefix + "%");
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    events.add(new Stored(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3)));
                }
            }
        }
        return events;
    }

    /** Every record of the topic from offset 0 to its end now, those of the test's projects kept. */
    private static List<Published> readTopic(String bootstrapServers, String prefix) throws IOException {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<Published> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("could not read " + TOPIC + " to its end " + end + " within 60 s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() != null && record.key().startsWith(prefix)) {
                        JsonNode event = Cluster.JSON.readTree(record.value());
                        records.add(new Published(record.partition(), record.offset(),
                                UUID.fromString(event.path("eventId").asText()), event.path("projectId").asText(),
                                event.path("version").asLong()));
                    }
                }
            }
        }
        records.sort(Comparator.comparingInt(Published::partition).thenComparingLong(Published::offset));
        return records;
    }

    /** The summary's figures as the events counted make them (no project is withdrawn). */
    private static Map<String, Object> expectedSummary(Map<UUID, Writers.Sent> sent, Set<UUID> counted) {
        Map<String, List<Writers.Sent>> byProject = sent.values().stream().filter(e -> counted.contains(e.eventId()))
                .collect(Collectors.groupingBy(Writers.Sent::projectId));
        long projects = 0;
        BigDecimal planned = BigDecimal.ZERO;
        BigDecimal annual = BigDecimal.ZERO;
        BigDecimal signed = BigDecimal.ZERO;
        BigDecimal toDate = BigDecimal.ZERO;
        Map<String, Long> current = new LinkedHashMap<>();
        STAGES.forEach(stage -> current.put(stage, 0L));
        for (List<Writers.Sent> history : byProject.values()) {
            history.sort(Comparator.comparingLong(Writers.Sent::version));
            String stage = null;
            BigDecimal reported = BigDecimal.ZERO;
            for (Writers.Sent event : history) {
                switch (event.type()) {
                    case "ProjectReserved" -> {
                        projects++;
                        planned = planned.add(event.amount());
                        annual = annual.add(event.annual());
                        stage = "RESERVED";
                    }
                    case "ProjectSigned" -> {
                        signed = signed.add(event.amount());
                        stage = "SIGNED";
                    }
                    case "ConstructionStarted" -> stage = "STARTED";
                    case "InvestmentReported" -> reported = event.amount();
                    case "ProjectCompleted" -> stage = "COMPLETED";
                    default -> throw new IllegalArgumentException(event.type());
                }
            }
            toDate = toDate.add(reported);
            if (stage != null) {
                current.merge(stage, 1L, Long::sum);
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("projects", projects);
        figures.put("plannedInvestment", planned.setScale(2));
        figures.put("annualPlannedInvestment", annual.setScale(2));
        figures.put("signedInvestment", signed.setScale(2));
        figures.put("investmentToDate", toDate.setScale(2));
        current.forEach((stage, count) -> figures.put("stages." + stage + ".current", count));
        return figures;
    }

    /** A figure of the summary by its dotted path: a count, or an amount. */
    private static Object figure(JsonNode summary, String path, boolean count) {
        JsonNode node = summary;
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        BigDecimal amount = node.decimalValue();
        // Compared at two fraction digits, however many the JSON number shows (19856286.7 is 19856286.70).
        return count ? (Object) node.asLong() : amount.scale() <= 2 ? amount.setScale(2) : amount;
    }
}
