package cn.qxqy.pipeline.faults;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One of three replicas killed with SIGKILL under load: its projector partitions must move to the live ones. */
@ExtendWith(SoftAssertionsExtension.class)
class ReplicaFaultIT {

    private static final String GROUP = "projector";
    private static final String SESSION_TIMEOUT = "mp.messaging.incoming.project-events-in.session.timeout.ms";
    /** Kafka's own default, should the service not set it. */
    private static final long KAFKA_DEFAULT_SESSION_TIMEOUT_MS = 45_000;
    private static final Duration MARGIN = Duration.ofSeconds(10);

    @InjectSoftAssertions
    private SoftAssertions softly;

    @Test
    void theKilledReplicasPartitionsGoToTheLiveReplicasWithinTheSessionTimeout() throws Exception {
        Duration sessionTimeout = sessionTimeout();
        try (Cluster cluster = Cluster.start("ReplicaFaultIT", 3);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            Writers writers = new Writers(cluster, cluster.createCampaign(), 12);
            writers.start();
            Set<String> all = cluster.replicas().stream().map(Replica::name).collect(Collectors.toSet());
            if (awaitGroup(admin, all, Duration.ofSeconds(90), System.nanoTime()).isEmpty()) {
                throw new AssertionError("the group " + GROUP + " never had every replica as a member with every "
                        + "partition assigned: " + describe(admin));
            }
            writers.awaitMoreAcks(300, Duration.ofSeconds(60));

            Replica killed = cluster.replica(2);
            killed.kill();
            long t0 = System.nanoTime();
            Set<String> live = new HashSet<>(all);
            live.remove(killed.name());
            Optional<Duration> reassigned = awaitGroup(admin, live, sessionTimeout.plusSeconds(60), t0);
            String group = describe(admin);
            writers.awaitMoreAcks(200, Duration.ofSeconds(60));
            Thread.sleep(3_000);
            writers.stop();

            Writers.Moved moved = writers.movedOn(2, t0);
            System.out.printf("[faults] ReplicaFaultIT: %s killed; group %s had only the live replicas with every "
                            + "partition assigned %s after the kill (session timeout %d ms + %d s margin): %s; writers "
                            + "that started on it and went on with the live replicas: %d of %d%n",
                    killed.name(), GROUP, reassigned.map(d -> String.format("%.1f s", d.toMillis() / 1000.0))
                            .orElse("not within " + sessionTimeout.plusSeconds(60)), sessionTimeout.toMillis(),
                    MARGIN.toSeconds(), group, moved.movedOn(), moved.started());

            softly.assertThat(reassigned).as("partitions reassigned to the live replicas").isPresent();
            reassigned.ifPresent(d -> softly.assertThat(d).as("time from the kill until only live members hold every "
                    + "partition").isLessThanOrEqualTo(sessionTimeout.plus(MARGIN)));
            softly.assertThat(moved.movedOn()).as("writers that started on the killed replica and went on with the live "
                    + "ones").isEqualTo(moved.started());
            Verification.verify(cluster, writers, softly);
        }
    }

    /** The channel's session.timeout.ms in the service's application.properties. */
    private static Duration sessionTimeout() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Cluster.ROOT.resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return Duration.ofMillis(Long.parseLong(properties.getProperty(SESSION_TIMEOUT,
                String.valueOf(KAFKA_DEFAULT_SESSION_TIMEOUT_MS))));
    }

    /**
     * Polls the group until it is stable with exactly the {@code members} (replica names, which are the projector's
     * client ids) and every partition of the topic assigned; the time from {@code fromNanos} until then.
     */
    private static Optional<Duration> awaitGroup(Admin admin, Set<String> members, Duration timeout, long fromNanos)
            throws Exception {
        Set<TopicPartition> partitions = admin.describeTopics(List.of(Verification.TOPIC)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(Verification.TOPIC).partitions().stream()
                .map(p -> new TopicPartition(Verification.TOPIC, p.partition())).collect(Collectors.toSet());
        long deadline = fromNanos + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all()
                    .get(30, TimeUnit.SECONDS).get(GROUP);
            Set<String> clients = group.members().stream().map(MemberDescription::clientId).collect(Collectors.toSet());
            Set<TopicPartition> assigned = group.members().stream()
                    .flatMap(m -> m.assignment().topicPartitions().stream()).collect(Collectors.toSet());
            if (group.groupState() == GroupState.STABLE && group.members().size() == members.size()
                    && clients.equals(members) && assigned.containsAll(partitions)) {
                return Optional.of(Duration.ofNanos(System.nanoTime() - fromNanos));
            }
            Thread.sleep(200);
        }
        return Optional.empty();
    }

    private static String describe(Admin admin) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get(30, TimeUnit.SECONDS)
                .get(GROUP);
        return group.groupState() + " " + group.members().stream()
                .map(m -> m.clientId() + "=" + m.assignment().topicPartitions().stream().map(TopicPartition::partition)
                        .sorted().toList())
                .sorted().toList();
    }
}
