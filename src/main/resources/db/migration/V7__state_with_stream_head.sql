-- Each project's current state kept with its stream head, so that an append decides without replaying the
-- history. state_version is the version the state is at: heads written before this release (or by a pod of
-- the previous release during a rollout) have none or an older one, and are replayed once, then kept.
ALTER TABLE stream_heads
    ADD COLUMN state         jsonb,
    ADD COLUMN state_version bigint;
