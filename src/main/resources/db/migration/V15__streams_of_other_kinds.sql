-- Streams that are not a project's (a campaign's, with its issued reports: stream id 'campaign:<campaignId>') share the
-- events, outbox and stream_heads tables. A project id never holds a colon; every other stream id does. Their heads keep
-- a version only: no stage, code, state nor reserving department.
ALTER TABLE stream_heads ALTER COLUMN stage DROP NOT NULL;
ALTER TABLE stream_heads ADD CONSTRAINT stream_heads_project_stage
    CHECK (stage IS NOT NULL OR strpos(project_id, ':') > 0);
