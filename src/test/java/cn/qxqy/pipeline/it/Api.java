package cn.qxqy.pipeline.it;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/** What the tests do over HTTP, as a department system or a reader would. */
public final class Api {

    public static final String CAMPAIGN = "2024-qxqy";
    public static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));

    private Api() {
    }

    public static RequestSpecification department() {
        return RestAssured.given().auth().preemptive().basic("fgw", "fgw-secret").contentType(ContentType.JSON);
    }

    public static RequestSpecification admin() {
        return RestAssured.given().auth().preemptive().basic("admin", "admin-secret").contentType(ContentType.JSON);
    }

    public static Response post(String projectId, Map<String, Object> envelope) {
        return department().body(envelope).post("/api/v1/projects/{id}/events", projectId);
    }

    public static Map<String, Object> envelope(String type, LocalDate occurredOn, Map<String, Object> data) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("eventId", UUID.randomUUID().toString());
        envelope.put("type", type);
        envelope.put("occurredOn", occurredOn.toString());
        envelope.put("data", data);
        return envelope;
    }

    public static Map<String, Object> reservation(String campaignId, String regionCode, String chain, List<String> categories,
                                           String plannedInvestment) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "项目 " + UUID.randomUUID().toString().substring(0, 8));
        data.put("campaignId", campaignId);
        data.put("regionCode", regionCode);
        data.put("industryChain", chain);
        data.put("categories", categories);
        data.put("plannedInvestment", new BigDecimal(plannedInvestment));
        return data;
    }

    public static String newProjectId() {
        return "T-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** A campaign of the test's own, so that its figures are the test's alone. */
    public static String newCampaign() {
        String campaignId = "test-" + UUID.randomUUID().toString().substring(0, 8);
        sql("INSERT INTO campaigns (campaign_id, name_zh, name_en, year, city_code) VALUES ('" + campaignId
                + "', '测试', 'Test', 2024, '141100')");
        return campaignId;
    }

    /** An amount read exactly: rest-assured reads JSON numbers as floats unless told otherwise. */
    public static BigDecimal amount(JsonPath json, String path) {
        Object value = json.using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL)).get(path);
        return value == null ? null : new BigDecimal(String.valueOf(value));
    }

    /** Waits until the read models include every event in the store. */
    public static void awaitProjected() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                admin().get("/api/v1/admin/projections").then().statusCode(200).extract().jsonPath()
                        .getLong("[0].lag") == 0);
    }

    /** The first column of the first row of a query, on a new plain connection (not the service's pool). */
    public static String sqlValue(String query) {
        try (Connection conn = connect();
             Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery(query)) {
            if (!rs.next()) {
                throw new IllegalStateException("no row: " + query);
            }
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the statements in order on one connection (so that session settings carry over). */
    public static void sql(String... statements) {
        try (Connection conn = connect();
             Statement st = conn.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A connection of the test's own to the service's database, for what a test holds open (locks, transactions). */
    public static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }
}
