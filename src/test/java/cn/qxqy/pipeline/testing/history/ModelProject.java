package cn.qxqy.pipeline.testing.history;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A project as its accepted history makes it by DESIGN.md, plus the generator's date cursor. */
public final class ModelProject {
    public final String id;
    public long version;
    public String stage;
    public String name;
    public String campaignId;
    public String regionCode;
    public String chain;
    public List<String> categories = List.of();
    public BigDecimal planned;
    public BigDecimal annual;
    public String zone;
    public String owner;
    public String projectCode;
    public BigDecimal signedInvestment;
    public String investor;
    public LocalDate reservedOn;
    public LocalDate signedOn;
    public LocalDate startedOn;
    public LocalDate completedOn;
    public LocalDate withdrawnOn;
    public YearMonth period;
    public BigDecimal investmentToDate;
    /** Latest date used in an accepted event of the project: the generator's cursor, not a domain field. */
    LocalDate clock;

    public ModelProject(String id) {
        this.id = id;
    }

    public ModelProject copy() {
        ModelProject p = new ModelProject(id);
        p.version = version;
        p.stage = stage;
        p.name = name;
        p.campaignId = campaignId;
        p.regionCode = regionCode;
        p.chain = chain;
        p.categories = categories;
        p.planned = planned;
        p.annual = annual;
        p.zone = zone;
        p.owner = owner;
        p.projectCode = projectCode;
        p.signedInvestment = signedInvestment;
        p.investor = investor;
        p.reservedOn = reservedOn;
        p.signedOn = signedOn;
        p.startedOn = startedOn;
        p.completedOn = completedOn;
        p.withdrawnOn = withdrawnOn;
        p.period = period;
        p.investmentToDate = investmentToDate;
        p.clock = clock;
        return p;
    }

    public boolean active() {
        return !"WITHDRAWN".equals(stage);
    }

    /** The latest milestone still in effect. */
    public LocalDate lastMilestone() {
        for (LocalDate d : new LocalDate[]{withdrawnOn, completedOn, startedOn, signedOn}) {
            if (d != null) {
                return d;
            }
        }
        return reservedOn;
    }

    /** What the project's view shows of it, field by field, as the API writes each value (dates and months as text). */
    public Map<String, Object> viewFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("stage", stage);
        fields.put("campaignId", campaignId);
        fields.put("regionCode", regionCode);
        fields.put("industryChain", chain);
        fields.put("categories", new TreeSet<>(categories));
        fields.put("plannedInvestment", planned);
        fields.put("annualPlannedInvestment", annual);
        fields.put("signedInvestment", signedInvestment);
        fields.put("investmentToDate", investmentToDate);
        fields.put("reportedPeriod", text(period));
        fields.put("reservedOn", text(reservedOn));
        fields.put("signedOn", text(signedOn));
        fields.put("startedOn", text(startedOn));
        fields.put("completedOn", text(completedOn));
        fields.put("withdrawnOn", text(withdrawnOn));
        return fields;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
