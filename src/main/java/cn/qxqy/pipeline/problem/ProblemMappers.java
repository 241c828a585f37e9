package cn.qxqy.pipeline.problem;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as an RFC 7807 problem; only faults of ours are a 500, an unreachable database a 503. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** A restart or failover of PostgreSQL takes seconds; clients retrying sooner only add load. */
    private static final String RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.problem());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized() {
        return Response.fromResponse(respond(Problem.of(ProblemType.UNAUTHORIZED, "sign in with a department account")))
                .header("WWW-Authenticate", "Basic realm=\"qxqy\"")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(ProblemType.FORBIDDEN, "this account's roles do not allow this request"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return respond(Problem.ofStatus(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response fault(Exception e) {
        if (DatabaseUnavailable.isCause(e)) {
            LOG.warnf("request refused, the database is unavailable: %s", e.getMessage());
            return Response.fromResponse(respond(Problem.of(ProblemType.DATABASE_UNAVAILABLE,
                            "the database cannot be reached; repeat the request later (an event with the same "
                                    + "eventId is stored once)")))
                    .header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        LOG.error("request failed", e);
        return respond(Problem.of(ProblemType.INTERNAL_ERROR, "the request could not be completed; it may be repeated"));
    }

    public static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
