package cn.qxqy.pipeline.recovery;

import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.PublishingHold;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.LostPositions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This replica's copy of the table {@code recoveries}, refreshed on every check: whether appends are held back for
 * an unacknowledged restore, and which positions of project-events carry events a restore lost.
 */
@ApplicationScoped
public class RecoveryState implements LostPositions, PublishingHold {

    private final Pool pool;
    private final PipelineMetrics metrics;
    private volatile List<Recovery> recoveries = List.of();
    private volatile Set<Long> lostPositions = Set.of();
    /** Whether the table has been read since this replica started: until then a pending restore is not known. */
    private volatile boolean known;
    /** Whether this replica has looked at project-events once since it started (see {@link #holds}). */
    private volatile boolean looked;

    public RecoveryState(Pool pool, PipelineMetrics metrics) {
        this.pool = pool;
        this.metrics = metrics;
    }

    /**
     * The relay waits until the first look at project-events after start-up: a store is restored while the service
     * is stopped, and the outbox rows the restore brings back, published first, would stand last on the topic.
     */
    @Override
    public boolean holds() {
        return !looked;
    }

    /** The first look at project-events is done, found something or not, or failed (the relay must not wait forever). */
    void looked() {
        looked = true;
    }

    /** Every recovery, oldest first, as the table has them now. */
    public Uni<List<Recovery>> refresh() {
        return Uni.combine().all().unis(
                        pool.query("SELECT * FROM recoveries ORDER BY id").execute(),
                        pool.query("SELECT * FROM recovery_lost_events ORDER BY recovery_id, position").execute())
                .asTuple().map(rows -> {
                    Map<Long, List<Recovery.LostEvent>> lost = new HashMap<>();
                    Set<Long> positions = new HashSet<>();
                    for (Row row : rows.getItem2()) {
                        lost.computeIfAbsent(row.getLong("recovery_id"), id -> new ArrayList<>()).add(new Recovery.LostEvent(
                                row.getLong("position"), row.getString("project_id"), row.getLong("version"),
                                row.getUUID("event_id"), row.getString("type"), row.getString("department")));
                        positions.add(row.getLong("position"));
                    }
                    List<Recovery> all = new ArrayList<>();
                    for (Row row : rows.getItem1()) {
                        all.add(new Recovery(row.getLong("id"), row.getOffsetDateTime("noticed_at"),
                                row.getLong("store_position"), row.getLong("topic_position"),
                                row.getOffsetDateTime("acknowledged_at"), row.getString("acknowledged_by"),
                                List.copyOf(lost.getOrDefault(row.getLong("id"), List.of()))));
                    }
                    recoveries = List.copyOf(all);
                    lostPositions = Set.copyOf(positions);
                    known = true;
                    Recovery pending = unacknowledged();
                    metrics.recovery(pending != null, pending == null ? 0 : pending.lostEvents().size());
                    return recoveries;
                });
    }

    /** The restore that waits for an admin's acknowledgement, or null. */
    public Recovery unacknowledged() {
        return recoveries.stream().filter(r -> !r.acknowledged()).findFirst().orElse(null);
    }

    public List<Recovery> recoveries() {
        return recoveries;
    }

    /**
     * Names the store's lineage: it changes with every restore noticed, as a restore takes back events that answers
     * for a past instant counted. Null until the table has been read since start-up.
     */
    public String epoch() {
        if (!known) {
            return null;
        }
        List<Recovery> all = recoveries;
        if (all.isEmpty()) {
            return "0";
        }
        Recovery last = all.get(all.size() - 1);
        // The id alone could repeat: a restore also takes back the recoveries noticed after its backup.
        return last.id() + "@" + last.noticedAt().toInstant().toEpochMilli();
    }

    @Override
    public boolean isLost(long position) {
        return lostPositions.contains(position);
    }

    /** Fails with 503 while a restore waits for an admin: an append now would take a position Kafka already carries. */
    public void refuseAppendsWhileRestored() {
        if (!known) {
            throw Problem.of(ProblemType.RECOVERY_PENDING, Wording.of("recovery.unknown")).exception();
        }
        Recovery pending = unacknowledged();
        if (pending != null) {
            throw Problem.of(ProblemType.RECOVERY_PENDING,
                    Wording.of("recovery.pending", pending.storePosition(), pending.lostEvents().size())).exception();
        }
    }
}
