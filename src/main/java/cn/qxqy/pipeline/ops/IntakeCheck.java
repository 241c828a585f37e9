package cn.qxqy.pipeline.ops;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.time.Duration;

/**
 * The Kafka intake of this pod, in the dependencies group rather than in liveness (application.properties takes the
 * channel out of SmallRye Reactive Messaging's checks): a restart would read the same records and meet the same
 * broker, so liveness would only restart the pod in a loop. DOWN while refused records wait for a dead letter Kafka
 * does not take (the intake holds their offsets and tries again); with the partitions of the intake topics this pod
 * reads, as the channel's own readiness would have told.
 */
@HealthGroup(Dependencies.GROUP)
@ApplicationScoped
public class IntakeCheck implements AsyncHealthCheck {

    static final String CHANNEL = "project-intake";
    /** Below the probes' timeout, as {@link PostgresqlCheck}'s. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final PipelineMetrics metrics;
    private final KafkaClientService clients;

    public IntakeCheck(PipelineMetrics metrics, KafkaClientService clients) {
        this.metrics = metrics;
        this.clients = clients;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        KafkaConsumer<Object, Object> consumer = clients.getConsumer(CHANNEL);
        // Unknown (null) before the consumer starts, or while its polling thread does not answer.
        Uni<Integer> assigned = consumer == null ? Uni.createFrom().nullItem()
                : consumer.runOnPollingThread(c -> {
                    return c.assignment().size();
                })
                .ifNoItem().after(TIMEOUT).fail()
                .onFailure().recoverWithNull();
        return assigned.map(partitions -> {
            long waiting = metrics.deadLettersWaiting();
            HealthCheckResponseBuilder response = HealthCheckResponse.named(CHANNEL).status(waiting == 0)
                    .withData("deadLettersWaiting", waiting);
            return (partitions == null ? response : response.withData("assignedPartitions", partitions)).build();
        });
    }
}
