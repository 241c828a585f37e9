-- A restore of the store from a backup, noticed because project-events holds events the store does not have. Kept
-- here, not in memory, so that every replica holds appends back alike and a restart does not forget it. At most one
-- waits for an admin's acknowledgement at a time.
CREATE TABLE recoveries (
    id              bigserial   PRIMARY KEY,
    noticed_at      timestamptz NOT NULL DEFAULT now(),
    store_position  bigint      NOT NULL,  -- the restored store's highest position: the restore point
    topic_position  bigint      NOT NULL,  -- the highest position project-events carried
    acknowledged_at timestamptz,
    acknowledged_by text
);
CREATE UNIQUE INDEX recoveries_one_unacknowledged ON recoveries ((true)) WHERE acknowledged_at IS NULL;

-- The events project-events carried that the restore lost, read from the topic: the departments re-post them with the
-- same eventIds; their positions are never handed out again, and the projector skips their stale records.
CREATE TABLE recovery_lost_events (
    recovery_id bigint NOT NULL REFERENCES recoveries (id),
    position    bigint NOT NULL,
    project_id  text   NOT NULL,
    version     bigint NOT NULL,
    event_id    uuid   NOT NULL,
    type        text   NOT NULL,
    department  text   NOT NULL,
    PRIMARY KEY (recovery_id, position)
);

-- Republishes of the store to project-events (a lost or truncated topic), with their progress.
CREATE TABLE republishes (
    id                bigserial   PRIMARY KEY,
    from_position     bigint      NOT NULL,
    through_position  bigint      NOT NULL,  -- the store's highest position when it started
    published_through bigint,
    published_events  bigint      NOT NULL DEFAULT 0,
    started_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),  -- a running republish's heartbeat
    finished_at       timestamptz,
    error             text
);
