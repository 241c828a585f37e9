package cn.qxqy.pipeline.faults;

import cn.qxqy.pipeline.testing.Workbooks;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Clients that try to bring the production jar down (issue 21), against one replica with the heap the fault tests give
 * it (-Xmx384m, exit on OutOfMemoryError): endless chunked bodies, a workbook that unpacks to a million rows, a request
 * head that never ends. After each it is alive and serves.
 */
@ExtendWith(SoftAssertionsExtension.class)
class HostileClientFaultIT {

    /** The attack of the issue: 42 connections, each one chunk just under 8 MiB and never the final chunk. */
    private static final int CONNECTIONS = 42;
    private static final int CHUNK = 8_323_072;

    @InjectSoftAssertions
    private SoftAssertions softly;

    @Test
    void endlessBodiesAWorkbookBombAndStalledHeadersNeitherExhaustTheHeapNorHoldTheirConnections() throws Exception {
        try (Cluster cluster = Cluster.start("HostileClientFaultIT", 1)) {
            Replica replica = cluster.replica(0);
            URI base = URI.create(replica.baseUrl());
            // Half a request head, then nothing: closed once the connection has been idle for a minute.
            Socket stalled = new Socket(base.getHost(), base.getPort());
            stalled.getOutputStream().write("POST /api/v1/events HTTP/1.1\r\nHost: localhost\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            long stalledSince = System.nanoTime();

            Map<String, Integer> anonymous = attack(replica, null);
            System.out.printf("[faults] HostileClientFaultIT: %d anonymous endless chunked bodies answered %s%n",
                    CONNECTIONS, anonymous);
            softly.assertThat(anonymous).as("every anonymous connection answered 401 unread")
                    .isEqualTo(Map.of("401", CONNECTIONS));
            softly.assertThat(replica.alive()).as("alive after the anonymous attack").isTrue();
            softly.assertThat(live(replica)).isEqualTo(200);

            // A department's token: two bodies fit the replica's budget (16 MiB), the others wait their turn (503).
            Map<String, Integer> department = attack(replica, cluster.bearer(Cluster.DEPARTMENT));
            System.out.printf("[faults] HostileClientFaultIT: %d endless chunked bodies of a department answered %s%n",
                    CONNECTIONS, department);
            softly.assertThat(department.keySet()).as("503 beyond the budget, 408 for those held until the body timeout")
                    .containsOnly("503", "408");
            softly.assertThat(department.get("503")).isGreaterThanOrEqualTo(CONNECTIONS - 2);
            softly.assertThat(replica.alive()).as("alive after the department's attack").isTrue();
            softly.assertThat(live(replica)).isEqualTo(200);

            // The workbook: the template with 1,258,686 tiny rows, under the import's 2 MiB.
            String campaign = cluster.createCampaign();
            byte[] bomb = Workbooks.rowBomb(template(cluster, replica, campaign), 1_258_686);
            HttpResponse<String> imported = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(replica.baseUrl() + "/api/v1/campaigns/" + campaign + "/projects.xlsx?dryRun=true"))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", cluster.bearer(Cluster.DEPARTMENT))
                    .header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bomb)).build(), HttpResponse.BodyHandlers.ofString());
            System.out.printf("[faults] HostileClientFaultIT: a workbook of %,d bytes with 1,258,686 rows answered %d %s%n",
                    bomb.length, imported.statusCode(), imported.body());
            softly.assertThat(bomb.length).isLessThan(2 * 1024 * 1024);
            softly.assertThat(imported.statusCode()).isEqualTo(413);
            softly.assertThat(imported.body()).contains("/problems/batch-too-large");
            softly.assertThat(replica.alive()).as("alive after the workbook").isTrue();
            softly.assertThat(live(replica)).isEqualTo(200);

            stalled.setSoTimeout(90_000);
            int end = stalled.getInputStream().read();
            double heldFor = Cluster.seconds(stalledSince);
            System.out.printf("[faults] HostileClientFaultIT: a half-sent request head was closed after %.1f s%n", heldFor);
            softly.assertThat(end).as("the stalled connection closed by the server").isEqualTo(-1);
            softly.assertThat(heldFor).as("seconds the stalled connection was held").isLessThan(80);
            stalled.close();
            softly.assertThat(replica.alive()).isTrue();
        }
    }

    private static byte[] template(Cluster cluster, Replica replica, String campaign) throws Exception {
        HttpResponse<byte[]> template = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(replica.baseUrl() + "/api/v1/campaigns/" + campaign + "/import-template.xlsx"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", cluster.bearer(Cluster.VIEWER)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (template.statusCode() != 200) {
            throw new IllegalStateException("the import template answered " + template.statusCode());
        }
        return template.body();
    }

    /** Opens the connections at once; the status each answered (or "none"), counted. */
    private static Map<String, Integer> attack(Replica replica, String authorization) throws Exception {
        URI base = URI.create(replica.baseUrl());
        byte[] chunk = new byte[CHUNK];
        Arrays.fill(chunk, (byte) ' ');
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                answers.add(pool.submit(() -> oneConnection(base, authorization, chunk)));
            }
            Map<String, Integer> statuses = new TreeMap<>();
            for (Future<String> answer : answers) {
                statuses.merge(answer.get(), 1, Integer::sum);
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String oneConnection(URI base, String authorization, byte[] chunk) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(chunk);
                out.flush();
            } catch (IOException refused) {
                // The server may answer and close while the chunk is still being sent: read what it said.
            }
            InputStream in = socket.getInputStream();
            byte[] head = new byte[12];
            int read = 0;
            try {
                while (read < head.length) {
                    int n = in.read(head, read, head.length - read);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                return "none";
            }
            String status = new String(head, 0, read, StandardCharsets.US_ASCII);
            return status.startsWith("HTTP/1.1 ") && read == head.length ? status.substring(9, 12) : "none";
        }
    }

    private static int live(Replica replica) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/q/health/live"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
