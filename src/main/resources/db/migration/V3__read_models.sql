-- Read models: disposable, rebuilt from the event store at will.

-- A project's current state, as the projector last applied it.
CREATE TABLE project_view (
    project_id                text          PRIMARY KEY,
    version                   bigint        NOT NULL,
    last_position             bigint        NOT NULL,
    stage                     text          NOT NULL,
    name                      text          NOT NULL,
    campaign_id               text          NOT NULL,
    region_code               text          NOT NULL,
    industry_chain            text          NOT NULL,
    categories                text[]        NOT NULL,
    planned_investment        numeric(14,2) NOT NULL,
    annual_planned_investment numeric(14,2),
    zone                      text,
    owner                     text,
    project_code              text,
    signed_investment         numeric(14,2),
    investor                  text,
    reserved_on               date,
    signed_on                 date,
    started_on                date,
    completed_on              date,
    withdrawn_on              date,
    reported_period           text,
    investment_to_date        numeric(14,2),
    updated_at                timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX project_view_campaign_stage ON project_view (campaign_id, stage);

-- Campaign figures per dimension ('all' with key '*', 'region', 'chain', 'category'), kept by upserts
-- of per-event deltas so that concurrent projectors never read-modify-write.
CREATE TABLE campaign_figures (
    campaign_id                  text    NOT NULL,
    dimension                    text    NOT NULL,
    key                          text    NOT NULL,
    projects                     bigint  NOT NULL,
    withdrawn                    bigint  NOT NULL,
    planned_investment           numeric NOT NULL,
    annual_planned_investment    numeric NOT NULL,
    signed_investment            numeric NOT NULL,
    investment_to_date           numeric NOT NULL,
    reserved_current             bigint  NOT NULL,
    reserved_reached             bigint  NOT NULL,
    reserved_planned_investment  numeric NOT NULL,
    signed_current               bigint  NOT NULL,
    signed_reached               bigint  NOT NULL,
    signed_planned_investment    numeric NOT NULL,
    started_current              bigint  NOT NULL,
    started_reached              bigint  NOT NULL,
    started_planned_investment   numeric NOT NULL,
    completed_current            bigint  NOT NULL,
    completed_reached            bigint  NOT NULL,
    completed_planned_investment numeric NOT NULL,
    PRIMARY KEY (campaign_id, dimension, key)
);

CREATE TABLE projection_status (
    name          text        PRIMARY KEY,
    applied       bigint      NOT NULL DEFAULT 0,
    last_position bigint      NOT NULL DEFAULT 0,
    last_error    text,
    last_error_at timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO projection_status (name) VALUES ('projector');
