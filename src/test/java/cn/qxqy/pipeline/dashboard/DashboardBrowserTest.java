package cn.qxqy.pipeline.dashboard;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.RequiredTools;
import cn.qxqy.pipeline.testing.Workbooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard at {@code /} in a real headless Chromium, driven by Selenium: signed in at the identity provider
 * (the tests' OIDC issuer, code flow with PKCE, as in production) or with a local account; on a phone (360×740, as
 * Chromium emulates one) and on a desktop (1440×900) nothing scrolls sideways and the figures are the API's; the
 * project table filters and counts active projects unless 含退出 is on; a history reads in the domain's words; a
 * department imports a workbook, checked first, stored once confirmed; a past month end picked shows that day's
 * figures with their changes since the month before and against last year's campaign; the counties ranked per target
 * in their bands beside 时序进度; a county officer opening on their county and answering a follow-up. Leaves
 * screenshots at {@code target/dashboard-360x740.png}, {@code target/dashboard-1440x900.png}, the same as of 30 June
 * 2024 ({@code …-2024-06-30.png}), {@code target/dashboard-ranking-360x740.png} and {@code target/dashboard-county.png}
 * (shown in the README).
 */
@QuarkusTest
class DashboardBrowserTest {

    /** What a phone shows of the page in the README: the headline, the rates and the targets. */
    private static final int PHONE_SCREENSHOT_HEIGHT = 1700;
    /** What a desktop shows in the README: everything down to the first rows of the project table. */
    private static final int DESKTOP_SCREENSHOT_HEIGHT = 2600;

    /** The bars' colours by band, as the 通报 prints them; a county without a share grey. */
    private static final Map<String, String> BAND_COLOURS = Map.of("LEADING", "#3fb950", "NORMAL", "#4a90e2",
            "LAGGING", "#e3b341", "SEVERELY_LAGGING", "#e5534b");
    private static final String UNRANKED_COLOUR = "#5b6f8f";

    private ChromeDriver browser;
    private WebDriverWait wait;

    /** Chromium at that size: below 800 px wide as a phone (touch, its own viewport), else a desktop window. */
    private void open(int width, int height) {
        Path chromium = RequiredTools.require("chromium", "Debian's chromium is not installed");
        Path driver = RequiredTools.require("chromedriver", "Debian's chromium-driver is not installed");
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN",
                        "--hide-scrollbars");
        if (width < 800) {
            options.setExperimentalOption("mobileEmulation",
                    Map.of("deviceMetrics", Map.of("width", width, "height", height, "pixelRatio", 1)));
        } else {
            options.addArguments("--window-size=" + width + "," + height);
        }
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build(), options);
        // A sign-in reloads the page: an element found before the reload is stale, not missing.
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterEach
    void stopChromium() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aViewerSignedInAtTheIdentityProviderSeesTheApisFiguresAndRatesFiltersTheProjectsAndOpensAHistory() {
        String campaign = DashboardData.load();
        open(1440, 900);
        browser.get(base() + "/?campaign=" + campaign);

        wait.until(ExpectedConditions.elementToBeClickable(By.id("signInIdp"))).click();
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-loaded", "true"));
        assertThat(browser.getCurrentUrl()).as("the address after the sign-in").endsWith("/?campaign=" + campaign);
        assertThat((String) browser.executeScript("return sessionStorage.getItem('qxqy-authorization')"))
                .startsWith("Bearer ");
        assertTheHeadlineIsTheApis(campaign);

        JsonPath progress = onTheDayShown(campaign).get("/api/v1/campaigns/{id}/progress", campaign).then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> rates = progress.getList("rates");
        assertThat(browser.findElements(By.cssSelector("#rates .meter"))).hasSize(rates.size());
        for (int i = 0; i < rates.size(); i++) {
            String rate = "rates[" + i + "]";
            WebElement meter = browser.findElement(By.cssSelector("#rates .meter[data-code='" + progress.getString(rate + ".code") + "']"));
            assertThat(meter.findElement(By.className("percent")).getText())
                    .isEqualTo(Api.amount(progress, rate + ".percentage").setScale(1, RoundingMode.UNNECESSARY) + "%");
            boolean money = progress.getString(rate + ".unit").equals("万元");
            assertThat(meter.findElement(By.className("ratio")).getText()).as("the rate's numerator and denominator")
                    .contains(figure(Api.amount(progress, rate + ".numerator.value"), money) + " / ")
                    .endsWith(figure(Api.amount(progress, rate + ".denominator.value"), money) + (money ? " 亿元" : " 个"));
        }
        assertThat(browser.findElements(By.cssSelector("#targets .meter"))).hasSize(progress.getList("targets").size());
        assertThat(text("targets")).as("one unit for amounts, the cards' own").doesNotContain("万元");

        JsonPath active = onTheDayShown(campaign).queryParam("campaignId", campaign).get("/api/v1/projects").jsonPath();
        assertThat(text("total")).isEqualTo("共 " + grouped(active.getLong("total")) + " 个（不含退出）");
        assertThat(text("total")).as("the list counts what the headline counts").contains(text("projects"));
        assertThat(text("withdrawnCount")).isEqualTo("（另有 " + grouped(active.getLong("withdrawn")) + " 个）");
        browser.findElement(By.id("includeWithdrawn")).click();
        long all = onTheDayShown(campaign).queryParam("campaignId", campaign).queryParam("includeWithdrawn", true)
                .get("/api/v1/projects").jsonPath().getLong("total");
        assertThat(all).isGreaterThan(active.getLong("total"));
        wait.until(d -> text("total").equals("共 " + grouped(all) + " 个（含退出 " + grouped(active.getLong("withdrawn")) + " 个）"));
        browser.findElement(By.id("includeWithdrawn")).click();
        wait.until(d -> text("total").equals("共 " + grouped(active.getLong("total")) + " 个（不含退出）"));

        browser.findElement(By.id("q")).sendKeys(DashboardData.FILTER);
        browser.findElement(By.cssSelector("#filters button[type=submit]")).click();
        long matching = given().queryParam("campaignId", campaign).queryParam("q", DashboardData.FILTER)
                .get("/api/v1/projects").jsonPath().getLong("total");
        wait.until(d -> text("total").equals("共 " + grouped(matching) + " 个（不含退出）"));
        List<WebElement> rows = browser.findElements(By.cssSelector("#projectTable tbody tr"));
        assertThat(rows).isNotEmpty().allSatisfy(row -> {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            assertThat(cells.get(1).getText()).contains(DashboardData.FILTER);
            assertThat(cells.get(5).getText()).as("an amount to the cent").matches("\\d{1,3}(,\\d{3})*\\.\\d{2}");
        });

        // The export is fetched with the signed-in user's token and saved from a Blob URL: the link's click is
        // caught here, to read what it would save.
        browser.executeScript("window.saved = []; HTMLAnchorElement.prototype.click = function () {"
                + " const link = this; fetch(link.href).then(r => r.arrayBuffer()).then(bytes => window.saved.push("
                + "{ name: link.download, head: Array.from(new Uint8Array(bytes.slice(0, 4))) })); };");
        browser.findElement(By.cssSelector("[data-export='projects.xlsx']")).click();
        wait.until(d -> ((Number) browser.executeScript("return window.saved.length")).intValue() == 1);
        assertThat((String) browser.executeScript("return window.saved[0].name")).endsWith(".xlsx");
        assertThat((String) browser.executeScript("return window.saved[0].head.join(',')"))
                .as("a zip: the workbook, not a sign-in page or a problem").isEqualTo("80,75,3,4");

        String projectId = rows.get(0).getAttribute("data-project-id");
        rows.get(0).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("history")));
        JsonPath events = given().get("/api/v1/projects/{id}/events", projectId).jsonPath();
        List<WebElement> historyRows = browser.findElements(By.cssSelector("#historyRows tr"));
        assertThat(historyRows).hasSize(events.getList("type").size());
        String region = given().get("/api/v1/reference/regions").jsonPath()
                .getString("find { it.code == '" + events.getString("[0].data.regionCode") + "' }.nameZh");
        assertThat(historyRows.get(0).getText()).as("the reservation in the domain's words")
                .contains("储备入库", "县（市、区）：" + region, "吕梁市发展和改革委员会")
                .doesNotContain("regionCode", "fgw");
        assertThat(text("historyTitle")).contains(projectId);
    }

    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"360, 740", "1440, 900"})
    void atEachSizeNothingScrollsSidewaysAndTheHeadlineIsTheApis(int width, int height) throws IOException {
        String campaign = DashboardData.load();
        open(width, height);
        signInLocally(campaign, "viewer", "viewer-secret");
        assertThat(pageWidth()).as("the main view").isLessThanOrEqualTo(width);
        assertTheHeadlineIsTheApis(campaign);
        screenshot(Path.of("target", "dashboard-" + width + "x" + height + ".png"), width,
                width < 800 ? PHONE_SCREENSHOT_HEIGHT : DESKTOP_SCREENSHOT_HEIGHT);

        browser.executeScript("document.getElementById('projectTable').scrollIntoView()");
        assertThat(browser.findElements(By.cssSelector("#projectTable tbody tr"))).isNotEmpty();
        assertThat(pageWidth()).as("the table").isLessThanOrEqualTo(width);
        assertThat(((Number) browser.executeScript("const box = document.getElementById('projectTable').parentElement;"
                + " return box.getBoundingClientRect().right")).doubleValue()).as("the table's box").isLessThanOrEqualTo(width);

        browser.findElement(By.cssSelector("#projectTable tbody tr")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("history")));
        assertThat(pageWidth()).as("an open history").isLessThanOrEqualTo(width);
        List<Double> dialog = numbers(browser.executeScript("const r = document.getElementById('history')"
                + ".getBoundingClientRect(); return [r.left, r.right]"));
        assertThat(dialog.get(0)).as("the history's left edge").isGreaterThanOrEqualTo(0);
        assertThat(dialog.get(1)).as("the history's right edge").isLessThanOrEqualTo(width);
        assertThat(browser.findElement(By.id("importOpen")).isDisplayed()).as("a viewer imports nothing").isFalse();
    }

    @Test
    void aDepartmentChecksAWorkbookFirstAndStoresItOnlyOnceConfirmed() throws IOException {
        String name = "浏览器上传核验用光伏车棚示范工程";
        byte[] template = given().get("/api/v1/campaigns/{id}/import-template.xlsx", Api.CAMPAIGN).then()
                .statusCode(200).extract().asByteArray();
        Path file = Files.createTempFile("dashboard-import-", ".xlsx");
        Files.write(file, Workbooks.fill(template, List.of(Arrays.asList(null, name, "141123", "hydrogen", null,
                2400.5, null, null, null, null, LocalDate.of(2024, 6, 1)))));
        open(360, 740);
        signInLocally(Api.CAMPAIGN, "xingxian", "xingxian-secret");

        wait.until(ExpectedConditions.elementToBeClickable(By.id("importOpen"))).click();
        browser.findElement(By.id("importFile")).sendKeys(file.toAbsolutePath().toString());
        wait.until(d -> text("importStatus").startsWith("检查通过"));
        WebElement row = browser.findElement(By.cssSelector("#importRows tbody tr"));
        assertThat(row.getAttribute("data-outcome")).isEqualTo("created");
        assertThat(row.getText()).contains("新建", "XL-");
        assertThat(pageWidth()).as("the import on a phone").isLessThanOrEqualTo(360);
        assertThat(named(name)).as("a dry run stores nothing").isZero();

        browser.findElement(By.id("importConfirm")).click();
        wait.until(d -> text("importStatus").startsWith("已导入"));
        assertThat(browser.findElement(By.cssSelector("#importRows tbody tr")).getAttribute("data-outcome"))
                .isEqualTo("created");
        Api.awaitProjected();
        assertThat(named(name)).as("stored once confirmed").isEqualTo(1);
        assertThat(browser.findElement(By.id("importConfirm")).isEnabled()).as("nothing left to confirm").isFalse();
    }

    @Test
    void withALocalAccountItSignsInTooSaysWhenThePasswordIsWrongAndFollowsNewEvents() {
        open(1440, 900);
        browser.get(base() + "/?campaign=" + Api.CAMPAIGN);
        WebElement signIn = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signInForm")));
        signIn.findElement(By.id("user")).sendKeys("viewer");
        signIn.findElement(By.id("password")).sendKeys("wrong");
        signIn.findElement(By.id("signInButton")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signInError")));
        browser.findElement(By.id("password")).clear();
        browser.findElement(By.id("password")).sendKeys("viewer-secret");
        browser.findElement(By.id("signInButton")).click();
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-loaded", "true"));
        assertThat(text("projects")).isEqualTo(grouped(projects()));

        // It follows new events on its own (every 15 s).
        Api.Project reserved = Api.reserve(Api.CAMPAIGN, "浏览器测试新增项目", "141123", "other", List.of(), "10", null,
                LocalDate.of(2024, 6, 1));
        Api.awaitProjected(reserved);
        long now = projects();
        new WebDriverWait(browser, Duration.ofSeconds(40)).until(d -> text("projects").equals(grouped(now)));
    }

    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"360, 740", "1440, 900"})
    void aPastMonthEndPickedShowsThatDaysFiguresTheirChangesSinceTheMonthBeforeAndLastYearsCampaign(int width, int height)
            throws IOException {
        String campaign = DashboardData.load();
        String lastYear = DashboardData.PREVIOUS_YEAR;
        String day = "2024-06-30";
        open(width, height);
        signInLocally(campaign, "viewer", "viewer-secret");
        browser.executeScript("window.fetched = []; const fetchOf = window.fetch;"
                + " window.fetch = (url, options) => { window.fetched.push(String(url)); return fetchOf(url, options); };");

        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#monthEnds [data-day='" + day + "']"))).click();
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-shown", campaign + "@" + day));
        assertThat(browser.getCurrentUrl()).endsWith("/?campaign=" + campaign + "&asOf=" + day);
        assertThat(browser.findElement(By.cssSelector("#monthEnds [data-day='" + day + "']")).getAttribute("class"))
                .contains("active");
        JsonPath then = assertTheHeadlineIsTheApis(campaign, day);
        JsonPath now = given().get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(200).extract().jsonPath();
        assertThat(Api.amount(then, "investmentToDate")).as("the demo's campaign had invested less by 30 June")
                .isLessThan(Api.amount(now, "investmentToDate"));
        assertThat(pageWidth()).as("the picker and the changes").isLessThanOrEqualTo(width);

        JsonPath monthOnMonth = given().queryParam("asOf", day).queryParam("against", "2024-05-31")
                .get("/api/v1/campaigns/{id}/comparison", campaign).then().statusCode(200).extract().jsonPath();
        JsonPath yearOnYear = given().queryParam("asOf", day).queryParam("againstCampaign", lastYear)
                .get("/api/v1/campaigns/{id}/comparison", campaign).then().statusCode(200).extract().jsonPath();
        for (String[] card : new String[][]{{"projects", "projects"}, {"plannedInvestment", "plannedInvestment"},
                {"investmentToDate", "investmentToDate"}, {"investmentThisYear", "investmentThisYear"},
                {"started", "stages.STARTED.reached"}, {"completed", "stages.COMPLETED.reached"}}) {
            boolean money = card[0].endsWith("Investment") || card[0].startsWith("investment");
            assertThat(text(card[0] + "Mom")).as(card[0] + " since 31 May")
                    .isEqualTo(change("环比", Api.amount(monthOnMonth, "headline." + card[1] + ".delta"), money));
            assertThat(text(card[0] + "Yoy")).as(card[0] + " against last year's campaign")
                    .isEqualTo(change("同比", Api.amount(yearOnYear, "headline." + card[1] + ".delta"), money));
        }
        assertThat(text("comparisonNote")).contains("较2024年5月31日", "2023年6月30日");
        screenshot(Path.of("target", "dashboard-" + width + "x" + height + "-" + day + ".png"), width,
                width < 800 ? PHONE_SCREENSHOT_HEIGHT : DESKTOP_SCREENSHOT_HEIGHT);

        browser.findElement(By.cssSelector("[data-export='report.xlsx']")).click();
        browser.findElement(By.cssSelector("#filters button[type=submit]")).click();
        wait.until(d -> fetched().stream().anyMatch(url -> url.contains("/report.xlsx?asOf=" + day)));
        wait.until(d -> fetched().stream().anyMatch(url -> url.startsWith("/api/v1/projects?") && url.contains("asOf=" + day)));

        browser.findElement(By.id("today")).click();
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-shown", campaign + "@"));
        assertThat(browser.getCurrentUrl()).as("今天 stays picked on a reload").endsWith("&asOf=");
        assertTheHeadlineIsTheApis(campaign, null);
    }

    @Test
    void theIssuedReportsAreListedEachRevisionWithItsWorkbookAsIssued() {
        String campaign = DashboardData.load();
        Api.department().body(Map.of("period", "2024-05")).post("/api/v1/campaigns/{id}/reports", campaign)
                .then().statusCode(201);
        JsonPath reports = given().get("/api/v1/campaigns/{id}/reports", campaign).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> issued = reports.getList("$");
        open(1440, 900);
        signInLocally(campaign, "viewer", "viewer-secret");

        wait.until(d -> browser.findElements(By.cssSelector("#reports tbody tr")).size() >= issued.size());
        assertThat(browser.findElement(By.id("reports")).isDisplayed()).isTrue();
        WebElement last = browser.findElement(By.cssSelector("#reports tbody tr[data-period='2024-05'][data-revision='"
                + reports.getLong("findAll { it.period == '2024-05' }.revision.max()") + "']"));
        assertThat(last.getText()).contains("2024年5月", "吕梁市发展和改革委员会");
        browser.executeScript("window.saved = []; HTMLAnchorElement.prototype.click = function () {"
                + " const link = this; fetch(link.href).then(r => r.arrayBuffer()).then(bytes => window.saved.push("
                + "{ name: link.download, head: Array.from(new Uint8Array(bytes.slice(0, 4))) })); };");
        last.findElement(By.cssSelector("button[data-format='xlsx']")).click();
        wait.until(d -> ((Number) browser.executeScript("return window.saved.length")).intValue() == 1);
        assertThat((String) browser.executeScript("return window.saved[0].name")).endsWith(".xlsx");
        assertThat((String) browser.executeScript("return window.saved[0].head.join(',')"))
                .as("the workbook as issued").isEqualTo("80,75,3,4");
    }

    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"360, 740", "1440, 900"})
    void theRankingShowsEachTargetsCountiesByRankInTheirBandsBesideTheScheduleAndTheInvestmentRankings(int width, int height)
            throws IOException {
        String campaign = DashboardData.load();
        open(width, height);
        signInLocally(campaign, "viewer", "viewer-secret");
        JsonPath rankings = onTheDayShown(campaign).get("/api/v1/campaigns/{id}/rankings", campaign).then().statusCode(200)
                .extract().jsonPath();
        String schedule = Api.amount(rankings, "schedule.percentage").setScale(1, RoundingMode.UNNECESSARY) + "%";
        wait.until(d -> !browser.findElements(By.cssSelector("#rankingTable tbody tr")).isEmpty());
        assertThat(text("rankingSchedule")).contains("时序进度 " + schedule);
        assertThat((String) browser.executeScript("return document.querySelector('#rankingChart svg').textContent"))
                .as("the 时序进度 line's label on the chart").contains("时序进度 " + schedule);

        List<Map<String, Object>> targets = rankings.getList("targets");
        assertThat(targets).as("the demo's campaign has targets").hasSizeGreaterThan(1);
        assertTheRankingIsTheApis(rankings, 0);
        new Select(browser.findElement(By.id("rankingTarget"))).selectByValue(rankings.getString("targets[1].code"));
        assertTheRankingIsTheApis(rankings, 1);

        String investment = "investments[0]";
        List<String> byRank = rankings.getList(investment + ".counties.regionCode");
        List<WebElement> rows = browser.findElements(By.cssSelector("#investmentTable tbody tr"));
        assertThat(rows).extracting(row -> row.getAttribute("data-region")).containsExactlyElementsOf(byRank);
        for (int i = 0; i < rows.size(); i++) {
            String county = investment + ".counties[" + i + "]";
            assertThat(rows.get(i).findElement(By.className("rank")).getText()).isEqualTo(rankings.getString(county + ".rank"));
            assertThat(rows.get(i).findElement(By.className("completion")).getText())
                    .isEqualTo(yi(Api.amount(rankings, county + ".value")));
            assertThat(rows.get(i).findElement(By.className("change")).getText())
                    .isEqualTo(rankChange(rankings.get(county + ".rankChange")));
        }
        assertThat(text("investmentCity")).contains(rankings.getString(investment + ".cityLevel.nameZh"), "不参与排名");

        wait.until(d -> !browser.findElements(By.cssSelector("#followUpTable tbody tr[data-item-id]")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("#followUpTable button.answer"))).as("a viewer answers nothing")
                .isEmpty();
        assertThat(pageWidth()).as("the ranking and the follow-ups").isLessThanOrEqualTo(width);
        if (width < 800) {
            screenshotOf("rankingPanel", Path.of("target", "dashboard-ranking-" + width + "x" + height + ".png"), width);
        }
    }

    /** The ranking table of the target at {@code index} (picked already) and its chart's bars, against the API's. */
    private void assertTheRankingIsTheApis(JsonPath rankings, int index) {
        String target = "targets[" + index + "]";
        List<String> counties = rankings.getList(target + ".counties.regionCode");
        wait.until(d -> browser.findElements(By.cssSelector("#rankingTable tbody tr")).stream()
                .map(row -> row.getAttribute("data-region")).toList().equals(counties));
        boolean money = rankings.getString(target + ".unit").equals("万元");
        List<WebElement> rows = browser.findElements(By.cssSelector("#rankingTable tbody tr"));
        List<?> bars = (List<?>) browser.executeScript("return echarts.getInstanceByDom(document.getElementById('rankingChart'))"
                + ".getOption().series[0].data.map(bar => bar.itemStyle.color).reverse()");
        for (int i = 0; i < rows.size(); i++) {
            String county = target + ".counties[" + i + "]";
            WebElement row = rows.get(i);
            String band = rankings.getString(county + ".band");
            BigDecimal rate = Api.amount(rankings, county + ".completionRate");
            assertThat(row.getAttribute("data-band")).as(county + "'s band").isEqualTo(band == null ? "" : band);
            assertThat(row.findElement(By.className("rank")).getText()).as(county + "'s rank")
                    .isEqualTo(band == null ? "—" : rankings.getString(county + ".rank"));
            assertThat(row.findElement(By.className("completion")).getText()).as(county + "'s completion rate")
                    .isEqualTo(rate == null ? "—" : rate.setScale(1, RoundingMode.UNNECESSARY) + "%");
            assertThat(row.findElement(By.className("change")).getText()).as(county + "'s rank change")
                    .isEqualTo(rankChange(rankings.get(county + ".rankChange")));
            assertThat(row.findElements(By.className("detail")).get(1).getText()).as(county + "'s figure reached")
                    .endsWith(money ? yi(Api.amount(rankings, county + ".reached"))
                            : grouped(Api.amount(rankings, county + ".reached").longValueExact()));
            assertThat(bars.get(i)).as(county + "'s bar").isEqualTo(BAND_COLOURS.getOrDefault(band, UNRANKED_COLOUR));
        }
        assertThat(rows).as("the counties with a share ranked").anySatisfy(row ->
                assertThat(row.getAttribute("data-band")).isNotEmpty());
    }

    @Test
    void aCountyOfficerOpensOnTheirCountyItsRanksBandsAndItemsToAnswer() throws IOException {
        String campaign = DashboardData.load();
        open(1440, 900);
        signInLocally(campaign, "xingxian", "xingxian-secret");
        JsonPath rankings = onTheDayShown(campaign).get("/api/v1/campaigns/{id}/rankings", campaign).then().statusCode(200)
                .extract().jsonPath();
        assertThat(browser.findElement(By.id("county")).isDisplayed()).as("a county department's own view").isTrue();
        assertThat(text("countyTitle")).startsWith("兴县");
        List<Map<String, Object>> targets = rankings.getList("targets");
        for (int i = 0; i < targets.size(); i++) {
            String xing = "targets[" + i + "].counties.find { it.regionCode == '141123' }";
            WebElement meter = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
                    "#countyRanks .meter[data-code='" + rankings.getString("targets[" + i + "].code") + "']")));
            Object rank = rankings.get(xing + ".rank");
            assertThat(meter.getAttribute("data-band")).isEqualTo(Objects.toString(rankings.get(xing + ".band"), ""));
            assertThat(meter.findElement(By.className("ratio")).getText()).as("兴县's rank on target " + i)
                    .startsWith(rank == null ? "无分解目标" : "第 " + rank + " 名");
        }
        assertThat(new Select(browser.findElement(By.id("region"))).getFirstSelectedOption().getText())
                .as("the project list filtered to the county").isEqualTo("兴县");
        assertThat(new Select(browser.findElement(By.id("followUpRegion"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("141123");
        // Today's items, whatever day the rest shows: an answer is dated the day it is given.
        JsonPath open = given().queryParam("regionCode", "141123").queryParam("status", "open")
                .queryParam("limit", 1000)
                .get("/api/v1/campaigns/{id}/follow-ups", campaign).then().statusCode(200).extract().jsonPath();
        List<String> toAnswer = open.getList("items.findAll { it.status != 'ANSWERED' }.itemId");
        assertThat(toAnswer).as("the demo has stalled projects in 兴县").isNotEmpty();
        wait.until(d -> browser.findElements(By.cssSelector("#countyItems tbody tr")).stream()
                .map(row -> row.getAttribute("data-item-id")).toList().equals(toAnswer));
        assertThat(browser.findElements(By.cssSelector("#countyItems button.answer"))).as("each of them to answer")
                .hasSize(toAnswer.size());
        assertThat(pageWidth()).isLessThanOrEqualTo(1440);
        screenshot(Path.of("target", "dashboard-county.png"), 1440, DESKTOP_SCREENSHOT_HEIGHT);
    }

    @Test
    void aCountyOfficerAnswersAFollowUpFromTheDashboardAndItsRowTurnsAnswered() {
        String campaign = runningCampaign();
        Api.Project stalled = Api.reserve(campaign, "浏览器督办答复用储备未签约项目", "141123", "other", List.of(), "880", null,
                Api.TODAY.minusDays(200));
        Api.awaitProjected(stalled);
        String itemId = stalled.id() + ":reserved-not-signed";
        LocalDate expectedOn = Api.TODAY.plusDays(30);
        open(360, 740);
        signInLocally(campaign, "xingxian", "xingxian-secret");

        By row = By.cssSelector("#followUpTable tr[data-item-id='" + itemId + "']");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(row)).getAttribute("data-status")).isEqualTo("OPEN");
        browser.findElement(row).findElement(By.cssSelector("button.answer")).click();
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("answerForm")));
        assertThat(pageWidth()).as("the answer form on a phone").isLessThanOrEqualTo(360);
        form.findElement(By.id("answerReason")).sendKeys("土地手续待批，已协调自然资源局");
        browser.executeScript("arguments[0].value = arguments[1]", form.findElement(By.id("answerExpectedOn")),
                expectedOn.toString());
        form.findElement(By.id("answerSubmit")).click();

        wait.withMessage(() -> "the answer form says: " + browser.executeScript(
                        "return document.getElementById('answerStatus').textContent") + "; the API's item: "
                        + given().get("/api/v1/campaigns/{id}/follow-ups/{itemId}", campaign, itemId).asString())
                .until(d -> "ANSWERED".equals(browser.findElement(row).getAttribute("data-status")));
        assertThat(browser.findElement(row).getText()).contains("已答复", "土地手续待批，已协调自然资源局",
                "预计" + expectedOn.getYear() + "年" + expectedOn.getMonthValue() + "月" + expectedOn.getDayOfMonth() + "日完成");
        assertThat(browser.findElement(By.id("answer")).isDisplayed()).as("the form closed").isFalse();
        JsonPath item = given().get("/api/v1/campaigns/{id}/follow-ups/{itemId}", campaign, itemId).then().statusCode(200)
                .extract().jsonPath();
        assertThat(item.getString("item.status")).isEqualTo("ANSWERED");
        assertThat(item.getList("answers.reason")).containsExactly("土地手续待批，已协调自然资源局");
        assertThat(item.getString("answers[0].department")).isEqualTo("xingxian");
        assertThat(item.getString("answers[0].expectedOn")).isEqualTo(expectedOn.toString());
    }

    /** A campaign of the test's own that runs today: the follow-ups without asOf are today's, answers count at once. */
    private static String runningCampaign() {
        String campaignId = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        Api.admin().body(Map.of("nameZh", "督办答复测试会战", "nameEn", "Follow-up answer test", "year", Api.TODAY.getYear(),
                        "cityCode", "141100", "startsOn", Api.TODAY.minusDays(300).toString(),
                        "endsOn", Api.TODAY.plusDays(60).toString()))
                .put("/api/v1/admin/campaigns/{id}", campaignId).then().statusCode(201);
        return campaignId;
    }

    /** A rank change as the dashboard shows it: ↑ moved up, ↓ down, 持平, — without a previous rank. */
    private static String rankChange(Object change) {
        if (change == null) {
            return "—";
        }
        int moved = ((Number) change).intValue();
        return moved == 0 ? "持平" : moved > 0 ? "↑" + moved : "↓" + -moved;
    }

    /** The element's box from its top, beyond what the window shows, at most a phone screenshot's height. */
    private void screenshotOf(String id, Path to, int width) throws IOException {
        List<Double> box = numbers(browser.executeScript("const r = document.getElementById(arguments[0])"
                + ".getBoundingClientRect(); return [r.top + window.scrollY, r.height]", id));
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", box.get(0), "width", width,
                        "height", Math.min(box.get(1), PHONE_SCREENSHOT_HEIGHT), "scale", 1)));
        Files.write(to, Base64.getDecoder().decode((String) shot.get("data")));
    }

    private void signInLocally(String campaign, String user, String password) {
        browser.get(base() + "/?campaign=" + campaign);
        WebElement signIn = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signInForm")));
        signIn.findElement(By.id("user")).sendKeys(user);
        signIn.findElement(By.id("password")).sendKeys(password);
        signIn.findElement(By.id("signInButton")).click();
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-loaded", "true"));
    }

    /** Opened without a day: today's figures, or a campaign that is over at its last day. */
    private void assertTheHeadlineIsTheApis(String campaign) {
        assertTheHeadlineIsTheApis(campaign, dayShown(campaign));
    }

    /** The day a dashboard opened without one shows: none (today) while the campaign runs, its endsOn once it is over. */
    private static String dayShown(String campaign) {
        String endsOn = given().get("/api/v1/campaigns/{id}", campaign).then().statusCode(200).extract().jsonPath()
                .getString("endsOn");
        return Api.TODAY.isAfter(LocalDate.parse(endsOn)) ? endsOn : null;
    }

    /** A request for what a dashboard opened without a day shows. */
    private static io.restassured.specification.RequestSpecification onTheDayShown(String campaign) {
        String day = dayShown(campaign);
        return day == null ? given() : given().queryParam("asOf", day);
    }

    /** The cards against the API's summary of that day ({@code asOf} null: today's answer); answers the summary. */
    private JsonPath assertTheHeadlineIsTheApis(String campaign, String asOf) {
        var request = given();
        if (asOf != null) {
            request.queryParam("asOf", asOf);
        }
        JsonPath summary = request.get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(200).extract().jsonPath();
        assertThat(text("projects")).isEqualTo(grouped(summary.getLong("projects")));
        assertThat(text("plannedInvestment")).isEqualTo(yi(Api.amount(summary, "plannedInvestment")));
        assertThat(text("signedInvestment")).isEqualTo(yi(Api.amount(summary, "signedInvestment")));
        assertThat(text("investmentToDate")).isEqualTo(yi(Api.amount(summary, "investmentToDate")));
        assertThat(text("started")).isEqualTo(grouped(summary.getLong("stages.STARTED.reached")));
        assertThat(text("completed")).isEqualTo(grouped(summary.getLong("stages.COMPLETED.reached")));
        assertThat(text("investmentThisYear")).isEqualTo(yi(Api.amount(summary, "investmentThisYear")));
        return summary;
    }

    /** A change as a card shows it: an arrow and the signed difference in the card's unit. */
    private static String change(String word, BigDecimal delta, boolean money) {
        if (delta == null) {
            return word + " —";
        }
        String size = money ? yi(delta.abs()) : grouped(delta.abs().longValueExact());
        return switch (delta.signum()) {
            case 1 -> word + " ↑ +" + size;
            case -1 -> word + " ↓ -" + size;
            default -> word + " 持平";
        };
    }

    /** The addresses the page fetched since the test began recording them. */
    private List<String> fetched() {
        List<String> urls = new ArrayList<>();
        ((List<?>) browser.executeScript("return window.fetched")).forEach(url -> urls.add(String.valueOf(url)));
        return urls;
    }

    /** How wide the page is laid out: wider than the screen means it scrolls sideways. */
    private long pageWidth() {
        return ((Number) browser.executeScript("return document.documentElement.scrollWidth")).longValue();
    }

    /** The page from its top, as tall as {@code height} at most, beyond what the window shows. */
    private void screenshot(Path to, int width, int height) throws IOException {
        long pageHeight = ((Number) browser.executeScript("return document.documentElement.scrollHeight")).longValue();
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width,
                        "height", Math.min(height, pageHeight), "scale", 1)));
        Files.write(to, Base64.getDecoder().decode((String) shot.get("data")));
    }

    private static long named(String name) {
        return given().queryParam("campaignId", Api.CAMPAIGN).queryParam("q", name).get("/api/v1/projects")
                .then().statusCode(200).extract().jsonPath().getLong("total");
    }

    private static List<Double> numbers(Object list) {
        List<Double> numbers = new ArrayList<>();
        ((List<?>) list).forEach(n -> numbers.add(((Number) n).doubleValue()));
        return numbers;
    }

    private static long projects() {
        return given().get("/api/v1/campaigns/{id}/summary", Api.CAMPAIGN).jsonPath().getLong("projects");
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** A rate's side as the dashboard shows it: 万元 in 亿元, counts grouped. */
    private static String figure(BigDecimal value, boolean money) {
        return money ? yi(value) : grouped(value.longValueExact());
    }

    /** 万元 to 亿元 as the dashboard shows it: rounded half up to 2 places, thousands separated. */
    static String yi(BigDecimal wan) {
        return new DecimalFormat("#,##0.00").format(wan.movePointLeft(4).setScale(2, RoundingMode.HALF_UP));
    }

    private static String grouped(long count) {
        return new DecimalFormat("#,##0").format(count);
    }

    private static String base() {
        return "http://localhost:" + RestAssured.port;
    }
}
