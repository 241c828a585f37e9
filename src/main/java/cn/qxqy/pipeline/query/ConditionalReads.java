package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.projection.ReadModelGeneration;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.Arrays;

/**
 * ETags for the reads of the read models, campaigns and reference data: the {@link ReadModelGeneration} when
 * the request came in. A request whose {@code If-None-Match} names it gets a 304 without reading anything else, so
 * a dashboard polling every few seconds costs one primary-key lookup while the figures stay put. The generation is
 * read before the response: a change committed meanwhile makes the next request a 200, never a stale 304.
 * {@code Cache-Control: no-cache} has caches ask every time; {@code private}, as what a caller may see will
 * depend on who asks.
 */
public class ConditionalReads {

    private static final String ETAG = ConditionalReads.class.getName() + ".etag";
    private static final String CACHE_CONTROL = "private, no-cache";

    private final Pool pool;

    public ConditionalReads(Pool pool) {
        this.pool = pool;
    }

    /** After {@link ReadYourWrites}: a read that waited for its version is compared with what it waited for. */
    @ServerRequestFilter(priority = Priorities.USER + 10)
    public Uni<Response> notModified(ContainerRequestContext request) {
        if (!HttpMethod.GET.equals(request.getMethod()) || !fromReadModels(request.getUriInfo().getPath())) {
            return null;
        }
        return pool.query(ReadModelGeneration.CURRENT).execute().map(rows -> {
            String etag = "W/\"" + rows.iterator().next().getLong("generation") + "\"";
            String ifNoneMatch = request.getHeaderString(HttpHeaders.IF_NONE_MATCH);
            if (ifNoneMatch != null && Arrays.stream(ifNoneMatch.split(","))
                    .map(tag -> tag.strip().replaceFirst("^W/", ""))
                    .anyMatch(tag -> tag.equals("*") || tag.equals(etag.substring(2)))) {
                return Response.notModified().header(HttpHeaders.ETAG, etag)
                        .header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL).build();
            }
            request.setProperty(ETAG, etag);
            return null;
        });
    }

    @ServerResponseFilter
    public void tag(ContainerRequestContext request, ContainerResponseContext response) {
        Object etag = request.getProperty(ETAG);
        if (etag != null && response.getStatus() == 200) {
            response.getHeaders().putSingle(HttpHeaders.ETAG, etag);
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
        }
    }

    /**
     * A project's history and a campaign's issued reports come from the event store, not the read models: they are not
     * tagged (an issued report carries its own immutable tag, its digest).
     */
    static boolean fromReadModels(String path) {
        return path.startsWith("/api/v1/campaigns") && !path.contains("/reports") || path.startsWith("/api/v1/reference")
                || path.startsWith("/api/v1/projects") && !path.endsWith("/events");
    }
}
