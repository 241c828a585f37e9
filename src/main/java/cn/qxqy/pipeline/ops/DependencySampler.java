package cn.qxqy.pipeline.ops;

import cn.qxqy.pipeline.PipelineConfig;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples, every 15 s (about a Prometheus scrape: the per-project lag reads the heads and the views whole, ~0.5 s of
 * one PostgreSQL core at 171,000 projects), what this pod sees of the {@link Dependencies} it shares with every replica:
 * how far the read models and the outbox are behind the event store (the {@link SharedFigures} of the rooms that own
 * them), the Kafka lag per partition, and whether PostgreSQL and Kafka answer. For the metrics and alerts, and for the
 * projector-lag check of the dependencies health group: a lag beyond the bound is the same on every replica and must
 * not take them out of the Service, so it is not in readiness.
 */
@HealthGroup(Dependencies.GROUP)
@ApplicationScoped
public class DependencySampler implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(DependencySampler.class);

    private final List<SharedFigures> figures;
    private final Vertx vertx;
    private final PipelineMetrics metrics;
    private final KafkaClientService clients;
    private final PostgresqlCheck postgresql;
    private final KafkaCheck kafka;
    private final Duration interval;
    private final long maxLag;
    private volatile boolean sampled;
    private long timerId = -1;

    public DependencySampler(@All List<SharedFigures> figures, Vertx vertx, PipelineMetrics metrics,
                             KafkaClientService clients,
                             @HealthGroup(Dependencies.GROUP) PostgresqlCheck postgresql,
                             @HealthGroup(Dependencies.GROUP) KafkaCheck kafka, PipelineConfig config) {
        this.figures = figures;
        this.vertx = vertx;
        this.metrics = metrics;
        this.clients = clients;
        this.postgresql = postgresql;
        this.kafka = kafka;
        this.interval = config.health().sampleInterval();
        this.maxLag = config.health().maxProjectorLag();
    }

    void start(@Observes StartupEvent startup) {
        sample();
        timerId = vertx.setPeriodic(interval.toMillis(), id -> sample());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(timerId);
    }

    private void sample() {
        postgresql.call().subscribe().with(response -> metrics.dependencyUp(Dependencies.POSTGRESQL, isUp(response)));
        metrics.dependencyUp(Dependencies.KAFKA, isUp(kafka.call()));
        Uni.join().all(figures.stream().map(SharedFigures::sample).toList()).andFailFast()
                .subscribe().with(all -> sampled = true,
                        failure -> LOG.debugf("shared figures sample failed: %s", failure.getMessage()));
        KafkaConsumer<Object, Object> consumer = clients.getConsumer("project-events-in");
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

    private static boolean isUp(HealthCheckResponse response) {
        return response.getStatus() == HealthCheckResponse.Status.UP;
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
