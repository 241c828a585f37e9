-- Reference data from the campaign's newspaper report (shared/seeds). Codes are stable; names may be edited.
CREATE TABLE regions (
    code    text PRIMARY KEY,          -- GB/T 2260 administrative code
    name_zh text NOT NULL,
    name_en text NOT NULL,
    sort    int  NOT NULL
);
INSERT INTO regions (code, name_zh, name_en, sort) VALUES
    ('141100', '市本级', 'Lüliang city level', 0),
    ('141102', '离石区', 'Lishi District', 1),
    ('141121', '文水县', 'Wenshui County', 2),
    ('141122', '交城县', 'Jiaocheng County', 3),
    ('141123', '兴县', 'Xing County', 4),
    ('141124', '临县', 'Lin County', 5),
    ('141125', '柳林县', 'Liulin County', 6),
    ('141126', '石楼县', 'Shilou County', 7),
    ('141127', '岚县', 'Lan County', 8),
    ('141128', '方山县', 'Fangshan County', 9),
    ('141129', '中阳县', 'Zhongyang County', 10),
    ('141130', '交口县', 'Jiaokou County', 11),
    ('141181', '孝义市', 'Xiaoyi City', 12),
    ('141182', '汾阳市', 'Fenyang City', 13);

-- Development zones (开发区) have no official code: projects name them by their Chinese name.
CREATE TABLE zones (
    name_zh     text PRIMARY KEY,
    name_en     text NOT NULL,
    region_code text NOT NULL REFERENCES regions (code),
    sort        int  NOT NULL
);
INSERT INTO zones (name_zh, name_en, region_code, sort) VALUES
    ('吕梁经济技术开发区', 'Lüliang Economic and Technological Development Zone', '141100', 1),
    ('兴县经济开发区', 'Xing County Economic Development Zone', '141123', 2),
    ('交城经济开发区', 'Jiaocheng Economic Development Zone', '141122', 3),
    ('岚县经济技术开发区', 'Lan County Economic and Technological Development Zone', '141127', 4),
    ('交口县经济技术开发区', 'Jiaokou County Economic and Technological Development Zone', '141130', 5);

CREATE TABLE industry_chains (
    code    text PRIMARY KEY,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    sort    int  NOT NULL
);
INSERT INTO industry_chains (code, name_zh, name_en, sort) VALUES
    ('coal', '煤炭', 'Coal', 1),
    ('hydrogen', '氢能', 'Hydrogen energy', 2),
    ('aluminium-magnesium', '铝镁', 'Aluminium and magnesium', 3),
    ('baijiu', '白酒(汾酒)', 'Baijiu (Fenjiu)', 4),
    ('coal-chemical', '现代煤化工', 'Modern coal chemicals', 5),
    ('special-steel', '特钢', 'Special steel', 6),
    ('equipment', '装备制造', 'Equipment manufacturing', 7),
    ('unconventional-gas', '非常规天然气', 'Unconventional natural gas', 8),
    ('solid-waste', '大宗固废综合利用', 'Bulk solid waste utilisation', 9),
    ('culture-tourism', '文旅', 'Culture and tourism', 10),
    ('infrastructure', '基础设施', 'Infrastructure', 11),
    ('livelihood', '社会民生', 'Social welfare', 12),
    ('other', '其他', 'Other', 13);

CREATE TABLE categories (
    code    text PRIMARY KEY,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    sort    int  NOT NULL
);
INSERT INTO categories (code, name_zh, name_en, sort) VALUES
    ('central-budget', '中央预算内投资', 'Central budget investment', 1),
    ('special-bond', '专项债券', 'Special-purpose bonds', 2),
    ('chain-extension', '延链补链', 'Chain extension', 3),
    ('private-capital', '民间资本推介', 'Offered to private capital', 4),
    ('patent-technology', '专利技术', 'Patented technology', 5);

CREATE TABLE stages (
    code    text PRIMARY KEY,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    sort    int  NOT NULL
);
INSERT INTO stages (code, name_zh, name_en, sort) VALUES
    ('RESERVED', '储备', 'Reserved', 1),
    ('SIGNED', '签约', 'Signed', 2),
    ('STARTED', '开工', 'Construction started', 3),
    ('COMPLETED', '竣工', 'Completed', 4),
    ('WITHDRAWN', '退出', 'Withdrawn', 5);

CREATE TABLE campaigns (
    campaign_id text PRIMARY KEY,
    name_zh     text NOT NULL,
    name_en     text NOT NULL,
    year        int  NOT NULL,
    city_code   text NOT NULL,
    launched_on date
);
INSERT INTO campaigns (campaign_id, name_zh, name_en, year, city_code, launched_on) VALUES
    ('2024-qxqy', '2024年“千项千亿”项目大会战', '2024 Thousand Projects, Hundred Billion Yuan campaign', 2024, '141100',
     DATE '2024-02-19');

-- A target counts active projects that are in any of `categories` (all projects when null) and have
-- reached `reached_stage` (any stage when null); `measure` says whether it counts projects or sums
-- annual planned investment (万元).
CREATE TABLE campaign_targets (
    campaign_id   text    NOT NULL REFERENCES campaigns (campaign_id),
    code          text    NOT NULL,
    name_zh       text    NOT NULL,
    name_en       text    NOT NULL,
    measure       text    NOT NULL CHECK (measure IN ('projects', 'annualPlannedInvestment')),
    categories    text[],
    reached_stage text    REFERENCES stages (code),
    target        numeric NOT NULL CHECK (target > 0),
    sort          int     NOT NULL,
    PRIMARY KEY (campaign_id, code)
);
INSERT INTO campaign_targets (campaign_id, code, name_zh, name_en, measure, categories, reached_stage, target, sort) VALUES
    ('2024-qxqy', 'projects', '项目总数', 'Projects', 'projects', NULL, NULL, 1000, 1),
    ('2024-qxqy', 'annual-planned-investment', '年度计划投资(万元)', 'Annual planned investment (10k CNY)',
     'annualPlannedInvestment', NULL, NULL, 10000000, 2),
    ('2024-qxqy', 'central-budget-and-special-bond', '中央预算内投资和专项债券项目储备', 'Central-budget and special-bond projects reserved',
     'projects', ARRAY['central-budget', 'special-bond'], NULL, 100, 3),
    ('2024-qxqy', 'chain-extension', '延链补链项目', 'Chain-extension projects', 'projects', ARRAY['chain-extension'], NULL, 100, 4),
    ('2024-qxqy', 'private-capital-offered', '向民间资本推介项目', 'Projects offered to private capital',
     'projects', ARRAY['private-capital'], NULL, 100, 5),
    ('2024-qxqy', 'private-capital-signed', '民间资本推介项目签约', 'Private-capital projects signed',
     'projects', ARRAY['private-capital'], 'SIGNED', 30, 6),
    ('2024-qxqy', 'private-capital-started', '民间资本推介项目开工', 'Private-capital projects started',
     'projects', ARRAY['private-capital'], 'STARTED', 20, 7);
