package cn.qxqy.pipeline.eventstore;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.UUID;

/** Where an event landed; {@code created} is false when the same event had been appended before. */
public record AppendResult(String projectId, long version, long position, UUID eventId,
                           @JsonIgnore boolean created) {
}
