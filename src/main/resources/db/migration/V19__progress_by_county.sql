-- Each county's progress against its share of a campaign's targets (排名通报, issue 26): campaign_progress groups the
-- projects by the county they counted in on each day too. That county is a project's as of the day (a move dates
-- from its correction), which only a replay of the history knows, so the rows start empty and the rebuild that fills
-- them is marked required, as V14 and V16 do: the campaign reads answer 503 /problems/not-yet-projected until it
-- swaps. A rebuild's swap renames tables, so the primary key may bear the name of the table it was built as.
TRUNCATE campaign_progress;

DO $$
BEGIN
    EXECUTE format('ALTER TABLE campaign_progress DROP CONSTRAINT %I',
                   (SELECT conname FROM pg_constraint WHERE conrelid = 'campaign_progress'::regclass AND contype = 'p'));
END $$;
ALTER TABLE campaign_progress
    ADD COLUMN region_code text NOT NULL,
    ADD PRIMARY KEY (campaign_id, region_code, categories, signed, started, completed, effective_on);

UPDATE projection_status SET required = EXISTS (SELECT 1 FROM project_view) WHERE name = 'rebuild';
