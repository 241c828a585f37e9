package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectEvent;
import cn.qxqy.pipeline.eventstore.Author;
import cn.qxqy.pipeline.eventstore.NewEvent;
import cn.qxqy.pipeline.problem.ProblemException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The envelope a department posts, read without the service: its project, eventId and event, and the digest that
 * tells a re-post of the same event (200 with the original answer) from another event under a reused eventId (409).
 */
class EnvelopeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Author AUTHOR = new Author("lishi", "sub", "client", "rest", "req-1");
    private static final String EVENT_ID = "7d8e2f50-3c1b-4f7e-9a55-2f1d0e6b9c01";

    @Test
    void theEventIsReadForTheProjectTheUrlNames() throws Exception {
        NewEvent event = read("""
                {"eventId": "%s", "type": "ProjectSigned", "occurredOn": "2024-03-02", "expectedVersion": 1,
                 "data": {"signedInvestment": "5000.50", "investor": "某公司"}}""".formatted(EVENT_ID), "LL-2024-0001");

        assertThat(event.projectId()).isEqualTo("LL-2024-0001");
        assertThat(event.eventId()).isEqualTo(UUID.fromString(EVENT_ID));
        assertThat(event.expectedVersion()).isEqualTo(1);
        assertThat(event.author()).isEqualTo(AUTHOR);
        assertThat(event.event()).isEqualTo(new ProjectEvent.ProjectSigned(LocalDate.of(2024, 3, 2),
                new BigDecimal("5000.50"), "某公司"));
    }

    @Test
    void aBatchItemNamesItsOwnProject() throws Exception {
        NewEvent event = read("""
                {"projectId": "LL-2024-0002", "eventId": "%s", "type": "ConstructionStarted",
                 "occurredOn": "2024-03-02"}""".formatted(EVENT_ID), null);

        assertThat(event.projectId()).isEqualTo("LL-2024-0002");
        assertThat(event.expectedVersion()).isNull();
    }

    @Test
    void theSameEventWithItsKeysInAnotherOrderOrItsAmountsWrittenOtherwiseHasTheSameDigest() throws Exception {
        String digest = read("""
                {"eventId": "%s", "type": "ProjectSigned", "occurredOn": "2024-03-02",
                 "data": {"signedInvestment": 5000.5, "investor": "某公司"}}""".formatted(EVENT_ID), "P-1").requestHash();

        assertThat(read("""
                {"data": {"investor": "某公司", "signedInvestment": "5000.50"}, "occurredOn": "2024-03-02",
                 "type": "ProjectSigned", "eventId": "%s"}""".formatted(EVENT_ID), "P-1").requestHash())
                .isEqualTo(digest);
        assertThat(read("""
                {"projectId": "P-1", "eventId": "%s", "type": "ProjectSigned", "occurredOn": "2024-03-02",
                 "data": {"signedInvestment": 5.0005e3, "investor": "某公司"}}""".formatted(EVENT_ID), null)
                .requestHash()).isEqualTo(digest);
    }

    @Test
    void anotherAmountDateVersionOrProjectIsAnotherDigest() throws Exception {
        String signing = """
                {"eventId": "%s", "type": "ProjectSigned", "occurredOn": "%s", %s
                 "data": {"signedInvestment": "%s", "investor": "某公司"}}""";
        String digest = read(signing.formatted(EVENT_ID, "2024-03-02", "", "5000.50"), "P-1").requestHash();

        assertThat(read(signing.formatted(EVENT_ID, "2024-03-02", "", "5000.51"), "P-1").requestHash())
                .isNotEqualTo(digest);
        assertThat(read(signing.formatted(EVENT_ID, "2024-03-03", "", "5000.50"), "P-1").requestHash())
                .isNotEqualTo(digest);
        assertThat(read(signing.formatted(EVENT_ID, "2024-03-02", "\"expectedVersion\": 1,", "5000.50"), "P-1")
                .requestHash()).isNotEqualTo(digest);
        assertThat(read(signing.formatted(EVENT_ID, "2024-03-02", "", "5000.50"), "P-2").requestHash())
                .isNotEqualTo(digest);
    }

    @Test
    void everyMalformedEnvelopeFieldIsNamedInOneProblem() {
        ProblemException refused = catchThrowableOfType(ProblemException.class, () -> read("""
                {"projectId": "P-2", "eventId": "not-a-uuid", "type": "ProjectSigned", "expectedVersion": -1,
                 "colour": "red", "data": {}}""", "P-1"));

        assertThat(refused.problem().status()).isEqualTo(400);
        // A missing date or amount is the stage machine's to name, with the event's other rules.
        assertThat(refused.problem().errors()).extracting(FieldViolation::field).containsExactlyInAnyOrder(
                "projectId", "eventId", "expectedVersion", "colour");
    }

    @Test
    void aBatchItemWithoutItsProjectOrAnUnknownTypeIsRefused() {
        ProblemException refused = catchThrowableOfType(ProblemException.class, () -> read("""
                {"eventId": "%s", "type": "ProjectNoted", "occurredOn": "2024-03-02"}""".formatted(EVENT_ID), null));

        assertThat(refused.problem().errors()).extracting(FieldViolation::field)
                .containsExactlyInAnyOrder("projectId", "type");
    }

    private static NewEvent read(String json, String projectIdFromPath) throws Exception {
        return Envelope.read(JSON.readTree(json), projectIdFromPath, AUTHOR);
    }
}
