-- The streams that are not a project's (a campaign's, a follow-up item's answers: issue 26) are few among millions of
-- project events: the follow-up reads fetch every answer by stream id prefix, through this small index only. Not built
-- CONCURRENTLY: Flyway's own lock keeps a transaction open that such a build waits for, forever (tried); the build
-- reads the events once, so the appends of pods still draining wait for that long (README, Operate).
CREATE INDEX events_other_streams ON events (project_id, version) WHERE strpos(project_id, ':') > 0;
