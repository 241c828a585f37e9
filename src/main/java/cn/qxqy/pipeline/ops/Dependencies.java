package cn.qxqy.pipeline.ops;

/**
 * What every replica shares: PostgreSQL, Kafka and the projector's lag. An outage of one of them, or a lag beyond its
 * bound, is the same on every pod, so it is reported in the health group {@value #GROUP}
 * ({@code /q/health/group/dependencies}), in metrics and in alerts, never in readiness: that would take every replica
 * out of the Service at once, writes included.
 */
final class Dependencies {

    static final String GROUP = "dependencies";
    static final String POSTGRESQL = "postgresql";
    static final String KAFKA = "kafka";

    private Dependencies() {
    }
}
