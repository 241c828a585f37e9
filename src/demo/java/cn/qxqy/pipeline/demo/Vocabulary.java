package cn.qxqy.pipeline.demo;

import java.util.List;

/**
 * What the generated projects are made of: the regions, zones, industry chains and categories of the reference data
 * (V2__reference_data.sql; the test checks that every one of them is used), with the towns, products and builders that
 * make a project's name read like one of 吕梁's.
 */
final class Vocabulary {

    private Vocabulary() {
    }

    /**
     * A region of the reference data.
     *
     * @param place how a project's name begins ("吕梁市" for the city level)
     * @param zone its development zone, if it has one
     * @param specialties the chains it is known for: half its projects are in one of them
     * @param weight its share of the campaign's projects
     */
    record Region(String code, String place, List<String> towns, String zone, List<String> specialties, int weight) {
    }

    /** A kind of project: its name ({place}, {town}, {town2}, {co}, {n} filled in), a public project's owner. */
    record Template(String name, String bureau) {

        boolean government() {
            return bureau != null;
        }
    }

    /**
     * An industry chain of the reference data.
     *
     * @param min smallest plausible total investment, 万元
     * @param max largest plausible total investment, 万元
     * @param sector the GB/T 4754 division in its projects' national project codes
     * @param company how its companies' names end
     * @param publicShare the share of its projects that government builds (no signing, bonds or central budget)
     */
    record Chain(String code, int weight, int min, int max, String sector, String company, double publicShare,
                 List<Template> templates) {

        List<Template> ofKind(boolean government) {
            return templates.stream().filter(t -> t.government() == government).toList();
        }
    }

    static final List<Region> REGIONS = List.of(
            new Region("141100", "吕梁市", List.of("吕梁新区", "滨河北区", "北川河片区"), "吕梁经济技术开发区",
                    List.of("infrastructure", "livelihood", "culture-tourism", "hydrogen", "equipment"), 15),
            new Region("141102", "离石区", List.of("信义镇", "吴城镇", "田家会街道", "枣林乡", "坪头乡", "红眼川乡"), null,
                    List.of("infrastructure", "livelihood", "coal", "equipment"), 9),
            new Region("141121", "文水县", List.of("凤城镇", "开栅镇", "南庄镇", "南安镇", "刘胡兰镇", "下曲镇"), null,
                    List.of("equipment", "other", "livelihood"), 7),
            new Region("141122", "交城县", List.of("天宁镇", "夏家营镇", "西营镇", "水峪贯镇", "西社镇", "洪相乡"), "交城经济开发区",
                    List.of("coal-chemical", "special-steel", "equipment"), 8),
            new Region("141123", "兴县", List.of("蔚汾镇", "魏家滩镇", "瓦塘镇", "康宁镇", "高家村镇", "罗峪口镇"), "兴县经济开发区",
                    List.of("aluminium-magnesium", "coal", "solid-waste"), 6),
            new Region("141124", "临县", List.of("临泉镇", "白文镇", "城庄镇", "兔坂镇", "碛口镇", "林家坪镇"), null,
                    List.of("culture-tourism", "unconventional-gas", "other"), 5),
            new Region("141125", "柳林县", List.of("柳林镇", "穆村镇", "薛村镇", "庄上镇", "留誉镇", "成家庄镇"), null,
                    List.of("coal", "unconventional-gas", "coal-chemical"), 7),
            new Region("141126", "石楼县", List.of("灵泉镇", "罗村镇", "义牒镇", "小蒜镇", "龙交乡", "和合乡"), null,
                    List.of("unconventional-gas", "culture-tourism", "other"), 3),
            new Region("141127", "岚县", List.of("东村镇", "岚城镇", "普明镇", "界河口镇", "土峪乡", "上明乡"), "岚县经济技术开发区",
                    List.of("special-steel", "other", "solid-waste"), 4),
            new Region("141128", "方山县", List.of("圪洞镇", "马坊镇", "峪口镇", "大武镇", "北武当镇", "积翠乡"), null,
                    List.of("culture-tourism", "coal", "other"), 4),
            new Region("141129", "中阳县", List.of("宁乡镇", "金罗镇", "枝柯镇", "武家庄镇", "暖泉镇"), null,
                    List.of("special-steel", "coal", "coal-chemical"), 6),
            new Region("141130", "交口县", List.of("水头镇", "康城镇", "双池镇", "桃红坡镇", "石口乡", "回龙乡"), "交口县经济技术开发区",
                    List.of("aluminium-magnesium", "coal", "solid-waste"), 4),
            new Region("141181", "孝义市", List.of("兑镇镇", "阳泉曲镇", "下堡镇", "西辛庄镇", "高阳镇", "梧桐镇", "柱濮镇"), null,
                    List.of("coal-chemical", "aluminium-magnesium", "hydrogen", "coal"), 12),
            new Region("141182", "汾阳市", List.of("杏花村镇", "贾家庄镇", "冀村镇", "三泉镇", "峪道河镇", "演武镇"), null,
                    List.of("baijiu", "equipment", "culture-tourism"), 10));

    private static Template company(String name) {
        return new Template(name, null);
    }

    private static Template bureau(String name, String bureau) {
        return new Template(name, bureau);
    }

    static final List<Chain> CHAINS = List.of(
            new Chain("coal", 12, 3000, 90000, "06", "煤业", 0, List.of(
                    company("{place}{co}煤业矿井智能化改造项目"),
                    company("{place}{co}煤业{n}万吨/年选煤厂建设项目"),
                    company("{place}{co}煤矿瓦斯抽采综合利用项目"),
                    company("{place}{co}煤业矿井兼并重组整合项目"),
                    company("{place}{town}煤矿5G+智能综采工作面建设项目"))),
            new Chain("hydrogen", 6, 2000, 150000, "45", "氢能科技", 0.1, List.of(
                    company("{place}{co}加氢站建设项目"),
                    company("{place}{co}氢能重卡运营示范项目"),
                    company("{place}{co}焦炉煤气制氢{n}吨/日项目"),
                    company("{place}{co}燃料电池关键零部件项目"),
                    bureau("{place}{town}氢能公交示范线路项目", "交通运输局"))),
            new Chain("aluminium-magnesium", 7, 5000, 200000, "32", "铝业", 0, List.of(
                    company("{place}{co}年产{n}万吨铝合金棒材项目"),
                    company("{place}{co}再生铝循环利用项目"),
                    company("{place}{co}镁合金精深加工项目"),
                    company("{place}{co}铝型材挤压生产线项目"),
                    company("{place}{co}氧化铝节能降耗技术改造项目"))),
            new Chain("baijiu", 4, 3000, 150000, "15", "酒业", 0, List.of(
                    company("{place}{town}{co}清香型白酒酿造基地项目"),
                    company("{place}{co}酒业储酒罐区建设项目"),
                    company("{place}{co}酿酒专用高粱种植基地项目"),
                    company("{place}{co}酒类包装物生产项目"))),
            new Chain("coal-chemical", 8, 10000, 500000, "25", "化工", 0, List.of(
                    company("{place}{co}焦化{n}万吨/年焦炉煤气综合利用项目"),
                    company("{place}{co}煤焦油深加工项目"),
                    company("{place}{co}粗苯精制项目"),
                    company("{place}{co}针状焦新材料项目"),
                    company("{place}{co}焦炉煤气制LNG联产合成氨项目"))),
            new Chain("special-steel", 4, 10000, 300000, "31", "特钢", 0, List.of(
                    company("{place}{co}特钢棒线材升级改造项目"),
                    company("{place}{co}轴承钢生产线项目"),
                    company("{place}{co}工模具钢精深加工项目"),
                    company("{place}{co}钢铁超低排放改造项目"))),
            new Chain("equipment", 7, 2000, 60000, "35", "装备制造", 0, List.of(
                    company("{place}{co}矿用智能装备制造项目"),
                    company("{place}{co}新能源汽车零部件项目"),
                    company("{place}{co}液压支架再制造项目"),
                    company("{place}{town}标准化厂房及装备制造产业园项目"))),
            new Chain("unconventional-gas", 5, 5000, 120000, "07", "能源", 0, List.of(
                    company("{place}{town}煤层气开发利用项目"),
                    company("{place}{co}致密气勘探开发项目"),
                    company("{place}{town}天然气集输管网项目"),
                    company("{place}{co}LNG调峰储气设施项目"))),
            new Chain("solid-waste", 5, 2000, 50000, "42", "环保科技", 0.2, List.of(
                    company("{place}{co}煤矸石综合利用项目"),
                    company("{place}{co}粉煤灰制新型建材项目"),
                    company("{place}{co}赤泥综合利用项目"),
                    company("{place}{co}工业固废制砖项目"),
                    bureau("{place}{town}建筑垃圾资源化利用项目", "住房和城乡建设局"))),
            new Chain("culture-tourism", 9, 1000, 60000, "88", "文旅发展", 0.4, List.of(
                    company("{place}{town}乡村旅游综合开发项目"),
                    company("{place}{town}康养旅游小镇项目"),
                    company("{place}{co}文旅综合体项目"),
                    bureau("{place}{town}红色文化教育基地建设项目", "文化和旅游局"),
                    bureau("{place}{town}传统村落保护利用项目", "文化和旅游局"))),
            new Chain("infrastructure", 14, 2000, 200000, "48", "建设投资", 0.85, List.of(
                    company("{place}{co}物流园区建设项目"),
                    company("{place}{town}110千伏输变电工程"),
                    bureau("{place}{town}至{town2}公路改建工程", "交通运输局"),
                    bureau("{place}{town}集中供热管网改造工程", "住房和城乡建设局"),
                    bureau("{place}{town}农村供水保障工程", "水利局"),
                    bureau("{place}{town}雨污分流改造工程", "住房和城乡建设局"),
                    bureau("{place}{town}河道综合治理工程", "水利局"))),
            new Chain("livelihood", 12, 500, 30000, "84", "实业", 0.9, List.of(
                    company("{place}{co}康养中心建设项目"),
                    bureau("{place}{town}卫生院改扩建项目", "卫生健康局"),
                    bureau("{place}{town}中心学校建设项目", "教育局"),
                    bureau("{place}{town}老旧小区改造项目", "住房和城乡建设局"),
                    bureau("{place}{town}养老服务中心建设项目", "民政局"),
                    bureau("{place}{town}保障性租赁住房项目", "住房和城乡建设局"))),
            new Chain("other", 7, 500, 30000, "01", "实业", 0.3, List.of(
                    company("{place}{co}农产品冷链物流项目"),
                    company("{place}{town}分布式光伏发电项目"),
                    company("{place}{co}数据中心项目"),
                    bureau("{place}{town}高标准农田建设项目", "农业农村局"),
                    bureau("{place}{town}现代农业产业园项目", "农业农村局"))));

    /** Invented cores of company names (山西鑫源铝业有限公司 …). */
    static final List<String> COMPANY_CORES = List.of("鑫源", "华晟", "兴达", "宏盛", "晋福", "瑞泰", "金泰", "恒信", "永鑫",
            "丰源", "聚能", "德隆", "润锦", "隆泰", "晟达", "同盛", "安泰", "盛和", "金岩", "晋茂", "泰昌", "天浩", "鼎鑫",
            "裕丰", "祥瑞", "国鑫", "宏达", "中兴", "鹏程", "福泰");

    /** Where investors come from, as their company names say. */
    static final List<String> COMPANY_PLACES = List.of("山西", "山西", "吕梁", "太原", "北京", "河北", "陕西", "浙江");

    /** Chains whose enterprise projects extend the chain (延链补链) or carry patented technology (专利技术). */
    static final List<String> INDUSTRIAL = List.of("coal", "hydrogen", "aluminium-magnesium", "baijiu", "coal-chemical",
            "special-steel", "equipment", "unconventional-gas", "solid-waste");

    static final List<String> WITHDRAWAL_REASONS = List.of(
            "项目前期要件无法落实，调出会战项目库",
            "投资方资金未到位，项目终止",
            "与同类项目合并实施，本项目退出",
            "选址调整，另行申报",
            "受市场行情影响，企业暂缓投资",
            "调整纳入2025年项目储备");

    static final List<String> STOP_REASONS = List.of(
            "受市场行情影响停建，退出会战",
            "环评批复调整，项目停止建设");
}
