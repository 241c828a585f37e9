package cn.qxqy.pipeline.contract;

import cn.qxqy.pipeline.domain.EventTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * One envelope of every event type, as a department system posts it: together, one project's lifecycle in an order
 * the stage machine accepts (the test posts them). Shown in {@code /q/openapi} on the ingest operations and checked
 * against the Kafka contract's schemas.
 */
public final class EventExamples {

    /** An example: its event type, what it shows, and the envelope. */
    public record Example(String type, String summary, ObjectNode envelope) {
    }

    public static final String PROJECT_ID = "LL-EXAMPLE-0001";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final List<Example> ALL = List.of(
            example("ProjectReserved", "储备: the project enters the campaign's reserve", "2024-02-19", """
                    {"name": "年产200万只铝合金商用车轮毂智能制造项目", "campaignId": "2024-qxqy", "regionCode": "141123",
                     "industryChain": "aluminium-magnesium", "categories": ["chain-extension", "private-capital"],
                     "plannedInvestment": 150000, "annualPlannedInvestment": 60000, "zone": "兴县经济开发区",
                     "owner": "山西某铝业有限公司"}"""),
            example("ProjectSigned", "签约: an investor signs", "2024-02-20",
                    "{\"signedInvestment\": 150000, \"investor\": \"山西某铝业有限公司\"}"),
            example("ConstructionStarted", "开工: construction starts", "2024-02-23", "{}"),
            example("InvestmentReported", "累计完成投资: investment completed up to the end of a month", "2024-04-05",
                    "{\"period\": \"2024-03\", \"investmentToDate\": \"12000.50\"}"),
            example("ProjectCorrected", "A correction: only the fields sent change", "2024-04-10",
                    "{\"annualPlannedInvestment\": 65000}"),
            example("ProjectCompleted", "竣工: construction is completed", "2024-12-20", "{}"),
            example("MilestoneRetracted", "The last milestone, posted in error, is undone", "2024-12-21",
                    "{\"reason\": \"竣工验收尚未通过，误报\"}"),
            example("ProjectWithdrawn", "退出: the project leaves the campaign", "2024-12-28",
                    "{\"reason\": \"投资方调整计划\"}"));

    static {
        if (!ALL.stream().map(Example::type).toList().containsAll(EventTypes.NAMES)) {
            throw new IllegalStateException("an event type without an example: " + EventTypes.NAMES);
        }
    }

    private EventExamples() {
    }

    private static Example example(String type, String summary, String occurredOn, String data) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("projectId", PROJECT_ID);
        envelope.put("eventId", UUID.nameUUIDFromBytes((PROJECT_ID + "/" + type).getBytes(StandardCharsets.UTF_8))
                .toString());
        envelope.put("type", type);
        envelope.put("occurredOn", occurredOn);
        try {
            envelope.set("data", JSON.readTree(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Example(type, summary, envelope);
    }
}
