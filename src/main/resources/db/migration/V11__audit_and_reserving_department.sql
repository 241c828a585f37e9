-- Audit: who appended each event (the department stays in source): the token's subject and OAuth client, the channel
-- (http, kafka) and the request id. Null for events appended before this release.
ALTER TABLE events
    ADD COLUMN subject    text,
    ADD COLUMN client     text,
    ADD COLUMN channel    text,
    ADD COLUMN request_id text;

-- The department that reserved each project: only it, or a department holding the whole city, may change the project.
ALTER TABLE stream_heads ADD COLUMN reserved_by text;
UPDATE stream_heads h SET reserved_by = e.source FROM events e WHERE e.project_id = h.project_id AND e.version = 1;
