package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.OutboxRelay;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Backpressure on ingest (issue 27): the events committed but not yet projected, sampled by every replica from what
 * they all share — the outbox's rows (not yet on Kafka) and the lag of the consumer group {@code projector} on
 * project-events as Kafka holds its committed offsets (on Kafka, not yet applied). While that backlog is over
 * {@code pipeline.backpressure.max-backlog}, appends are refused before anything is stored (503 projector-behind with
 * Retry-After), so the projector is never more than about a second of its work behind what was acknowledged, under
 * any ingest load. A sample that cannot reach Kafka counts the outbox alone: events Kafka does not take stay there.
 */
@ApplicationScoped
public class ProjectorBacklog {

    private static final Logger LOG = Logger.getLogger(ProjectorBacklog.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(2);

    private final Map<String, Object> kafka;
    private final String topic;
    private final String group;
    private final OutboxRelay outbox;
    private final PipelineMetrics metrics;
    private final Vertx vertx;
    private final long maxBacklog;
    private final Duration interval;
    private final AtomicBoolean sampling = new AtomicBoolean();
    private volatile long backlog;
    private Admin admin;
    private long timerId = -1;

    public ProjectorBacklog(@Identifier("default-kafka-broker") Map<String, Object> kafka,
                            @ConfigProperty(name = "mp.messaging.incoming.project-events-in.topic") String topic,
                            @ConfigProperty(name = "mp.messaging.incoming.project-events-in.group.id") String group,
                            OutboxRelay outbox, PipelineMetrics metrics, Vertx vertx, PipelineConfig config) {
        this.kafka = kafka;
        this.topic = topic;
        this.group = group;
        this.outbox = outbox;
        this.metrics = metrics;
        this.vertx = vertx;
        this.maxBacklog = config.backpressure().maxBacklog();
        this.interval = config.backpressure().sampleInterval();
    }

    void start(@Observes StartupEvent startup) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
        admin = Admin.create(config);
        timerId = vertx.setPeriodic(interval.toMillis(), id -> sample());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        vertx.cancelTimer(timerId);
        if (admin != null) {
            admin.close(KAFKA_TIMEOUT);
        }
    }

    /** Refuses an append with 503 projector-behind while the backlog is over its bound; nothing is stored then. */
    public void refuseWhileBehind() {
        long events = backlog;
        if (events > maxBacklog) {
            metrics.backpressured();
            throw Problem.of(ProblemType.PROJECTOR_BEHIND, Wording.of("ingest.projector-behind", events)).exception();
        }
    }

    /** The events committed and not yet projected at the last sample. */
    public long backlog() {
        return backlog;
    }

    /** One sample at a time: a slow Kafka skips samples rather than piling them up. */
    private void sample() {
        if (!sampling.compareAndSet(false, true)) {
            return;
        }
        Uni.combine().all().unis(outbox.backlog(), kafkaLag().onFailure().recoverWithItem(failure -> {
                    LOG.debugf("projector lag on Kafka not sampled: %s", failure.getMessage());
                    return 0L;
                }))
                .with((unpublished, unapplied) -> unpublished + unapplied)
                .subscribe().with(events -> {
                    backlog = events;
                    metrics.projectorBacklog(events);
                    sampling.set(false);
                }, failure -> {
                    LOG.debugf("projector backlog not sampled: %s", failure.getMessage());
                    sampling.set(false);
                });
    }

    /** Records on project-events past the group's committed offsets (from the earliest where it has none). */
    private Uni<Long> kafkaLag() {
        return uni(admin.describeTopics(List.of(topic)).allTopicNames())
                .flatMap(topics -> {
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    topics.get(topic).partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                            OffsetSpec.latest()));
                    return Uni.combine().all().unis(uni(admin.listOffsets(latest).all()),
                                    uni(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()))
                            .asTuple();
                })
                .flatMap(offsets -> {
                    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = offsets.getItem1();
                    Map<TopicPartition, OffsetAndMetadata> committed = offsets.getItem2();
                    Map<TopicPartition, OffsetSpec> uncommitted = new HashMap<>();
                    long lag = 0;
                    for (var end : ends.entrySet()) {
                        OffsetAndMetadata at = committed.get(end.getKey());
                        if (at == null) {
                            uncommitted.put(end.getKey(), OffsetSpec.earliest());
                        } else {
                            lag += Math.max(0, end.getValue().offset() - at.offset());
                        }
                    }
                    if (uncommitted.isEmpty()) {
                        return Uni.createFrom().item(lag);
                    }
                    long known = lag;
                    return uni(admin.listOffsets(uncommitted).all()).map(starts -> {
                        long all = known;
                        for (var start : starts.entrySet()) {
                            all += Math.max(0, ends.get(start.getKey()).offset() - start.getValue().offset());
                        }
                        return all;
                    });
                });
    }

    private static <T> Uni<T> uni(KafkaFuture<T> future) {
        return Uni.createFrom().completionStage(future.toCompletionStage());
    }
}
