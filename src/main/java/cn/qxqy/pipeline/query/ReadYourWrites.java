package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemMappers;
import cn.qxqy.pipeline.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read-your-writes for every read: {@code ?waitFor=projectId:version} holds the request until the read models
 * include that version of that project, or answers 503 with Retry-After once the bounded wait is over.
 */
public class ReadYourWrites {

    private static final Pattern WAIT_FOR = Pattern.compile("^([A-Za-z0-9][A-Za-z0-9._-]{0,63}):([1-9][0-9]{0,17})$");
    private static final Duration POLL = Duration.ofMillis(20);

    private final Pool pool;
    private final Duration maxWait;

    public ReadYourWrites(Pool pool, PipelineConfig config) {
        this.pool = pool;
        this.maxWait = config.read().maxWait();
    }

    @ServerRequestFilter
    public Uni<Response> awaitProjection(ContainerRequestContext request) {
        String waitFor = request.getUriInfo().getQueryParameters().getFirst("waitFor");
        if (waitFor == null || !HttpMethod.GET.equals(request.getMethod())) {
            return null;
        }
        Matcher m = WAIT_FOR.matcher(waitFor);
        if (!m.matches()) {
            return Uni.createFrom().item(ProblemMappers.respond(Problem.of(ProblemType.INVALID_QUERY,
                    Wording.of("query.wait-for"), List.of(FieldViolation.of("waitFor", "query.wait-for-form")))));
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        return poll(m.group(1), Long.parseLong(m.group(2)), deadline);
    }

    private Uni<Response> poll(String projectId, long version, long deadline) {
        return pool.preparedQuery("SELECT 1 FROM project_view WHERE project_id = $1 AND version >= $2")
                .execute(Tuple.of(projectId, version))
                .flatMap(rows -> {
                    if (rows.size() > 0) {
                        return Uni.createFrom().nullItem();
                    }
                    if (System.nanoTime() > deadline) {
                        Response unavailable = ProblemMappers.respond(Problem.of(ProblemType.NOT_YET_PROJECTED,
                                Wording.of("query.not-yet-projected", projectId, version)));
                        return Uni.createFrom().item(Response.fromResponse(unavailable).header("Retry-After", "1").build());
                    }
                    return Uni.createFrom().nullItem().onItem().delayIt().by(POLL)
                            .flatMap(ignored -> poll(projectId, version, deadline));
                });
    }
}
