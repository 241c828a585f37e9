package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Text;
import cn.qxqy.pipeline.domain.Wording;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every request to a resource must satisfy before any resource looks at it, checked in one place rather than in
 * each resource:
 * <ul>
 *   <li>no path or query parameter, name or value, holds a character that {@link Text#forbidden} names (NUL would
 *   reach PostgreSQL, which refuses it with an error, as a lookup key or a search term): 400 naming the parameter;</li>
 *   <li>a body comes with its {@code Content-Type}: 415 otherwise (a mismatching type is JAX-RS's own 415, from the
 *   resource's {@code @Consumes}).</li>
 * </ul>
 * Runs before the other filters (read-your-writes, conditional reads), after authentication.
 */
public class RequestChecks {

    private static final Set<String> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);
    private static final int MAX_NAME_SHOWN = 64;

    @ServerRequestFilter(priority = Priorities.USER - 100)
    public void check(ContainerRequestContext request, RoutingContext routing) {
        parameters(request);
        contentType(request, routing);
    }

    private static void parameters(ContainerRequestContext request) {
        List<FieldViolation> violations = new ArrayList<>();
        check(request.getUriInfo().getPathParameters(), violations);
        check(request.getUriInfo().getQueryParameters(), violations);
        if (!violations.isEmpty()) {
            boolean read = HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod());
            throw Problem.of(read ? ProblemType.INVALID_QUERY : ProblemType.INVALID_REQUEST,
                    Wording.of("parameters.forbidden"), violations).exception();
        }
    }

    private static void check(MultivaluedMap<String, String> parameters, List<FieldViolation> violations) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String name = Text.printable(parameter.getKey(), MAX_NAME_SHOWN);
            Wording forbidden = Text.whyForbidden(parameter.getKey());
            if (forbidden != null) {
                violations.add(FieldViolation.of(name, "parameters.name", forbidden));
                continue;
            }
            for (String value : parameter.getValue()) {
                forbidden = value == null ? null : Text.whyForbidden(value);
                if (forbidden != null) {
                    violations.add(FieldViolation.of(name, forbidden));
                    break;
                }
            }
        }
    }

    private static void contentType(ContainerRequestContext request, RoutingContext routing) {
        if (!WITH_BODY.contains(request.getMethod()) || request.getMediaType() != null || !hasBody(request, routing)) {
            return;
        }
        throw Problem.ofStatus(415, "Unsupported Media Type", Wording.of("body.content-type")).exception();
    }

    /** A declared length above 0, or a body sent in chunks (HTTP/1.1) or without a declared length (HTTP/2). */
    private static boolean hasBody(ContainerRequestContext request, RoutingContext routing) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return BodyLimit.readBody(routing);
        }
        try {
            return Long.parseLong(length.strip()) > 0;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
