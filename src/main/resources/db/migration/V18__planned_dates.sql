-- The planned days of 开工 and 竣工 a project may state (issue 26), which a follow-up item chases once passed. Null in
-- the views written before: the required rebuild rewrites them all from the histories.
ALTER TABLE project_view ADD COLUMN planned_start_on date, ADD COLUMN planned_completion_on date;
UPDATE projection_status SET required = EXISTS (SELECT 1 FROM project_view) WHERE name = 'rebuild';
