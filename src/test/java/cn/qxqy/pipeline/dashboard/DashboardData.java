package cn.qxqy.pipeline.dashboard;

import cn.qxqy.pipeline.demo.DemoCampaign;
import cn.qxqy.pipeline.testing.Api;
import io.restassured.RestAssured;

import java.net.URI;

/** What the dashboard test shows: the demo campaign, as the local run's -Ddemo loads it. */
final class DashboardData {

    /** Text in the names of some of the demo's projects (the article's wheel hubs among them). */
    static final String FILTER = "轮毂";
    /** The demo's campaign of the year before, what the dashboard's 同比 reads. */
    static final String PREVIOUS_YEAR = "2023-qxqy";

    private DashboardData() {
    }

    /** Loads the demo (once: a second load stores nothing) and answers its campaign once it is projected. */
    static String load() {
        DemoCampaign.load(URI.create("http://localhost:" + RestAssured.port), DemoCampaign.basic("fgw:fgw-secret"));
        Api.awaitProjected();
        return Api.CAMPAIGN;
    }

}
