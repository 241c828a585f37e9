package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.ReferenceModel.COMPLETED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.CORRECTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.REPORTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RESERVED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RETRACTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.SIGNED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.STARTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.WITHDRAWN;

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
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Random histories of one project for the stage machine alone, and their shrinking. The events are drawn without
 * looking at the project's state, each field mostly valid and now and then broken, so that every stage meets every
 * type, legal or not, early or in time. The values are the domain's (no malformed JSON, no unknown reference data:
 * those are refused before {@code decide}).
 */
public final class GeneratedHistories {

    public static final String PROJECT = "P-1";
    private static final int MAX_LENGTH = 40;
    private static final List<String> LATER_TYPES = List.of(RESERVED, SIGNED, SIGNED, SIGNED, STARTED, STARTED,
            STARTED, COMPLETED, COMPLETED, REPORTED, REPORTED, REPORTED, CORRECTED, CORRECTED, CORRECTED, RETRACTED,
            RETRACTED, WITHDRAWN);
    /** Few regions, so that a project code often names the project's region, and often not. */
    private static final List<String> REGIONS = Catalog.REGIONS.subList(0, 3);
    private static final List<String> OPTIONAL_DETAILS = List.of("annualPlannedInvestment", "zone", "owner",
            "projectCode", "categories");

    private final Random random;
    private final LocalDate today;
    private final LocalDate start;
    private int codeSeq;

    public GeneratedHistories(Random random, LocalDate today) {
        this.random = random;
        this.today = today;
        this.start = today.minusDays(120);
    }

    /** The date every event of a shrunk history moves to when it can: the one each history starts from. */
    public LocalDate start() {
        return start;
    }

    public List<HistoryEvent> next() {
        int length = 1 + random.nextInt(random.nextBoolean() ? 8 : MAX_LENGTH);
        List<HistoryEvent> history = new ArrayList<>();
        LocalDate date = start;
        for (int i = 0; i < length; i++) {
            String type = i == 0 && random.nextDouble() < 0.9 ? RESERVED : LATER_TYPES.get(random.nextInt(
                    LATER_TYPES.size()));
            date = date.plusDays(random.nextInt(23) - 8);
            LocalDate on = chance(0.03) ? today.plusDays(1 + random.nextInt(20)) : date;
            history.add(HistoryEvent.of(type, 0, PROJECT, type, on, data(type)));
        }
        return history;
    }

    private Map<String, Object> data(String type) {
        Map<String, Object> d = new LinkedHashMap<>();
        switch (type) {
            case RESERVED -> details(d, true);
            case CORRECTED -> {
                if (!chance(0.05)) {
                    details(d, false);
                }
            }
            case SIGNED -> {
                put(d, "signedInvestment", amount(false));
                put(d, "investor", text("投资方", 200));
            }
            case REPORTED -> {
                if (!chance(0.05)) {
                    d.put("period", YearMonth.from(today).minusMonths(random.nextInt(8) - 2).toString());
                }
                put(d, "investmentToDate", amount(true));
            }
            case RETRACTED, WITHDRAWN -> put(d, "reason", text("原因", 500));
            default -> {
                // ConstructionStarted and ProjectCompleted carry no data.
            }
        }
        return d;
    }

    /** A reservation's fields, or a correction's random subset of them. */
    private void details(Map<String, Object> d, boolean reserving) {
        double present = reserving ? 0.97 : 0.25;
        String region = REGIONS.get(random.nextInt(REGIONS.size()));
        if (chance(present)) {
            put(d, "name", text("项目", 200));
        }
        if (chance(present)) {
            put(d, "campaignId", chance(0.95) ? "2024-qxqy" : " ");
        }
        if (chance(present)) {
            put(d, "regionCode", chance(0.95) ? region : "");
        }
        if (chance(present)) {
            put(d, "industryChain", chance(0.95) ? Catalog.CHAINS.get(random.nextInt(Catalog.CHAINS.size())) : " ");
        }
        if (chance(reserving ? 0.9 : 0.25)) {
            d.put("categories", categories());
        }
        if (chance(present)) {
            put(d, "plannedInvestment", amount(false));
        }
        if (chance(0.3)) {
            put(d, "annualPlannedInvestment", amount(false));
        }
        if (chance(0.2)) {
            put(d, "zone", text("开发区", 100));
        }
        if (chance(0.2)) {
            put(d, "owner", text("建设单位", 200));
        }
        if (chance(reserving ? 0.4 : 0.2)) {
            String codeRegion = chance(0.5) ? region : REGIONS.get(random.nextInt(REGIONS.size()));
            d.put("projectCode", chance(0.05) ? "2024-1411-02" : String.format("2024-%s-30-01-%06d", codeRegion,
                    ++codeSeq));
        }
    }

    private static void put(Map<String, Object> d, String field, Object value) {
        if (value != null) {
            d.put(field, value);
        }
    }

    private List<String> categories() {
        List<String> categories = new ArrayList<>();
        for (String c : Catalog.CATEGORIES) {
            if (chance(0.3)) {
                categories.add(c);
            }
        }
        if (!categories.isEmpty() && chance(0.08)) {
            categories.add(categories.get(0) + (chance(0.5) ? " " : ""));
        } else if (chance(0.04)) {
            categories.add(" ");
        }
        return categories;
    }

    /** Mostly a valid amount in 万元; now and then none, zero, negative, too precise or too large. */
    private BigDecimal amount(boolean zeroAllowed) {
        if (chance(0.88)) {
            return chance(0.2) ? BigDecimal.valueOf(1 + random.nextInt(50_000))
                    : BigDecimal.valueOf(1 + random.nextInt(10_000_000), 2);
        }
        return switch (random.nextInt(6)) {
            case 0 -> null;
            case 1 -> zeroAllowed ? BigDecimal.ZERO : new BigDecimal("0.00");
            case 2 -> new BigDecimal("-1.00");
            case 3 -> new BigDecimal("1.234");
            case 4 -> new BigDecimal("999999999999.99");
            default -> BigDecimal.TEN.pow(12);
        };
    }

    /** Mostly a plain text; now and then none, blank, empty, or at or just over the limit in code points. */
    private String text(String stem, int maxLength) {
        if (chance(0.9)) {
            return stem + " " + random.nextInt(1000);
        }
        return switch (random.nextInt(6)) {
            case 0 -> null;
            case 1 -> " ";
            case 2 -> "";
            case 3 -> "𠀀".repeat(maxLength);
            case 4 -> "字".repeat(maxLength + 1);
            default -> "字".repeat(maxLength);
        };
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /**
     * A shortest history found that still fails: events are dropped (halves first, then single ones), then each
     * event's data fields one by one, then each event's date is moved to {@code date}, until no step helps.
     */
    public static List<HistoryEvent> shrink(List<HistoryEvent> history, Predicate<List<HistoryEvent>> fails,
                                     LocalDate date) {
        List<HistoryEvent> current = history;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int size = Math.max(1, current.size() / 2); size >= 1; size /= 2) {
                int from = 0;
                while (from + size <= current.size()) {
                    List<HistoryEvent> candidate = new ArrayList<>(current.subList(0, from));
                    candidate.addAll(current.subList(from + size, current.size()));
                    if (fails.test(candidate)) {
                        current = candidate;
                        progress = true;
                    } else {
                        from += size;
                    }
                }
            }
            for (int i = 0; i < current.size(); i++) {
                for (HistoryEvent simpler : simplifications(current.get(i), date)) {
                    List<HistoryEvent> candidate = new ArrayList<>(current);
                    candidate.set(i, simpler);
                    if (fails.test(candidate)) {
                        current = candidate;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return current;
    }

    /** The event with one data field less, or dated {@code date}; optional fields are tried first. */
    private static List<HistoryEvent> simplifications(HistoryEvent e, LocalDate date) {
        List<HistoryEvent> simpler = new ArrayList<>();
        List<String> fields = new ArrayList<>(e.data().keySet());
        fields.sort((a, b) -> Boolean.compare(!OPTIONAL_DETAILS.contains(a), !OPTIONAL_DETAILS.contains(b)));
        for (String field : fields) {
            simpler.add(e.withData(e.intent, e.intended, field, null));
        }
        if (!e.occurredOn.equals(date)) {
            simpler.add(e.with(e.intent, e.intended, "occurredOn", date.toString()));
        }
        return simpler;
    }

    /** The event as the service hands it to {@code decide}, after reading its JSON. */
    public static ProjectEvent toDomain(HistoryEvent e) {
        Map<String, Object> d = e.data();
        LocalDate on = e.occurredOn;
        return switch (e.type) {
            case ReferenceModel.RESERVED -> new ProjectReserved(on, details(d));
            case ReferenceModel.CORRECTED -> new ProjectCorrected(on, details(d));
            case ReferenceModel.SIGNED -> new ProjectSigned(on, amount(d, "signedInvestment"), text(d, "investor"));
            case ReferenceModel.STARTED -> new ConstructionStarted(on);
            case ReferenceModel.COMPLETED -> new ProjectCompleted(on);
            case ReferenceModel.REPORTED -> new InvestmentReported(on,
                    d.get("period") == null ? null : ReferenceModel.period(d.get("period")), amount(d, "investmentToDate"));
            case ReferenceModel.RETRACTED -> new MilestoneRetracted(on, text(d, "reason"));
            case ReferenceModel.WITHDRAWN -> new ProjectWithdrawn(on, text(d, "reason"));
            default -> throw new IllegalArgumentException(e.type);
        };
    }

    private static String text(Map<String, Object> d, String field) {
        return (String) d.get(field);
    }

    private static BigDecimal amount(Map<String, Object> d, String field) {
        return ReferenceModel.dec(d.get(field));
    }

    @SuppressWarnings("unchecked")
    private static List<String> categories(Map<String, Object> d) {
        return (List<String>) d.get("categories");
    }

    private static ProjectDetails details(Map<String, Object> d) {
        return new ProjectDetails(text(d, "name"), text(d, "campaignId"), text(d, "regionCode"),
                text(d, "industryChain"), categories(d), amount(d, "plannedInvestment"),
                amount(d, "annualPlannedInvestment"), text(d, "zone"), text(d, "owner"), text(d, "projectCode"),
                null, null);
    }
}
