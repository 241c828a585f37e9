-- The W3C trace context of the request that appended the event, so that its trace goes on through Kafka.
ALTER TABLE outbox ADD COLUMN trace_context text;
