package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.domain.DetailsCorrection;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectDetails;
import cn.qxqy.pipeline.domain.ProjectEvent;
import cn.qxqy.pipeline.domain.ProjectEvent.ConstructionStarted;
import cn.qxqy.pipeline.domain.ProjectEvent.InvestmentReported;
import cn.qxqy.pipeline.domain.ProjectEvent.MilestoneRetracted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCompleted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCorrected;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectReserved;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectSigned;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectWithdrawn;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code data} object of each event type, read from and written to JSON: one format on the wire, in the store and on Kafka. */
public final class EventData {

    public static final Set<String> TYPES = Set.of(
            "ProjectReserved", "ProjectSigned", "ConstructionStarted", "ProjectCompleted",
            "InvestmentReported", "ProjectCorrected", "MilestoneRetracted", "ProjectWithdrawn");

    private static final Set<String> DETAIL_FIELDS = Set.of(
            "name", "campaignId", "regionCode", "industryChain", "categories", "plannedInvestment",
            "annualPlannedInvestment", "zone", "owner", "projectCode");

    private static final Map<String, Set<String>> FIELDS = Map.of(
            "ProjectReserved", DETAIL_FIELDS,
            "ProjectCorrected", DETAIL_FIELDS,
            "ProjectSigned", Set.of("signedInvestment", "investor"),
            "ConstructionStarted", Set.of(),
            "ProjectCompleted", Set.of(),
            "InvestmentReported", Set.of("period", "investmentToDate"),
            "MilestoneRetracted", Set.of("reason"),
            "ProjectWithdrawn", Set.of("reason"));

    private EventData() {
    }

    /**
     * The event of {@code type} dated {@code occurredOn} with this {@code data}; null, with violations added,
     * when a field is unknown or of the wrong type. {@code type} must be one of {@link #TYPES}.
     */
    public static ProjectEvent read(String type, LocalDate occurredOn, JsonNode data, List<FieldViolation> violations) {
        int before = violations.size();
        JsonNode object = data == null || data.isNull() ? JsonNodeFactory.instance.objectNode() : data;
        if (!object.isObject()) {
            violations.add(new FieldViolation("data", "must be an object"));
            return null;
        }
        JsonFields f = new JsonFields(object, "data.", violations);
        f.allowOnly(FIELDS.get(type));
        ProjectEvent event = switch (type) {
            case "ProjectReserved" -> new ProjectReserved(occurredOn, new ProjectDetails(
                    f.text("name"), f.text("campaignId"), f.text("regionCode"), f.text("industryChain"),
                    f.textList("categories"), f.amount("plannedInvestment"), f.amount("annualPlannedInvestment"),
                    f.text("zone"), f.text("owner"), f.text("projectCode")));
            case "ProjectCorrected" -> new ProjectCorrected(occurredOn, new DetailsCorrection(
                    f.text("name"), f.text("campaignId"), f.text("regionCode"), f.text("industryChain"),
                    f.textList("categories"), f.amount("plannedInvestment"), f.amount("annualPlannedInvestment"),
                    f.text("zone"), f.text("owner"), f.text("projectCode")));
            case "ProjectSigned" -> new ProjectSigned(occurredOn, f.amount("signedInvestment"), f.text("investor"));
            case "ConstructionStarted" -> new ConstructionStarted(occurredOn);
            case "ProjectCompleted" -> new ProjectCompleted(occurredOn);
            case "InvestmentReported" -> new InvestmentReported(occurredOn, f.yearMonth("period"), f.amount("investmentToDate"));
            case "MilestoneRetracted" -> new MilestoneRetracted(occurredOn, f.text("reason"));
            case "ProjectWithdrawn" -> new ProjectWithdrawn(occurredOn, f.text("reason"));
            default -> throw new IllegalArgumentException("unknown event type " + type);
        };
        return violations.size() == before ? event : null;
    }

    /** The event's {@code data}, fields in a fixed order and nulls left out, so equal events write equal JSON. */
    public static ObjectNode write(ProjectEvent event) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        if (event instanceof ProjectReserved e) {
            ProjectDetails d = e.details();
            writeDetails(data, d.name(), d.campaignId(), d.regionCode(), d.industryChain(), d.categories(),
                    d.plannedInvestment(), d.annualPlannedInvestment(), d.zone(), d.owner(), d.projectCode());
        } else if (event instanceof ProjectCorrected e) {
            DetailsCorrection c = e.correction();
            writeDetails(data, c.name(), c.campaignId(), c.regionCode(), c.industryChain(), c.categories(),
                    c.plannedInvestment(), c.annualPlannedInvestment(), c.zone(), c.owner(), c.projectCode());
        } else if (event instanceof ProjectSigned e) {
            put(data, "signedInvestment", e.signedInvestment());
            put(data, "investor", e.investor());
        } else if (event instanceof InvestmentReported e) {
            put(data, "period", e.period() == null ? null : e.period().toString());
            put(data, "investmentToDate", e.investmentToDate());
        } else if (event instanceof MilestoneRetracted e) {
            put(data, "reason", e.reason());
        } else if (event instanceof ProjectWithdrawn e) {
            put(data, "reason", e.reason());
        }
        return data;
    }

    private static void writeDetails(ObjectNode data, String name, String campaignId, String regionCode,
                                     String industryChain, List<String> categories, BigDecimal plannedInvestment,
                                     BigDecimal annualPlannedInvestment, String zone, String owner, String projectCode) {
        put(data, "name", name);
        put(data, "campaignId", campaignId);
        put(data, "regionCode", regionCode);
        put(data, "industryChain", industryChain);
        if (categories != null) {
            categories.forEach(data.putArray("categories")::add);
        }
        put(data, "plannedInvestment", plannedInvestment);
        put(data, "annualPlannedInvestment", annualPlannedInvestment);
        put(data, "zone", zone);
        put(data, "owner", owner);
        put(data, "projectCode", projectCode);
    }

    private static void put(ObjectNode data, String field, Object value) {
        if (value instanceof BigDecimal amount) {
            data.put(field, amount);
        } else if (value != null) {
            data.put(field, (String) value);
        }
    }
}
