package cn.qxqy.pipeline.ops;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Samples, every few seconds, how far the read models and the outbox are behind the event store, for the
 * metrics and for readiness: a replica whose read models lag beyond the bound should not answer reads.
 */
@Readiness
@ApplicationScoped
public class ProjectionLagSampler implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(ProjectionLagSampler.class);

    private final Pool pool;
    private final Vertx vertx;
    private final PipelineMetrics metrics;
    private final KafkaClientService kafka;
    private final Duration interval;
    private final long maxLag;
    private volatile boolean sampled;
    private long timerId = -1;

    public ProjectionLagSampler(Pool pool, Vertx vertx, PipelineMetrics metrics, KafkaClientService kafka,
                                @ConfigProperty(name = "pipeline.health.sample-interval", defaultValue = "PT5S") Duration interval,
                                @ConfigProperty(name = "pipeline.health.max-projector-lag", defaultValue = "10000") long maxLag) {
        this.pool = pool;
        this.vertx = vertx;
        this.metrics = metrics;
        this.kafka = kafka;
        this.interval = interval;
        this.maxLag = maxLag;
    }

    void start(@Observes StartupEvent startup) {
        sample();
        timerId = vertx.setPeriodic(interval.toMillis(), id -> sample());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(timerId);
    }

    private void sample() {
        // Versions count events per project, so the difference of their sums is the exact number pending.
        pool.query("""
                        SELECT (SELECT coalesce(sum(version), 0) FROM stream_heads)
                                 - (SELECT coalesce(sum(version), 0) FROM project_view) AS lag,
                               (SELECT count(*) FROM outbox) AS backlog""")
                .execute()
                .subscribe().with(rows -> {
                    var row = rows.iterator().next();
                    metrics.projectorLag(row.getLong("lag"));
                    metrics.outboxBacklog(row.getLong("backlog"));
                    sampled = true;
                }, failure -> LOG.debugf("lag sample failed: %s", failure.getMessage()));
        KafkaConsumer<Object, Object> consumer = kafka.getConsumer("project-events-in");
        if (consumer != null) {
            consumer.runOnPollingThread(c -> {
                Map<Integer, Long> lags = new HashMap<>();
                for (TopicPartition partition : c.assignment()) {
                    c.currentLag(partition).ifPresent(lag -> lags.put(partition.partition(), lag));
                }
                return lags;
            }).subscribe().with(lags -> lags.forEach(metrics::partitionLag),
                    failure -> LOG.debugf("partition lag sample failed: %s", failure.getMessage()));
        }
    }

    @Override
    public HealthCheckResponse call() {
        long lag = metrics.projectorLag();
        return HealthCheckResponse.named("projector-lag")
                .status(sampled && lag <= maxLag)
                .withData("lagEvents", lag)
                .withData("maxLagEvents", maxLag)
                .build();
    }
}
