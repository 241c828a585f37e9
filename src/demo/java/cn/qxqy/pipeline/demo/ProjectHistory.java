package cn.qxqy.pipeline.demo;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One project's history as its department posts it. Milestones (and their retractions) are added in the order they
 * are posted; monthly reports and corrections by their date alone, and they go between the milestones by that date.
 */
final class ProjectHistory {

    static final String RESERVED = "ProjectReserved";
    static final String SIGNED = "ProjectSigned";
    static final String STARTED = "ConstructionStarted";
    static final String COMPLETED = "ProjectCompleted";
    static final String REPORTED = "InvestmentReported";
    static final String CORRECTED = "ProjectCorrected";
    static final String RETRACTED = "MilestoneRetracted";
    static final String WITHDRAWN = "ProjectWithdrawn";
    /** Every event type of the service's registry, in its order. */
    static final List<String> TYPES = List.of(RESERVED, SIGNED, STARTED, COMPLETED, REPORTED, CORRECTED, RETRACTED,
            WITHDRAWN);

    /** The stage each milestone leads to. */
    private static final Map<String, String> STAGES = Map.of(RESERVED, "RESERVED", SIGNED, "SIGNED", STARTED, "STARTED",
            COMPLETED, "COMPLETED", WITHDRAWN, "WITHDRAWN");

    /** @param eventId the event's own id, or null for one derived from the project and version */
    private record Step(String type, LocalDate on, Map<String, Object> data, UUID eventId) {
    }

    private final String projectId;
    private final List<Step> milestones = new ArrayList<>();
    private final List<Step> dated = new ArrayList<>();
    /** The milestones that stand, last on top: a retraction takes the top one away. */
    private final Deque<Step> reached = new ArrayDeque<>();

    ProjectHistory(String projectId) {
        this.projectId = projectId;
    }

    String projectId() {
        return projectId;
    }

    /** Whether the history has begun: a project is reserved first. */
    boolean isReserved() {
        return !milestones.isEmpty();
    }

    /** The stage the history leaves the project in. */
    String stage() {
        return stageOf(reached.peek());
    }

    /**
     * The stage at the end of {@code day} as the service reads the history as of that day: the latest milestone
     * dated by then among those that stand (a retracted one never happened); null before the reservation.
     */
    String stageOn(LocalDate day) {
        for (Step milestone : reached) {
            if (!milestone.on().isAfter(day)) {
                return stageOf(milestone);
            }
        }
        return null;
    }

    private static String stageOf(Step milestone) {
        return STAGES.get(milestone.type());
    }

    ProjectHistory milestone(String type, LocalDate on, Map<String, Object> data) {
        return milestone(type, on, data, null);
    }

    ProjectHistory milestone(String type, LocalDate on, Map<String, Object> data, UUID eventId) {
        Step step = new Step(type, on, data, eventId);
        milestones.add(step);
        if (type.equals(RETRACTED)) {
            reached.pop();
        } else if (STAGES.containsKey(type)) {
            reached.push(step);
        } else {
            throw new IllegalArgumentException(type + " is not a milestone");
        }
        return this;
    }

    /** A report or a correction, placed by its date. */
    ProjectHistory dated(String type, LocalDate on, Map<String, Object> data) {
        dated.add(new Step(type, on, data, null));
        return this;
    }

    /**
     * The events in posting order, versions from 1. A dated step goes before the first milestone dated after it, and
     * before a withdrawal of its own day (nothing may follow a withdrawal); after a start of its own day, which a
     * report needs.
     */
    List<DemoEvent> events() {
        List<Step> byDate = dated.stream().sorted(Comparator.comparing(Step::on)).toList();
        List<Step> ordered = new ArrayList<>();
        int next = 0;
        for (Step milestone : milestones) {
            while (next < byDate.size() && (byDate.get(next).on().isBefore(milestone.on())
                    || milestone.type().equals(WITHDRAWN) && byDate.get(next).on().equals(milestone.on()))) {
                ordered.add(byDate.get(next++));
            }
            ordered.add(milestone);
        }
        if (next < byDate.size() && WITHDRAWN.equals(stage())) {
            throw new IllegalStateException(projectId + ": " + byDate.get(next).type() + " after the withdrawal");
        }
        ordered.addAll(byDate.subList(next, byDate.size()));

        List<DemoEvent> events = new ArrayList<>(ordered.size());
        LocalDate posted = ordered.get(0).on();
        for (Step step : ordered) {
            long version = events.size() + 1;
            posted = step.on().isAfter(posted) ? step.on() : posted;
            // The walkthrough's own events (fixed ids) carry no expectedVersion after the reservation; ours always do.
            Long expected = step.eventId() == null || version == 1 ? version - 1 : null;
            String key = "demo 2024-qxqy " + projectId + " " + version + " " + step.type();
            UUID eventId = step.eventId() != null ? step.eventId()
                    : UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
            events.add(new DemoEvent(projectId, eventId, step.type(), step.on(), expected, step.data(), posted));
        }
        return events;
    }
}
