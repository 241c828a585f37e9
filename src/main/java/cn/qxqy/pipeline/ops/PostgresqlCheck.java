package cn.qxqy.pipeline.ops;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

import java.time.Duration;

/**
 * Whether this pod reaches PostgreSQL through the service's own pool. Also a startup check: a pod that has never
 * reached it (a wrong DB_URL or password) does not start, so that a rollout stops there instead of replacing working
 * pods; once started, an outage does not take the pod out of the Service.
 */
@Startup
@HealthGroup(Dependencies.GROUP)
@ApplicationScoped
public class PostgresqlCheck implements AsyncHealthCheck {

    /** Below the probes' timeout, so that a hanging database gets a DOWN that says so rather than no answer. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Pool pool;

    public PostgresqlCheck(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query("SELECT 1").execute()
                .ifNoItem().after(TIMEOUT).fail()
                .map(rows -> HealthCheckResponse.up(Dependencies.POSTGRESQL))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(Dependencies.POSTGRESQL).down()
                        .withData("error", failure.toString()).build());
    }
}
