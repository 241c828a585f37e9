package cn.qxqy.pipeline.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * The project's infrastructure, started inside this JVM: a Kafka broker ({@link EmbeddedKafka}) and a PostgreSQL
 * server ({@link EmbeddedDatabase}), started in parallel. {@link #config()} gives the Quarkus configuration pointing
 * at them.
 * <p>
 * Nothing global is registered: call {@link #close()}, or {@link #closeOnShutdown()} to have a JVM shutdown hook do
 * it. The PostgreSQL server is a separate process that outlives a killed JVM; the next start cleans up after it.
 */
public final class EmbeddedInfrastructure implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedInfrastructure.class);

    private static final String EPHEMERAL_PREFIX = "pipeline-embedded-";
    private static final String OWNER_FILE = "owner.pid";

    private final EmbeddedKafka kafka;
    private final EmbeddedDatabase database;
    /** Deleted on close; null for a persistent start. */
    private final Path ephemeralRoot;
    private boolean closed;

    private EmbeddedInfrastructure(EmbeddedKafka kafka, EmbeddedDatabase database, Path ephemeralRoot) {
        this.kafka = kafka;
        this.database = database;
        this.ephemeralRoot = ephemeralRoot;
    }

    /**
     * Starts both on free ports with fresh data in a temporary directory, all of it deleted on {@link #close()}.
     * Leftovers of earlier runs whose JVM died (directories, a still-running PostgreSQL) are cleaned up first.
     */
    public static EmbeddedInfrastructure startEphemeral() {
        return startEphemeral(Map.of());
    }

    /** {@link #startEphemeral()} with more PostgreSQL server settings (the benchmark's pg_stat_statements). */
    public static EmbeddedInfrastructure startEphemeral(Map<String, String> postgresSettings) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        cleanUpDeadEphemeralRuns(tmp);
        Path root;
        try {
            root = Files.createTempDirectory(tmp, EPHEMERAL_PREFIX);
            Files.writeString(root.resolve(OWNER_FILE), String.valueOf(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory in " + tmp, e);
        }
        try {
            return start(() -> EmbeddedKafka.start(root.resolve("kafka"), 0, 0),
                    () -> EmbeddedDatabase.startEphemeral(root.resolve("postgres"), 0, postgresSettings), root);
        } catch (RuntimeException e) {
            deleteRecursively(root);
            throw e;
        }
    }

    /**
     * Starts both with their data kept in {@code dataDir} ({@code kafka/}, {@code postgres/}, {@code postgres.log},
     * {@code postgres-binaries/}), so that a restart finds the topics, records and tables of the previous run.
     *
     * @param kafkaPort      the Kafka client port (0 = free port)
     * @param controllerPort the Kafka KRaft controller port (0 = free port)
     * @param postgresPort   the PostgreSQL port (0 = free port)
     */
    public static EmbeddedInfrastructure startPersistent(Path dataDir, int kafkaPort, int controllerPort, int postgresPort) {
        return startPersistent(dataDir, kafkaPort, controllerPort, postgresPort, Map.of());
    }

    /** {@link #startPersistent(Path, int, int, int)} with more PostgreSQL server settings. */
    public static EmbeddedInfrastructure startPersistent(Path dataDir, int kafkaPort, int controllerPort, int postgresPort,
                                                         Map<String, String> postgresSettings) {
        Path dir = dataDir.toAbsolutePath().normalize();
        return start(() -> EmbeddedKafka.start(dir.resolve("kafka"), kafkaPort, controllerPort),
                () -> EmbeddedDatabase.startPersistent(dir.resolve("postgres"), postgresPort, postgresSettings), null);
    }

    private static EmbeddedInfrastructure start(Supplier<EmbeddedKafka> kafkaStarter,
            Supplier<EmbeddedDatabase> databaseStarter, Path ephemeralRoot) {
        long started = System.nanoTime();
        CompletableFuture<EmbeddedKafka> kafka = startInThread("embedded-kafka-start", kafkaStarter);
        CompletableFuture<EmbeddedDatabase> database = startInThread("embedded-postgres-start", databaseStarter);
        try {
            CompletableFuture.allOf(kafka, database).join();
        } catch (CompletionException e) {
            // Whatever did start must not outlive the failure.
            kafka.thenAccept(EmbeddedKafka::close);
            database.thenAccept(EmbeddedDatabase::close);
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
        EmbeddedInfrastructure infrastructure = new EmbeddedInfrastructure(kafka.join(), database.join(), ephemeralRoot);
        LOG.infof("Embedded Kafka (%s) and PostgreSQL (%s) started in %d ms", infrastructure.kafka.bootstrapServers(),
                infrastructure.database.jdbcUrl(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return infrastructure;
    }

    /**
     * Runs {@code starter} in a new thread whose context class loader is the one that loaded the Kafka and
     * PostgreSQL libraries: the broker's threads inherit it, and it outlives Quarkus dev-mode restarts (which close
     * the application class loader).
     */
    private static <T> CompletableFuture<T> startInThread(String name, Supplier<T> starter) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(starter.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, name);
        thread.setContextClassLoader(kafka.server.KafkaRaftServer.class.getClassLoader());
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /**
     * The Quarkus configuration for this infrastructure: {@code kafka.bootstrap.servers} and the default datasource
     * ({@code quarkus.datasource.username}, {@code password}, {@code jdbc.url}, {@code reactive.url}).
     */
    public Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("quarkus.datasource.username", database.username());
        config.put("quarkus.datasource.password", database.password());
        config.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
        config.put("quarkus.datasource.reactive.url", database.reactiveUrl());
        return config;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedDatabase database() {
        return database;
    }

    /** Registers a JVM shutdown hook that closes this infrastructure (harmless if it was closed before). */
    public EmbeddedInfrastructure closeOnShutdown() {
        Thread hook = new Thread(this::close, "embedded-infrastructure-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return this;
    }

    /** Stops the broker and the database server; deletes the data of an ephemeral start. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        try {
            kafka.close();
        } finally {
            try {
                database.close();
            } finally {
                if (ephemeralRoot != null) {
                    deleteRecursively(ephemeralRoot);
                }
            }
        }
        LOG.infof("Embedded Kafka and PostgreSQL stopped in %d ms",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Removes the ephemeral directories of runs whose JVM has died, stopping their PostgreSQL if still running. */
    private static void cleanUpDeadEphemeralRuns(Path tmp) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, EPHEMERAL_PREFIX + "*")) {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir) && ownerIsGone(dir)) {
                    LOG.infof("Cleaning up %s, left by a JVM that did not shut down cleanly", dir);
                    try {
                        EmbeddedDatabase.stopOrphanedServer(dir.resolve("postgres"));
                    } catch (RuntimeException e) {
                        LOG.debugf(e, "Could not stop the PostgreSQL left in %s", dir);
                        continue;
                    }
                    deleteRecursively(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf(e, "Could not look for leftovers in %s", tmp);
        }
    }

    private static boolean ownerIsGone(Path dir) throws IOException {
        Path owner = dir.resolve(OWNER_FILE);
        if (!Files.exists(owner)) {
            // Either being created right now, or from a run that died before writing it.
            FileTime modified = Files.getLastModifiedTime(dir);
            return modified.toInstant().isBefore(Instant.now().minus(Duration.ofMinutes(10)));
        }
        Optional<Long> pid;
        try {
            pid = Optional.of(Long.parseLong(Files.readString(owner).trim()));
        } catch (NumberFormatException e) {
            pid = Optional.empty();
        }
        return pid.flatMap(ProcessHandle::of).map(p -> !p.isAlive()).orElse(true);
    }

    /** Deletes a directory tree, as far as it can: what cannot be deleted is logged and left. */
    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.debugf(e, "Could not delete %s", path);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf(e, "Could not delete %s", root);
        }
    }
}
