-- Issue 27: seeds the event store directly with :projects one-event projects of campaign 2024-qxqy (ONE-0000001 …),
-- each only reserved (ProjectReserved), so that the reads run on twice the projects of seed-events.sql while the
-- store keeps about as many events. Regions, chains and categories as in seed-events.sql; nothing goes to the outbox
-- (the read models get them from a rebuild). psql-style variable: the caller replaces :projects with a number.
INSERT INTO events (project_id, version, event_id, type, schema_version, occurred_on, recorded_at, source, data,
                    request_hash)
SELECT 'ONE-' || lpad(p::text, 7, '0'), 1, gen_random_uuid(), 'ProjectReserved', 1, date '2024-01-02' + (p % 300),
       date '2024-01-02' + (p % 300) + time '09:00', 'seed',
       jsonb_build_object('name', (ARRAY['煤炭','氢能','铝镁','汾酒','煤化工','特钢','装备','煤层气','固废','文旅','基础设施',
                                         '民生','综合'])[1 + p % 13] || '产业储备项目' || p,
                          'campaignId', '2024-qxqy',
                          'regionCode', (ARRAY['141100','141102','141121','141122','141123','141124','141125','141126',
                                               '141127','141128','141129','141130','141181','141182'])[1 + p % 14],
                          'industryChain', (ARRAY['coal','hydrogen','aluminium-magnesium','baijiu','coal-chemical',
                                                  'special-steel','equipment','unconventional-gas','solid-waste',
                                                  'culture-tourism','infrastructure','livelihood','other'])[1 + p % 13],
                          'categories', (ARRAY['["special-bond"]','["central-budget","chain-extension"]',
                                               '["private-capital"]','["chain-extension"]','[]'])[1 + p % 5]::jsonb,
                          'plannedInvestment', (500 + p % 40000) || '.' || lpad((p % 100)::text, 2, '0'),
                          'annualPlannedInvestment', (100 + p % 4000) || '.50',
                          'owner', '吕梁市第' || (p % 300) || '建设公司'),
       md5('ONE-' || p)
FROM generate_series(1, :projects) AS p
ORDER BY 6, p;

INSERT INTO stream_heads (project_id, version, stage)
SELECT 'ONE-' || lpad(p::text, 7, '0'), 1, 'RESERVED' FROM generate_series(1, :projects) AS p;

ANALYZE events;
ANALYZE stream_heads;
