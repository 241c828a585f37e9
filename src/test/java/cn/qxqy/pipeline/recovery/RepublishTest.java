package cn.qxqy.pipeline.recovery;

import cn.qxqy.pipeline.testing.Api;
import cn.qxqy.pipeline.testing.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static cn.qxqy.pipeline.testing.Api.admin;
import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
class RepublishTest {

    private static final LocalDate DAY = LocalDate.of(2024, 9, 2);

    @Test
    void aRepublishFromAPositionSendsTheStoresEventsAgainInVersionOrderAndTheFiguresDoNotChange() {
        String campaign = Api.newCampaign();
        Api.Project project = Api.reserve(campaign, "重发的项目", "141102", "coal", List.of(), "100.00", null, DAY)
                .post("ProjectSigned", DAY, Map.of("signedInvestment", "80.00", "investor", "某公司"));
        Api.awaitProjected(project);
        JsonPath history = given().get("/api/v1/projects/{id}/events", project.id()).then().extract().jsonPath();
        long from = history.getLong("[0].position");
        String before = given().get("/api/v1/campaigns/{id}/summary", campaign).then().extract().asString();

        JsonPath started = admin().post("/api/v1/admin/recovery/republish?fromPosition={p}", from).then()
                .statusCode(202).extract().jsonPath();
        long id = started.getLong("id");
        assertThat(started.getLong("fromPosition")).isEqualTo(from);
        JsonPath done = await().atMost(Duration.ofSeconds(60)).until(() -> admin().get("/api/v1/admin/recovery/republish")
                .then().statusCode(200).extract().jsonPath(), all -> all.getString("find { it.id == " + id + " }.finishedAt") != null);
        assertThat(done.getString("find { it.id == " + id + " }.error")).isNull();
        assertThat(done.getLong("find { it.id == " + id + " }.publishedEvents"))
                .isEqualTo(started.getLong("throughPosition") - from + 1
                        - Long.parseLong(Api.sqlValue("SELECT count(*) FROM generate_series(" + from + ", "
                        + started.getLong("throughPosition") + ") p WHERE NOT EXISTS (SELECT 1 FROM events WHERE position = p)")));

        try (KafkaConsumer<String, String> consumer = Topics.consumer()) {
            consumer.subscribe(Set.of("project-events"));
            List<ConsumerRecord<String, String>> ofProject = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (project.id().equals(r.key())) {
                        ofProject.add(r);
                    }
                });
                return ofProject.size() >= 4;
            });
            assertThat(ofProject).extracting(r -> JsonPath.from(r.value()).getLong("version")).containsExactly(1L, 2L, 1L, 2L);
            assertThat(ofProject).extracting(r -> JsonPath.from(r.value()).getString("eventId"))
                    .containsExactly(history.getString("[0].eventId"), history.getString("[1].eventId"),
                            history.getString("[0].eventId"), history.getString("[1].eventId"));
        }
        Api.awaitProjected();
        assertThat(given().get("/api/v1/campaigns/{id}/summary", campaign).then().extract().asString()).isEqualTo(before);
    }
}
