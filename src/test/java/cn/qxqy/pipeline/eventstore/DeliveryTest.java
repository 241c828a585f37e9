package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static cn.qxqy.pipeline.testing.Api.awaitProjected;
import static cn.qxqy.pipeline.testing.Api.envelope;
import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.Api.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Events reach Kafka in order with CloudEvents headers; redelivery and concurrent writers change nothing they should not. */
@QuarkusTest
class DeliveryTest {

    private static final LocalDate DAY = LocalDate.of(2024, 5, 6);

    @Test
    void eventsArePublishedInProjectOrderWithCloudEventsHeaders() {
        String projectId = Api.newProjectId();
        post(projectId, envelope("ProjectReserved", DAY, Api.reservation(Api.newCampaign(), "141124", "coal",
                List.of(), "300"))).then().statusCode(201);
        post(projectId, envelope("ConstructionStarted", DAY, Map.of())).then().statusCode(201);
        post(projectId, envelope("ProjectCompleted", DAY, Map.of())).then().statusCode(201);

        List<ConsumerRecord<String, String>> records = Topics.records("project-events", projectId, 3);
        assertEquals(List.of(1L, 2L, 3L), records.stream().map(r -> JsonPath.from(r.value()).getLong("version")).toList());
        ConsumerRecord<String, String> first = records.get(0);
        assertEquals("ProjectReserved", Topics.header(first, "ce_type"));
        assertEquals(projectId, Topics.header(first, "ce_subject"));
        assertEquals("1.0", Topics.header(first, "ce_specversion"));
        assertEquals("/departments/fgw", Topics.header(first, "ce_source"));
        assertEquals(JsonPath.from(first.value()).getString("eventId"), Topics.header(first, "ce_id"));
    }

    @Test
    void aRedeliveredEventChangesNothing() throws Exception {
        String campaign = Api.newCampaign();
        String projectId = Api.newProjectId();
        post(projectId, envelope("ProjectReserved", DAY, Api.reservation(campaign, "141125", "coal-chemical",
                List.of("central-budget"), "1000.10"))).then().statusCode(201);
        post(projectId, envelope("ProjectSigned", DAY, Map.of("signedInvestment", "900.05", "investor", "某化工公司")))
                .then().statusCode(201);
        awaitProjected();
        String before = given().get("/api/v1/campaigns/{id}/summary", campaign).then().extract().asString();

        String history = given().get("/api/v1/projects/{id}/events", projectId).then().extract().asString();
        var mapper = new ObjectMapper();
        try (KafkaProducer<String, String> producer = Topics.producer()) {
            for (var event : mapper.readTree(history)) {
                producer.send(new ProducerRecord<>("project-events", projectId, mapper.writeValueAsString(event))).get();
            }
        }
        // A later event of the same project travels the same partition, behind the redelivered ones.
        post(projectId, envelope("ConstructionStarted", DAY, Map.of())).then().statusCode(201);
        awaitProjected();
        given().get("/api/v1/projects/{id}", projectId).then().statusCode(200)
                .body("version", equalTo(3));
        JsonPath after = given().get("/api/v1/campaigns/{id}/summary", campaign).then().extract().jsonPath();
        JsonPath previous = JsonPath.from(before);
        assertEquals(previous.getInt("projects"), after.getInt("projects"));
        assertEquals(0, Api.amount(previous, "signedInvestment").compareTo(Api.amount(after, "signedInvestment")));
        assertEquals(0, Api.amount(previous, "plannedInvestment").compareTo(Api.amount(after, "plannedInvestment")));
        assertEquals(1, after.getInt("stages.SIGNED.reached"));
    }

    @Test
    void concurrentWritersToOneProjectCannotBothWin() throws Exception {
        String projectId = Api.newProjectId();
        post(projectId, envelope("ProjectReserved", DAY, Api.reservation(Api.newCampaign(), "141182", "baijiu",
                List.of(), "50"))).then().statusCode(201);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> starts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                starts.add(() -> {
                    Map<String, Object> start = envelope("ConstructionStarted", DAY, Map.of());
                    start.put("expectedVersion", 1);
                    return post(projectId, start).statusCode();
                });
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(starts)) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(15, statuses.stream().filter(s -> s == 409).count(), statuses.toString());

            List<Callable<Integer>> reports = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int month = 1 + i % 5;
                reports.add(() -> post(projectId, envelope("InvestmentReported", DAY,
                        Map.of("period", "2024-0" + month, "investmentToDate", 10 * month))).then().statusCode(201)
                        .extract().jsonPath().getInt("version"));
            }
            List<Integer> versions = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(reports)) {
                versions.add(f.get());
            }
            assertEquals(16, versions.stream().distinct().count(), "each writer got its own version: " + versions);

            Map<String, Object> same = envelope("InvestmentReported", DAY, Map.of("period", "2024-05", "investmentToDate", 77));
            List<Callable<Integer>> reposts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                reposts.add(() -> post(projectId, same).statusCode());
            }
            List<Integer> repostStatuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(reposts)) {
                repostStatuses.add(f.get());
            }
            assertEquals(1, repostStatuses.stream().filter(s -> s == 201).count(), repostStatuses.toString());
            assertEquals(7, repostStatuses.stream().filter(s -> s == 200).count(), repostStatuses.toString());
        } finally {
            pool.shutdownNow();
        }
        List<Integer> stored = given().get("/api/v1/projects/{id}/events", projectId).then().extract().jsonPath()
                .getList("version");
        assertEquals(19, stored.size());
        for (int i = 0; i < stored.size(); i++) {
            assertEquals(i + 1, stored.get(i));
        }
        awaitProjected();
        given().get("/api/v1/projects/{id}", projectId).then().body("version", equalTo(19));
    }
}
