package cn.qxqy.pipeline.testing;

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
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** What the tests do over HTTP, as a department system, an administrator or a reader would. */
public final class Api {

    public static final String CAMPAIGN = "2024-qxqy";
    public static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));

    private Api() {
    }

    /** The local viewer account's Authorization header, for clients other than rest-assured. */
    public static final String VIEWER_AUTHORIZATION = "Basic "
            + java.util.Base64.getEncoder().encodeToString("viewer:viewer-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    /** A request as the local viewer account: every read of /api needs someone signed in. */
    public static RequestSpecification given() {
        return RestAssured.given().auth().preemptive().basic("viewer", "viewer-secret");
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
        return reservation("项目 " + UUID.randomUUID().toString().substring(0, 8), campaignId, regionCode, chain,
                categories, plannedInvestment);
    }

    public static Map<String, Object> reservation(String name, String campaignId, String regionCode, String chain,
                                                  List<String> categories, String plannedInvestment) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", name);
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

    /** A campaign of the test's own, created through the admin API, so that its figures are the test's alone. */
    public static String newCampaign() {
        String campaignId = "test-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("nameZh", "测试会战", "nameEn", "Test campaign", "year", 2024, "cityCode", "141100"))
                .put("/api/v1/admin/campaigns/{id}", campaignId).then().statusCode(201);
        return campaignId;
    }

    /** A project under way, event by event, through the ingest API; answers the version it reached. */
    public static final class Project {
        private final String projectId;
        private int version;

        public Project(String projectId) {
            this.projectId = projectId;
        }

        public String id() {
            return projectId;
        }

        public Project post(String type, LocalDate occurredOn, Map<String, Object> data) {
            version++;
            Api.post(projectId, envelope(type, occurredOn, data)).then().statusCode(201)
                    .body("version", equalTo(version));
            return this;
        }

        /** Read-your-writes: answers once the read models include this project's last event. */
        public String waitFor() {
            return projectId + ":" + version;
        }
    }

    /** Reserves a new project; {@code annualPlannedInvestment} may be null. */
    public static Project reserve(String campaignId, String name, String regionCode, String chain, List<String> categories,
                                  String plannedInvestment, String annualPlannedInvestment, LocalDate on) {
        Map<String, Object> data = reservation(name, campaignId, regionCode, chain, categories, plannedInvestment);
        if (annualPlannedInvestment != null) {
            data.put("annualPlannedInvestment", new BigDecimal(annualPlannedInvestment));
        }
        return new Project(newProjectId()).post("ProjectReserved", on, data);
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

    /** Waits until the read models include each given project's last event. */
    public static void awaitProjected(Project first, Project... more) {
        Stream.concat(Stream.of(first), Stream.of(more)).forEach(p -> given()
                .queryParam("waitFor", p.waitFor()).get("/api/v1/projects/{id}", p.id()).then().statusCode(200));
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

    /** A rebuild of the read models from the event store, asked for and waited out (10 minutes at most). */
    public static void rebuildReadModels() throws InterruptedException {
        admin().post("/api/v1/admin/projections/rebuild").then().statusCode(202);
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonPath rebuild = new JsonPath(admin().accept(ContentType.JSON).get("/api/v1/admin/projections").asString());
            String state = rebuild.getString("find { it.name == 'rebuild' }.state");
            if ("FAILED".equals(state)) {
                throw new AssertionError("the rebuild failed: " + rebuild.prettify());
            }
            return "DONE".equals(state);
        });
    }
}
