-- Seeds the event store directly with :projects projects of campaign 2024-qxqy, about 10 events each (issue 8's
-- scale benchmark): every project reserved, 80 % signed, 60 % started with 12 monthly investment reports, 20 %
-- completed, every 5th corrected, every 37th withdrawn. Histories follow the stage machine's rules (each event
-- allowed from the stage before it, dates in order), so the service replays them as it would ones it accepted.
-- Nothing goes to the outbox: the read models get these projects only from a rebuild.
-- psql-style variable: the caller replaces :projects with a number.
CREATE TEMPORARY TABLE seed_plan AS
SELECT p,
       'SEED-' || lpad(p::text, 7, '0') AS project_id,
       date '2024-01-02' + (p % 60) AS reserved_on,
       p % 10 < 8 AS signed,
       p % 10 < 6 AS started,
       p % 10 < 2 AS completed,
       p % 5 = 0 AS corrected,
       p % 37 = 0 AS withdrawn,
       (ARRAY['141100','141102','141121','141122','141123','141124','141125','141126','141127','141128','141129',
              '141130','141181','141182'])[1 + p % 14] AS region_code,
       (ARRAY['coal','hydrogen','aluminium-magnesium','baijiu','coal-chemical','special-steel','equipment',
              'unconventional-gas','solid-waste','culture-tourism','infrastructure','livelihood','other'])[1 + p % 13]
           AS industry_chain,
       (ARRAY['煤炭','氢能','铝镁','汾酒','煤化工','特钢','装备','煤层气','固废','文旅','基础设施','民生','综合'])[1 + p % 13]
           AS chain_name
FROM generate_series(1, :projects) AS p;

CREATE TEMPORARY TABLE seed_events AS
SELECT project_id, p, seq, type, occurred_on, data FROM (
    SELECT project_id, p, 1 AS seq, 'ProjectReserved' AS type, reserved_on AS occurred_on,
           jsonb_build_object('name', chain_name || '产业项目' || p, 'campaignId', '2024-qxqy',
                              'regionCode', region_code, 'industryChain', industry_chain,
                              'categories', (ARRAY['["special-bond"]','["central-budget","chain-extension"]',
                                                   '["private-capital"]','["chain-extension"]','[]'])[1 + p % 5]::jsonb,
                              'plannedInvestment', (1000 + p % 90000) || '.' || lpad((p % 100)::text, 2, '0'),
                              'annualPlannedInvestment', (200 + p % 9000) || '.50',
                              'owner', '吕梁市第' || (p % 300) || '建设公司') AS data
    FROM seed_plan
    UNION ALL
    SELECT project_id, p, 2, 'ProjectCorrected', reserved_on + 10,
           jsonb_build_object('plannedInvestment', (1500 + p % 80000) || '.00')
    FROM seed_plan WHERE corrected
    UNION ALL
    SELECT project_id, p, 3, 'ProjectSigned', reserved_on + 30,
           jsonb_build_object('signedInvestment', (900 + p % 85000) || '.25', 'investor', '投资方' || (p % 500))
    FROM seed_plan WHERE signed
    UNION ALL
    SELECT project_id, p, 4, 'ConstructionStarted', reserved_on + 60, '{}'::jsonb
    FROM seed_plan WHERE started
    UNION ALL
    SELECT project_id, p, 4 + m, 'InvestmentReported', (date_trunc('month', reserved_on + 60) + m * interval '1 month')::date,
           jsonb_build_object('period', to_char(reserved_on + 60 + (m - 1) * interval '1 month', 'YYYY-MM'),
                              'investmentToDate', (m * (50 + p % 700)) || '.00')
    FROM seed_plan, generate_series(1, 12) AS m WHERE started
    UNION ALL
    SELECT project_id, p, 20, 'ProjectCompleted', reserved_on + 450, '{}'::jsonb
    FROM seed_plan WHERE completed
    UNION ALL
    SELECT project_id, p, 30, 'ProjectWithdrawn', reserved_on + 500, jsonb_build_object('reason', '项目调整')
    FROM seed_plan WHERE withdrawn
) e;

-- Interleaved by date as departments would have sent them; a project's versions follow its own order.
INSERT INTO events (project_id, version, event_id, type, schema_version, occurred_on, recorded_at, source, data,
                    request_hash)
SELECT project_id, row_number() OVER (PARTITION BY project_id ORDER BY seq), gen_random_uuid(), type, 1, occurred_on,
       occurred_on + time '09:00', 'seed', data, md5(project_id || ':' || seq)
FROM seed_events ORDER BY occurred_on, p, seq;

INSERT INTO stream_heads (project_id, version, stage)
SELECT project_id, count(*),
       CASE WHEN bool_or(withdrawn) THEN 'WITHDRAWN' WHEN bool_or(completed) THEN 'COMPLETED'
            WHEN bool_or(started) THEN 'STARTED' WHEN bool_or(signed) THEN 'SIGNED' ELSE 'RESERVED' END
FROM seed_events JOIN seed_plan USING (project_id, p) GROUP BY project_id;

DROP TABLE seed_events, seed_plan;
ANALYZE events;
ANALYZE stream_heads;
