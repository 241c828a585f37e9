package cn.qxqy.pipeline.testing.history;

import cn.qxqy.pipeline.testing.Api;
import io.restassured.RestAssured;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reads the given paths in turn, as fast as it can, on a thread of its own, and keeps every distinct answer (path,
 * status, body) with how often it came.
 */
final class Reader implements Runnable {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final List<String> paths;
    final AtomicLong reads = new AtomicLong();
    /** "path \n status \n body" to how often it was seen. */
    final Map<String, LongAdder> seen = new ConcurrentHashMap<>();
    final Thread thread = new Thread(this, "random-history-reader");
    private volatile boolean stop;

    private Reader(String base, List<String> paths) {
        this.base = base;
        this.paths = paths;
        thread.setDaemon(true);
    }

    /** A reader of the service under test, started, once it has read every path once (or 10 s have passed). */
    static Reader start(List<String> paths) {
        String basePath = RestAssured.basePath == null ? "" : RestAssured.basePath.replaceAll("/+$", "");
        Reader reader = new Reader(RestAssured.baseURI + ":" + RestAssured.port + basePath, paths);
        reader.thread.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (reader.reads.get() < paths.size() && System.nanoTime() < deadline) {
            Rebuilds.sleep(2);
        }
        return reader;
    }

    void stop() {
        stop = true;
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        for (int i = 0; !stop; i++) {
            String path = paths.get(i % paths.size());
            String key;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                                .header("Accept", "application/json").header("Authorization", Api.VIEWER_AUTHORIZATION).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                key = path + "\n" + r.statusCode() + "\n" + r.body();
            } catch (IOException e) {
                key = path + "\n-1\n" + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            reads.incrementAndGet();
            seen.computeIfAbsent(key, k -> new LongAdder()).increment();
        }
    }
}
