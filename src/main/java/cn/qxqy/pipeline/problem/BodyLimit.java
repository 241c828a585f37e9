package cn.qxqy.pipeline.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.io.ByteArrayInputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every request body larger than {@code quarkus.http.limits.max-body-size} is answered 413 with a problem
 * ({@link ProblemType#BODY_TOO_LARGE}), not with Vert.x's empty 413 or a connection closed under the sender.
 *
 * <p>Quarkus enforces that limit itself in two places, neither of which can carry a body: a route (order
 * {@link RouteConstants#ROUTE_ORDER_UPLOAD_LIMIT}) that ends an empty 413 and closes the connection when the declared
 * {@code Content-Length} is too large, and the request's input stream, which does the same once a body sent without a
 * length (chunked) has grown past it. The route here runs just before the first and leaves the second nothing to do:
 * <ul>
 *   <li>a declared length above the limit is answered at once, without reading the body;</li>
 *   <li>a body without a declared length is read here, on the event loop as the REST layer would, up to the limit
 *   (answered as above the moment it goes over) and handed to the REST layer whole ({@link #handOver}).</li>
 * </ul>
 * After a refusal the rest of the body is read and dropped (for up to {@value #DRAIN_MILLIS} ms and twice the limit)
 * before the connection closes ({@code Connection: close}): a connection closed while the client is still sending is
 * reset, and the client may lose the answer with it.
 */
@ApplicationScoped
public class BodyLimit {

    private static final String BODY = BodyLimit.class.getName() + ".body";
    private static final long DRAIN_MILLIS = 5_000;

    void install(@Observes Router router, ObjectMapper mapper,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize max) {
        long limit = max.asLongValue();
        byte[] refusal;
        try {
            refusal = mapper.writeValueAsBytes(Problem.of(ProblemType.BODY_TOO_LARGE,
                    "a request body may have at most " + limit + " bytes"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(context -> {
            HttpServerRequest request = context.request();
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                if (declared(length) > limit) {
                    refuse(context, refusal, limit);
                } else {
                    context.next();
                }
            } else if (request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
                // HTTP/1.1 chunked only: an HTTP/2 request read here cannot be handed on (the REST layer pauses it,
                // which fails once it has ended: found by the benchmark's bodiless POST). Without a length, HTTP/2
                // keeps Quarkus's own limit.
                readUpTo(limit, context, refusal);
            } else {
                context.next();
            }
        });
    }

    /** A body this route read (sent without a length) becomes the REST request's entity. */
    @ServerRequestFilter(preMatching = true)
    public void handOver(ContainerRequestContext request, RoutingContext routing) {
        Buffer body = routing.get(BODY);
        if (body != null) {
            request.setEntityStream(new ByteArrayInputStream(body.getBytes()));
        }
    }

    /** Whether this route read a non-empty body that came without a declared length. */
    static boolean readBody(RoutingContext routing) {
        Buffer body = routing.get(BODY);
        return body != null && body.length() > 0;
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1; // Netty answers a malformed Content-Length with 400 before any route
        }
    }

    private static void readUpTo(long limit, RoutingContext context, byte[] refusal) {
        HttpServerRequest request = context.request();
        Buffer body = Buffer.buffer();
        AtomicBoolean refused = new AtomicBoolean();
        request.handler(chunk -> {
            if (refused.get()) {
                return;
            }
            if ((long) body.length() + chunk.length() > limit) {
                refused.set(true);
                refuse(context, refusal, limit);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(failure -> {
            // The connection is gone: nobody to answer.
        });
        request.endHandler(ended -> {
            if (!refused.get()) {
                context.put(BODY, body);
                context.next();
            }
        });
        if (request.version() == HttpVersion.HTTP_1_1 && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            context.response().writeContinue();
        }
        request.resume();
    }

    /** Answers the problem, drops what the client still sends, and closes the connection once both are done. */
    private static void refuse(RoutingContext context, byte[] refusal, long limit) {
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response();
        HttpConnection connection = request.connection();
        // A client that waits for 100 Continue before sending has not sent the body, and will not.
        boolean sending = !request.isEnded() && !("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))
                && request.getHeader(HttpHeaders.CONTENT_LENGTH) != null);
        AtomicBoolean closed = new AtomicBoolean();
        long[] timer = new long[1];
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                context.vertx().cancelTimer(timer[0]);
                connection.close();
            }
        };
        timer[0] = context.vertx().setTimer(DRAIN_MILLIS, id -> close.run());
        AtomicInteger outstanding = new AtomicInteger(sending ? 2 : 1);
        Runnable done = () -> {
            if (outstanding.decrementAndGet() == 0) {
                close.run();
            }
        };
        AtomicLong dropped = new AtomicLong();
        request.handler(chunk -> {
            if (dropped.addAndGet(chunk.length()) > 2 * limit) {
                close.run();
            }
        });
        request.exceptionHandler(failure -> {
            // the connection is gone
        });
        if (sending) {
            request.endHandler(ended -> done.run());
        }
        response.setStatusCode(ProblemType.BODY_TOO_LARGE.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Buffer.buffer(refusal))
                .onComplete(written -> done.run());
        if (sending) {
            request.resume();
        }
    }
}
