package cn.qxqy.pipeline.testing.history;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DESIGN.md's rules for one project, written again apart from the service: the verdict on an event given the project
 * so far, and the project an accepted event leads to. Pure (no HTTP, no clock, no store), so that the random history
 * over HTTP and the property test of {@code ProjectStateMachine} check against the same reference.
 */
public final class ReferenceModel {

    public static final String RESERVED = "ProjectReserved";
    public static final String SIGNED = "ProjectSigned";
    public static final String STARTED = "ConstructionStarted";
    public static final String COMPLETED = "ProjectCompleted";
    public static final String REPORTED = "InvestmentReported";
    public static final String CORRECTED = "ProjectCorrected";
    public static final String RETRACTED = "MilestoneRetracted";
    public static final String WITHDRAWN = "ProjectWithdrawn";
    public static final List<String> TYPES = List.of(RESERVED, SIGNED, STARTED, COMPLETED, REPORTED, CORRECTED,
            RETRACTED, WITHDRAWN);
    static final Set<String> MILESTONE_TYPES = Set.of(SIGNED, STARTED, COMPLETED, WITHDRAWN);

    /** DESIGN.md's "allowed when" column, for a known project. */
    public static final Map<String, Set<String>> ALLOWED_FROM = Map.of(
            RESERVED, Set.of(),
            SIGNED, Set.of("RESERVED"),
            STARTED, Set.of("RESERVED", "SIGNED"),
            COMPLETED, Set.of("STARTED"),
            REPORTED, Set.of("STARTED", "COMPLETED"),
            CORRECTED, Set.of("RESERVED", "SIGNED", "STARTED", "COMPLETED"),
            RETRACTED, Set.of("SIGNED", "STARTED", "COMPLETED"),
            WITHDRAWN, Set.of("RESERVED", "SIGNED", "STARTED", "COMPLETED"));

    static final Pattern PROJECT_CODE = Pattern.compile("^\\d{4}-(\\d{6})-\\d{2}-\\d{2}-\\d{6}$");
    private static final BigDecimal AMOUNT_LIMIT = BigDecimal.TEN.pow(12);

    /** The verdict on an event, named for the first rule it breaks; each maps to one HTTP status. */
    public enum Verdict {
        ACCEPTED(201),
        /** A field of the event breaks a rule of its own. */
        INVALID_FIELD(400),
        /** Not a reservation, for a project that has none. */
        UNKNOWN_PROJECT(404),
        /** The project's stage does not allow the event's type. */
        ILLEGAL_TRANSITION(409),
        /** A milestone dated before the last milestone still in effect. */
        EARLY_MILESTONE(400),
        /** A project code whose region segment is not the project's region, once the event is applied. */
        CODE_NOT_OF_REGION(400);

        public final int status;

        Verdict(int status) {
            this.status = status;
        }
    }

    private ReferenceModel() {
    }

    /**
     * The verdict on an event for the project (null: none reserved yet), in DESIGN.md's precedence: the event's own
     * fields, then the stage, then the rules against the project's state. The event must be well-formed: a known
     * type with only its own fields, amounts that are numbers and a period that is a month.
     */
    public static Verdict verdict(ModelProject p, HistoryEvent e, LocalDate today) {
        if (invalidFields(e, today)) {
            return Verdict.INVALID_FIELD;
        }
        if (p == null && !e.type.equals(RESERVED)) {
            return Verdict.UNKNOWN_PROJECT;
        }
        if (p != null && !ALLOWED_FROM.get(e.type).contains(p.stage)) {
            return Verdict.ILLEGAL_TRANSITION;
        }
        if (p != null && MILESTONE_TYPES.contains(e.type) && e.occurredOn.isBefore(p.lastMilestone())) {
            return Verdict.EARLY_MILESTONE;
        }
        if (e.type.equals(RESERVED) || e.type.equals(CORRECTED)) {
            Map<String, Object> d = e.data();
            ModelProject after = apply(p, e);
            boolean touchesCode = e.type.equals(RESERVED) || d.containsKey("projectCode") || d.containsKey("regionCode");
            if (touchesCode && after.projectCode != null && !codeRegion(after.projectCode).equals(after.regionCode)) {
                return Verdict.CODE_NOT_OF_REGION;
            }
        }
        return Verdict.ACCEPTED;
    }

    /** The project after an accepted event. */
    public static ModelProject apply(ModelProject before, HistoryEvent e) {
        ModelProject p = before == null ? new ModelProject(e.projectId) : before.copy();
        p.version++;
        Map<String, Object> d = e.data();
        LocalDate on = e.occurredOn;
        switch (e.type) {
            case RESERVED -> {
                p.stage = "RESERVED";
                p.name = null;
                p.zone = null;
                p.owner = null;
                p.projectCode = null;
                p.annual = null;
                p.categories = List.of();
                p.signedInvestment = null;
                p.investor = null;
                p.signedOn = p.startedOn = p.completedOn = p.withdrawnOn = null;
                p.period = null;
                p.investmentToDate = null;
                details(p, d);
                p.reservedOn = on;
            }
            case SIGNED -> {
                p.stage = "SIGNED";
                p.signedInvestment = dec(d.get("signedInvestment"));
                p.investor = (String) d.get("investor");
                p.signedOn = on;
            }
            case STARTED -> {
                p.stage = "STARTED";
                p.startedOn = on;
            }
            case COMPLETED -> {
                p.stage = "COMPLETED";
                p.completedOn = on;
            }
            case REPORTED -> {
                YearMonth period = YearMonth.parse((String) d.get("period"));
                if (p.period == null || !period.isBefore(p.period)) {
                    p.period = period;
                    p.investmentToDate = dec(d.get("investmentToDate"));
                }
            }
            case CORRECTED -> details(p, d);
            case RETRACTED -> {
                switch (String.valueOf(p.stage)) {
                    case "SIGNED" -> {
                        p.stage = "RESERVED";
                        p.signedOn = null;
                        p.signedInvestment = null;
                        p.investor = null;
                    }
                    case "STARTED" -> {
                        p.stage = p.signedOn != null ? "SIGNED" : "RESERVED";
                        p.startedOn = null;
                    }
                    case "COMPLETED" -> {
                        p.stage = "STARTED";
                        p.completedOn = null;
                    }
                    default -> {
                        // nothing to retract: only reachable if the service accepted what it should not
                    }
                }
            }
            case WITHDRAWN -> {
                p.stage = "WITHDRAWN";
                p.withdrawnOn = on;
            }
            default -> {
                // an unknown type the service accepted: reported as a mismatch already
            }
        }
        if (on != null && (p.clock == null || on.isAfter(p.clock))) {
            p.clock = on;
        }
        return p;
    }

    /** Puts every field present in a reservation's or correction's data in place. */
    @SuppressWarnings("unchecked")
    private static void details(ModelProject p, Map<String, Object> d) {
        if (d.containsKey("name")) {
            p.name = (String) d.get("name");
        }
        if (d.containsKey("campaignId")) {
            p.campaignId = (String) d.get("campaignId");
        }
        if (d.containsKey("regionCode")) {
            p.regionCode = (String) d.get("regionCode");
        }
        if (d.containsKey("industryChain")) {
            p.chain = (String) d.get("industryChain");
        }
        if (d.containsKey("categories")) {
            p.categories = List.copyOf((List<String>) d.get("categories"));
        }
        if (d.containsKey("plannedInvestment")) {
            p.planned = dec(d.get("plannedInvestment"));
        }
        if (d.containsKey("annualPlannedInvestment")) {
            p.annual = dec(d.get("annualPlannedInvestment"));
        }
        if (d.containsKey("zone")) {
            p.zone = (String) d.get("zone");
        }
        if (d.containsKey("owner")) {
            p.owner = (String) d.get("owner");
        }
        if (d.containsKey("projectCode")) {
            p.projectCode = (String) d.get("projectCode");
        }
    }

    /** The rules each event's own fields must keep, occurredOn included. */
    private static boolean invalidFields(HistoryEvent e, LocalDate today) {
        if (e.occurredOn.isAfter(today)) {
            return true;
        }
        Map<String, Object> d = e.data();
        return switch (e.type) {
            case RESERVED -> badDetails(d, true);
            case CORRECTED -> d.isEmpty() || badDetails(d, false);
            case SIGNED -> badAmount(d.get("signedInvestment"), true, false) || badText(d.get("investor"), true, 200);
            case REPORTED -> d.get("period") == null || period(d.get("period")).isAfter(YearMonth.from(today))
                    || badAmount(d.get("investmentToDate"), true, true);
            case RETRACTED, WITHDRAWN -> badText(d.get("reason"), true, 500);
            default -> false;
        };
    }

    private static boolean badDetails(Map<String, Object> d, boolean required) {
        boolean bad = badText(d.get("name"), required, 200) || badText(d.get("campaignId"), required, Integer.MAX_VALUE)
                || badText(d.get("regionCode"), required, Integer.MAX_VALUE)
                || badText(d.get("industryChain"), required, Integer.MAX_VALUE)
                || badAmount(d.get("plannedInvestment"), required, false)
                || badAmount(d.get("annualPlannedInvestment"), false, false)
                || badText(d.get("zone"), false, 100) || badText(d.get("owner"), false, 200);
        if (d.get("categories") instanceof List<?> categories) {
            Set<String> seen = new HashSet<>();
            for (Object c : categories) {
                if (((String) c).isBlank() || !seen.add(((String) c).strip())) {
                    bad = true;
                }
            }
        }
        Object code = d.get("projectCode");
        return bad || code != null && !PROJECT_CODE.matcher((String) code).matches();
    }

    private static boolean badText(Object value, boolean required, int maxLength) {
        if (value == null) {
            return required;
        }
        String s = (String) value;
        return s.isBlank() || s.codePointCount(0, s.length()) > maxLength;
    }

    private static boolean badAmount(Object value, boolean required, boolean zeroAllowed) {
        if (value == null) {
            return required;
        }
        BigDecimal v = dec(value);
        return (zeroAllowed ? v.signum() < 0 : v.signum() <= 0)
                || Math.max(0, v.stripTrailingZeros().scale()) > 2 || v.compareTo(AMOUNT_LIMIT) >= 0;
    }

    /** The region segment of a well-formed project code; empty for any other text. */
    public static String codeRegion(String code) {
        Matcher m = PROJECT_CODE.matcher(code);
        return m.matches() ? m.group(1) : "";
    }

    /** An amount as sent: a number, or a numeric string; null when it is neither. */
    public static BigDecimal dec(Object value) {
        if (value instanceof BigDecimal b) {
            return b;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (value instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A period as sent; null when it is no month. */
    public static YearMonth period(Object value) {
        try {
            return YearMonth.parse((String) value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static BigDecimal nz(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }
}
