-- The event store: the source of truth. Append-only; read models are derived from it.
CREATE TABLE events (
    position       bigserial   PRIMARY KEY,          -- global order (gaps where a transaction rolled back)
    project_id     text        NOT NULL,
    version        bigint      NOT NULL CHECK (version > 0),
    event_id       uuid        NOT NULL,
    type           text        NOT NULL,
    schema_version int         NOT NULL DEFAULT 1,
    occurred_on    date        NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    source         text        NOT NULL,
    data           jsonb       NOT NULL,
    request_hash   text        NOT NULL,             -- for idempotent re-posts of the same eventId
    CONSTRAINT events_event_id_key UNIQUE (event_id),
    CONSTRAINT events_project_version_key UNIQUE (project_id, version)
);

CREATE FUNCTION refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event store is append-only';
END $$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION refuse_event_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_change();

-- One row per project: its version, locked by every append so that concurrent writers serialize.
CREATE TABLE stream_heads (
    project_id   text        PRIMARY KEY,
    version      bigint      NOT NULL,
    stage        text        NOT NULL,
    project_code text,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT stream_heads_project_code_key UNIQUE (project_code)
);

-- Transactional outbox: events committed but not yet published to Kafka.
CREATE TABLE outbox (
    position   bigint PRIMARY KEY REFERENCES events (position),
    project_id text   NOT NULL
);
CREATE INDEX outbox_project_position ON outbox (project_id, position);
