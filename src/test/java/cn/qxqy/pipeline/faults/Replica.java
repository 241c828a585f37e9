package cn.qxqy.pipeline.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One replica of the service: the production jar in a process of its own, as production starts it (prod profile,
 * configured by environment), on a fixed HTTP port, so that it can be killed, stopped and started again at the same
 * address. Each replica logs to a file of its own, target/faults/&lt;name&gt;.log.
 */
final class Replica {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final String name;
    private final int port;
    private final Path argFile;
    private final Path log;
    private final Map<String, String> environment;
    private volatile Process process;
    private volatile boolean ready;
    private int starts;

    Replica(String name, int port, Map<String, String> environment) {
        this.name = name;
        this.port = port;
        this.argFile = Cluster.DIR.resolve(name + ".args");
        this.log = Cluster.DIR.resolve(name + ".log");
        this.environment = Map.copyOf(environment);
    }

    String name() {
        return name;
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    Path log() {
        return log;
    }

    /** Launches the process; {@link #awaitReady} waits for it. */
    synchronized void start() {
        // The projector's Kafka client is named after the replica, so that the consumer group's members can be told
        // apart; nothing else differs from a production start.
        List<String> args = List.of("-Xmx384m", "-XX:+ExitOnOutOfMemoryError", "-Dquarkus.http.port=" + port,
                "-Dmp.messaging.incoming.project-events-in.client.id=" + name,
                "-jar", Cluster.JAR.toString());
        try {
            // Through java @file: a command line naming quarkus-run.jar could be stopped by another run's pkill -f.
            StringBuilder quoted = new StringBuilder();
            for (String arg : args) {
                quoted.append('"').append(arg.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
            }
            Files.writeString(argFile, quoted, StandardCharsets.UTF_8);
            starts++;
            // A run's first start replaces an earlier run's log; a restart appends to it.
            Files.writeString(log, "--- " + name + " start " + starts + " at " + Instant.now() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    starts == 1 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(JAVA, "@" + argFile).directory(Cluster.DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200; fails with the log's tail if the process exits first. */
    void awaitReady(HttpClient http, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (true) {
            Process p = process;
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited with " + p.exitValue() + " while starting:\n" + tail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready within " + timeout + ":\n" + tail());
            }
            Thread.sleep(200);
        }
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Whether a load balancer would route to it: running, and ready at the last {@link #probe}. */
    boolean ready() {
        return ready && alive();
    }

    /** Asks {@code /q/health/ready}, as a load balancer's health check does. */
    void probe(HttpClient http) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                .timeout(Duration.ofMillis(500)).GET().build();
        try {
            ready = alive() && http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            ready = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** kill -9: no shutdown hook runs, the Kafka consumer does not leave its group, in-flight requests are cut. */
    void kill() throws InterruptedException {
        Process p = process;
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: Quarkus shuts down gracefully. */
    void terminate() {
        process.destroy();
    }

    /** The exit code once the process has exited within {@code timeout}; empty if it is still running. */
    OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        Process p = process;
        return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? OptionalInt.of(p.exitValue()) : OptionalInt.empty();
    }

    /** SIGTERM, then SIGKILL if it has not exited within 40 s. */
    void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(40, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log at " + log + ")";
        }
    }
}
