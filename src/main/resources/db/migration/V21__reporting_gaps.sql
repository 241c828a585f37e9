-- What the follow-up list reads to pass over the projects that report on time (ProjectView.REPORTING_COLUMNS): the
-- most days after the 1st of the next month a period was first reported, and the first month since the start with no
-- report. Null in the views written before: the required rebuild writes them.
ALTER TABLE project_view
    ADD COLUMN report_delay_max integer,
    ADD COLUMN first_unreported date;
UPDATE projection_status SET required = EXISTS (SELECT 1 FROM project_view) WHERE name = 'rebuild';
