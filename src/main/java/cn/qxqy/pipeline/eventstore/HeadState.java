package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.domain.ProjectDetails;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.Stage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * A project's current state as kept with its stream head (column {@code stream_heads.state}), so that an append
 * decides without replaying the history. Amounts are written as strings: their scale survives exactly.
 */
final class HeadState {

    private HeadState() {
    }

    static ObjectNode write(ProjectState s) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("version", s.version());
        json.put("stage", s.stage().name());
        ProjectDetails d = s.details();
        put(json, "name", d.name());
        put(json, "campaignId", d.campaignId());
        put(json, "regionCode", d.regionCode());
        put(json, "industryChain", d.industryChain());
        d.categories().forEach(json.putArray("categories")::add);
        put(json, "plannedInvestment", d.plannedInvestment());
        put(json, "annualPlannedInvestment", d.annualPlannedInvestment());
        put(json, "zone", d.zone());
        put(json, "owner", d.owner());
        put(json, "projectCode", d.projectCode());
        put(json, "signedInvestment", s.signing().signedInvestment());
        put(json, "investor", s.signing().investor());
        put(json, "reservedOn", s.milestones().reservedOn());
        put(json, "signedOn", s.milestones().signedOn());
        put(json, "startedOn", s.milestones().startedOn());
        put(json, "completedOn", s.milestones().completedOn());
        put(json, "withdrawnOn", s.milestones().withdrawnOn());
        put(json, "reportedPeriod", s.report().period());
        put(json, "investmentToDate", s.report().investmentToDate());
        return json;
    }

    static ProjectState read(JsonNode json) {
        List<String> categories = new ArrayList<>();
        json.path("categories").forEach(c -> categories.add(c.asText()));
        ProjectDetails details = new ProjectDetails(text(json, "name"), text(json, "campaignId"),
                text(json, "regionCode"), text(json, "industryChain"), categories, amount(json, "plannedInvestment"),
                amount(json, "annualPlannedInvestment"), text(json, "zone"), text(json, "owner"),
                text(json, "projectCode"));
        String period = text(json, "reportedPeriod");
        return new ProjectState(json.path("version").asLong(), Stage.valueOf(text(json, "stage")), details,
                new ProjectState.Milestones(date(json, "reservedOn"), date(json, "signedOn"), date(json, "startedOn"),
                        date(json, "completedOn"), date(json, "withdrawnOn")),
                new ProjectState.Signing(amount(json, "signedInvestment"), text(json, "investor")),
                new ProjectState.Report(period == null ? null : YearMonth.parse(period), amount(json, "investmentToDate")));
    }

    private static void put(ObjectNode json, String field, Object value) {
        if (value != null) {
            json.put(field, value.toString());
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static BigDecimal amount(JsonNode json, String field) {
        String value = text(json, field);
        return value == null ? null : new BigDecimal(value);
    }

    private static LocalDate date(JsonNode json, String field) {
        String value = text(json, field);
        return value == null ? null : LocalDate.parse(value);
    }
}
