package cn.qxqy.pipeline.dashboard;

import cn.qxqy.pipeline.testing.Api;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** What the dashboard test shows. */
final class DashboardData {

    /** Text in the names of some of the projects. */
    static final String FILTER = "轮毂";

    private DashboardData() {
    }

    static String load() {
        String campaign = Api.newCampaign();
        LocalDate day = LocalDate.of(2024, 3, 1);
        Api.reserve(campaign, "年产200万只铝合金商用车轮毂智能制造项目", "141123", "aluminium-magnesium",
                List.of("private-capital"), "150000.55", "60000", day)
                .post("ProjectSigned", day.plusDays(1), Map.of("signedInvestment", "150000.55", "investor", "某铝业"))
                .post("ConstructionStarted", day.plusDays(5), Map.of());
        Api.reserve(campaign, "兴县轮毂配套项目", "141123", "aluminium-magnesium", List.of(), "2000", null, day);
        Api.Project last = Api.reserve(campaign, "祁离高速公路", "141100", "infrastructure", List.of("special-bond"),
                "1200000", null, day).post("ProjectSigned", day.plusDays(3), Map.of("signedInvestment", 1200000,
                "investor", "山西交投"));
        Api.awaitProjected(last);
        return campaign;
    }
}
