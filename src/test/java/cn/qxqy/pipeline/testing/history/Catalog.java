package cn.qxqy.pipeline.testing.history;

import java.util.List;
import java.util.Map;

/** The reference data a random history draws from, as the migrations seed it, and the stages the figures count. */
public final class Catalog {

    public static final List<String> REGIONS = List.of("141100", "141102", "141121", "141122", "141123", "141124",
            "141125", "141126", "141127", "141128", "141129", "141130", "141181", "141182");
    public static final List<String> CHAINS = List.of("coal", "hydrogen", "aluminium-magnesium", "baijiu",
            "coal-chemical", "special-steel", "equipment", "unconventional-gas", "solid-waste", "culture-tourism",
            "infrastructure", "livelihood", "other");
    public static final List<String> CATEGORIES = List.of("central-budget", "special-bond", "chain-extension",
            "private-capital", "patent-technology");
    public static final List<String> ZONES = List.of("吕梁经济技术开发区", "兴县经济开发区", "交城经济开发区",
            "岚县经济技术开发区", "交口县经济技术开发区");
    public static final List<String> STAGES = List.of("RESERVED", "SIGNED", "STARTED", "COMPLETED");
    /** The timeline's milestones: the stages, and WITHDRAWN. */
    public static final List<String> MILESTONES = List.of("RESERVED", "SIGNED", "STARTED", "COMPLETED", "WITHDRAWN");
    /** The breakdowns' dimensions and the keys each must list. */
    public static final Map<String, List<String>> BY_DIMENSION = Map.of(
            "region", REGIONS, "chain", CHAINS, "category", CATEGORIES);

    private Catalog() {
    }
}
