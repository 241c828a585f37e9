package cn.qxqy.pipeline.faults;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** PostgreSQL stopped for 60 s under load on two replicas, then started again on the same data. */
@ExtendWith(SoftAssertionsExtension.class)
class DatabaseOutageFaultIT {

    private static final Duration OUTAGE = Duration.ofSeconds(60);

    @InjectSoftAssertions
    private SoftAssertions softly;

    @Test
    void writesDuringADatabaseOutageAreToldToRetryAndNothingIsLostOrCountedTwiceAfterwards() throws Exception {
        try (Cluster cluster = Cluster.start("DatabaseOutageFaultIT", 2)) {
            Writers writers = new Writers(cluster, cluster.createCampaign(), 12);
            writers.start();
            writers.awaitMoreAcks(300, Duration.ofSeconds(60));

            long stopping = System.nanoTime();
            cluster.stopDatabase();
            Thread.sleep(OUTAGE.toMillis());
            long restarting = System.nanoTime();
            cluster.startDatabase();
            long up = System.nanoTime();
            writers.awaitMoreAcks(1, Duration.ofSeconds(60));
            Thread.sleep(5_000);
            writers.stop();

            // Answers from the moment the stop began until the start began; a 200/201 then is an append committed
            // before the stop, anything else must tell the client to come back.
            List<Writers.Attempt> during = writers.attempts().stream()
                    .filter(a -> a.receivedNanos() >= stopping && a.receivedNanos() <= restarting
                            && a.status() != 200 && a.status() != 201).toList();
            long withRetryAfter = during.stream().filter(a -> a.status() == 503 && a.retryAfter() != null).count();
            long connectionErrors = during.stream().filter(Writers.Attempt::connectionError).count();
            List<Writers.Attempt> other = during.stream()
                    .filter(a -> !a.connectionError() && !(a.status() == 503 && a.retryAfter() != null)).toList();
            Optional<Writers.Ack> firstCreated = writers.firstCreatedAfter(up);
            System.out.printf("[faults] DatabaseOutageFaultIT: PostgreSQL down %.1f s; answers meanwhile: %d × 503 with "
                            + "Retry-After, %d connection errors, %d other %s; first 201 %s after PostgreSQL "
                            + "was back%n", (restarting - stopping) / 1e9, withRetryAfter, connectionErrors, other.size(),
                    other.stream().limit(5).toList(),
                    firstCreated.map(a -> String.format("%.1f s", (a.receivedNanos() - up) / 1e9)).orElse("never"));

            softly.assertThat(other).as("answers during the outage other than 200/201 or 503 with Retry-After")
                    .isEmpty();
            softly.assertThat(withRetryAfter).as("503s with Retry-After during the outage").isPositive();
            softly.assertThat(firstCreated).as("a 201 after PostgreSQL was back").isPresent();
            // Liveness says whether a replica's Kafka channels survived the outage (Kubernetes restarts it if not).
            for (Replica replica : cluster.replicas()) {
                HttpResponse<String> live = cluster.get(replica, "/q/health/live", false, Duration.ofSeconds(10));
                System.out.printf("[faults] DatabaseOutageFaultIT: %s /q/health/live %d %s%n", replica.name(),
                        live.statusCode(), live.body().replaceAll("\\s+", " "));
            }
            Verification.verify(cluster, writers, softly);
        }
    }
}
