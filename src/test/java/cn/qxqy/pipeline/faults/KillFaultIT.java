package cn.qxqy.pipeline.faults;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The only replica killed with SIGKILL under load, then started again. */
@ExtendWith(SoftAssertionsExtension.class)
class KillFaultIT {

    @InjectSoftAssertions
    private SoftAssertions softly;

    @Test
    void aKilledReplicaLosesNothingItAcknowledgedAndPublishesItsCommittedBacklogOnceRestarted() throws Exception {
        try (Cluster cluster = Cluster.start("KillFaultIT", 1)) {
            Writers writers = new Writers(cluster, cluster.createCampaign(), 12);
            writers.start();
            Thread.sleep(4_000);

            cluster.replica(0).kill();
            long killed = System.nanoTime();
            // Committed but not yet published: no other replica is there to publish them.
            Set<UUID> unpublished = cluster.outbox();
            int acknowledgedBefore = writers.acks().size();
            cluster.start(0);
            double down = Cluster.seconds(killed);
            writers.awaitMoreAcks(100, Duration.ofSeconds(60));
            Thread.sleep(5_000);
            writers.stop();

            System.out.printf("[faults] KillFaultIT: kill -9 after %d acknowledged events; %d committed events were "
                    + "not yet published; the replica was down %.1f s%n", acknowledgedBefore, unpublished.size(), down);
            Set<UUID> published = Verification.verify(cluster, writers, softly);
            softly.assertThat(published).as("the events committed but unpublished at the kill, "
                    + "published after the restart").containsAll(unpublished);
        }
    }
}
