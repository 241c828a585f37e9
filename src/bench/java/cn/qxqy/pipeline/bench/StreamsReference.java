package cn.qxqy.pipeline.bench;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.Stores;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Issue 27: the rebuild's reference, a Kafka Streams aggregation of the same events on the benchmark's broker. First,
 * not timed, the event store's rows are produced in the rebuild's order ({@code ORDER BY project_id, version}) to a
 * topic of their own, keyed by project, with the broker's default partition count; then a Kafka Streams application
 * (in-memory state stores, its default caching) is timed from its start until its per-campaign sums hold every event:
 * each project's state (campaign, stage, planned, signed and invested amounts, its events) is aggregated from its
 * events, then re-keyed by campaign and summed (adder and subtractor). Prints one line
 * {@code BENCH-STREAMS key=value …}.
 * <p>
 * {@code java -cp <target/bench/classpath.txt> cn.qxqy.pipeline.bench.StreamsReference --postgres
 * postgresql://host:port/db --user u --password p --kafka host:port --state-dir dir [--threads 2] [--timeout 900]}
 */
public final class StreamsReference {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = "SELECT project_id, version, type, occurred_on, data FROM events"
            + " ORDER BY project_id, version";

    private StreamsReference() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = RawLimits.options(args);
        String kafka = RawLimits.require(options, "kafka");
        int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
        double timeout = Double.parseDouble(options.getOrDefault("timeout", "900"));
        String topic = "bench-streams-events-" + UUID.randomUUID();

        int partitions = createTopic(kafka, topic);
        long start = System.nanoTime();
        long events = produce(RawLimits.require(options, "postgres"), RawLimits.require(options, "user"),
                RawLimits.require(options, "password"), kafka, topic);
        double produceSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "produced %,d events to %s (%d partitions) in %.1f s%n", events, topic,
                partitions, produceSeconds);

        Aggregation aggregation = aggregate(kafka, topic, threads,
                Path.of(RawLimits.require(options, "state-dir")), events, timeout);
        System.out.println("BENCH-STREAMS"
                + " streams.eps=" + Math.round(events / aggregation.seconds())
                + " streams.events=" + events
                + " streams.seconds=" + String.format(Locale.ROOT, "%.3f", aggregation.seconds())
                + " streams.threads=" + threads
                + " streams.partitions=" + partitions
                + " streams.campaigns=" + aggregation.campaigns()
                + " streams.projects=" + aggregation.projects()
                + " streams.produceSeconds=" + String.format(Locale.ROOT, "%.3f", produceSeconds));
        System.out.flush();
        System.exit(0);
    }

    private static int createTopic(String kafka, String topic) throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        try (Admin client = Admin.create(admin)) {
            // The broker's default partition count, as project-events has.
            client.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all()
                    .get(30, TimeUnit.SECONDS);
            return client.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
        }
    }

    /** The store's events in the rebuild's order, as JSON values keyed by project; how many. */
    private static long produce(String url, String user, String password, String kafka, String topic)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        AtomicReference<Exception> failure = new AtomicReference<>();
        long events = 0;
        try (Connection c = DriverManager.getConnection("jdbc:" + url, user, password);
             KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            c.setAutoCommit(false); // pgjdbc fetches in pages only inside a transaction
            try (Statement st = c.createStatement()) {
                st.setFetchSize(5000);
                try (ResultSet rs = st.executeQuery(EVENTS)) {
                    while (rs.next() && failure.get() == null) {
                        String value = "{\"version\":" + rs.getLong(2) + ",\"type\":\"" + rs.getString(3)
                                + "\",\"occurredOn\":\"" + rs.getString(4) + "\",\"data\":" + rs.getString(5) + "}";
                        producer.send(new ProducerRecord<>(topic, rs.getString(1), value), (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                        events++;
                    }
                }
            }
            c.commit();
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the events failed", failure.get());
        }
        return events;
    }

    record Aggregation(double seconds, int campaigns, long projects) {
    }

    /** Runs the application from the topic's start until the campaign sums count {@code events}; its time. */
    private static Aggregation aggregate(String kafka, String topic, int threads, Path stateDir, long events,
                                         double timeoutSeconds) throws Exception {
        Files.createDirectories(stateDir);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-streams-reference-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // The caches forward the sums at each commit: every 30 s by default, which would end the timing up to 30 s late.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 500);

        // Campaign → events summed into it: complete once they add up to every event produced.
        Map<String, CampaignSums> sums = new ConcurrentHashMap<>();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .aggregate(ProjectState::new, (project, event, state) -> state.apply(event),
                        Materialized.<String, ProjectState>as(Stores.inMemoryKeyValueStore("project-state"))
                                .withKeySerde(Serdes.String()).withValueSerde(ProjectState.SERDE))
                .groupBy((project, state) -> KeyValue.pair(state.campaign, state),
                        Grouped.with(Serdes.String(), ProjectState.SERDE))
                .aggregate(CampaignSums::new, (campaign, state, total) -> total.plus(state, 1),
                        (campaign, state, total) -> total.plus(state, -1),
                        Materialized.<String, CampaignSums>as(Stores.inMemoryKeyValueStore("campaign-sums"))
                                .withKeySerde(Serdes.String()).withValueSerde(CampaignSums.SERDE))
                .toStream()
                .foreach(sums::put);

        long start = System.nanoTime();
        long deadline = start + (long) (timeoutSeconds * 1e9);
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            while (sums.values().stream().mapToLong(s -> s.events).sum() < events) {
                if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("the aggregation did not finish within " + timeoutSeconds
                            + " s (state " + streams.state() + "): " + sums.values().stream().mapToLong(s -> s.events)
                            .sum() + " of " + events + " events summed");
                }
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long projects = sums.values().stream().mapToLong(s -> s.projects).sum();
            streams.close(java.time.Duration.ofSeconds(30));
            return new Aggregation(seconds, sums.size(), projects);
        }
    }

    /** A project's state from its events. */
    static final class ProjectState {

        static final Serde<ProjectState> SERDE = Serdes.serdeFrom(
                (Serializer<ProjectState>) (topic, s) -> s == null ? null : s.bytes(),
                (Deserializer<ProjectState>) (topic, b) -> b == null ? null : new ProjectState(ByteBuffer.wrap(b)));

        String campaign = "";
        byte stage;
        long plannedCents;
        long signedCents;
        long investedCents;
        long events;

        ProjectState() {
        }

        ProjectState(ByteBuffer in) {
            byte[] name = new byte[in.getShort()];
            in.get(name);
            campaign = new String(name, StandardCharsets.UTF_8);
            stage = in.get();
            plannedCents = in.getLong();
            signedCents = in.getLong();
            investedCents = in.getLong();
            events = in.getLong();
        }

        byte[] bytes() {
            byte[] name = campaign.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(2 + name.length + 1 + 4 * 8).putShort((short) name.length).put(name).put(stage)
                    .putLong(plannedCents).putLong(signedCents).putLong(investedCents).putLong(events).array();
        }

        ProjectState apply(String value) {
            try {
                JsonNode event = JSON.readTree(value);
                JsonNode data = event.path("data");
                switch (event.path("type").asText()) {
                    case "ProjectReserved" -> {
                        campaign = data.path("campaignId").asText();
                        plannedCents = cents(data.path("plannedInvestment"));
                        stage = 1;
                    }
                    case "ProjectCorrected" -> {
                        if (data.has("plannedInvestment")) {
                            plannedCents = cents(data.path("plannedInvestment"));
                        }
                    }
                    case "ProjectSigned" -> {
                        signedCents = cents(data.path("signedInvestment"));
                        stage = 2;
                    }
                    case "ConstructionStarted" -> stage = 3;
                    case "InvestmentReported" -> investedCents = cents(data.path("investmentToDate"));
                    case "ProjectCompleted" -> stage = 4;
                    case "ProjectWithdrawn" -> stage = 5;
                    default -> {
                        // another event type: counted, no figure
                    }
                }
                events++;
                return this;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("not an event: " + value, e);
            }
        }

        private static long cents(JsonNode amount) {
            return amount.isMissingNode() || amount.isNull() ? 0
                    : new BigDecimal(amount.asText()).movePointRight(2).longValue();
        }
    }

    /** A campaign's sums over its projects' current states. */
    static final class CampaignSums {

        static final Serde<CampaignSums> SERDE = Serdes.serdeFrom(
                (Serializer<CampaignSums>) (topic, s) -> s == null ? null : ByteBuffer.allocate(8 * 10)
                        .putLong(s.projects).putLong(s.events).putLong(s.plannedCents).putLong(s.signedCents)
                        .putLong(s.investedCents).putLong(s.byStage[1]).putLong(s.byStage[2]).putLong(s.byStage[3])
                        .putLong(s.byStage[4]).putLong(s.byStage[5]).array(),
                (Deserializer<CampaignSums>) (topic, b) -> {
                    if (b == null) {
                        return null;
                    }
                    ByteBuffer in = ByteBuffer.wrap(b);
                    CampaignSums s = new CampaignSums();
                    s.projects = in.getLong();
                    s.events = in.getLong();
                    s.plannedCents = in.getLong();
                    s.signedCents = in.getLong();
                    s.investedCents = in.getLong();
                    for (int stage = 1; stage <= 5; stage++) {
                        s.byStage[stage] = in.getLong();
                    }
                    return s;
                });

        long projects;
        long events;
        long plannedCents;
        long signedCents;
        long investedCents;
        final long[] byStage = new long[6];

        /** Adds a project's state ({@code sign} 1) or takes its previous state out ({@code sign} -1). */
        CampaignSums plus(ProjectState state, int sign) {
            projects += sign;
            events += sign * state.events;
            plannedCents += sign * state.plannedCents;
            signedCents += sign * state.signedCents;
            investedCents += sign * state.investedCents;
            byStage[state.stage] += sign;
            return this;
        }
    }
}
