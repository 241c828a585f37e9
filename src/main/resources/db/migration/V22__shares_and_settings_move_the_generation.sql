-- County shares and campaign settings change what the rankings and the 通报 show: like campaigns and targets (V9), an
-- edit adds 1 to the read models' generation, so that a cached ranking is not answered 304 with the old shares.
CREATE TRIGGER county_shares_read_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON county_shares
    FOR EACH STATEMENT EXECUTE FUNCTION bump_read_model_generation();
CREATE TRIGGER campaign_settings_read_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON campaign_settings
    FOR EACH STATEMENT EXECUTE FUNCTION bump_read_model_generation();
