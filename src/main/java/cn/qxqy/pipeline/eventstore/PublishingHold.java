package cn.qxqy.pipeline.eventstore;

/**
 * What may keep the outbox relay from publishing for a while: a room above this one that must read project-events
 * before the relay writes to it again. The recovery check tells a restored store by the topic's last records; the
 * outbox rows a restore brings back, published first, would stand last and hide the events the store lost.
 */
public interface PublishingHold {

    /** Whether the relay must wait; whoever holds it wakes the relay ({@link OutboxRelay#wake}) when it lets go. */
    boolean holds();
}
