package cn.qxqy.pipeline.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;

/**
 * What the infrastructure itself can do, measured in the same run as the service, before the service's load:
 * <ul>
 * <li>PostgreSQL: single-row insert transactions per second with {@code synchronous_commit = on}, through the
 * service's driver (the Vert.x reactive PostgreSQL client) and its pool size, from many concurrent clients; each
 * insert is its own transaction (auto-commit), so the figure is what durable commits cost on this disk, group commit
 * included.</li>
 * <li>Kafka: records per second of 1 KiB with {@code acks=all}, sent as fast as the producer takes them, on the same
 * broker and with the same partition count as {@code project-events} (the broker's default): the loop of Kafka's own
 * {@code ProducerPerformance} with {@code --throughput -1}, run for a fixed time instead of a fixed count.</li>
 * </ul>
 * Each runs an uncounted warm-up (a tenth of its time, at least 0.5 s) first. Prints one line
 * {@code BENCH-RAW key=value …}.
 * <p>
 * {@code java -cp <target/bench/classpath.txt> cn.qxqy.pipeline.bench.RawLimits --postgres postgresql://host:port/db
 * --user u --password p --kafka host:port [--seconds 10] [--clients 64] [--pool 20] [--record-bytes 1024]}
 */
public final class RawLimits {

    private RawLimits() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        double seconds = Double.parseDouble(options.getOrDefault("seconds", "10"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "64"));
        int poolSize = Integer.parseInt(options.getOrDefault("pool", "20"));
        int recordBytes = Integer.parseInt(options.getOrDefault("record-bytes", "1024"));

        StringBuilder out = new StringBuilder("BENCH-RAW");
        Measured pg = postgres(require(options, "postgres"), require(options, "user"), require(options, "password"),
                seconds, clients, poolSize, out);
        out.append(" pg.tps=").append(Math.round(pg.perSecond()))
                .append(" pg.count=").append(pg.count())
                .append(" pg.seconds=").append(String.format(java.util.Locale.ROOT, "%.3f", pg.seconds()))
                .append(" pg.clients=").append(clients)
                .append(" pg.pool=").append(poolSize);
        Measured kafka = kafka(require(options, "kafka"), seconds, recordBytes, out);
        out.append(" kafka.rps=").append(Math.round(kafka.perSecond()))
                .append(" kafka.count=").append(kafka.count())
                .append(" kafka.seconds=").append(String.format(java.util.Locale.ROOT, "%.3f", kafka.seconds()))
                .append(" kafka.recordBytes=").append(recordBytes);
        System.out.println(out);
        System.out.flush();
        System.exit(0);
    }

    record Measured(long count, double seconds) {
        double perSecond() {
            return seconds > 0 ? count / seconds : 0;
        }
    }

    // --- PostgreSQL -------------------------------------------------------------------------------------------------

    static Measured postgres(String url, String user, String password, double seconds, int clients, int poolSize,
                             StringBuilder out) throws Exception {
        Vertx vertx = Vertx.vertx();
        PgConnectOptions connect = PgConnectOptions.fromUri(url).setUser(user).setPassword(password)
                .setCachePreparedStatements(true);
        // Whatever the server's or the database's default: this session commits durably.
        connect.addProperty("synchronous_commit", "on");
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize)).connectingTo(connect).using(vertx)
                .build();
        try {
            String table = "bench_raw_insert";
            await(pool.query("DROP TABLE IF EXISTS " + table).execute());
            // About the shape of an event row: a key, a UUID, a JSON document of a few hundred bytes, a timestamp.
            await(pool.query("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE,"
                    + " project_id text NOT NULL, payload jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())")
                    .execute());
            String sessionSetting = await(pool.query("SHOW synchronous_commit").execute()).iterator().next().getString(0);
            out.append(" pg.synchronousCommit=").append(sessionSetting);
            String insert = "INSERT INTO " + table + " (event_id, project_id, payload) VALUES ($1, $2, $3::jsonb)";
            String payload = "{\"type\":\"ProjectReserved\",\"occurredOn\":\"2024-02-19\",\"data\":{\"name\":\"年产200万只铝合金商用车轮毂智能制造项目\","
                    + "\"campaignId\":\"2024-qxqy\",\"regionCode\":\"141123\",\"industryChain\":\"aluminium-magnesium\","
                    + "\"categories\":[\"chain-extension\",\"private-capital\"],\"plannedInvestment\":150000.00,"
                    + "\"annualPlannedInvestment\":60000.00,\"zone\":\"兴县经济开发区\"}}";

            Supplier<Future<?>> oneInsert = () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                return pool.preparedQuery(insert).execute(Tuple.of(new UUID(random.nextLong(), random.nextLong()),
                        "BENCH-" + random.nextInt(1_000_000), payload));
            };
            loops(clients, warmUp(seconds), oneInsert, nanos -> { });
            return loops(clients, seconds, oneInsert, nanos -> { });
        } finally {
            try {
                await(pool.query("DROP TABLE IF EXISTS bench_raw_insert").execute());
            } finally {
                await(pool.close());
                await(vertx.close());
            }
        }
    }

    /**
     * {@code clients} loops, each sending its next query once the last is answered, until the time is up; every
     * answer's round trip goes to {@code latencyNanos}.
     */
    static Measured loops(int clients, double seconds, Supplier<Future<?>> query, LongConsumer latencyNanos)
            throws Exception {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        AtomicLong done = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CompletableFuture<?>[] loops = new CompletableFuture<?>[clients];
        for (int i = 0; i < clients; i++) {
            CompletableFuture<Void> loop = new CompletableFuture<>();
            loops[i] = loop;
            next(query, latencyNanos, deadline, done, failure, loop);
        }
        CompletableFuture.allOf(loops).get((long) seconds + 60, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("PostgreSQL query failed", failure.get());
        }
        return new Measured(done.get(), elapsed);
    }

    private static void next(Supplier<Future<?>> query, LongConsumer latencyNanos, long deadline, AtomicLong done,
                             AtomicReference<Throwable> failure, CompletableFuture<Void> loop) {
        if (System.nanoTime() >= deadline || failure.get() != null) {
            loop.complete(null);
            return;
        }
        long sent = System.nanoTime();
        query.get().onComplete(result -> {
            if (result.failed()) {
                failure.compareAndSet(null, result.cause());
                loop.complete(null);
                return;
            }
            latencyNanos.accept(System.nanoTime() - sent);
            done.incrementAndGet(); // the last ones end after the deadline, and so does the elapsed time
            next(query, latencyNanos, deadline, done, failure, loop);
        });
    }

    // --- Kafka ------------------------------------------------------------------------------------------------------

    static Measured kafka(String bootstrap, double seconds, int recordBytes, StringBuilder out) throws Exception {
        String topic = "bench-raw-producer";
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin client = Admin.create(admin)) {
            // The broker's default partition count and replication, as for the service's auto-created topics.
            client.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
            int partitions = client.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            out.append(" kafka.partitions=").append(partitions);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        byte[] payload = new byte[recordBytes];
        // Like ProducerPerformance: random upper-case letters, so that nothing compresses better than real data would.
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (ThreadLocalRandom.current().nextInt(26) + 65);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            send(producer, topic, payload, warmUp(seconds));
            return send(producer, topic, payload, seconds);
        }
    }

    private static Measured send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] payload, double seconds) {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline && failure.get() == null) {
            producer.send(new ProducerRecord<>(topic, payload), (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    acked.incrementAndGet();
                }
            });
        }
        producer.flush(); // what was sent counts once acknowledged, and so does the time that took
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("Kafka send failed", failure.get());
        }
        return new Measured(acked.get(), elapsed);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    static double warmUp(double seconds) {
        return Math.max(0.5, seconds / 10);
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }
}
