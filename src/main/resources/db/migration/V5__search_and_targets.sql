-- Project search at campaign scale (100,000 projects) and campaign targets edited over the admin API.

-- Name search is a substring match anywhere in the name, ignoring case. A trigram index serves a q with 3
-- letters or digits in a row (ILIKE '%q%'). Trigrams of Chinese text need a UTF-8 ctype (the embedded database
-- is created with C.UTF-8). pg_trgm is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX project_view_name_trgm ON project_view USING gin (name gin_trgm_ops);

-- Most Chinese words have 2 characters (铝镁, 氢能, 文旅), too short for a trigram. A name contains q only if its
-- pairs of adjacent characters include all of q's: an index of those pairs narrows a 2-character search to its
-- candidates, which the search then checks with strpos. A 1-character q still scans.
CREATE FUNCTION bigrams(value text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(lower(value), i, 2)), '{}')
    FROM generate_series(1, char_length(lower(value)) - 1) AS i
$$;
CREATE INDEX project_view_name_bigrams ON project_view USING gin (bigrams(name));

-- Filters: campaign_id + stage has its index since V3; the others combine with it in bitmap scans.
CREATE INDEX project_view_region ON project_view (region_code);
CREATE INDEX project_view_chain ON project_view (industry_chain);
CREATE INDEX project_view_categories ON project_view USING gin (categories);

-- Sorts, each with the project_id tie-break the search orders by, so that a page is read in index order.
-- The stage date expression must stay identical to the one ProjectsResource sorts by.
CREATE INDEX project_view_sort_name ON project_view (name, project_id);
CREATE INDEX project_view_sort_planned_investment ON project_view (planned_investment, project_id);
CREATE INDEX project_view_sort_stage_date ON project_view
    ((coalesce(withdrawn_on, completed_on, started_on, signed_on, reserved_on)), project_id);

-- Targets are now edited over the admin API; the table refuses what the API refuses.
ALTER TABLE campaign_targets
    ADD CONSTRAINT campaign_targets_reached_milestone CHECK (reached_stage IN ('SIGNED', 'STARTED', 'COMPLETED')),
    ADD CONSTRAINT campaign_targets_target_cents CHECK (target = round(target, 2)),
    ADD CONSTRAINT campaign_targets_categories_named CHECK (cardinality(categories) > 0);
