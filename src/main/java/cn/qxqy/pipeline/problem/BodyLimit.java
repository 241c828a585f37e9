package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.domain.Language;
import cn.qxqy.pipeline.domain.Wording;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.io.ByteArrayInputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request bodies cost memory only once their sender is known and allowed, and never more than a fixed budget in all.
 * <ul>
 *   <li>Before authentication (a route ahead of Quarkus's own upload limit), nothing is read: a declared
 *   {@code Content-Length} above {@code quarkus.http.limits.max-body-size} is answered 413 at once, with a problem
 *   rather than Vert.x's empty 413.</li>
 *   <li>After authentication and the resource's role check (RESTEasy Reactive runs both before any request filter),
 *   {@link #admit} reserves the body's bytes from {@code pipeline.http.max-bodies-in-flight}: the declared length, or
 *   the route's whole limit ({@link Max}) when the length is unknown; a request the budget cannot hold gets 503 with
 *   {@code Retry-After}, never the heap. A body without a declared length (chunked) is read there, counted as it
 *   arrives against the route's limit (413 the moment it goes over) and within {@code pipeline.http.body-timeout}
 *   (408), then handed to the resource whole.</li>
 * </ul>
 * An anonymous sender of an endless chunked body is thus answered 401 without a byte of it being kept. After a
 * refusal the rest of the body is read and dropped (for up to {@value #DRAIN_MILLIS} ms and twice the limit) before
 * the connection closes ({@code Connection: close}): a connection closed while the client is still sending is reset,
 * and the client may lose the answer with it.
 */
@ApplicationScoped
public class BodyLimit {

    /** A route's own, smaller limit on its request body, in bytes; without it a body may have max-body-size. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface Max {
        long value();
    }

    private static final String BODY = BodyLimit.class.getName() + ".body";
    private static final long DRAIN_MILLIS = 5_000;
    private static final Set<String> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    private final long maxBodySize;
    private final AtomicLong budget;
    private final Duration bodyTimeout;
    /** The early route's answer, made once per language. */
    private final Map<Language, byte[]> tooLarge = new EnumMap<>(Language.class);

    public BodyLimit(ObjectMapper mapper, PipelineConfig config,
                     @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize max) {
        this.maxBodySize = max.asLongValue();
        this.budget = new AtomicLong(config.http().maxBodiesInFlight());
        this.bodyTimeout = config.http().bodyTimeout();
        try {
            for (Language language : Language.values()) {
                tooLarge.put(language, mapper.writeValueAsBytes(tooLarge(maxBodySize).in(language)));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && declared(length) > maxBodySize) {
                drainAndClose(context, 2 * maxBodySize);
                // Ahead of RESTEasy, so ahead of ProblemLanguage: worded here for the reader.
                Language language = ProblemLanguage.preferred(context.request().getHeader(HttpHeaders.ACCEPT_LANGUAGE));
                context.response().setStatusCode(ProblemType.BODY_TOO_LARGE.status())
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(ProblemLanguage.CONTENT_LANGUAGE, language.tag())
                        .putHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE)
                        .end(Buffer.buffer(tooLarge.get(language)));
            } else {
                context.next();
            }
        });
    }

    /**
     * Runs first of the request filters, after authentication and the role check, before the body is read: holds the
     * body's bytes in the budget until the answer is sent, and reads a body sent without a length.
     */
    @ServerRequestFilter(priority = Priorities.USER - 200)
    public Uni<Void> admit(ContainerRequestContext request, RoutingContext routing, ResourceInfo resource) {
        HttpServerRequest http = routing.request();
        if (!WITH_BODY.contains(request.getMethod()) || http.isEnded() || bodiless(http)) {
            return Uni.createFrom().voidItem();
        }
        long limit = limitOf(resource.getResourceMethod());
        String length = http.getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared = length == null ? -1 : declared(length);
        if (declared > limit) {
            return refuse(routing, tooLarge(limit));
        }
        long reserved = declared >= 0 ? declared : limit;
        if (!reserve(reserved)) {
            return refuse(routing, Problem.of(ProblemType.SERVER_BUSY, Wording.of("body.budget")));
        }
        routing.addEndHandler(ended -> budget.addAndGet(reserved));
        return declared >= 0 ? Uni.createFrom().voidItem() : read(request, routing, limit);
    }

    /** HTTP/1.x without Content-Length and Transfer-Encoding has no body (RFC 9112, 6.3): nothing to reserve. */
    private static boolean bodiless(HttpServerRequest http) {
        return http.version() != HttpVersion.HTTP_2 && http.getHeader(HttpHeaders.CONTENT_LENGTH) == null
                && http.getHeader(HttpHeaders.TRANSFER_ENCODING) == null;
    }

    /** Whether {@link #admit} read a non-empty body that came without a declared length. */
    static boolean readBody(RoutingContext routing) {
        Buffer body = routing.get(BODY);
        return body != null && body.length() > 0;
    }

    private long limitOf(Method method) {
        Max max = method == null ? null : method.getAnnotation(Max.class);
        return max == null ? maxBodySize : Math.min(max.value(), maxBodySize);
    }

    private boolean reserve(long bytes) {
        long left;
        do {
            left = budget.get();
            if (left < bytes) {
                return false;
            }
        } while (!budget.compareAndSet(left, left - bytes));
        return true;
    }

    private Uni<Void> read(ContainerRequestContext request, RoutingContext routing, long limit) {
        HttpServerRequest http = routing.request();
        return Uni.createFrom().emitter(emitter -> {
            Buffer body = Buffer.buffer();
            // Settled once: the body ended, went over the limit, or timed out. Every callback runs on the request's
            // event loop, the timer's too.
            AtomicBoolean settled = new AtomicBoolean();
            long timer = routing.vertx().setTimer(bodyTimeout.toMillis(), id -> {
                if (settled.compareAndSet(false, true)) {
                    drainAndClose(routing, 2 * maxBodySize);
                    emitter.fail(Problem.of(ProblemType.REQUEST_TIMEOUT,
                            Wording.of("body.timeout", bodyTimeout.toSeconds())).exception());
                }
            });
            http.handler(chunk -> {
                if (settled.get()) {
                    return;
                }
                if ((long) body.length() + chunk.length() > limit) {
                    settled.set(true);
                    routing.vertx().cancelTimer(timer);
                    drainAndClose(routing, 2 * maxBodySize);
                    emitter.fail(tooLarge(limit).exception());
                } else {
                    body.appendBuffer(chunk);
                }
            });
            http.exceptionHandler(failure -> {
                if (settled.compareAndSet(false, true)) {
                    routing.vertx().cancelTimer(timer);
                    emitter.fail(failure);
                }
            });
            http.endHandler(ended -> {
                if (settled.compareAndSet(false, true)) {
                    routing.vertx().cancelTimer(timer);
                    routing.put(BODY, body);
                    request.setEntityStream(new ByteArrayInputStream(body.getBytes()));
                    emitter.complete(null);
                }
            });
            if (http.version() == HttpVersion.HTTP_1_1 && "100-continue".equalsIgnoreCase(http.getHeader(HttpHeaders.EXPECT))) {
                routing.response().writeContinue();
            }
            http.resume();
        });
    }

    private Uni<Void> refuse(RoutingContext routing, Problem problem) {
        drainAndClose(routing, 2 * maxBodySize);
        return Uni.createFrom().failure(problem.exception());
    }

    private static Problem tooLarge(long limit) {
        return Problem.of(ProblemType.BODY_TOO_LARGE, Wording.of("body.too-large", limit));
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1; // Netty answers a malformed Content-Length with 400 before any route
        }
    }

    /**
     * Drops what the client still sends (up to {@code enough} bytes) and closes the connection once that and the
     * answer are done: the answer goes out with {@code Connection: close}.
     */
    private static void drainAndClose(RoutingContext context, long enough) {
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
            if (dropped.addAndGet(chunk.length()) > enough) {
                close.run();
            }
        });
        request.exceptionHandler(failure -> {
            // the connection is gone
        });
        if (sending) {
            request.endHandler(ended -> done.run());
        }
        response.putHeader(HttpHeaders.CONNECTION, "close");
        context.addEndHandler(written -> done.run());
        if (sending) {
            request.resume();
        }
    }
}
