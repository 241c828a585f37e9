package cn.qxqy.pipeline.domain;

import static cn.qxqy.pipeline.domain.Stage.COMPLETED;
import static cn.qxqy.pipeline.domain.Stage.RESERVED;
import static cn.qxqy.pipeline.domain.Stage.SIGNED;
import static cn.qxqy.pipeline.domain.Stage.STARTED;
import static cn.qxqy.pipeline.domain.Stage.WITHDRAWN;

import cn.qxqy.pipeline.domain.ProjectEvent.ConstructionStarted;
import cn.qxqy.pipeline.domain.ProjectEvent.InvestmentReported;
import cn.qxqy.pipeline.domain.ProjectEvent.MilestoneRetracted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCompleted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCorrected;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectReserved;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectSigned;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectWithdrawn;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every event type, once. Its record's components (but {@code occurredOn}) are the fields of its {@code data}, in
 * their order, a nested record's components flattened; the wire, the store, Kafka and the published schemas all
 * follow from that. A new type is an entry here, its record in {@link ProjectEvent} and its cases in
 * {@link ProjectStateMachine}.
 */
public final class EventTypes {

    /**
     * @param name the type's name on the wire and in the store, kept when the record is renamed
     * @param schemaVersion the version of the {@code data} shape written now; older stored shapes are upcast
     * @param allowedFrom the stages of a known project it may follow (the design's "allowed when" column)
     */
    public record EventType(String name, Class<? extends ProjectEvent> record, int schemaVersion,
                            Set<Stage> allowedFrom) {
    }

    public static final List<EventType> ALL = List.of(
            new EventType("ProjectReserved", ProjectReserved.class, 2, EnumSet.noneOf(Stage.class)),
            new EventType("ProjectSigned", ProjectSigned.class, 1, EnumSet.of(RESERVED)),
            new EventType("ConstructionStarted", ConstructionStarted.class, 1, EnumSet.of(RESERVED, SIGNED)),
            new EventType("ProjectCompleted", ProjectCompleted.class, 1, EnumSet.of(STARTED)),
            new EventType("InvestmentReported", InvestmentReported.class, 1, EnumSet.of(STARTED, COMPLETED)),
            new EventType("ProjectCorrected", ProjectCorrected.class, 1, EnumSet.complementOf(EnumSet.of(WITHDRAWN))),
            new EventType("MilestoneRetracted", MilestoneRetracted.class, 1, EnumSet.of(SIGNED, STARTED, COMPLETED)),
            new EventType("ProjectWithdrawn", ProjectWithdrawn.class, 1, EnumSet.complementOf(EnumSet.of(WITHDRAWN))));

    /** The names, in the order of {@link #ALL}. */
    public static final List<String> NAMES = ALL.stream().map(EventType::name).toList();

    private static final Map<String, EventType> BY_NAME = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(EventType::name, Function.identity()));
    private static final Map<Class<?>, EventType> BY_RECORD = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(EventType::record, Function.identity()));

    private EventTypes() {
    }

    public static EventType of(ProjectEvent event) {
        return BY_RECORD.get(event.getClass());
    }

    public static Optional<EventType> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
