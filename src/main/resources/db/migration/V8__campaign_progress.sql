-- A campaign's progress from pre-aggregated rows instead of a walk over its projects (issue 8): active projects
-- grouped by their categories (sorted, without repeats) and the milestones they hold, kept by the projector with
-- per-event deltas like campaign_figures. Filled here from the views, so that no rebuild is needed after this
-- migration; the consistency check compares it with a recomputation from the events like the other read models.
CREATE TABLE campaign_progress (
    campaign_id               text    NOT NULL,
    categories                text[]  NOT NULL,
    signed                    boolean NOT NULL,
    started                   boolean NOT NULL,
    completed                 boolean NOT NULL,
    projects                  bigint  NOT NULL,
    annual_planned_investment numeric NOT NULL,
    investment_to_date        numeric NOT NULL,
    PRIMARY KEY (campaign_id, categories, signed, started, completed)
);

-- COLLATE "C" sorts like Java's String order, which the projector sorts categories in.
INSERT INTO campaign_progress
SELECT campaign_id, ARRAY(SELECT DISTINCT c COLLATE "C" FROM unnest(categories) AS c ORDER BY 1),
       signed_on IS NOT NULL, started_on IS NOT NULL, completed_on IS NOT NULL, count(*),
       coalesce(sum(annual_planned_investment), 0), coalesce(sum(investment_to_date), 0)
FROM project_view WHERE stage <> 'WITHDRAWN'
GROUP BY 1, 2, 3, 4, 5;
