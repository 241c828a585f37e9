-- The day each period was first reported ({"2024-06": "2024-07-08"}), which closes its follow-up item (督办, issue 26).
-- Null in the views written before: the projector replays such a project from the store, and the required rebuild
-- rewrites them all.
ALTER TABLE project_view ADD COLUMN reported_on jsonb;
UPDATE projection_status SET required = EXISTS (SELECT 1 FROM project_view) WHERE name = 'rebuild';
