package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Wording;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Set;

/** Every error leaves as an RFC 7807 problem; only faults of ours are a 500, an unreachable database a 503. */
public class ProblemMappers {

    /** The attribute of an AuthenticationFailedException that says, for the client, why it was refused: a {@link Wording}. */
    public static final String UNAUTHORIZED_BECAUSE = "cn.qxqy.pipeline.unauthorized-because";
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final Set<String> RETRY_SOON = Set.of(ProblemType.TOO_MANY_EVENTS.uri(), ProblemType.SERVER_BUSY.uri(),
            ProblemType.PROJECTOR_BEHIND.uri());

    /** A restart or failover of PostgreSQL takes seconds; clients retrying sooner only add load. */
    private static final String RETRY_AFTER_SECONDS = "5";

    private final boolean localAccounts;

    public ProblemMappers(@ConfigProperty(name = "quarkus.security.users.embedded.enabled", defaultValue = "false")
                          boolean localAccounts) {
        this.localAccounts = localAccounts;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response answer = respond(e.problem());
        return RETRY_SOON.contains(e.problem().type())
                // Rates are counted per second (security.RateLimits); bodies in flight are answered within seconds; the
                // projector's backlog is bounded to about a second of its work (projection.ProjectorBacklog).
                ? Response.fromResponse(answer).header("Retry-After", "1").build()
                : answer;
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(HttpHeaders request, RuntimeException e) {
        // A token refused for its claims says which, so that the department can have its issuer fixed.
        Wording detail = e instanceof AuthenticationFailedException failed
                && failed.getAttribute(UNAUTHORIZED_BECAUSE) instanceof Wording because ? because
                : Wording.of(localAccounts ? "auth.sign-in-or-local-account" : "auth.sign-in");
        Response.ResponseBuilder answer = Response.fromResponse(respond(Problem.of(ProblemType.UNAUTHORIZED, detail)))
                .header("WWW-Authenticate", "Bearer realm=\"qxqy\"");
        // A Basic challenge would make a browser prompt over the dashboard's own sign-in.
        boolean script = "JavaScript".equals(request.getHeaderString("X-Requested-With"));
        return (localAccounts && !script ? answer.header("WWW-Authenticate", "Basic realm=\"qxqy\"") : answer).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(ProblemType.FORBIDDEN, Wording.of("auth.roles")));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException malformed) {
            // RESTEasy's Jackson reader wraps what it could not read in a bare 400.
            return malformed(malformed);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        String phrase = e.getResponse().getStatusInfo().getReasonPhrase();
        // Only JAX-RS throws these, in its own English; other languages get the status and its phrase.
        Object named = Wording.known("status." + status) ? Wording.of("status." + status) : phrase;
        return respond(Problem.ofStatus(status, phrase, Wording.of("status.detail", status, named))
                .withEnglishDetail(e.getMessage()));
    }

    /**
     * A body that is not JSON as {@link StrictJson} reads it, before any resource sees it. Only reading: a response
     * Jackson could not write is a fault of ours ({@link #fault}).
     */
    @ServerExceptionMapper({StreamReadException.class, StreamConstraintsException.class})
    public Response malformed(JsonProcessingException e) {
        return respond(Problem.of(ProblemType.INVALID_REQUEST, Wording.of("body.not-json", e.getOriginalMessage())));
    }

    /** A body of the wrong shape for its type: named by the path of the field, not Quarkus's bare 400. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        String field = e.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("body");
        return respond(Problem.of(ProblemType.INVALID_REQUEST, Wording.of("body.shape", e.getOriginalMessage()),
                List.of(FieldViolation.of(field, "body.wrong-shape"))));
    }

    @ServerExceptionMapper
    public Response fault(Exception e) {
        if (DatabaseUnavailable.isCause(e)) {
            LOG.warnf("request refused, the database is unavailable: %s", e.getMessage());
            return Response.fromResponse(respond(Problem.of(ProblemType.DATABASE_UNAVAILABLE,
                            Wording.of("database.unavailable"))))
                    .header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        LOG.error("request failed", e);
        return respond(Problem.of(ProblemType.INTERNAL_ERROR, Wording.of("fault.internal")));
    }

    public static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
