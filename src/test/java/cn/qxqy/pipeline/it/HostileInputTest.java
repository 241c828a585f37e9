package cn.qxqy.pipeline.it;

import cn.qxqy.pipeline.testing.Api;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.department;
import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Hostile input (issue 11, item 4): every finding of the issue, and a corpus of several hundred requests around them,
 * answered with a 4xx problem that names the field or parameter where there is one, and leaving no trace: no event of
 * the projects they name, no campaign, the prepared project still at version 1.
 */
@QuarkusTest
@SuppressWarnings("unchecked")
class HostileInputTest {

    private static final LocalDate DAY = LocalDate.of(2024, 4, 1);
    private static final String PROBLEM = "application/problem+json";
    /** Serialises a lone surrogate as the escape \ud800 (a Java String holding one would be sent as "?"). */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BODY = 8L * 1024 * 1024;

    /** Texts a name, owner, reason … must not be: each refused, with the field named. */
    private static final Map<String, String> HOSTILE = hostile();

    /** Characters no path or query parameter may hold, percent-encoded. */
    private static final List<String> BAD_ESCAPES = List.of("%00", "%1B%5B31m", "%0A", "%7F", "%C2%9B", "%E2%80%AE",
            "%E2%81%A6", "%EF%BF%BF");

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private int next;
    private int answered;
    private String campaign;
    private String reserved;

    private static Map<String, String> hostile() {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("NUL", "abc\u0000def");
        texts.put("lone high surrogate", "项目\ud800");
        texts.put("lone low surrogate", "\udc00项目");
        texts.put("zero-width spaces", "\u200b\u200b\u200b");
        texts.put("BOM and no-break spaces", "\ufeff\u00a0\u3000");
        texts.put("word joiner and soft hyphen", "\u2060\u00ad");
        texts.put("ANSI escape", "\u001b[31m红色项目\u001b[0m");
        texts.put("bell and backspace", "项目\u0007\u0008");
        texts.put("newline", "第一行\n第二行");
        texts.put("tab", "项目\t名称");
        texts.put("DEL", "项目\u007f");
        texts.put("C1 NEL", "项目\u0085");
        texts.put("C1 CSI", "\u009b31m项目");
        texts.put("RTL override", "invoice\u202egpj.exe");
        texts.put("LTR embedding", "\u202a项目\u202c");
        texts.put("RTL isolate", "\u2067项目\u2069");
        texts.put("RTL mark", "\u200f项目");
        texts.put("line separator", "项目\u2028名称");
        texts.put("tag characters", "项目\udb40\udc41\udb40\udc42");
        texts.put("noncharacter", "项目\uffff");
        texts.put("Hangul filler", "\u3164\u3164");
        texts.put("braille blank", "\u2800");
        return texts;
    }

    @BeforeEach
    void reserveAProject() {
        campaign = Api.newCampaign();
        reserved = Api.newProjectId();
        Api.post(reserved, envelope("ProjectReserved", DAY, reservation("储备项目"))).then().statusCode(201);
    }

    // ---- the findings of the issue, one by one ---------------------------------------------------------------

    @Test
    void nulAnywhereIsA400NotA500() {
        String id = projectId();
        refused(post(id, reservation("abc\u0000def")), 400).body("errors.field", hasItem("data.name"))
                .body("errors.message", hasItem("must not contain NUL (U+0000 at character 4)"));
        refused(rawGet("/api/v1/projects/a%00b"), 400).body("type", equalTo("/problems/invalid-query"))
                .body("errors.field", hasItem("projectId"));
        refused(rawGet("/api/v1/projects/a%00b/events"), 400).body("errors.field", hasItem("projectId"));
        refused(rawGet("/api/v1/projects?q=ab%00cd"), 400).body("errors.field", hasItem("q"));
        refused(rawGet("/api/v1/projects?category=a%00"), 400).body("errors.field", hasItem("category"));
        refused(rawGet("/api/v1/campaigns/a%00/summary"), 400).body("errors.field", hasItem("campaignId"));
        String campaignId = campaignId();
        Map<String, Object> definition = campaignDefinition("abc\u0000def");
        refused(admin().body(bytes(definition)).put("/api/v1/admin/campaigns/{id}", campaignId), 400)
                .body("errors.field", hasItem("nameZh"));
        // In a batch the item gets its 400 inside the 200, and the others go through.
        Map<String, Object> bad = envelope("ProjectReserved", DAY, reservation("abc\u0000def"));
        bad.put("projectId", id);
        Map<String, Object> good = envelope("ProjectReserved", DAY, reservation("正常项目"));
        String goodId = Api.newProjectId();
        good.put("projectId", goodId);
        department().body(bytes(List.of(bad, good))).post("/api/v1/events").then().statusCode(200)
                .body("results.status", equalTo(List.of(400, 201)))
                .body("results[0].problem.errors.field", hasItem("data.name"));
        assertNoTrace(id);
        assertThat(Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + goodId + "'")).isEqualTo("1");
        assertThat(Api.sqlValue("SELECT count(*) FROM campaigns WHERE campaign_id = '" + campaignId + "'")).isEqualTo("0");
    }

    @Test
    void datesOutsideThePlausibleRangeAreRefusedByName() {
        for (String date : List.of("-999999999-01-01", "+10000-01-01")) {
            refused(post(projectId(), envelopeOn(date)), 400).body("errors.field", hasItem("occurredOn"))
                    .body("errors.message", hasItem("must be an ISO date (YYYY-MM-DD)"));
        }
        for (String date : List.of("0000-01-01", "1900-01-01", "1999-12-31")) {
            refused(post(projectId(), envelopeOn(date)), 400).body("errors.field", hasItem("occurredOn"))
                    .body("errors.message", hasItem("must not be before 2000-01-01"));
        }
        refused(post(reserved, envelope("ProjectWithdrawn", Api.TODAY.plusDays(1), Map.of("reason", "撤资"))), 400)
                .body("errors.message", hasItem("must not be in the future"));
        // The first plausible day is taken.
        Api.post(Api.newProjectId(), envelopeOnDate(LocalDate.of(2000, 1, 1))).then().statusCode(201);
        assertNoTraceOfThisRun();
    }

    @Test
    void anAmountOf1e150000IsRefusedByTheBoundedExponentRule() {
        // 254 bytes that held an event loop for 11 s: the amount's size is now checked before any arithmetic.
        for (String amount : List.of("1e150000", "1E+150000", "-1e150000", "1e100000", "1e-150000", "\"1e150000\"")) {
            String id = projectId();
            refused(postRaw(id, withAmount(amount)), 400)
                    .body("errors.field", hasItem("data.plannedInvestment"))
                    .body("errors.message", hasItem(allOf(startsWith("exponent out of range"), containsString("-32 to 32"))));
        }
        assertNoTraceOfThisRun();
    }

    @Test
    void textsThatShouldNotBeStoredAreRefusedByName() {
        refused(post(projectId(), reservation("项目\ud800")), 400).body("errors.field", hasItem("data.name"))
                .body("errors.message", hasItem(startsWith("must not contain a lone surrogate")));
        refused(post(projectId(), reservation("\u200b\u200b\u200b")), 400)
                .body("errors.field", hasItem("data.name")).body("errors.message", hasItem("must not be blank"));
        refused(post(projectId(), reservation("\u001b[31m红色\u001b[0m")), 400)
                .body("errors.message", hasItem(startsWith("must not contain control characters (U+001B")));
        refused(post(projectId(), reservation("invoice\u202egpj.exe")), 400)
                .body("errors.message", hasItem(startsWith("must not contain bidirectional formatting characters")));
        refused(post(projectId(), reservation("项目\u0007")), 400).body("errors.field", hasItem("data.name"));
        // A padded amount string: a number's text is the number alone.
        Map<String, Object> padded = reservation("项目");
        padded.put("plannedInvestment", " 12.5 ");
        refused(post(projectId(), padded), 400).body("errors.field", hasItem("data.plannedInvestment"))
                .body("errors.message", hasItem(startsWith("must be a decimal number")));
        // The same texts in a signing and a withdrawal of an existing project.
        refused(post(reserved, envelope("ProjectSigned", DAY, Map.of("signedInvestment", 10, "investor", "\u200b"))),
                400).body("errors.field", hasItem("data.investor"));
        refused(post(reserved, envelope("ProjectWithdrawn", DAY, Map.of("reason", "撤资\u0000"))), 400)
                .body("errors.field", hasItem("data.reason"));
        assertNoTraceOfThisRun();
    }

    @Test
    void aBodyWithoutContentTypeIsA415Problem() throws Exception {
        byte[] event = bytes(envelope("ProjectReserved", DAY, reservation("项目")));
        String id = projectId();
        // java.net.http sends no Content-Type unless told (REST Assured would add one).
        refused(send("POST", "/api/v1/projects/" + id + "/events", "fgw:fgw-secret", null, event), 415)
                .body("title", equalTo("Unsupported Media Type"));
        refused(send("POST", "/api/v1/events", "fgw:fgw-secret", null, bytes(List.of())), 415);
        refused(send("PUT", "/api/v1/admin/campaigns/" + campaignId(), "admin:admin-secret", null,
                bytes(campaignDefinition("测试"))), 415);
        // A body-less POST needs none.
        assertThat(send("POST", "/api/v1/admin/projections/dead-letters/redrive", "admin:admin-secret", null, null)
                .statusCode()).isEqualTo(200);
        assertNoTraceOfThisRun();
    }

    @Test
    void aBodyAbove8MiBIsA413Problem() throws Exception {
        byte[] huge = new byte[(int) MAX_BODY + 1];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        String id = projectId();
        refused(department().body(huge).post("/api/v1/projects/{id}/events", id), 413)
                .body("type", equalTo("/problems/body-too-large"));
        refused(department().body(huge).post("/api/v1/events"), 413).body("type", equalTo("/problems/body-too-large"));
        refused(admin().body(huge).put("/api/v1/admin/campaigns/{id}", campaignId()), 413)
                .body("type", equalTo("/problems/body-too-large"));
        // Without a declared length (chunked), refused as soon as it goes over.
        refused(send("POST", "/api/v1/projects/" + id + "/events", "fgw:fgw-secret", "application/json", huge), 413)
                .body("type", equalTo("/problems/body-too-large"));
        assertNoTraceOfThisRun();
        // A chunked body within the limit is read as any other.
        String small = Api.newProjectId();
        assertThat(send("POST", "/api/v1/projects/" + small + "/events", "fgw:fgw-secret", "application/json",
                bytes(envelope("ProjectReserved", DAY, reservation("分块项目")))).statusCode()).isEqualTo(201);
        assertThat(Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + small + "'")).isEqualTo("1");
    }

    @Test
    void everyJsonBodyIsReadStrictlyIntoAProblem() throws Exception {
        // Duplicate keys: no silent pick of the last one, in any body (here the admin's replay of dead letters).
        refused(admin().body("{\"partition\":0,\"partition\":1,\"offsets\":[0]}")
                .post("/api/v1/admin/intake-dead-letters/replay"), 400)
                .body("type", equalTo("/problems/invalid-request")).body("detail", containsString("partition"));
        refused(admin().body("{\"partition\":0,\"offsets\":[0]} trailing")
                .post("/api/v1/admin/intake-dead-letters/replay"), 400).body("type", equalTo("/problems/invalid-request"));
        // 100,000 levels of nesting (not through rest-assured, which would pretty-print them on a failure).
        byte[] deep = ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        refused(send("POST", "/api/v1/admin/intake-dead-letters/replay", "admin:admin-secret", "application/json", deep),
                400).body("type", equalTo("/problems/invalid-request"));
        // An event may have 64 KiB: 20,000 levels.
        byte[] deepEvent = ("[".repeat(20_000) + "]".repeat(20_000)).getBytes(StandardCharsets.UTF_8);
        refused(send("POST", "/api/v1/projects/" + projectId() + "/events", "fgw:fgw-secret", "application/json",
                deepEvent), 400).body("type", equalTo("/problems/invalid-event"));
        assertNoTraceOfThisRun();
    }

    // ---- the corpus ------------------------------------------------------------------------------------------

    @Test
    void aCorpusOfHostileRequestsGetsOnly4xxProblemsAndStoresNothing() throws Exception {
        answered = 0;
        // Texts in every text field of a reservation, a signing and a withdrawal.
        for (Map.Entry<String, String> text : HOSTILE.entrySet()) {
            for (String field : List.of("name", "owner", "zone", "campaignId", "regionCode", "industryChain",
                    "projectCode")) {
                Map<String, Object> data = reservation("项目");
                data.put(field, text.getValue());
                refused(post(projectId(), data), 400).body("errors.field", hasItem("data." + field));
            }
            Map<String, Object> categories = reservation("项目");
            categories.put("categories", List.of("special-bond", text.getValue()));
            refused(post(projectId(), categories), 400).body("errors.field", hasItem(startsWith("data.categories")));
            refused(post(reserved, envelope("ProjectSigned", DAY, Map.of("signedInvestment", 10,
                    "investor", text.getValue()))), 400).body("errors.field", hasItem("data.investor"));
            refused(post(reserved, envelope("ProjectWithdrawn", DAY, Map.of("reason", text.getValue()))), 400)
                    .body("errors.field", hasItem("data.reason"));
            refused(admin().body(bytes(campaignDefinition(text.getValue())))
                    .put("/api/v1/admin/campaigns/{id}", campaignId()), 400).body("errors.field", hasItem("nameZh"));
        }
        // Envelope fields.
        for (String type : List.of("abc\u0000def", "Project\u202eReserved", "ProjectReserved\n")) {
            Map<String, Object> event = envelope("ProjectReserved", DAY, reservation("项目"));
            event.put("type", type);
            refused(post(projectId(), event), 400).body("errors.field", hasItem("type"));
        }
        Map<String, Object> nulKey = envelope("ProjectReserved", DAY, reservation("项目"));
        ((Map<String, Object>) nulKey.get("data")).put("na\u0000me", "x");
        refused(post(projectId(), nulKey), 400).body("errors.field", hasItem("data.na\\u0000me"));
        // Dates and months.
        for (String date : List.of("-999999999-01-01", "0000-01-01", "1900-01-01", "1999-12-31", "+10000-01-01",
                "99999-01-01", "2024-02-30", "2024-13-01", "20240401", "2024-4-1", " 2024-04-01", "2024-04-01\u0000",
                "２０２４-04-01", "2024-04-01T00:00")) {
            refused(post(projectId(), envelopeOn(date)), 400).body("errors.field", hasItem("occurredOn"));
        }
        for (String period : List.of("1999-12", "0000-01", "-0001-01", "+10000-01", "2024-13", "2024-1", "2024-01-01")) {
            refused(post(reserved, envelope("InvestmentReported", DAY, Map.of("period", period,
                    "investmentToDate", 10))), 400).body("errors.field", hasItem("data.period"));
        }
        // Amounts: JSON numbers, then numeric strings.
        for (String amount : List.of("1e150000", "1E+150000", "1e100000", "-1e150000", "1e-150000", "0e150000", "1e33",
                "1" + "0".repeat(40), "\"1e150000\"", "\" 12.5 \"", "\"12.5 \"", "\" 12.5\"", "\"\\u00a012.5\"",
                "\"１２.５\"", "\"١٢\"", "\"+12.5\"", "\".5\"", "\"5.\"", "\"0x10\"", "\"NaN\"", "\"Infinity\"",
                "\"1,000\"", "\"12.5\\u0000\"", "\"1e9999999999\"", "\"\"", "\"十万\"", "true", "[1]", "{\"v\": 1}")) {
            refused(postRaw(projectId(), withAmount(amount)), 400)
                    .body("errors.field", hasItem("data.plannedInvestment"));
        }
        // Numbers the parser refuses before anything is built: no field to name.
        for (String amount : List.of("1" + "0".repeat(100), "1e9999999999", "NaN", "Infinity", "-")) {
            refused(postRaw(projectId(), withAmount(amount)), 400).body("type", equalTo("/problems/invalid-event"));
        }
        // Content types: none, or another than JSON.
        for (String type : Arrays.asList(null, "text/plain", "application/x-www-form-urlencoded", "application/xml")) {
            refused(send("POST", "/api/v1/projects/" + projectId() + "/events", "fgw:fgw-secret", type,
                    bytes(envelope("ProjectReserved", DAY, reservation("项目")))), 415);
            refused(send("POST", "/api/v1/events", "fgw:fgw-secret", type, bytes(List.of())), 415);
            refused(send("PUT", "/api/v1/admin/campaigns/" + campaignId(), "admin:admin-secret", type,
                    bytes(campaignDefinition("测试"))), 415);
        }
        // Path and query parameters of every read, and of the writes.
        List<Function<String, String>> urls = List.of(
                c -> "/api/v1/projects/a" + c + "b",
                c -> "/api/v1/projects/a" + c + "b/events",
                c -> "/api/v1/projects?q=ab" + c + "cd",
                c -> "/api/v1/projects?category=a" + c,
                c -> "/api/v1/projects?campaignId=" + campaign + c,
                c -> "/api/v1/projects?regionCode=141102" + c,
                c -> "/api/v1/projects?sort=name" + c,
                c -> "/api/v1/projects?cursor=" + c,
                c -> "/api/v1/campaigns/a" + c,
                c -> "/api/v1/campaigns/a" + c + "/summary",
                c -> "/api/v1/campaigns/" + campaign + "/breakdown?by=region" + c,
                c -> "/api/v1/campaigns/a" + c + "/progress",
                c -> "/api/v1/campaigns/" + campaign + "/timeline?granularity=" + c,
                c -> "/api/v1/reference/regions" + c,
                c -> "/api/v1/projects/" + reserved + "?waitFor=" + reserved + c + ":1");
        for (String escape : BAD_ESCAPES) {
            for (Function<String, String> url : urls) {
                refused(rawGet(url.apply(escape)), 400).body("type", equalTo("/problems/invalid-query"))
                        .body("errors.field", hasItem(notNullValue()));
            }
            refused(department().urlEncodingEnabled(false)
                    .body(bytes(envelope("ProjectWithdrawn", DAY, Map.of("reason", "撤资"))))
                    .post("/api/v1/projects/" + reserved + escape + "/events"), 400)
                    .body("type", equalTo("/problems/invalid-request")).body("errors.field", hasItem("projectId"));
            refused(admin().urlEncodingEnabled(false).body(bytes(campaignDefinition("测试")))
                    .put("/api/v1/admin/campaigns/c-" + run + escape), 400).body("errors.field", hasItem("campaignId"));
            refused(admin().urlEncodingEnabled(false)
                    .post("/api/v1/admin/projections/dead-letters/redrive?projectId=a" + escape), 400)
                    .body("errors.field", hasItem("projectId"));
        }
        System.out.printf("HostileInputTest: %d hostile requests, each answered with its 4xx problem%n", answered);
        assertThat(answered).as("hostile requests answered").isGreaterThanOrEqualTo(200);
        assertNoTraceOfThisRun();
        assertThat(Api.sqlValue("SELECT count(*) FROM campaigns WHERE campaign_id LIKE 'h-" + run + "%' OR campaign_id "
                + "LIKE 'c-" + run + "%'")).isEqualTo("0");
    }

    @Test
    void visibleTextWithJoinersAndAPlainAmountStringStillPass() {
        Map<String, Object> data = reservation("吕梁 👩\u200d💻 氢能\u00a0产业园");
        data.put("plannedInvestment", "12.5");
        String id = Api.newProjectId();
        Api.post(id, envelope("ProjectReserved", DAY, data)).then().statusCode(201);
        given().get("/api/v1/projects/{id}/events", id).then().statusCode(200)
                .body("[0].data.name", equalTo("吕梁 👩\u200d💻 氢能\u00a0产业园"))
                .body("[0].data.plannedInvestment", equalTo(12.5f));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private String projectId() {
        return "H-" + run + "-" + next++;
    }

    private String campaignId() {
        return "h-" + run + "-" + next++;
    }

    private Map<String, Object> reservation(String name) {
        Map<String, Object> data = Api.reservation(campaign, "141102", "hydrogen", List.of("special-bond"), "8000");
        data.put("name", name);
        return data;
    }

    private Map<String, Object> envelopeOn(String date) {
        Map<String, Object> event = envelope("ProjectReserved", DAY, reservation("项目"));
        event.put("occurredOn", date);
        return event;
    }

    private Map<String, Object> envelopeOnDate(LocalDate date) {
        return envelope("ProjectReserved", date, reservation("项目"));
    }

    private static Map<String, Object> campaignDefinition(String nameZh) {
        Map<String, Object> campaign = new LinkedHashMap<>();
        campaign.put("nameZh", nameZh);
        campaign.put("nameEn", "Test");
        campaign.put("year", 2025);
        campaign.put("cityCode", "141100");
        return campaign;
    }

    /** A reservation whose plannedInvestment is the JSON text {@code token}, as written. */
    private String withAmount(String token) {
        Map<String, Object> event = envelope("ProjectReserved", DAY, reservation("项目"));
        ((Map<String, Object>) event.get("data")).put("plannedInvestment", "AMOUNT");
        return new String(bytes(event), StandardCharsets.UTF_8).replace("\"AMOUNT\"", token);
    }

    private static byte[] bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response post(String projectId, Map<String, Object> eventOrData) {
        Map<String, Object> event = eventOrData.containsKey("eventId") ? eventOrData
                : envelope("ProjectReserved", DAY, eventOrData);
        return department().body(bytes(event)).post("/api/v1/projects/{id}/events", projectId);
    }

    private Response postRaw(String projectId, String json) {
        return department().body(json.getBytes(StandardCharsets.UTF_8)).post("/api/v1/projects/{id}/events", projectId);
    }

    /** Over HTTP/2 a request may come without a length: a bodiless POST is taken as it is (the benchmark's got 500). */
    @Test
    void aBodilessPostOverHttp2IsTaken() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                        + "/api/v1/admin/projections/dead-letters/redrive"))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("admin:admin-secret".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        // The first request upgrades the connection (h2c); the second is sent over HTTP/2.
        HttpResponse<String> upgrade = client.send(request, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> overHttp2 = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(overHttp2.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(List.of(upgrade.statusCode(), overHttp2.statusCode())).as(overHttp2.body()).containsOnly(200);
    }

    /** A GET of the URL exactly as written: its escapes are not encoded again. */
    private static Response rawGet(String url) {
        RequestSpecification request = given().urlEncodingEnabled(false);
        return request.get(url);
    }

    /**
     * A request through java.net.http, which adds no header of its own: no Content-Type unless given, and a body
     * streamed without a declared length (chunked).
     */
    private static Response send(String method, String path, String account, String contentType, byte[] body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(account.getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
        io.restassured.builder.ResponseBuilder answer = new io.restassured.builder.ResponseBuilder()
                .setStatusCode(response.statusCode()).setBody(response.body())
                .setContentType(response.headers().firstValue("Content-Type").orElse(""));
        return answer.build();
    }

    /** A 4xx problem with this status. */
    private ValidatableResponse refused(Response response, int status) {
        answered++;
        ValidatableResponse validated = response.then().statusCode(status).contentType(PROBLEM)
                .body("status", equalTo(status)).body("title", notNullValue());
        return validated;
    }

    private void assertNoTrace(String projectId) {
        given().get("/api/v1/projects/{id}/events", projectId).then().statusCode(404);
        assertThat(Api.sqlValue("SELECT count(*) FROM events WHERE project_id = '" + projectId + "'")).isEqualTo("0");
    }

    /** No event of any project this test named, and the prepared project still at its reservation. */
    private void assertNoTraceOfThisRun() {
        assertThat(Api.sqlValue("SELECT count(*) FROM events WHERE project_id LIKE 'H-" + run + "-%'")).isEqualTo("0");
        assertThat(Api.sqlValue("SELECT max(version) FROM events WHERE project_id = '" + reserved + "'")).isEqualTo("1");
    }
}
