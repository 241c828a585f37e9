-- Figures on any date (issue 25). Each aggregate row is a change of the sums from the day it takes effect
-- (effective_on): a read as of a day sums the rows of each key up to that day, and without asOf up to the current
-- year's end. A project's history cannot be replayed here in SQL, so the aggregates start empty and the rebuild that
-- fills them is marked required: the first replica of this release to start runs it (Rebuild.startIfRequired), and
-- the campaign reads answer 503 /problems/not-yet-projected, never zeros, until its swap clears the mark.
TRUNCATE campaign_figures, campaign_timeline, campaign_progress;

-- A rebuild's swap renames tables, so a primary key may still bear the name of the table it was built as.
DO $$
DECLARE
    dated text[];
BEGIN
    FOREACH dated SLICE 1 IN ARRAY ARRAY[
            ['campaign_figures', 'campaign_id, dimension, key, effective_on'],
            ['campaign_timeline', 'campaign_id, month, milestone, effective_on'],
            ['campaign_progress', 'campaign_id, categories, signed, started, completed, effective_on']] LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', dated[1],
                       (SELECT conname FROM pg_constraint WHERE conrelid = dated[1]::regclass AND contype = 'p'));
        EXECUTE format('ALTER TABLE %I ADD COLUMN effective_on date NOT NULL, ADD PRIMARY KEY (%s)', dated[1], dated[2]);
    END LOOP;
END $$;
ALTER TABLE campaign_figures ADD COLUMN investment_this_year numeric NOT NULL;
ALTER TABLE campaign_progress ADD COLUMN investment_this_year numeric NOT NULL;

-- What a project's dated state holds beyond its state: the last report of each period ({"2024-06": "1200.00"}) and
-- where it counted since each move ([{"from": null | "2024-09-15", "campaignId", "regionCode"}]). Null in the views
-- written before: the projector replays such a project from the store, and the required rebuild rewrites them all.
ALTER TABLE project_view
    ADD COLUMN reports    jsonb,
    ADD COLUMN placements jsonb;

ALTER TABLE projection_status ADD COLUMN required boolean NOT NULL DEFAULT false;
-- Only a store with projects needs it: a new database's read models are complete empty.
UPDATE projection_status SET required = EXISTS (SELECT 1 FROM project_view) WHERE name = 'rebuild';
