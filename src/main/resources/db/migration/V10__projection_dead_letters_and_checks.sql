-- Projects the projector could not apply (issue 9). An event that fails for a reason other than an unreachable
-- database (which is retried for as long as it lasts) parks its project: its events from from_version on are held
-- back, in order, while every other project goes on. An admin re-drives it from the event store after the fix; the
-- Kafka offsets move on, since the store, not the topic, is what a re-drive reads.
CREATE TABLE projection_dead_letters (
    project_id   text        PRIMARY KEY,
    from_version bigint      NOT NULL,
    to_version   bigint      NOT NULL,
    event_id     uuid,
    event_type   text,
    error        text        NOT NULL,
    parked_at    timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- The last consistency check's result, whichever replica ran it, for the metrics every replica exports.
CREATE TABLE consistency_check_result (
    only_row         boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
    started_at       timestamptz,
    finished_at      timestamptz,
    consistent       boolean,
    differences      bigint,
    pending_projects bigint,
    checked_projects bigint,
    checked_events   bigint
);
INSERT INTO consistency_check_result DEFAULT VALUES;
