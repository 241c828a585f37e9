package cn.qxqy.pipeline;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * The property names are what application.properties, the README and the manifests set, and the defaults are what a
 * deployment that sets nothing runs with: neither may change by accident.
 */
class PipelineConfigTest {

    /** Set in application.properties, no default. */
    private static final Map<String, String> REQUIRED = Map.of("pipeline.reference.ttl", "PT30S");

    @Test
    void aDeploymentThatSetsNothingRunsWithTheDefaults() {
        PipelineConfig config = load(REQUIRED);

        assertSoftly(soft -> {
            soft.assertThat(config.health().sampleInterval()).isEqualTo(Duration.ofSeconds(15));
            soft.assertThat(config.health().maxProjectorLag()).isEqualTo(10_000);
            soft.assertThat(config.check().interval()).isEqualTo(Duration.ofHours(1));
            soft.assertThat(config.rebuild().pageSize()).isEqualTo(1000);
            soft.assertThat(config.rebuild().workers()).isEqualTo(3);
            soft.assertThat(config.outbox().batchSize()).isEqualTo(2000);
            soft.assertThat(config.outbox().pollInterval()).isEqualTo(Duration.ofSeconds(1));
            soft.assertThat(config.outbox().publishTimeout()).isEqualTo(Duration.ofSeconds(30));
            soft.assertThat(config.outbox().linger()).isEqualTo(Duration.ofMillis(2));
            soft.assertThat(config.read().maxWait()).isEqualTo(Duration.ofSeconds(5));
            soft.assertThat(config.ingest().maxEventBytes()).isEqualTo(65_536);
            soft.assertThat(config.ingest().maxBatchItems()).isEqualTo(1000);
            soft.assertThat(config.append().lanes()).isEqualTo(4);
            soft.assertThat(config.append().maxGroup()).isEqualTo(500);
            soft.assertThat(config.reference().ttl()).isEqualTo(Duration.ofSeconds(30));
            soft.assertThat(config.security().maxTokenLifetime()).isEqualTo(Duration.ofHours(2));
            soft.assertThat(config.backpressure().maxBacklog()).isEqualTo(5000);
            soft.assertThat(config.backpressure().sampleInterval()).isEqualTo(Duration.ofMillis(200));
        });
    }

    @Test
    void everyPropertyIsReadUnderItsName() {
        Map<String, String> set = new HashMap<>();
        set.put("pipeline.health.sample-interval", "PT0.5S");
        set.put("pipeline.health.max-projector-lag", "7");
        set.put("pipeline.check.interval", "PT2M");
        set.put("pipeline.rebuild.page-size", "10");
        set.put("pipeline.rebuild.workers", "1");
        set.put("pipeline.outbox.batch-size", "20");
        set.put("pipeline.outbox.poll-interval", "PT3S");
        set.put("pipeline.outbox.publish-timeout", "PT4S");
        set.put("pipeline.outbox.linger", "PT0.05S");
        set.put("pipeline.read.max-wait", "PT2S");
        set.put("pipeline.ingest.max-event-bytes", "1024");
        set.put("pipeline.ingest.max-batch-items", "5");
        set.put("pipeline.append.lanes", "2");
        set.put("pipeline.append.max-group", "50");
        set.put("pipeline.reference.ttl", "PT0S");
        set.put("pipeline.security.max-token-lifetime", "PT5M");
        set.put("pipeline.backpressure.max-backlog", "300");
        set.put("pipeline.backpressure.sample-interval", "PT1S");

        PipelineConfig config = load(set);

        assertSoftly(soft -> {
            soft.assertThat(config.health().sampleInterval()).isEqualTo(Duration.ofMillis(500));
            soft.assertThat(config.health().maxProjectorLag()).isEqualTo(7);
            soft.assertThat(config.check().interval()).isEqualTo(Duration.ofMinutes(2));
            soft.assertThat(config.rebuild().pageSize()).isEqualTo(10);
            soft.assertThat(config.rebuild().workers()).isEqualTo(1);
            soft.assertThat(config.outbox().batchSize()).isEqualTo(20);
            soft.assertThat(config.outbox().pollInterval()).isEqualTo(Duration.ofSeconds(3));
            soft.assertThat(config.outbox().publishTimeout()).isEqualTo(Duration.ofSeconds(4));
            soft.assertThat(config.outbox().linger()).isEqualTo(Duration.ofMillis(50));
            soft.assertThat(config.read().maxWait()).isEqualTo(Duration.ofSeconds(2));
            soft.assertThat(config.ingest().maxEventBytes()).isEqualTo(1024);
            soft.assertThat(config.ingest().maxBatchItems()).isEqualTo(5);
            soft.assertThat(config.append().lanes()).isEqualTo(2);
            soft.assertThat(config.append().maxGroup()).isEqualTo(50);
            soft.assertThat(config.reference().ttl()).isEqualTo(Duration.ZERO);
            soft.assertThat(config.security().maxTokenLifetime()).isEqualTo(Duration.ofMinutes(5));
            soft.assertThat(config.backpressure().maxBacklog()).isEqualTo(300);
            soft.assertThat(config.backpressure().sampleInterval()).isEqualTo(Duration.ofSeconds(1));
        });
    }

    @Test
    void aMisspelledNameFailsTheStartInsteadOfBeingIgnored() {
        Map<String, String> set = new HashMap<>(REQUIRED);
        set.put("pipeline.outbox.linger-ms", "2");

        assertThatThrownBy(() -> load(set)).hasMessageContaining("pipeline.outbox.linger-ms");
    }

    private static PipelineConfig load(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(PipelineConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(PipelineConfig.class);
    }
}
