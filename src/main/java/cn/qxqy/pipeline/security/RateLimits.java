package cn.qxqy.pipeline.security;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * How many events each department may post to this pod per second ({@code pipeline.ingest.events-per-department-
 * per-second}, or the department's own {@code pipeline.departments.<name>.events-per-second}): one system in a loop
 * must not take the pod from the others. A department over its rate gets 429 with Retry-After; nothing of the
 * refused request is stored.
 */
@ApplicationScoped
public class RateLimits {

    /** The window a rate is counted over; a refused sender may try again after it. */
    public static final Duration PERIOD = Duration.ofSeconds(1);

    private final PipelineConfig config;
    private final RateLimiterRegistry registry = RateLimiterRegistry.ofDefaults();

    public RateLimits(PipelineConfig config) {
        this.config = config;
    }

    /** Takes {@code events} of the department's rate, or refuses the request with 429. */
    public void take(String department, int events) {
        RateLimiter limiter = registry.rateLimiter(department, () -> RateLimiterConfig.custom()
                .limitForPeriod(perSecond(department)).limitRefreshPeriod(PERIOD).timeoutDuration(Duration.ZERO).build());
        int limit = limiter.getRateLimiterConfig().getLimitForPeriod();
        // A batch larger than a whole second's rate takes the whole second's, or it could never pass.
        if (!limiter.acquirePermission(Math.min(Math.max(events, 1), limit))) {
            throw Problem.of(ProblemType.TOO_MANY_EVENTS,
                    Wording.of("rate.too-many", department, limit, PERIOD.toSeconds())).exception();
        }
    }

    private int perSecond(String department) {
        PipelineConfig.Department known = config.departments().get(department);
        return known != null && known.eventsPerSecond().isPresent() ? known.eventsPerSecond().getAsInt()
                : config.ingest().eventsPerDepartmentPerSecond();
    }
}
