package cn.qxqy.pipeline.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's settings, from system properties ({@code -Dbench.…} on the bench/run command line). Every phase's
 * length, rate and bound can be changed, so that the harness does not assume today's speed of the service.
 * <p>
 * {@code bench.smoke=true} shortens everything (CI's smoke run: it checks that the harness and the service work, its
 * figures are not measurements). {@code bench.duration} and {@code bench.warmup} set every measured phase's and every
 * warm-up's length at once; the per-phase properties override them.
 */
final class BenchConfig {

    final boolean smoke = Boolean.getBoolean("bench.smoke");

    /** The application's checkout (its pom.xml, target/quarkus-app, target/bench). */
    final Path root = Path.of(System.getProperty("bench.root", "..")).toAbsolutePath().normalize();

    final Duration rawDuration = duration("bench.raw.duration", "10s", "1s");
    /** The raw lookups' warm-up: their client is a fresh JVM, set against the service's, warm after the write path. */
    final Duration rawLookupWarmup = duration("bench.raw.lookup-warmup", "10s", "0.5s");
    final int rawClients = integer("bench.raw.clients", 64, 64);
    /** The service's pool: quarkus.datasource.reactive.max-size in application.properties. */
    final int rawPool = integer("bench.raw.pool", servicePoolSize(), servicePoolSize());
    /**
     * {@code on}: data under target/bench/infra with fsync on, as in production; {@code off}: the test suite's ephemeral
     * settings (a commit waits for its WAL write, not for the disk). The smoke run uses off: it checks, it does not measure.
     */
    final String fsync = string("bench.fsync", "on", "off");

    final int singleConnections = integer("bench.single.connections", 64, 64);
    final Duration singleWarmup = duration("bench.single.warmup", warmup("20s"), warmup("0s"));
    final Duration singleDuration = duration("bench.single.duration", measured("30s"), measured("1s"));

    /** Issue 27: single POSTs from fewer connections after the 64-connection phase (p99 ≤ 50 ms); a short warm-up. */
    final int single16Connections = integer("bench.single16.connections", 16, 16);
    final Duration single16Warmup = duration("bench.single16.warmup", warmup("5s"), warmup("0s"));
    final Duration single16Duration = duration("bench.single16.duration", measured("30s"), measured("1s"));

    final int batchSize = integer("bench.batch.size", 1000, 1000);
    final int batchConnections = integer("bench.batch.connections", 4, 1);
    final Duration batchWarmup = duration("bench.batch.warmup", warmup("10s"), warmup("0s"));
    final Duration batchDuration = duration("bench.batch.duration", measured("30s"), measured("1s"));

    final int steadyRate = integer("bench.steady.rate", 1000, 1000);
    final int steadyConnections = integer("bench.steady.connections", 64, 64);
    final Duration steadyWarmup = duration("bench.steady.warmup", warmup("10s"), warmup("0s"));
    final Duration steadyDuration = duration("bench.steady.duration", measured("30s"), measured("1s"));

    final int burstEvents = integer("bench.burst.events", 20_000, 2_000);
    final int burstConnections = integer("bench.burst.connections", 2, 2);
    final Duration readyInterval = duration("bench.ready.interval", "250ms", "250ms");

    /** After each load: how long to wait for the lag to get back to 0 before reporting the gap. */
    final Duration drainTimeout = duration("bench.drain.timeout", "120s", "60s");
    /** Before each measured phase and at the end (uncounted): how long to wait for a lag of 0. */
    final Duration settleTimeout = duration("bench.settle.timeout", "600s", "120s");
    final Duration lagInterval = duration("bench.lag.interval", "100ms", "100ms");

    /** The scale part (issue 8): projects seeded directly into the event store, about 10 events each. */
    final int scaleProjects = integer("bench.scale.projects", 100_000, 2_000);
    /**
     * Issue 27: one-event projects (ProjectReserved only, {@code ONE-0000001} …) seeded beside them, so that the reads
     * run on 200,000 projects while the store keeps about as many events.
     */
    final int oneEventProjects = integer("bench.scale.one-event-projects", 100_000, 1_000);
    final Duration seedTimeout = duration("bench.seed.timeout", "30m", "5m");
    final Duration rebuildTimeout = duration("bench.rebuild.timeout", "30m", "5m");
    final Duration rebuildPollInterval = duration("bench.rebuild.interval", "500ms", "200ms");
    /** GET /api/v1/admin/projections/check, which recomputes every figure from the whole store. */
    final Duration checkTimeout = duration("bench.check.timeout", "15m", "5m");
    /** The read phases: each endpoint alone, from this many connections (also the raw lookups' clients). */
    final int readConnections = integer("bench.read.connections", 32, 32);
    final Duration readWarmup = duration("bench.read.warmup", warmup("3s"), warmup("0s"));
    final Duration readDuration = duration("bench.read.duration", measured("10s"), measured("1s"));
    /**
     * Issue 27: the leaders' reads mixed (every read endpoint at random, with and without asOf): open-loop at a
     * constant rate (each arrival one request, however slow the answers), then closed-loop from a few connections.
     */
    final int mixedRate = integer("bench.mixed.rate", 1000, 200);
    final int mixedConnections = integer("bench.mixed.connections", 8, 8);
    final Duration mixedWarmup = duration("bench.mixed.warmup", warmup("5s"), warmup("0s"));
    final Duration mixedDuration = duration("bench.mixed.duration", measured("30s"), measured("1s"));
    /**
     * Open-loop arrivals beyond this many requests waiting for their answers are counted as not sent instead: a
     * service slower than the rate would otherwise pile up requests until they time out.
     */
    final int mixedMaxInFlight = integer("bench.mixed.max-in-flight", 1000, 1000);
    /** Issue 27: the Kafka Streams aggregation of the store's events, the rebuild's reference (bound on its run). */
    final Duration streamsTimeout = duration("bench.streams.timeout", "15m", "5m");
    final int streamsThreads = integer("bench.streams.threads", Runtime.getRuntime().availableProcessors(), 1);
    /**
     * Issue 27: the service runs in a memory cgroup of this size (the Deployment's limit) when the machine lets the
     * benchmark create one; 0: never (the MaxRAM of the JVM settings only).
     */
    final int cgroupMemoryMiB = integer("bench.cgroup.memory-mib", 768, 768);
    /** Issue 27: statements of pg_stat_statements listed per measured write phase. */
    final int topStatements = integer("bench.pg.top-statements", 8, 8);
    final Duration conditionalDuration = duration("bench.conditional.duration", measured("10s"), measured("1s"));

    /** Projects in progress at once: each load interleaves the events of this many projects. */
    final int openProjects = integer("bench.open.projects", 2000, 500);
    /** The image's environment (docker/Dockerfile.jvm's ENV), from which the service's JVM settings come. */
    final Map<String, String> image = Dockerfile.environment(root.resolve("docker/Dockerfile.jvm"));
    /**
     * The image's JVM settings (JAVA_OPTS_APPEND without its -D properties) as the JVM sees them inside the
     * Deployment's limit: MaxRAM stands in for the container's memory limit where the benchmark cannot make a cgroup.
     */
    final String serviceJvmArgs = string("bench.service.jvm-args",
            "-XX:MaxRAM=" + cgroupMemoryLimit() + "m " + image.getOrDefault("JAVA_OPTS_APPEND", "").replaceAll("-D\\S+", "").trim(),
            "-XX:MaxRAM=" + cgroupMemoryLimit() + "m " + image.getOrDefault("JAVA_OPTS_APPEND", "").replaceAll("-D\\S+", "").trim());

    private int cgroupMemoryLimit() {
        return cgroupMemoryMiB > 0 ? cgroupMemoryMiB : 768;
    }

    final Duration serviceStartTimeout = duration("bench.service.start-timeout", "180s", "180s");

    /** quarkus.datasource.reactive.max-size of the service (Quarkus' default: 20). */
    private int servicePoolSize() {
        Path properties = root.resolve("src/main/resources/application.properties");
        try (var in = java.nio.file.Files.newBufferedReader(properties, java.nio.charset.StandardCharsets.UTF_8)) {
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            String value = p.getProperty("%prod.quarkus.datasource.reactive.max-size",
                    p.getProperty("quarkus.datasource.reactive.max-size", "20"));
            return Integer.parseInt(value.trim());
        } catch (java.io.IOException | NumberFormatException e) {
            return 20;
        }
    }

    Path target() {
        return root.resolve("target");
    }

    Path benchDir() {
        return target().resolve("bench");
    }

    /** The settings as run, for the results. */
    Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mode", smoke ? "smoke (not a measurement)" : "full");
        m.put("raw limits", rawDuration.toMillis() / 1000.0 + " s each, PostgreSQL " + rawClients + " clients on a pool of "
                + rawPool + ", fsync " + fsync + "; lookups after a warm-up of " + secs(rawLookupWarmup));
        m.put("single POST", singleConnections + " connections, warm-up " + secs(singleWarmup) + ", measured " + secs(singleDuration));
        m.put("single POST, fewer connections", single16Connections + " connections, warm-up " + secs(single16Warmup)
                + ", measured " + secs(single16Duration));
        m.put("batch POST", batchSize + " events per request, " + batchConnections + " connections, warm-up "
                + secs(batchWarmup) + ", measured " + secs(batchDuration));
        m.put("steady load", steadyRate + " events/s from " + steadyConnections + " paced connections, warm-up "
                + secs(steadyWarmup) + ", measured " + secs(steadyDuration));
        m.put("burst", burstEvents + " events in batches of " + batchSize + " from " + burstConnections
                + " connections, /q/health/ready every " + steadyMillis(readyInterval));
        m.put("bounds", "drain " + secs(drainTimeout) + ", settle " + secs(settleTimeout) + ", lag polled every "
                + steadyMillis(lagInterval));
        m.put("projects in progress", String.valueOf(openProjects));
        m.put("scale part", String.format(Locale.ROOT, "%,d projects and %,d one-event projects seeded, rebuild polled "
                        + "every %s (bound %s), check bound %s; reads from %d connections, each endpoint warm-up %s, "
                        + "measured %s; conditional summary %s; mixed reads open-loop %,d/s (at most %,d in flight) and "
                        + "closed-loop %d connections, "
                        + "warm-up %s, measured %s each; Kafka Streams reference %d threads (bound %s)", scaleProjects,
                oneEventProjects, steadyMillis(rebuildPollInterval), secs(rebuildTimeout), secs(checkTimeout),
                readConnections, secs(readWarmup), secs(readDuration), secs(conditionalDuration), mixedRate,
                mixedMaxInFlight, mixedConnections, secs(mixedWarmup), secs(mixedDuration), streamsThreads, secs(streamsTimeout)));
        m.put("memory", cgroupMemoryMiB > 0 ? "service in a " + cgroupMemoryMiB + " MiB memory cgroup if the machine allows"
                : "no cgroup (the JVM settings' MaxRAM only)");
        m.put("service JVM", serviceJvmArgs);
        return m;
    }

    private static String secs(Duration d) {
        return String.format(Locale.ROOT, "%s s", d.toMillis() % 1000 == 0 ? String.valueOf(d.toSeconds())
                : String.valueOf(d.toMillis() / 1000.0));
    }

    private static String steadyMillis(Duration d) {
        return d.toMillis() + " ms";
    }

    private String warmup(String normal) {
        return System.getProperty("bench.warmup", normal);
    }

    private String measured(String normal) {
        return System.getProperty("bench.duration", normal);
    }

    private String string(String name, String normal, String smokeValue) {
        String value = System.getProperty(name, smoke ? smokeValue : normal);
        // Gatling's Maven plugin hands a value with spaces (-Dbench.service.jvm-args="-Xmx1g -XX:…") on in quotes.
        return value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private int integer(String name, int normal, int smokeValue) {
        return Integer.parseInt(string(name, String.valueOf(normal), String.valueOf(smokeValue)).trim());
    }

    private Duration duration(String name, String normal, String smokeValue) {
        return parse(string(name, normal, smokeValue));
    }

    /** {@code 250ms}, {@code 10s}, {@code 2m}, or a number of seconds. */
    static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 60_000));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
    }
}
