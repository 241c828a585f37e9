package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request bodies cost memory only once their sender is known and allowed, and never more than the replica's budget
 * (issue 21): each case over a raw connection that sends a body without a declared length (chunked) and, like an
 * attacker, never finishes it.
 */
@QuarkusTest
class RequestBodyBoundsTest {

    private static final String FGW = basic("fgw:fgw-secret");
    private static final String VIEWER = basic("viewer:viewer-secret");
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    @Test
    void anAnonymousEndlessChunkedBodyIsAnswered401WithoutBeingRead() throws Exception {
        try (Open open = Open.chunked("/api/v1/events", null)) {
            open.chunk(1 << 20);
            assertThat(open.answer()).startsWith("HTTP/1.1 401").contains("application/problem+json");
        }
    }

    @Test
    void aReaderPostingAnEndlessChunkedBodyToTheWriteEndpointIsAnswered403WithoutBeingRead() throws Exception {
        try (Open open = Open.chunked("/api/v1/events", VIEWER)) {
            open.chunk(1 << 20);
            assertThat(open.answer()).startsWith("HTTP/1.1 403").contains("application/problem+json");
        }
    }

    @Test
    void chunkedBodiesBeyondTheReplicasBudgetAre503WithRetryAfterUntilTheHeldOnesEnd() throws Exception {
        // Each unfinished chunked body holds its route's whole limit (8 MiB) of the 16 MiB budget.
        List<Open> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Open open = Open.chunked("/api/v1/events", FGW);
                open.chunk(1024);
                held.add(open);
            }
            Thread.sleep(500);
            try (Open third = Open.chunked("/api/v1/events", FGW)) {
                third.chunk(1024);
                assertThat(third.answer()).startsWith("HTTP/1.1 503").contains("Retry-After: 1")
                        .contains("/problems/server-busy");
            }
        } finally {
            for (Open open : held) {
                open.close();
            }
        }
        // The closed connections gave their bytes back.
        await(() -> {
            try (Open again = Open.chunked("/api/v1/events", FGW)) {
                again.chunk("[]".getBytes(StandardCharsets.UTF_8));
                again.end();
                return again.answer().startsWith("HTTP/1.1 200");
            }
        });
    }

    @Test
    void aChunkedBodyOverItsRoutesLimitIsA413AsItArrives() throws Exception {
        // One event's route takes 1 MiB; the body never ends, the answer comes once it is over.
        try (Open open = Open.chunked("/api/v1/projects/" + Api.newProjectId() + "/events", FGW)) {
            for (int i = 0; i < 5; i++) {
                open.chunk(256 * 1024);
            }
            assertThat(open.answer()).startsWith("HTTP/1.1 413").contains("/problems/body-too-large")
                    .contains("1048576 bytes");
        }
    }

    @Test
    void aChunkedBodyThatStallsIsA408() throws Exception {
        try (Open open = Open.chunked("/api/v1/events", FGW)) {
            open.chunk("[".getBytes(StandardCharsets.UTF_8));
            // %test.pipeline.http.body-timeout
            assertThat(open.answer()).startsWith("HTTP/1.1 408").contains("/problems/request-timeout");
        }
    }

    @Test
    void aBodyWithoutALengthOverHttp2IsReadToo() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + "/api/v1/events"))
                .header("Authorization", FGW).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8)))).build();
        // The first request upgrades the connection (h2c); the second is sent over HTTP/2, without a length.
        client.send(request, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> overHttp2 = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(overHttp2.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(overHttp2.statusCode()).as(overHttp2.body()).isEqualTo(200);
    }

    private static void await(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + ANSWER_WITHIN.toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("condition within " + ANSWER_WITHIN).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String basic(String account) {
        return "Basic " + Base64.getEncoder().encodeToString(account.getBytes(StandardCharsets.UTF_8));
    }

    /** A POST over a socket of its own, its JSON body sent in chunks as the test says. */
    private static final class Open implements AutoCloseable {

        private final Socket socket;
        private final OutputStream out;

        private Open(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        static Open chunked(String path, String authorization) throws IOException {
            Socket socket = new Socket("localhost", RestAssured.port);
            socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
            Open open = new Open(socket);
            open.out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            open.out.flush();
            return open;
        }

        void chunk(int size) throws IOException {
            byte[] spaces = new byte[size];
            Arrays.fill(spaces, (byte) ' ');
            chunk(spaces);
        }

        void chunk(byte[] data) throws IOException {
            out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        void end() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** The answer's head and what came of its body until the server stopped sending or closed. */
        String answer() throws IOException {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    read.write(buffer, 0, n);
                    String text = read.toString(StandardCharsets.UTF_8);
                    if (text.contains("\r\n\r\n") && (text.endsWith("}") || text.endsWith("0\r\n\r\n"))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                if (read.size() == 0) {
                    throw new AssertionError("no answer within " + ANSWER_WITHIN, e);
                }
            }
            return read.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
