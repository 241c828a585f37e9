package cn.qxqy.pipeline.faults;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One of two replicas sent SIGTERM under load, as Kubernetes stops a pod. */
@ExtendWith(SoftAssertionsExtension.class)
class SigtermFaultIT {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    @InjectSoftAssertions
    private SoftAssertions softly;

    @Test
    void aReplicaStoppedWithSigtermExitsByItselfAndLosesOrWithholdsNothingItAcknowledged() throws Exception {
        try (Cluster cluster = Cluster.start("SigtermFaultIT", 2)) {
            Writers writers = new Writers(cluster, cluster.createCampaign(), 12);
            writers.start();
            writers.awaitMoreAcks(300, Duration.ofSeconds(60));

            Replica stopped = cluster.replica(1);
            long terminated = System.nanoTime();
            stopped.terminate();
            OptionalInt exit = stopped.awaitExit(EXIT_TIMEOUT);
            double exitSeconds = Cluster.seconds(terminated);
            writers.awaitMoreAcks(200, Duration.ofSeconds(60));
            Thread.sleep(3_000);
            writers.stop();

            List<Writers.Attempt> after = writers.attempts().stream()
                    .filter(a -> a.replica() == 1 && a.receivedNanos() > terminated).toList();
            Writers.Moved moved = writers.movedOn(1, terminated);
            System.out.printf("[faults] SigtermFaultIT: %s %s %.1f s after SIGTERM; its answers after SIGTERM: %d "
                            + "acknowledged, %d × 503, %d connection errors (%d of them to requests in flight at the "
                            + "SIGTERM); writers that started on it and went on with the other: %d of %d%n",
                    stopped.name(), exit.isPresent() ? "exited with " + exit.getAsInt() : "was still running", exitSeconds,
                    after.stream().filter(a -> a.status() == 200 || a.status() == 201).count(),
                    after.stream().filter(a -> a.status() == 503).count(),
                    after.stream().filter(Writers.Attempt::connectionError).count(),
                    after.stream().filter(a -> a.sentNanos() < terminated && a.connectionError()).count(),
                    moved.movedOn(), moved.started());

            softly.assertThat(exit).as(stopped.name() + " exited by itself within " + EXIT_TIMEOUT + " of SIGTERM")
                    .isPresent();
            exit.ifPresent(code -> softly.assertThat(code).as("exit code after SIGTERM").isIn(0, 143));
            softly.assertThat(moved.movedOn()).as("writers that started on the stopped replica and went on with the "
                    + "other").isEqualTo(moved.started());
            Verification.verify(cluster, writers, softly);
        }
    }
}
