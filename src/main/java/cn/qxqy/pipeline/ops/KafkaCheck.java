package cn.qxqy.pipeline.ops;

import io.smallrye.health.api.HealthGroup;
import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Whether this pod's Kafka clients are connected, channel by channel, as SmallRye Reactive Messaging's own readiness
 * check judges them (application.properties takes that check out of readiness), with the events still waiting in
 * the outbox to be published.
 */
@HealthGroup(Dependencies.GROUP)
@ApplicationScoped
public class KafkaCheck implements HealthCheck {

    private final HealthCenter channels;
    private final PipelineMetrics metrics;

    public KafkaCheck(HealthCenter channels, PipelineMetrics metrics) {
        this.channels = channels;
        this.metrics = metrics;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(Dependencies.KAFKA)
                .withData("outboxBacklogEvents", metrics.outboxBacklog());
        if (!channels.isInitialized()) {
            return response.down().withData("channels", "not started yet").build();
        }
        HealthReport report = channels.getReadiness();
        for (HealthReport.ChannelInfo channel : report.getChannels()) {
            response.withData(channel.getChannel(), (channel.isOk() ? "UP" : "DOWN")
                    + (channel.getMessage() == null ? "" : ": " + channel.getMessage()));
        }
        return response.status(report.isOk()).build();
    }
}
