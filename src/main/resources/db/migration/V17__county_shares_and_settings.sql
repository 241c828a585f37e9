-- Each county's share of each campaign target (issue 26): what the county is ranked against. No key to
-- campaign_targets: the targets are replaced all at once (delete and insert), which must not take the shares with them;
-- a share of a target the campaign no longer has is not shown. The city level has no share: it is shown, not ranked.
-- numeric without a scale keeps a count of projects whole (12, not 12.00) as it was given.
CREATE TABLE county_shares (
    campaign_id text          NOT NULL REFERENCES campaigns (campaign_id),
    target_code text          NOT NULL,
    region_code text          NOT NULL REFERENCES regions (code),
    share       numeric       NOT NULL CHECK (share > 0 AND share <= 999999999999.99 AND scale(share) <= 2),
    PRIMARY KEY (campaign_id, target_code, region_code)
);

-- A campaign's band thresholds and follow-up rules; a campaign without a row has the defaults. A null number turns
-- its rule off. The thresholds keep the scale given (1.1, not 1.100); band_ because LEADING is an SQL keyword.
CREATE TABLE campaign_settings (
    campaign_id              text          PRIMARY KEY REFERENCES campaigns (campaign_id),
    band_leading             numeric       NOT NULL CHECK (band_leading <= 100 AND scale(band_leading) <= 3),
    band_normal              numeric       NOT NULL CHECK (scale(band_normal) <= 3),
    band_lagging             numeric       NOT NULL CHECK (scale(band_lagging) <= 3),
    signed_not_started_days  integer       CHECK (signed_not_started_days BETWEEN 1 AND 3650),
    reserved_not_signed_days integer       CHECK (reserved_not_signed_days BETWEEN 1 AND 3650),
    report_due_day           integer       CHECK (report_due_day BETWEEN 1 AND 28),
    planned_dates            boolean       NOT NULL,
    CHECK (band_leading > band_normal AND band_normal > band_lagging AND band_lagging > 0)
);

-- Every set of shares and every settings a campaign had, as campaign_history keeps its definitions and for the same
-- reason: a read with knownAt answers as it stood then. Before the first change there were no shares and the settings
-- were the defaults, hence no rows for the migrations' campaigns. Written in the change's transaction, under the
-- campaign's row lock.
CREATE TABLE county_share_history (
    change      bigserial   PRIMARY KEY,
    campaign_id text        NOT NULL REFERENCES campaigns (campaign_id),
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    shares      jsonb       NOT NULL
);
CREATE INDEX county_share_history_campaign ON county_share_history (campaign_id, change);

CREATE TABLE campaign_settings_history (
    change      bigserial   PRIMARY KEY,
    campaign_id text        NOT NULL REFERENCES campaigns (campaign_id),
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    settings    jsonb       NOT NULL
);
CREATE INDEX campaign_settings_history_campaign ON campaign_settings_history (campaign_id, change);

CREATE TRIGGER county_share_history_append_only BEFORE UPDATE OR DELETE ON county_share_history
    FOR EACH ROW EXECUTE FUNCTION refuse_campaign_history_change();
CREATE TRIGGER county_share_history_no_truncate BEFORE TRUNCATE ON county_share_history
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_campaign_history_change();
CREATE TRIGGER campaign_settings_history_append_only BEFORE UPDATE OR DELETE ON campaign_settings_history
    FOR EACH ROW EXECUTE FUNCTION refuse_campaign_history_change();
CREATE TRIGGER campaign_settings_history_no_truncate BEFORE TRUNCATE ON campaign_settings_history
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_campaign_history_change();
