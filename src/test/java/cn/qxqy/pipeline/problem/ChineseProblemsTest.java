package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.embedded.EmbeddedIssuer.Claims;
import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.PipelineInfrastructure;
import cn.qxqy.pipeline.testing.Workbooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.builder.ResponseBuilder;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.IntStream;

import static cn.qxqy.pipeline.problem.MessageCatalogueTest.CJK;
import static cn.qxqy.pipeline.testing.Api.envelope;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Problems in the reader's language (issue 24): a corpus of refused requests, from bad events and hostile texts to
 * bad queries, refused sign-ins and admin mistakes, each sent twice. With {@code Accept-Language: zh-CN} every title,
 * detail and field message of the answer is Chinese; without it, none holds a Chinese character; the type, the status
 * and the field names are the same both times. A message that a change leaves untranslated fails here.
 */
@QuarkusTest
@SuppressWarnings("unchecked")
class ChineseProblemsTest {

    private static final LocalDate DAY = LocalDate.of(2024, 4, 1);
    private static final String ZH = "zh-CN";

    private String campaign;
    private String reserved;
    private String started;
    private UUID startedBy;
    private String inXingxian;
    private String projectCode;

    /** A request of the corpus, sent with the given Accept-Language (none when null). */
    private record Case(String name, Function<String, Response> send) {
    }

    @BeforeEach
    void prepareProjects() {
        campaign = Api.newCampaign();
        reserved = reserve("141102", null);
        started = reserve("141102", null);
        Map<String, Object> start = envelope("ConstructionStarted", DAY, Map.of());
        startedBy = UUID.fromString((String) start.get("eventId"));
        Api.post(started, start).then().statusCode(201);
        inXingxian = reserve("141123", null);
        projectCode = "2024-141102-44-01-" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
        reserve("141102", projectCode);
    }

    @Test
    void aBadEventIsAnsweredInChineseWhenTheRequestPrefersItAndInEnglishOtherwise() {
        Map<String, Object> data = Api.reservation(campaign, "141102", "hydrogen", List.of("special-bond"), "-5");
        data.remove("name");
        Map<String, Object> event = envelope("ProjectReserved", DAY, data);

        JsonPath chinese = as("fgw", ZH).contentType(ContentType.JSON).body(event).post(eventsOf(Api.newProjectId())).then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).header("Content-Language", ZH).extract().jsonPath();
        assertThat(chinese.getString("type")).isEqualTo("/problems/invalid-event");
        assertThat(chinese.getString("title")).isEqualTo("事件数据有误");
        assertThat(chinese.getString("detail")).isEqualTo("项目储备事件有 2 处填写有误");
        assertThat(chinese.getList("errors.field", String.class)).containsExactly("data.name", "data.plannedInvestment");
        assertThat(chinese.getList("errors.message", String.class)).containsExactly("不能为空", "应大于 0");

        JsonPath english = as("fgw", null).contentType(ContentType.JSON).body(event).post(eventsOf(Api.newProjectId())).then().statusCode(400)
                .header("Content-Language", "en").extract().jsonPath();
        assertThat(english.getString("title")).isEqualTo("Invalid event");
        assertThat(english.getString("detail")).isEqualTo("ProjectReserved has 2 invalid field(s)");
        assertThat(english.getList("errors.field", String.class)).containsExactly("data.name", "data.plannedInvestment");
        assertThat(english.getList("errors.message", String.class)).containsExactly("is required", "must be greater than 0");
    }

    @Test
    void whatBrowsersSendChoosesTheLanguageByItsWeights() {
        String unknown = "/api/v1/projects/" + Api.newProjectId();
        as("viewer", "zh-CN,zh;q=0.9,en;q=0.8").get(unknown).then().statusCode(404)
                .header("Content-Language", ZH).header("Vary", org.hamcrest.Matchers.containsString("Accept-Language"))
                .body("title", org.hamcrest.Matchers.equalTo("项目不存在"));
        as("viewer", "en-US,en;q=0.9,zh-CN;q=0.8").get(unknown).then().statusCode(404)
                .header("Content-Language", "en").body("title", org.hamcrest.Matchers.equalTo("Unknown project"));
        as("viewer", "zh-Hans").get(unknown).then().statusCode(404).header("Content-Language", ZH);
    }

    @Test
    void everyRefusalOfTheCorpusIsWordedInTheLanguageTheRequestPrefers() {
        List<Case> corpus = corpus();
        List<String> checked = new ArrayList<>();
        SoftAssertions softly = new SoftAssertions();
        for (Case c : corpus) {
            Response english = c.send().apply(null);
            Response chinese = c.send().apply(ZH);
            softly.assertThat(chinese.statusCode()).as(c.name()).isEqualTo(english.statusCode());
            if (english.statusCode() != 200) {
                softly.assertThat(english.header("Content-Language")).as(c.name()).isEqualTo("en");
                softly.assertThat(chinese.header("Content-Language")).as(c.name()).isEqualTo(ZH);
            }
            List<Map<String, Object>> inEnglish = problems(c.name(), english);
            List<Map<String, Object>> inChinese = problems(c.name(), chinese);
            softly.assertThat(inChinese).as(c.name()).hasSameSizeAs(inEnglish);
            for (int i = 0; i < Math.min(inEnglish.size(), inChinese.size()); i++) {
                Map<String, Object> en = inEnglish.get(i);
                Map<String, Object> zh = inChinese.get(i);
                softly.assertThat(zh.get("type")).as(c.name()).isEqualTo(en.get("type"));
                softly.assertThat(zh.get("status")).as(c.name()).isEqualTo(en.get("status"));
                softly.assertThat(fields(zh)).as(c.name()).isEqualTo(fields(en));
                softly.assertThat(texts(en)).as(c.name() + ": English without Chinese")
                        .noneMatch(text -> CJK.matcher(text).find());
                softly.assertThat(texts(zh)).as(c.name() + ": Chinese")
                        .allMatch(text -> CJK.matcher(text).find(), "holds Chinese");
                checked.addAll(texts(zh));
            }
        }
        softly.assertAll();
        System.out.printf("ChineseProblemsTest: %d requests, %d texts in Chinese%n", 2 * corpus.size(), checked.size());
        assertThat(corpus).hasSizeGreaterThan(60);
    }

    private List<Case> corpus() {
        List<Case> corpus = new ArrayList<>();
        String fresh = Api.newProjectId();
        // The envelope and the JSON it is written in.
        event(corpus, "not JSON", fresh, "{\"eventId\": ");
        event(corpus, "trailing text", fresh, "{\"a\":1} trailing");
        event(corpus, "an array", fresh, "[]");
        event(corpus, "an empty body", fresh, "");
        event(corpus, "nesting too deep", fresh, "[".repeat(20_000) + "]".repeat(20_000));
        Map<String, Object> wrongTypes = envelope("ProjectSigned", DAY, Map.of("signedInvestment", List.of(1), "investor", 7));
        wrongTypes.put("expectedVersion", "one");
        event(corpus, "wrong types", reserved, wrongTypes);
        event(corpus, "an unknown type", fresh, envelope("ProjectApproved", DAY, Map.of()));
        Map<String, Object> unknownFields = envelope("ConstructionStarted", DAY, Map.of("discount", 3));
        unknownFields.put("priority", "high");
        event(corpus, "unknown fields", reserved, unknownFields);
        Map<String, Object> manyUnknown = new LinkedHashMap<>();
        IntStream.range(0, 25).forEach(i -> manyUnknown.put("f" + i, i));
        event(corpus, "25 unknown fields", reserved, envelope("ConstructionStarted", DAY, manyUnknown));
        Map<String, Object> bare = new LinkedHashMap<>();
        bare.put("occurredOn", DAY.toString());
        event(corpus, "no eventId, no type", fresh, bare);
        Map<String, Object> badIds = envelope("ConstructionStarted", DAY, Map.of());
        badIds.put("eventId", "not-a-uuid");
        badIds.put("projectId", "another");
        badIds.put("expectedVersion", -1);
        event(corpus, "bad ids and version", reserved, badIds);
        event(corpus, "a bad projectId", "bad id!", envelope("ConstructionStarted", DAY, Map.of()));
        event(corpus, "data not an object", reserved, envelope("ConstructionStarted", DAY, null), data -> data.put("data", 5));
        // The fields of a reservation.
        event(corpus, "a blank name, an amount of 3 decimals", fresh, reservation(data -> {
            data.put("name", " ");
            data.put("plannedInvestment", "12.345");
        }));
        event(corpus, "unknown codes", fresh, reservation(data -> {
            data.put("regionCode", "999999");
            data.put("industryChain", "tea");
            data.put("categories", List.of("lottery"));
            data.put("zone", "nowhere");
            data.put("campaignId", "no-such-campaign");
        }));
        event(corpus, "a too long name, a huge amount", fresh, reservation(data -> {
            data.put("name", "x".repeat(201));
            data.put("plannedInvestment", "1000000000000");
            data.put("annualPlannedInvestment", 0);
        }));
        event(corpus, "categories blank, duplicated, too long", fresh, reservation(data ->
                data.put("categories", List.of("special-bond", "special-bond"))));
        event(corpus, "a blank category", fresh, reservation(data -> data.put("categories", List.of(" "))));
        event(corpus, "a long category", fresh, reservation(data -> data.put("categories", List.of("c".repeat(65)))));
        event(corpus, "101 categories", fresh, reservation(data ->
                data.put("categories", IntStream.range(0, 101).mapToObj(i -> "c" + i).toList())));
        event(corpus, "categories not strings", fresh, reservation(data -> data.put("categories", List.of(1))));
        event(corpus, "a malformed projectCode", fresh, reservation(data -> data.put("projectCode", "2024-1")));
        event(corpus, "a projectCode of another region", fresh, reservation(data ->
                data.put("projectCode", "2024-141123-44-01-000001")));
        event(corpus, "a projectCode in use", fresh, reservation(data -> data.put("projectCode", projectCode)));
        for (Map.Entry<String, String> hostile : Map.of("NUL", "abc\u0000def", "bidi", "invoice\u202egpj.exe",
                "escape", "\u001b[31mred", "zero width", "\u200b\u200b", "separator", "a\u2028b", "noncharacter",
                "a\uffff").entrySet()) {
            event(corpus, "a name with " + hostile.getKey(), fresh, reservation(data -> data.put("name", hostile.getValue())));
        }
        event(corpus, "a lone surrogate", fresh, "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"ProjectReserved\","
                + "\"occurredOn\":\"2024-04-01\",\"data\":{\"name\":\"a\\ud800\"}}");
        for (String amount : List.of("1e150000", "\"1,000\"", "\" 12.5 \"", "1" + "0".repeat(40), "true")) {
            event(corpus, "the amount " + amount, fresh, new String(json(reservation(data ->
                    data.put("plannedInvestment", "AMOUNT"))), StandardCharsets.UTF_8).replace("\"AMOUNT\"", amount));
        }
        // Dates and months.
        for (String date : List.of("2024-13-01", "1999-12-31", Api.TODAY.plusDays(2).toString())) {
            Map<String, Object> dated = reservation(data -> { });
            dated.put("occurredOn", date);
            event(corpus, "occurredOn " + date, fresh, dated);
        }
        for (String period : List.of("2024-1", "1999-12", Api.TODAY.plusMonths(2).toString().substring(0, 7))) {
            event(corpus, "period " + period, reserved, envelope("InvestmentReported", DAY,
                    Map.of("period", period, "investmentToDate", -1)));
        }
        event(corpus, "before the last milestone", started, envelope("ProjectCompleted", DAY.minusDays(1), Map.of()));
        event(corpus, "a correction of nothing", reserved, envelope("ProjectCorrected", DAY, Map.of()));
        event(corpus, "a signing without investor", reserved, envelope("ProjectSigned", DAY, Map.of("signedInvestment", 0)));
        event(corpus, "a withdrawal without reason", reserved, envelope("ProjectWithdrawn", DAY, Map.of()));
        // The stage machine and the store.
        event(corpus, "an unknown project", fresh, envelope("ConstructionStarted", DAY, Map.of()));
        event(corpus, "completed before started", reserved, envelope("ProjectCompleted", DAY, Map.of()));
        event(corpus, "reserved twice", reserved, reservation(data -> { }));
        Map<String, Object> stale = envelope("ConstructionStarted", DAY, Map.of());
        stale.put("expectedVersion", 0);
        event(corpus, "a stale expectedVersion", reserved, stale);
        Map<String, Object> reused = envelope("ConstructionStarted", DAY.plusDays(1), Map.of());
        reused.put("eventId", startedBy.toString());
        event(corpus, "an eventId reused", started, reused);
        event(corpus, "an event too large", reserved, envelope("ProjectWithdrawn", DAY, Map.of("reason", "x".repeat(70_000))));
        // Who writes.
        corpus.add(new Case("a county reserving in another county", language -> as("xingxian", language)
                .contentType(ContentType.JSON).body(reservation(data -> { })).post(eventsOf(Api.newProjectId()))));
        corpus.add(new Case("a county writing to a project of another county", language -> as("xingxian", language)
                .contentType(ContentType.JSON).body(envelope("ConstructionStarted", DAY, Map.of())).post(eventsOf(reserved))));
        corpus.add(new Case("a county writing to what the city reserved", language -> as("xingxian", language)
                .contentType(ContentType.JSON).body(envelope("ConstructionStarted", DAY, Map.of())).post(eventsOf(inXingxian))));
        corpus.add(new Case("no account", language -> as(null, language).contentType(ContentType.JSON)
                .body(envelope("ConstructionStarted", DAY, Map.of())).post(eventsOf(reserved))));
        corpus.add(new Case("a wrong password", language -> withLanguage(RestAssured.given().auth().preemptive()
                .basic("fgw", "wrong"), language).contentType(ContentType.JSON).body("{}").post(eventsOf(reserved))));
        corpus.add(new Case("a viewer posting", language -> as("viewer", language).contentType(ContentType.JSON)
                .body(envelope("ConstructionStarted", DAY, Map.of())).post(eventsOf(reserved))));
        corpus.add(new Case("a department reading admin", language -> as("fgw", language).get("/api/v1/admin/projections")));
        long now = Instant.now().getEpochSecond();
        Claims xingxian = Claims.of("xingxian-fgj", List.of("department"), List.of("141123"));
        bearer(corpus, "a token living ten years", xingxian, claims -> claims.put("exp", now + Duration.ofDays(3650).toSeconds()));
        bearer(corpus, "a token from the future", xingxian, claims -> {
            claims.put("iat", now + 3600);
            claims.put("exp", now + 4200);
        });
        bearer(corpus, "regions as one string", xingxian, claims -> claims.put("regions", "141123,141182"));
        bearer(corpus, "an unknown region", xingxian, claims -> claims.put("regions", List.of("999999")));
        bearer(corpus, "a token naming no department", xingxian, claims -> claims.put("azp", " "));
        // Bodies and batches.
        corpus.add(new Case("a body of another type", language -> as("fgw", language).contentType(ContentType.TEXT)
                .body("hello").post(eventsOf(reserved))));
        corpus.add(new Case("a body without Content-Type", language -> send("POST", eventsOf(reserved), language,
                json(envelope("ConstructionStarted", DAY, Map.of())))));
        corpus.add(new Case("a body above 8 MiB", language -> as("fgw", language).contentType(ContentType.JSON)
                .body(new byte[8 * 1024 * 1024 + 1]).post(eventsOf(reserved))));
        corpus.add(new Case("a batch not an array", language -> as("fgw", language).contentType(ContentType.JSON)
                .body("{}").post("/api/v1/events")));
        corpus.add(new Case("a batch of 1001", language -> as("fgw", language).contentType(ContentType.JSON)
                .body("[" + "{},".repeat(1000) + "{}]").post("/api/v1/events")));
        Map<String, Object> illegal = envelope("ProjectCompleted", DAY, Map.of());
        illegal.put("projectId", reserved);
        corpus.add(new Case("a batch of refused items", language -> as("fgw", language).contentType(ContentType.JSON)
                .body(List.of(illegal, envelope("ConstructionStarted", DAY, Map.of()), "junk")).post("/api/v1/events")));
        // The import of a workbook: the file, the form and the campaign; rows refused inside its 200.
        imports(corpus);
        // Reads.
        read(corpus, "an unknown project", "/api/v1/projects/" + fresh);
        read(corpus, "an unknown project's history", "/api/v1/projects/" + fresh + "/events");
        read(corpus, "a search with bad parameters", "/api/v1/projects?sort=bogus&size=0&page=-1&stage=DONE&q="
                + "q".repeat(201));
        read(corpus, "a cursor of nothing", "/api/v1/projects?cursor=bogus&page=1");
        read(corpus, "a parameter holding NUL", "/api/v1/projects?q=ab%00cd");
        read(corpus, "a parameter named with NUL", "/api/v1/projects?a%00b=1");
        read(corpus, "a path holding a bidi override", "/api/v1/projects/a%E2%80%AEb");
        read(corpus, "an unknown campaign", "/api/v1/campaigns/no-such-campaign/summary");
        read(corpus, "an unknown breakdown", "/api/v1/campaigns/" + campaign + "/breakdown?by=weather");
        read(corpus, "an unknown granularity", "/api/v1/campaigns/" + campaign + "/timeline?granularity=day");
        read(corpus, "an unknown reference list", "/api/v1/reference/planets");
        read(corpus, "a malformed waitFor", "/api/v1/projects/" + reserved + "?waitFor=soon");
        read(corpus, "an unknown route", "/api/v1/no-such-route");
        corpus.add(new Case("a method not allowed", language -> as("viewer", language).delete("/api/v1/projects")));
        // Admin.
        corpus.add(new Case("a campaign of bad fields", language -> as("admin", language).contentType(ContentType.JSON)
                .body(Map.of("nameZh", " ", "nameEn", "x".repeat(201), "year", 1900, "cityCode", "12",
                        "launchedOn", "1999-01-01")).put("/api/v1/admin/campaigns/{id}", "BAD ID")));
        corpus.add(new Case("a campaign missing fields", language -> as("admin", language).contentType(ContentType.JSON)
                .body(Map.of()).put("/api/v1/admin/campaigns/{id}", "c-" + UUID.randomUUID().toString().substring(0, 8))));
        corpus.add(new Case("a campaign not an object", language -> as("admin", language).contentType(ContentType.JSON)
                .body("[]").put("/api/v1/admin/campaigns/{id}", "c-x")));
        corpus.add(new Case("a campaign not JSON", language -> as("admin", language).contentType(ContentType.JSON)
                .body("{").put("/api/v1/admin/campaigns/{id}", "c-x")));
        corpus.add(new Case("targets not a list", language -> as("admin", language).contentType(ContentType.JSON)
                .body(Map.of("targets", 5)).put("/api/v1/admin/campaigns/{id}/targets", campaign)));
        corpus.add(new Case("targets of bad fields", language -> as("admin", language).contentType(ContentType.JSON)
                .body(Map.of("targets", List.of(
                        target("t1", "projects", List.of("special-bond", "special-bond", "lottery"), "BOGUS", "1.5"),
                        target("t1", "bogus", List.of(), null, "-1"),
                        target("T 2", "annualPlannedInvestment", List.of(), "SIGNED", "1.234"),
                        "not an object"))).put("/api/v1/admin/campaigns/{id}/targets", campaign)));
        corpus.add(new Case("targets of an unknown campaign", language -> as("admin", language)
                .contentType(ContentType.JSON).body(Map.of("targets", List.of()))
                .put("/api/v1/admin/campaigns/{id}/targets", "no-such-campaign")));
        corpus.add(new Case("101 targets", language -> as("admin", language).contentType(ContentType.JSON)
                .body(Map.of("targets", IntStream.range(0, 101).mapToObj(i -> Map.of()).toList()))
                .put("/api/v1/admin/campaigns/{id}/targets", campaign)));
        corpus.add(new Case("a duplicate key", language -> as("admin", language).contentType(ContentType.JSON)
                .body("{\"partition\":0,\"partition\":1,\"offsets\":[0]}").post("/api/v1/admin/intake-dead-letters/replay")));
        corpus.add(new Case("a body of the wrong shape", language -> as("admin", language).contentType(ContentType.JSON)
                .body("{\"partition\":\"first\",\"offsets\":[0]}").post("/api/v1/admin/intake-dead-letters/replay")));
        corpus.add(new Case("a replay naming no partition", language -> as("admin", language)
                .contentType(ContentType.JSON).body(Map.of("offsets", List.of(0)))
                .post("/api/v1/admin/intake-dead-letters/replay")));
        corpus.add(new Case("a replay naming no offsets", language -> as("admin", language)
                .contentType(ContentType.JSON).body(Map.of("partition", 0, "offsets", List.of()))
                .post("/api/v1/admin/intake-dead-letters/replay")));
        corpus.add(new Case("dead letters out of range", language -> as("admin", language)
                .get("/api/v1/admin/intake-dead-letters?partition=-1")));
        return corpus;
    }

    private void imports(List<Case> corpus) {
        String other = Api.newCampaign();
        String into = "/api/v1/campaigns/" + other + "/projects.xlsx";
        List<Object> refusedByTheApi = Arrays.asList(null, "a project of the future", "141102", "hydrogen", null, 8000,
                null, null, null, null, Api.TODAY.plusDays(2).toString());
        List<Object> ofAnotherCampaign = Arrays.asList(reserved, "renamed", null, null, null, null, null, null, null,
                null, DAY.toString());
        byte[] rows = Workbooks.importFile(List.of(refusedByTheApi, ofAnotherCampaign));
        corpus.add(new Case("an import of rows the API and the campaign refuse", language -> as("fgw", language)
                .contentType(Workbooks.XLSX).queryParam("dryRun", true).body(rows).post(into)));
        corpus.add(new Case("an import that is not a workbook", language -> as("fgw", language)
                .contentType(Workbooks.XLSX).body("PK\u0003\u0004 not a zip".getBytes(StandardCharsets.ISO_8859_1))
                .post(into)));
        corpus.add(new Case("an import with dryRun perhaps", language -> as("fgw", language)
                .contentType(Workbooks.XLSX).queryParam("dryRun", "perhaps").body(rows).post(into)));
        corpus.add(new Case("an import form without its file", language -> as("fgw", language)
                .multiPart("other", "项目导入.xlsx", rows, Workbooks.XLSX).post(into)));
        corpus.add(new Case("an import into an unknown campaign", language -> as("fgw", language)
                .contentType(Workbooks.XLSX).body(rows).post("/api/v1/campaigns/no-such-campaign/projects.xlsx")));
        byte[] tooMany = Workbooks.importFile(Collections.nCopies(1001,
                Arrays.asList(null, "p", "141102", "hydrogen", null, 1, null, null, null, null, DAY.toString())));
        corpus.add(new Case("an import of 1001 changes", language -> as("fgw", language)
                .contentType(Workbooks.XLSX).body(tooMany).post(into)));
    }

    private void event(List<Case> corpus, String name, String projectId, Object body) {
        corpus.add(new Case(name, language -> as("fgw", language).contentType(ContentType.JSON)
                .body(body instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : json(body))
                .post(eventsOf(projectId))));
    }

    private void event(List<Case> corpus, String name, String projectId, Map<String, Object> event,
                       java.util.function.Consumer<Map<String, Object>> edit) {
        Map<String, Object> edited = new LinkedHashMap<>(event);
        edit.accept(edited);
        event(corpus, name, projectId, edited);
    }

    private static void read(List<Case> corpus, String name, String url) {
        corpus.add(new Case(name, language -> as("viewer", language).urlEncodingEnabled(false).get(url)));
    }

    private void bearer(List<Case> corpus, String name, Claims claims,
                        java.util.function.Consumer<Map<String, Object>> edit) {
        String token = PipelineInfrastructure.issuer().token(claims, edit);
        corpus.add(new Case(name, language -> withLanguage(RestAssured.given().auth().oauth2(token), language)
                .contentType(ContentType.JSON).body(json(reservation(data -> data.put("regionCode", "141123"))))
                .post(eventsOf(Api.newProjectId()))));
    }

    private Map<String, Object> reservation(java.util.function.Consumer<Map<String, Object>> edit) {
        Map<String, Object> data = Api.reservation(campaign, "141102", "hydrogen", List.of("special-bond"), "8000");
        edit.accept(data);
        return envelope("ProjectReserved", DAY, data);
    }

    private String reserve(String region, String code) {
        String projectId = Api.newProjectId();
        Map<String, Object> data = Api.reservation(campaign, region, "hydrogen", List.of("special-bond"), "8000");
        if (code != null) {
            data.put("projectCode", code);
        }
        Api.post(projectId, envelope("ProjectReserved", DAY, data)).then().statusCode(201);
        return projectId;
    }

    private static Map<String, Object> target(String code, String measure, List<String> categories, String stage,
                                              String target) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("code", code);
        definition.put("nameZh", "指标");
        definition.put("nameEn", "Target");
        definition.put("measure", measure);
        definition.put("categories", categories);
        definition.put("reachedStage", stage);
        definition.put("target", target);
        return definition;
    }

    /** A request as a local account (anonymous when null), asking for the language (none when null). */
    private static RequestSpecification as(String account, String language) {
        RequestSpecification request = account == null ? RestAssured.given()
                : RestAssured.given().auth().preemptive().basic(account, account + "-secret");
        return withLanguage(request, language);
    }

    private static RequestSpecification withLanguage(RequestSpecification request, String language) {
        return language == null ? request : request.header("Accept-Language", language);
    }

    private static String eventsOf(String projectId) {
        return "/api/v1/projects/" + projectId + "/events";
    }

    private static byte[] json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request through java.net.http, which adds no Content-Type of its own. */
    private static Response send(String method, String path, String language, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("fgw:fgw-secret".getBytes(StandardCharsets.UTF_8)))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (language != null) {
            request.header("Accept-Language", language);
        }
        try {
            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
            ResponseBuilder answer = new ResponseBuilder().setStatusCode(response.statusCode()).setBody(response.body())
                    .setContentType(response.headers().firstValue("Content-Type").orElse(""));
            response.headers().firstValue("Content-Language").ifPresent(tag -> answer.setHeader("Content-Language", tag));
            return answer.build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The problems of an answer: the answer itself, or the refused items of a batch; with the answer's language. */
    private static List<Map<String, Object>> problems(String name, Response response) {
        if (response.statusCode() == 200) {
            List<Map<String, Object>> items = response.jsonPath().getList("results.problem");
            assertThat(items).as(name + ": " + response.asString()).isNotEmpty().doesNotContainNull();
            return items;
        }
        assertThat(response.statusCode()).as(name).isBetween(400, 599);
        assertThat(response.contentType()).as(name + ": " + response.asString()).startsWith(Problem.MEDIA_TYPE);
        return List.of(response.jsonPath().getMap("$"));
    }

    private static List<Object> fields(Map<String, Object> problem) {
        List<Map<String, Object>> errors = (List<Map<String, Object>>) problem.getOrDefault("errors", List.of());
        return errors.stream().map(error -> error.get("field")).toList();
    }

    /** The title, the detail and each field's message. */
    private static List<String> texts(Map<String, Object> problem) {
        List<String> texts = new ArrayList<>();
        texts.add((String) problem.get("title"));
        if (problem.get("detail") != null) {
            texts.add((String) problem.get("detail"));
        }
        List<Map<String, Object>> errors = (List<Map<String, Object>>) problem.getOrDefault("errors", List.of());
        errors.forEach(error -> texts.add((String) error.get("message")));
        return texts;
    }
}
