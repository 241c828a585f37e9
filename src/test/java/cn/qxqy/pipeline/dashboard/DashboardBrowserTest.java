package cn.qxqy.pipeline.dashboard;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.RequiredTools;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.DecimalFormat;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard at {@code /} in a real headless Chromium, driven by Selenium: signed in at the identity provider
 * (the tests' OIDC issuer, code flow with PKCE, as in production) or with a local account, its headline figures are
 * the API's, the project table filters, a project's history opens. Leaves a screenshot at
 * {@code target/dashboard.png} (shown in the README).
 */
@QuarkusTest
class DashboardBrowserTest {

    static final Path SCREENSHOT = Path.of("target", "dashboard.png");

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void startChromium() {
        Path chromium = RequiredTools.require("chromium", "Debian's chromium is not installed");
        Path driver = RequiredTools.require("chromedriver", "Debian's chromium-driver is not installed");
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,2600",
                        "--lang=zh-CN");
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
    void aViewerSignedInAtTheIdentityProviderSeesTheApisFiguresFiltersTheProjectsAndOpensAHistory() throws IOException {
        String campaign = DashboardData.load();
        browser.get(base() + "/?campaign=" + campaign);

        wait.until(ExpectedConditions.elementToBeClickable(By.id("signInIdp"))).click();
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-loaded", "true"));
        assertThat(browser.getCurrentUrl()).as("the address after the sign-in").endsWith("/?campaign=" + campaign);
        assertThat((String) ((ChromeDriver) browser).executeScript("return sessionStorage.getItem('qxqy-authorization')"))
                .startsWith("Bearer ");

        JsonPath summary = given().get("/api/v1/campaigns/{id}/summary", campaign).then().statusCode(200).extract().jsonPath();
        assertThat(text("projects")).isEqualTo(grouped(summary.getLong("projects")));
        assertThat(text("plannedInvestment")).isEqualTo(yi(Api.amount(summary, "plannedInvestment")));
        assertThat(text("signedInvestment")).isEqualTo(yi(Api.amount(summary, "signedInvestment")));
        assertThat(text("investmentToDate")).isEqualTo(yi(Api.amount(summary, "investmentToDate")));
        assertThat(text("started")).isEqualTo(grouped(summary.getLong("stages.STARTED.reached")));
        assertThat(text("completed")).isEqualTo(grouped(summary.getLong("stages.COMPLETED.reached")));
        assertThat(browser.findElements(By.cssSelector("#targets tbody tr"))).hasSize(
                given().get("/api/v1/campaigns/{id}/progress", campaign).jsonPath().getList("targets").size());
        assertThat(browser.findElements(By.cssSelector("#byRegion svg"))).isNotEmpty();
        Files.copy(((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT,
                StandardCopyOption.REPLACE_EXISTING);

        browser.findElement(By.id("q")).sendKeys(DashboardData.FILTER);
        browser.findElement(By.cssSelector("#filters button")).click();
        long matching = given().queryParam("campaignId", campaign).queryParam("q", DashboardData.FILTER)
                .get("/api/v1/projects").jsonPath().getLong("total");
        wait.until(d -> text("total").equals("共 " + grouped(matching) + " 个"));
        List<WebElement> rows = browser.findElements(By.cssSelector("#projectTable tbody tr"));
        assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row.findElements(By.tagName("td")).get(1).getText())
                .contains(DashboardData.FILTER));

        // The export is fetched with the signed-in user's token and saved from a Blob URL: the link's click is
        // caught here, to read what it would save.
        ((ChromeDriver) browser).executeScript("window.saved = []; HTMLAnchorElement.prototype.click = function () {"
                + " const link = this; fetch(link.href).then(r => r.arrayBuffer()).then(bytes => window.saved.push("
                + "{ name: link.download, head: Array.from(new Uint8Array(bytes.slice(0, 4))) })); };");
        browser.findElement(By.cssSelector("[data-export='projects.xlsx']")).click();
        wait.until(d -> ((Number) ((ChromeDriver) d).executeScript("return window.saved.length")).intValue() == 1);
        assertThat((String) ((ChromeDriver) browser).executeScript("return window.saved[0].name"))
                .isEqualTo(campaign + "-projects.xlsx");
        assertThat((String) ((ChromeDriver) browser).executeScript("return window.saved[0].head.join(',')"))
                .as("a zip: the workbook, not a sign-in page or a problem").isEqualTo("80,75,3,4");

        String projectId = rows.get(0).getAttribute("data-project-id");
        rows.get(0).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("history")));
        List<String> events = given().get("/api/v1/projects/{id}/events", projectId).jsonPath().getList("type");
        List<WebElement> historyRows = browser.findElements(By.cssSelector("#historyRows tr"));
        assertThat(historyRows).hasSize(events.size());
        assertThat(historyRows.get(0).getText()).contains("储备入库");
        assertThat(text("historyTitle")).contains(projectId);
    }

    @Test
    void withALocalAccountItSignsInTooSaysWhenThePasswordIsWrongAndFollowsNewEvents() {
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

    private static long projects() {
        return given().get("/api/v1/campaigns/{id}/summary", Api.CAMPAIGN).jsonPath().getLong("projects");
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
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
