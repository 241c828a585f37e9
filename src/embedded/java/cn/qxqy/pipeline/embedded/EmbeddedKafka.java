package cn.qxqy.pipeline.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jboss.logging.Logger;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real, single-node Apache Kafka broker (KRaft, combined broker + controller) running inside this JVM
 * and listening on the loopback interface only.
 * <p>
 * The log directory is formatted only when it has not been formatted yet, so a persistent directory keeps its
 * cluster id, topics and records across restarts.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class);

    static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    /** Broker-side log categories, turned down (see {@link #quietLogging}). */
    @SuppressWarnings("unused")
    private static final List<java.util.logging.Logger> QUIETED = quietLogging(Level.WARNING,
            "kafka", "state.change.logger",
            "org.apache.kafka.server", "org.apache.kafka.controller", "org.apache.kafka.raft",
            "org.apache.kafka.metadata", "org.apache.kafka.image", "org.apache.kafka.storage",
            "org.apache.kafka.snapshot", "org.apache.kafka.queue", "org.apache.kafka.coordinator",
            "org.apache.kafka.security", "org.apache.kafka.network");
    /** Warns on every start of a freshly formatted node ("Performing controller activation"), which is expected. */
    @SuppressWarnings("unused")
    private static final List<java.util.logging.Logger> QUIETED_MORE = quietLogging(Level.SEVERE,
            "org.apache.kafka.controller.QuorumController");

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafka(Path logDir, int port, int controllerPort, String clusterId, KafkaRaftServer server) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
        this.server = server;
    }

    /**
     * Formats {@code logDir} if needed and starts the broker.
     *
     * @param logDir         the log directory (created if missing); reused as-is when already formatted
     * @param port           the PLAINTEXT (client) port, or 0 for a free port
     * @param controllerPort the CONTROLLER (KRaft quorum) port, or 0 for a free port
     */
    public static EmbeddedKafka start(Path logDir, int port, int controllerPort) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(logDir);
            int brokerPort = port == 0 ? freePort() : requireFreePort(port, "Kafka");
            int quorumPort = controllerPort == 0 ? freePort(brokerPort) : requireFreePort(controllerPort, "Kafka controller");

            String dir = logDir.toAbsolutePath().toString();
            String clusterId = existingClusterId(dir)
                    .orElseGet(() -> format(dir));

            KafkaConfig config = KafkaConfig.fromProps(brokerProperties(dir, brokerPort, quorumPort), false);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                // Returns once the broker has caught up with the metadata log and has been unfenced.
                server.startup();
            } catch (RuntimeException e) {
                shutdownQuietly(server);
                throw e;
            }
            LOG.infof("Kafka broker up at %s:%d (controller port %d, cluster %s, log dir %s) in %d ms",
                    HOST, brokerPort, quorumPort, clusterId, dir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return new EmbeddedKafka(logDir, brokerPort, quorumPort, clusterId, server);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded Kafka broker in " + logDir, e);
        }
    }

    /** {@code host:port} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public String clusterId() {
        return clusterId;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        shutdownQuietly(server);
        LOG.infof("Kafka broker at %s stopped in %d ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Error while stopping the embedded Kafka broker", e);
        }
    }

    private static Properties brokerProperties(String logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir);

        // A single node: every internal topic has one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");

        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "4");
        p.put("auto.create.topics.enable", "true");

        // Small footprint: the log cleaner would otherwise allocate a 128 MiB buffer on the heap.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        return p;
    }

    /** The cluster id of an already formatted log directory, if it is one. */
    private static Optional<String> existingClusterId(String logDir) throws IOException {
        if (!Files.exists(Path.of(logDir, MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
            return Optional.empty();
        }
        MetaPropertiesEnsemble ensemble = new MetaPropertiesEnsemble.Loader().addLogDirs(List.of(logDir)).load();
        return ensemble.clusterId();
    }

    private static String format(String logDir) {
        String clusterId = Uuid.randomUuid().toString();
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(logDir))
                    .setMetadataLogDirectory(logDir)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format the Kafka log directory " + logDir, e);
        }
        LOG.debugf("Formatted Kafka log directory %s with cluster id %s", logDir, clusterId);
        return clusterId;
    }

    /** A port that is free on the loopback interface right now, different from {@code avoid}. */
    static int freePort(int... avoid) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int candidate = socket.getLocalPort();
                boolean clash = false;
                for (int a : avoid) {
                    clash |= a == candidate;
                }
                if (!clash) {
                    return candidate;
                }
            }
        }
        throw new IOException("No free port found");
    }

    /** Fails fast, with a readable message, when a fixed port is taken. */
    static int requireFreePort(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException(what + " port " + port
                    + " is already in use on localhost (is another local run still up?)", e);
        }
    }

    /**
     * Turns the given categories down to {@code level} unless {@code -Dembedded.verbose=true}. The loggers are returned to be
     * kept strongly reachable, as a logger's level is otherwise lost when it is garbage-collected.
     */
    static List<java.util.logging.Logger> quietLogging(Level level, String... categories) {
        if (Boolean.getBoolean("embedded.verbose")) {
            return List.of();
        }
        return java.util.Arrays.stream(categories).map(name -> {
            // The JBoss LogManager is the backend of slf4j here, whether or not it is also the JUL LogManager.
            java.util.logging.Logger logger = org.jboss.logmanager.Logger.getLogger(name);
            logger.setLevel(level);
            return logger;
        }).toList();
    }
}
