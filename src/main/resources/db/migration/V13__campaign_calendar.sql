-- A campaign's calendar (issue 25): the days it runs, 1 January to 31 December of its year unless its definition
-- says otherwise. A figure asked for a day before starts_on is refused: the campaign had not begun.
ALTER TABLE campaigns ADD COLUMN starts_on date, ADD COLUMN ends_on date;
UPDATE campaigns SET starts_on = make_date(year, 1, 1), ends_on = make_date(year, 12, 31);
ALTER TABLE campaigns
    ALTER COLUMN starts_on SET NOT NULL,
    ALTER COLUMN ends_on SET NOT NULL,
    ADD CONSTRAINT campaigns_calendar CHECK (starts_on <= ends_on);

-- The campaign's first year (the 2024 report calls 2024 the second): the same targets, so that the two years compare
-- target by target. Its launch day is not in the report, hence no launched_on.
INSERT INTO campaigns (campaign_id, name_zh, name_en, year, city_code, launched_on, starts_on, ends_on) VALUES
    ('2023-qxqy', '2023年“千项千亿”项目大会战', '2023 Thousand Projects, Hundred Billion Yuan campaign', 2023, '141100',
     NULL, DATE '2023-01-01', DATE '2023-12-31');
INSERT INTO campaign_targets (campaign_id, code, name_zh, name_en, measure, categories, reached_stage, target, sort)
SELECT '2023-qxqy', code, name_zh, name_en, measure, categories, reached_stage, target, sort
FROM campaign_targets WHERE campaign_id = '2024-qxqy';

-- Every definition a campaign had, its targets with it, as GET /api/v1/campaigns/{id} showed it from recorded_at on:
-- what a read with knownAt answers. A whole definition per change rather than versioned rows of the two tables: the
-- targets are replaced all at once, so one row answers "as it stood then" without stitching two histories, and
-- the reads' JSON needs no second mapping. Written in the transaction of the change, after the campaign's row lock,
-- so that `change` orders one campaign's definitions as they were committed; recorded_at is the clock when written
-- (like events.recorded_at, it may precede the commit by as long as the transaction takes).
CREATE TABLE campaign_history (
    change      bigserial   PRIMARY KEY,
    campaign_id text        NOT NULL REFERENCES campaigns (campaign_id),
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    definition  jsonb       NOT NULL
);
CREATE INDEX campaign_history_campaign ON campaign_history (campaign_id, change);

-- An answer for a knownAt long past never changes: nothing rewrites what was recorded.
CREATE FUNCTION refuse_campaign_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the campaign history is append-only';
END $$;
CREATE TRIGGER campaign_history_append_only BEFORE UPDATE OR DELETE ON campaign_history
    FOR EACH ROW EXECUTE FUNCTION refuse_campaign_history_change();
CREATE TRIGGER campaign_history_no_truncate BEFORE TRUNCATE ON campaign_history
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_campaign_history_change();

-- The campaigns the migrations defined, as they stand now: the earliest definition known of each.
INSERT INTO campaign_history (campaign_id, definition)
SELECT c.campaign_id, jsonb_build_object('campaignId', c.campaign_id, 'nameZh', c.name_zh, 'nameEn', c.name_en,
        'year', c.year, 'cityCode', c.city_code, 'launchedOn', c.launched_on, 'startsOn', c.starts_on,
        'endsOn', c.ends_on, 'targets', coalesce((
            SELECT jsonb_agg(jsonb_build_object('code', t.code, 'nameZh', t.name_zh, 'nameEn', t.name_en,
                    'measure', t.measure, 'categories', to_jsonb(coalesce(t.categories, ARRAY[]::text[])),
                    'reachedStage', t.reached_stage, 'target', t.target) ORDER BY t.sort)
            FROM campaign_targets t WHERE t.campaign_id = c.campaign_id), '[]'::jsonb))
FROM campaigns c ORDER BY c.campaign_id;
