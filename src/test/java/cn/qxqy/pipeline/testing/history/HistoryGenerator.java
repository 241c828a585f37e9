package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.Catalog.CATEGORIES;
import static cn.qxqy.pipeline.testing.history.Catalog.CHAINS;
import static cn.qxqy.pipeline.testing.history.Catalog.REGIONS;
import static cn.qxqy.pipeline.testing.history.Catalog.ZONES;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.ALLOWED_FROM;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.COMPLETED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.CORRECTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.REPORTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RESERVED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RETRACTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.SIGNED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.STARTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.TYPES;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.WITHDRAWN;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.codeRegion;

import cn.qxqy.pipeline.testing.Api;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The random history's events, drawn from a seeded {@link Dice} against the service's state as the model knows it:
 * valid ones for every stage, and refused ones of every kind (invalid fields, illegal transitions, unknown projects,
 * version conflicts, re-posts and reused eventIds), each with the status it is meant to get.
 */
final class HistoryGenerator {

    /** Valid reservations to aim for: issue 3 asks for a history over at least 100 projects. */
    private static final int TARGET_PROJECTS = 112;
    /** Chance that a step reserves a new project while fewer than TARGET_PROJECTS have been. */
    private static final double NEW_PROJECT_RATE = 0.36;
    /** Chance that an event for an existing active project is made invalid or illegal on purpose. */
    private static final double INVALID_RATE = 0.24;

    private final Dice rnd;
    private final ServiceModel service;
    private final String campaignA;
    private final String campaignB;
    private final String runTag;
    private final String codeNonce;
    private int projectSeq;
    private int codeSeq;
    private int ghostSeq;
    private int reservationsMade;

    HistoryGenerator(long seed, ServiceModel service, String campaignA, String campaignB) {
        this.rnd = new Dice(seed);
        this.service = service;
        this.campaignA = campaignA;
        this.campaignB = campaignB;
        this.runTag = campaignA.substring(campaignA.length() - 8);
        this.codeNonce = String.format("%02d", Math.floorMod(campaignA.hashCode(), 100));
    }

    HistoryEvent generate() {
        double r = rnd.nextDouble();
        if (r < 0.025 && !service.accepted.isEmpty()) {
            return repost();
        }
        if (r < 0.033 && !service.accepted.isEmpty()) {
            return reuseEventId();
        }
        if (r < 0.043) {
            return ghostEvent();
        }
        boolean wantNew = service.projects.size() < 6 || reservationsMade < TARGET_PROJECTS && rnd.chance(NEW_PROJECT_RATE);
        if (wantNew) {
            return rnd.chance(0.15) ? invalidReservation() : reservation(newProjectId(), null);
        }
        List<ModelProject> all = new ArrayList<>(service.projects.values());
        List<ModelProject> active = all.stream().filter(ModelProject::active).toList();
        ModelProject p = active.isEmpty() || rnd.chance(0.06) ? rnd.of(all) : rnd.of(active);
        if (!p.active() || rnd.chance(INVALID_RATE)) {
            return invalidFor(p);
        }
        return validFor(p);
    }

    private String newProjectId() {
        return "RH-" + runTag + "-" + (++projectSeq);
    }

    private LocalDate reservationDate() {
        return LocalDate.of(2024, 1, 2).plusDays(rnd.nextInt(240));
    }

    /** A date for the project's next event: never before anything it has seen, a few days on. */
    private LocalDate nextDate(ModelProject p) {
        LocalDate base = p.clock.isBefore(p.lastMilestone()) ? p.lastMilestone() : p.clock;
        return base.plusDays(rnd.nextInt(21));
    }

    private HistoryEvent reservation(String projectId, String campaign) {
        Map<String, Object> d = new LinkedHashMap<>();
        String region = rnd.of(REGIONS);
        d.put("name", "随机项目 " + projectId);
        d.put("campaignId", campaign != null ? campaign : rnd.chance(0.1) ? campaignB : campaignA);
        d.put("regionCode", region);
        d.put("industryChain", rnd.of(CHAINS));
        d.put("categories", someCategories());
        d.put("plannedInvestment", amount());
        if (rnd.chance(0.6)) {
            d.put("annualPlannedInvestment", amount());
        }
        if (rnd.chance(0.3)) {
            d.put("zone", rnd.of(ZONES));
        }
        if (rnd.chance(0.3)) {
            d.put("owner", "建设单位 " + rnd.nextInt(100));
        }
        if (rnd.chance(0.3)) {
            d.put("projectCode", newCode(region));
        }
        reservationsMade++;
        HistoryEvent e = HistoryEvent.of("reserve", 201, projectId, RESERVED, reservationDate(), d);
        return rnd.chance(0.15) ? e.with("reserve", 201, "expectedVersion", 0) : e;
    }

    private List<String> someCategories() {
        List<String> shuffled = new ArrayList<>(CATEGORIES);
        Collections.shuffle(shuffled, rnd);
        return List.copyOf(shuffled.subList(0, rnd.nextInt(4)));
    }

    private String newCode(String region) {
        return String.format("2024-%s-%s-01-%06d", region, codeNonce, ++codeSeq);
    }

    private String otherThan(List<String> list, String current) {
        String pick;
        do {
            pick = rnd.of(list);
        } while (pick.equals(current));
        return pick;
    }

    /** An amount in 万元 with at most 2 decimals, sent as a JSON number or a string. */
    private Object amount() {
        BigDecimal v = rnd.chance(0.1) ? BigDecimal.valueOf(1 + rnd.nextInt(50_000))
                : BigDecimal.valueOf(1 + rnd.nextInt(10_000_000), 2);
        return encode(v);
    }

    private Object encode(BigDecimal v) {
        return switch (rnd.nextInt(5)) {
            case 0 -> v.toPlainString();
            case 1 -> v.stripTrailingZeros().toPlainString();
            default -> v;
        };
    }

    private HistoryEvent validFor(ModelProject p) {
        String action = switch (p.stage) {
            case "RESERVED" -> rnd.weighted("sign", 40, "start", 20, "correct", 22, "withdraw", 4);
            case "SIGNED" -> rnd.weighted("start", 45, "retract", 10, "correct", 15, "withdraw", 6);
            case "STARTED" -> rnd.weighted("complete", 25, "report", 35, "retract", 10, "correct", 12, "withdraw", 6);
            case "COMPLETED" -> rnd.weighted("report", 30, "retract", 12, "correct", 12, "withdraw", 3);
            default -> throw new IllegalStateException(p.stage);
        };
        HistoryEvent e = switch (action) {
            case "sign" -> HistoryEvent.of("sign", 201, p.id, SIGNED, nextDate(p), signing());
            case "start" -> HistoryEvent.of("start", 201, p.id, STARTED, nextDate(p), new LinkedHashMap<>());
            case "complete" -> HistoryEvent.of("complete", 201, p.id, COMPLETED, nextDate(p), new LinkedHashMap<>());
            case "report" -> HistoryEvent.of("report", 201, p.id, REPORTED, otherDate(p), report(p));
            case "correct" -> HistoryEvent.of("correct", 201, p.id, CORRECTED, otherDate(p), correction(p));
            case "retract" -> HistoryEvent.of("retract", 201, p.id, RETRACTED, nextDate(p), reason("录入错误"));
            case "withdraw" -> HistoryEvent.of("withdraw from " + p.stage, 201, p.id, WITHDRAWN, nextDate(p), reason("项目终止"));
            default -> throw new IllegalStateException(action);
        };
        return rnd.chance(0.12) ? e.with(e.intent, 201, "expectedVersion", p.version) : e;
    }

    /** Reports and corrections are no milestones: sometimes dated before the last one, which is allowed. */
    private LocalDate otherDate(ModelProject p) {
        return rnd.chance(0.2) ? p.lastMilestone().minusDays(1 + rnd.nextInt(20)) : nextDate(p);
    }

    private Map<String, Object> signing() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("signedInvestment", amount());
        d.put("investor", "投资方 " + rnd.nextInt(1000));
        return d;
    }

    /** A report for the project: now and then for the period it last reported, which the new figure replaces. */
    private Map<String, Object> report(ModelProject p) {
        Map<String, Object> d = report();
        if (p.period != null && rnd.chance(0.3)) {
            d.put("period", p.period.toString());
        }
        return d;
    }

    private Map<String, Object> report() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("period", YearMonth.of(2024, 1 + rnd.nextInt(12)).toString());
        d.put("investmentToDate", rnd.chance(0.05) ? (Object) BigDecimal.ZERO : amount());
        return d;
    }

    private static Map<String, Object> reason(String reason) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("reason", reason);
        return d;
    }

    /** A valid correction of a random subset of the reservation fields. */
    private Map<String, Object> correction(ModelProject p) {
        Map<String, Object> d = new LinkedHashMap<>();
        String region = p.regionCode;
        if (rnd.chance(0.3)) {
            region = otherThan(REGIONS, p.regionCode);
            d.put("regionCode", region);
        }
        if (rnd.chance(0.3)) {
            d.put("industryChain", otherThan(CHAINS, p.chain));
        }
        if (rnd.chance(0.3)) {
            d.put("categories", someCategories());
        }
        if (rnd.chance(0.35)) {
            d.put("plannedInvestment", amount());
        }
        if (rnd.chance(0.15)) {
            d.put("annualPlannedInvestment", amount());
        }
        if (rnd.chance(0.12)) {
            d.put("name", "更正项目 " + p.id + " " + rnd.nextInt(100));
        }
        if (rnd.chance(0.08)) {
            d.put("zone", rnd.of(ZONES));
        }
        if (rnd.chance(0.05)) {
            d.put("owner", "建设单位 " + rnd.nextInt(100));
        }
        if (rnd.chance(0.08)) {
            d.put("campaignId", campaignA.equals(p.campaignId) ? campaignB : campaignA);
        }
        boolean recode = rnd.chance(0.08);
        if (recode || p.projectCode != null && !region.equals(p.regionCode)) {
            d.put("projectCode", newCode(region));
        }
        if (d.isEmpty()) {
            d.put("plannedInvestment", amount());
        }
        return d;
    }

    /** Some refused event for an existing project: illegal in its stage, or with a field that is wrong. */
    private HistoryEvent invalidFor(ModelProject p) {
        if (!p.active()) {
            return illegal(p);
        }
        String kind = rnd.weighted("illegal", 30, "future date", 8, "early milestone", 10, "bad amount", 10,
                "unknown field", 6, "unknown reference", 8, "code mismatch", 5, "duplicate code", 4,
                "wrong expectedVersion", 6, "missing field", 6, "future period", 5, "duplicate categories", 4,
                "blank name", 3, "long name", 1, "empty correction", 3, "unknown type", 2);
        Map<String, Object> d;
        switch (kind) {
            case "illegal":
                return illegal(p);
            case "future date": {
                HistoryEvent v = validFor(p);
                return v.with(kind, 400, "occurredOn", Api.TODAY.plusDays(1 + rnd.nextInt(30)).toString());
            }
            case "early milestone": {
                List<String> legal = switch (p.stage) {
                    case "RESERVED" -> List.of(SIGNED, STARTED);
                    case "SIGNED" -> List.of(STARTED);
                    case "STARTED" -> List.of(COMPLETED);
                    default -> List.of();
                };
                if (legal.isEmpty()) {
                    return illegal(p);
                }
                String type = rnd.of(legal);
                LocalDate early = p.lastMilestone().minusDays(1 + rnd.nextInt(10));
                return HistoryEvent.of(kind, 400, p.id, type, early, type.equals(SIGNED) ? signing() : new LinkedHashMap<>());
            }
            case "bad amount": {
                Object bad = rnd.of(List.of("-" + BigDecimal.valueOf(1 + rnd.nextInt(100_000), 2),
                        BigDecimal.valueOf(10L * rnd.nextInt(1_000_000) + 1 + rnd.nextInt(9), 3),
                        BigDecimal.valueOf(10L * rnd.nextInt(1_000_000) + 1 + rnd.nextInt(9), 3).toPlainString(),
                        "十万", new BigDecimal("1000000000000.00")));
                boolean zeroOk = false;
                String field;
                String type;
                if (p.stage.equals("RESERVED") && rnd.chance(0.5)) {
                    type = SIGNED;
                    field = "signedInvestment";
                } else if ((p.stage.equals("STARTED") || p.stage.equals("COMPLETED")) && rnd.chance(0.5)) {
                    type = REPORTED;
                    field = "investmentToDate";
                    zeroOk = true;
                } else {
                    type = CORRECTED;
                    field = rnd.chance(0.7) ? "plannedInvestment" : "annualPlannedInvestment";
                }
                if (!zeroOk && rnd.chance(0.15)) {
                    bad = BigDecimal.ZERO;
                }
                d = type.equals(SIGNED) ? signing() : type.equals(REPORTED) ? report() : new LinkedHashMap<>();
                d.put(field, bad);
                return HistoryEvent.of(kind, 400, p.id, type, nextDate(p), d);
            }
            case "unknown field": {
                HistoryEvent v = validFor(p);
                return rnd.chance(0.7) ? v.withData(kind, 400, "remark", "备注")
                        : v.with(kind, 400, "comment", "not part of the envelope");
            }
            case "unknown reference": {
                d = new LinkedHashMap<>();
                switch (rnd.nextInt(5)) {
                    case 0 -> d.put("regionCode", "141199");
                    case 1 -> d.put("industryChain", "steel");
                    case 2 -> d.put("categories", List.of("central-budget", "tourism"));
                    case 3 -> d.put("zone", "吕梁高新区");
                    default -> d.put("campaignId", "no-such-campaign-" + runTag);
                }
                return HistoryEvent.of(kind, 400, p.id, CORRECTED, nextDate(p), d);
            }
            case "code mismatch": {
                d = new LinkedHashMap<>();
                if (p.projectCode != null) {
                    d.put("regionCode", otherThan(REGIONS, codeRegion(p.projectCode)));
                } else {
                    d.put("projectCode", newCode(otherThan(REGIONS, p.regionCode)));
                }
                return HistoryEvent.of(kind, 400, p.id, CORRECTED, nextDate(p), d);
            }
            case "duplicate code": {
                List<ModelProject> holders = service.projects.values().stream()
                        .filter(q -> q.projectCode != null && !q.id.equals(p.id)).toList();
                if (holders.isEmpty()) {
                    return illegal(p);
                }
                String code = rnd.of(holders).projectCode;
                d = new LinkedHashMap<>();
                d.put("regionCode", codeRegion(code));
                d.put("projectCode", code);
                return HistoryEvent.of(kind, 409, p.id, CORRECTED, nextDate(p), d);
            }
            case "wrong expectedVersion": {
                HistoryEvent v = validFor(p);
                long wrong = p.version > 1 && rnd.chance(0.5) ? p.version - 1 : p.version + 1 + rnd.nextInt(3);
                return v.with(kind, 409, "expectedVersion", wrong);
            }
            case "missing field": {
                switch (p.stage) {
                    case "RESERVED" -> {
                        d = signing();
                        d.remove(rnd.chance(0.5) ? "investor" : "signedInvestment");
                        return HistoryEvent.of(kind, 400, p.id, SIGNED, nextDate(p), d);
                    }
                    case "STARTED", "COMPLETED" -> {
                        if (rnd.chance(0.5)) {
                            d = report();
                            d.remove(rnd.chance(0.5) ? "period" : "investmentToDate");
                            return HistoryEvent.of(kind, 400, p.id, REPORTED, nextDate(p), d);
                        }
                        return HistoryEvent.of(kind, 400, p.id, RETRACTED, nextDate(p), new LinkedHashMap<>());
                    }
                    default -> {
                        return HistoryEvent.of(kind, 400, p.id, rnd.chance(0.5) ? RETRACTED : WITHDRAWN, nextDate(p),
                                new LinkedHashMap<>());
                    }
                }
            }
            case "future period": {
                if (!p.stage.equals("STARTED") && !p.stage.equals("COMPLETED")) {
                    return illegal(p);
                }
                d = report();
                d.put("period", rnd.chance(0.7) ? YearMonth.from(Api.TODAY).plusMonths(1 + rnd.nextInt(3)).toString()
                        : "2024-13");
                return HistoryEvent.of(kind, 400, p.id, REPORTED, nextDate(p), d);
            }
            case "duplicate categories": {
                String c = rnd.of(CATEGORIES);
                d = new LinkedHashMap<>();
                d.put("categories", List.of(c, c));
                return HistoryEvent.of(kind, 400, p.id, CORRECTED, nextDate(p), d);
            }
            case "blank name":
                d = new LinkedHashMap<>();
                d.put("name", "   ");
                return HistoryEvent.of(kind, 400, p.id, CORRECTED, nextDate(p), d);
            case "long name":
                d = new LinkedHashMap<>();
                d.put("name", "项".repeat(201));
                return HistoryEvent.of(kind, 400, p.id, CORRECTED, nextDate(p), d);
            case "empty correction":
                return HistoryEvent.of(kind, 400, p.id, CORRECTED, nextDate(p), new LinkedHashMap<>());
            case "unknown type":
                return HistoryEvent.of(kind, 400, p.id, "ProjectPaused", nextDate(p), new LinkedHashMap<>());
            default:
                throw new IllegalStateException(kind);
        }
    }

    /** An event of a type the project's stage does not allow, its fields all fine: 409. */
    private HistoryEvent illegal(ModelProject p) {
        List<String> types = TYPES.stream().filter(t -> !ALLOWED_FROM.get(t).contains(p.stage)).toList();
        String type = rnd.of(types);
        LocalDate on = nextDate(p);
        Map<String, Object> d = switch (type) {
            case RESERVED -> {
                Map<String, Object> r = new LinkedHashMap<>(reservation(p.id, p.campaignId).data());
                reservationsMade--;
                r.remove("projectCode");
                yield r;
            }
            case SIGNED -> signing();
            case REPORTED -> report();
            case CORRECTED -> {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("plannedInvestment", amount());
                yield c;
            }
            case RETRACTED -> reason("录入错误");
            case WITHDRAWN -> reason("项目终止");
            default -> new LinkedHashMap<>();
        };
        return HistoryEvent.of("illegal " + type + " in " + p.stage, 409, p.id, type, on, d);
    }

    /** A reservation that must be refused. */
    private HistoryEvent invalidReservation() {
        String id = newProjectId();
        HistoryEvent v = reservation(id, null);
        reservationsMade--;
        String kind = rnd.weighted("unknown region", 3, "unknown chain", 2, "unknown category", 2, "unknown zone", 1,
                "unknown campaign", 2, "duplicate categories", 1, "bad planned", 3, "missing planned", 1,
                "missing name", 1, "missing region", 1, "code mismatch", 2, "duplicate code", 2, "unknown field", 2,
                "future date", 2, "bad project id", 1, "wrong expectedVersion", 1);
        return switch (kind) {
            case "unknown region" -> v.withData(kind, 400, "regionCode", "149999");
            case "unknown chain" -> v.withData(kind, 400, "industryChain", "tea");
            case "unknown category" -> v.withData(kind, 400, "categories", List.of("special-bond", "unknown-cat"));
            case "unknown zone" -> v.withData(kind, 400, "zone", "吕梁不存在开发区");
            case "unknown campaign" -> v.withData(kind, 400, "campaignId", "2099-none");
            case "duplicate categories" -> v.withData(kind, 400, "categories", List.of("special-bond", "special-bond"));
            case "bad planned" -> v.withData(kind, 400, "plannedInvestment", rnd.of(List.of(
                    (Object) new BigDecimal("100.125"), "-20.00", BigDecimal.ZERO, "12.3.4")));
            case "missing planned" -> v.withData(kind, 400, "plannedInvestment", null);
            case "missing name" -> v.withData(kind, 400, "name", null);
            case "missing region" -> v.withData(kind, 400, "regionCode", null);
            case "code mismatch" -> v.withData(kind, 400, "projectCode",
                    newCode(otherThan(REGIONS, (String) v.data().get("regionCode"))));
            case "duplicate code" -> {
                List<ModelProject> holders = service.projects.values().stream().filter(q -> q.projectCode != null).toList();
                if (holders.isEmpty()) {
                    yield v.withData("unknown region", 400, "regionCode", "149999");
                }
                String code = rnd.of(holders).projectCode;
                yield v.withData(kind, 409, "regionCode", codeRegion(code)).withData(kind, 409, "projectCode", code);
            }
            case "unknown field" -> v.withData(kind, 400, "investor", "投资方");
            case "future date" -> v.with(kind, 400, "occurredOn", Api.TODAY.plusDays(1 + rnd.nextInt(10)).toString());
            case "bad project id" -> new HistoryEvent("_" + id, v.envelope, kind, 400);
            case "wrong expectedVersion" -> v.with(kind, 409, "expectedVersion", 1 + rnd.nextInt(3));
            default -> throw new IllegalStateException(kind);
        };
    }

    /** A valid event for a project that was never reserved: 404. */
    private HistoryEvent ghostEvent() {
        String id = "RH-" + runTag + "-ghost-" + (++ghostSeq);
        String type = rnd.of(List.of(SIGNED, STARTED, COMPLETED, REPORTED, CORRECTED, RETRACTED, WITHDRAWN));
        Map<String, Object> d = switch (type) {
            case SIGNED -> signing();
            case REPORTED -> report();
            case CORRECTED -> {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("plannedInvestment", amount());
                yield c;
            }
            case RETRACTED -> reason("录入错误");
            case WITHDRAWN -> reason("项目终止");
            default -> new LinkedHashMap<>();
        };
        return HistoryEvent.of("unknown project", 404, id, type, reservationDate(), d);
    }

    /** An accepted envelope posted again unchanged: 200 with the original result, not counted twice. */
    private HistoryEvent repost() {
        HistoryEvent original = rnd.of(service.accepted);
        return new HistoryEvent(original.projectId, original.envelope, "re-post", 200);
    }

    /** An accepted eventId with other content: 409. */
    private HistoryEvent reuseEventId() {
        HistoryEvent original = rnd.of(service.accepted);
        return original.with("eventId reused", 409, "occurredOn", original.occurredOn.minusDays(1).toString());
    }

    /** A batch item that does not name its project: 400 for it alone. */
    HistoryEvent withoutProjectId() {
        HistoryEvent e = ghostEvent();
        HistoryEvent missing = new HistoryEvent(e.projectId, e.envelope, "batch item without projectId", 400);
        missing.omitProjectId = true;
        return missing;
    }
}
