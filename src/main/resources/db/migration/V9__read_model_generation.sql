-- A number that grows with every committed change of what the read API shows, for ETags (issue 8): a dashboard
-- polling every few seconds gets a 304 while it stays put. The projector and a rebuild's swap add 1 in their own
-- transactions, as their last statement (a single row: the lock is held only while they commit); edits of
-- campaigns, targets and reference data add 1 through the triggers below, which no code path can forget.
CREATE TABLE read_model_generation (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    generation bigint  NOT NULL
);
INSERT INTO read_model_generation (generation) VALUES (1);

CREATE FUNCTION bump_read_model_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE read_model_generation SET generation = generation + 1;
    RETURN NULL;
END $$;

DO $$
DECLARE
    edited text;
BEGIN
    FOREACH edited IN ARRAY ARRAY['campaigns', 'campaign_targets', 'regions', 'zones', 'industry_chains', 'categories',
                                  'stages'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION bump_read_model_generation()', edited || '_read_generation',
                       edited);
    END LOOP;
END $$;
