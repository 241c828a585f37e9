package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.problem.ProblemException;
import cn.qxqy.pipeline.projection.ReadModelGeneration;
import cn.qxqy.pipeline.recovery.RecoveryState;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.TreeMap;

/**
 * ETags for the reads of the read models, campaigns and reference data: the {@link ReadModelGeneration} when
 * the request came in, and the current year. A request whose {@code If-None-Match} names it gets a 304 without reading anything else, so
 * a dashboard polling every few seconds costs one primary-key lookup while the figures stay put. The generation is
 * read before the response: a change committed meanwhile makes the next request a 200, never a stale 304; it is also
 * what {@link GenerationCache} keeps the answer under. {@code Cache-Control: no-cache} has caches ask every time;
 * {@code private}, as what a caller may see will depend on who asks.
 * <p>
 * A read with a settled {@code knownAt} ({@link TimeAxes#settled}) never changes while the store is not restored: its
 * strong ETag digests the request and the store's epoch, and caches keep it for a year without asking.
 */
public class ConditionalReads {

    private static final String ETAG = ConditionalReads.class.getName() + ".etag";
    private static final String GENERATION = ConditionalReads.class.getName() + ".generation";
    private static final String CACHE_CONTROL_PROPERTY = ConditionalReads.class.getName() + ".cache-control";
    private static final String CACHE_CONTROL = "private, no-cache";
    static final String SETTLED_CACHE_CONTROL = "private, max-age=31536000, immutable";

    private final Pool pool;
    private final RecoveryState recoveries;
    private final Clock clock;
    private final Duration settledAfter;

    public ConditionalReads(Pool pool, RecoveryState recoveries, Clock clock, PipelineConfig config) {
        this.pool = pool;
        this.recoveries = recoveries;
        this.clock = clock;
        this.settledAfter = config.read().settledAfter();
    }

    /** After {@link ReadYourWrites}: a read that waited for its version is compared with what it waited for. */
    @ServerRequestFilter(priority = Priorities.USER + 10)
    public Uni<Response> notModified(ContainerRequestContext request, RoutingContext routing) {
        if (!HttpMethod.GET.equals(request.getMethod()) || !fromReadModels(request.getUriInfo().getPath())) {
            return null;
        }
        String path = request.getUriInfo().getPath();
        // A ranking or 通报 also shows the previous month's ranks as known now, and follow-ups: never settled.
        String settled = asKnownNow(path) ? null : settledTag(request);
        if (settled != null) {
            return Uni.createFrom().item(answer(request, settled, SETTLED_CACHE_CONTROL));
        }
        // The year too: without asOf a read sums up to the current year's end, so 本年完成投资 starts again on 1 January
        // with no event projected; a ranking's day, and so its 时序进度, moves every day.
        LocalDate today = LocalDate.now(clock);
        String day = asKnownNow(path) ? today.toString() : String.valueOf(today.getYear());
        return pool.query(ReadModelGeneration.CURRENT).execute().map(rows -> {
            long generation = rows.iterator().next().getLong("generation");
            routing.put(GENERATION, generation);
            return answer(request, "W/\"" + generation + "-" + day + "\"", CACHE_CONTROL);
        });
    }

    /**
     * The read models' generation this request's ETag names, read before anything else of the request; null when it
     * has none (not a read of the read models, or a settled one).
     */
    static Long generation(RoutingContext routing) {
        return routing.get(GENERATION);
    }

    /** The reads whose answer moves with the day, and holds parts read as known now whatever their knownAt. */
    private static boolean asKnownNow(String path) {
        return path.endsWith("/rankings") || path.endsWith("/bulletin.xlsx");
    }

    /** A 304 when {@code If-None-Match} names the tag (compared weakly, as RFC 9110 has it), else null: read on. */
    private static Response answer(ContainerRequestContext request, String etag, String cacheControl) {
        String ifNoneMatch = request.getHeaderString(HttpHeaders.IF_NONE_MATCH);
        String opaque = etag.replaceFirst("^W/", "");
        if (ifNoneMatch != null && Arrays.stream(ifNoneMatch.split(","))
                .map(tag -> tag.strip().replaceFirst("^W/", ""))
                .anyMatch(tag -> tag.equals("*") || tag.equals(opaque))) {
            return Response.notModified().header(HttpHeaders.ETAG, etag)
                    .header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
        }
        request.setProperty(ETAG, etag);
        request.setProperty(CACHE_CONTROL_PROPERTY, cacheControl);
        return null;
    }

    /**
     * The strong tag of a read whose {@code knownAt} is settled: a digest of its path, its parameters and the
     * store's epoch; null for any other read, or while the epoch is not known yet.
     */
    private String settledTag(ContainerRequestContext request) {
        MultivaluedMap<String, String> parameters = request.getUriInfo().getQueryParameters();
        String knownAt = parameters.getFirst("knownAt");
        String epoch = recoveries.epoch();
        if (knownAt == null || epoch == null) {
            return null;
        }
        try {
            if (!TimeAxes.of(null, knownAt, clock).settled(clock, settledAfter)) {
                return null;
            }
        } catch (ProblemException malformed) {
            // The resource answers the 400.
            return null;
        }
        String described = epoch + "\n" + request.getUriInfo().getPath() + "\n" + new TreeMap<>(parameters);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(described.getBytes(StandardCharsets.UTF_8));
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 18)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @ServerResponseFilter
    public void tag(ContainerRequestContext request, ContainerResponseContext response) {
        Object etag = request.getProperty(ETAG);
        if (etag != null && response.getStatus() == 200) {
            response.getHeaders().putSingle(HttpHeaders.ETAG, etag);
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, request.getProperty(CACHE_CONTROL_PROPERTY));
        }
    }

    /**
     * A project's history, a campaign's issued reports and 通报 and its follow-ups come from the event store, not the read
     * models alone: they are not tagged (an issued report carries its own immutable tag, its digest; a follow-up's
     * answer moves no read model, and a 304 would keep the answered item open on the dashboard).
     */
    static boolean fromReadModels(String path) {
        return path.startsWith("/api/v1/campaigns") && !path.contains("/reports") && !path.contains("/follow-ups")
                && !path.contains("/bulletins")
                || path.startsWith("/api/v1/reference")
                || path.startsWith("/api/v1/projects") && !path.endsWith("/events");
    }
}
