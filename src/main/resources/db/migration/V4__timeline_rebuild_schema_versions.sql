-- Milestones per month of their date (occurredOn), per campaign, over active projects; kept like
-- campaign_figures by upserts of per-event deltas. `milestone` is RESERVED, SIGNED, STARTED, COMPLETED
-- or WITHDRAWN; `investment` is the signed investment for SIGNED, the planned investment otherwise.
CREATE TABLE campaign_timeline (
    campaign_id text    NOT NULL,
    month       text    NOT NULL,
    milestone   text    NOT NULL,
    projects    bigint  NOT NULL,
    investment  numeric NOT NULL,
    PRIMARY KEY (campaign_id, month, milestone)
);

-- Rebuild bookkeeping: one row per projection run (the live projector and the rebuild).
ALTER TABLE projection_status
    ADD COLUMN state             text NOT NULL DEFAULT 'IDLE',
    ADD COLUMN started_at        timestamptz,
    ADD COLUMN finished_at       timestamptz,
    ADD COLUMN heartbeat_at      timestamptz,
    ADD COLUMN projects_done     bigint NOT NULL DEFAULT 0,
    ADD COLUMN projects_total    bigint NOT NULL DEFAULT 0,
    ADD COLUMN events_done       bigint NOT NULL DEFAULT 0,
    ADD COLUMN events_per_second numeric;
UPDATE projection_status SET state = 'LIVE' WHERE name = 'projector';
INSERT INTO projection_status (name) VALUES ('rebuild');
