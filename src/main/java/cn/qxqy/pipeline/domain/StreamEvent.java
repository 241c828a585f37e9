package cn.qxqy.pipeline.domain;

import java.time.LocalDate;

/**
 * A fact on one stream of the event store: a project's lifecycle ({@link ProjectEvent}), which departments post, or a
 * campaign's ({@link CampaignEvent}), which the service itself records. {@code occurredOn} is its date in Asia/Shanghai.
 */
public sealed interface StreamEvent permits ProjectEvent, CampaignEvent {

    LocalDate occurredOn();

    /** The event's name on the wire and in the store. */
    default String type() {
        return EventTypes.of(this).name();
    }
}
