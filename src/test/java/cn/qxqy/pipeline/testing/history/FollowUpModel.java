package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.ReferenceModel.CORRECTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.REPORTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RESERVED;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 26's follow-up items (督办) written again from the words, apart from the service's {@code DatedState}
 * and follow-up reads: which projects a campaign lists on a day, each rule's items with their due days, the latest
 * answer given by the day, and the items closed late. Pure: it reads the accepted events in the order the service
 * stored them, dated by {@link AsOfModel}, and the answers in the order they were stored.
 */
public final class FollowUpModel {

    public static final String SIGNED_NOT_STARTED = "signed-not-started";
    public static final String RESERVED_NOT_SIGNED = "reserved-not-signed";
    public static final String REPORT_MISSING = "report-missing";
    public static final String PLANNED_DATE_PASSED = "planned-date-passed";
    public static final List<String> RULES = List.of(SIGNED_NOT_STARTED, RESERVED_NOT_SIGNED, REPORT_MISSING,
            PLANNED_DATE_PASSED);
    public static final List<String> OPEN_STATUSES = List.of("OPEN", "ANSWERED", "OVERDUE_AGAIN");
    public static final String CLOSED_LATE = "CLOSED_LATE";

    /** A campaign's follow-up settings; a null number or false turns its rule off. */
    public record Settings(Integer signedNotStartedDays, Integer reservedNotSignedDays, Integer reportDueDay,
                           boolean plannedDates) {

        public static final Settings DEFAULTS = new Settings(90, 180, 10, true);

        boolean on(String rule) {
            return switch (rule) {
                case SIGNED_NOT_STARTED -> signedNotStartedDays != null;
                case RESERVED_NOT_SIGNED -> reservedNotSignedDays != null;
                case REPORT_MISSING -> reportDueDay != null;
                default -> plannedDates;
            };
        }
    }

    /** An answer as stored on the item's stream, on the day the service recorded it. */
    public record Answer(String itemId, LocalDate answeredOn, String reason, LocalDate expectedOn) {
    }

    /** An item on the day; {@code answer} the latest given by then, null without one. */
    public record Item(String itemId, String projectId, String regionCode, String rule, String qualifier,
                       LocalDate dueOn, long daysOverdue, String status, LocalDate closedOn, Answer answer) {
    }

    /** How many items of a county or a rule are in each status. */
    public record Counts(int open, int answered, int overdueAgain, int closedLate) {

        static Counts of(List<Item> items) {
            return new Counts(count(items, "OPEN"), count(items, "ANSWERED"), count(items, "OVERDUE_AGAIN"),
                    count(items, CLOSED_LATE));
        }

        private static int count(List<Item> items, String status) {
            return (int) items.stream().filter(i -> i.status().equals(status)).count();
        }
    }

    /** The service's order: region code, the longest overdue first, item id. */
    public static final Comparator<Item> LISTED = Comparator.comparing(Item::regionCode)
            .thenComparing(Comparator.comparingLong(Item::daysOverdue).reversed()).thenComparing(Item::itemId);

    private FollowUpModel() {
    }

    /**
     * Every item of the campaign on {@code day}, open (with its answer status) or closed late, in the service's order.
     *
     * @param campaignStartsOn the campaign's calendar, which bounds the months a report is owed for
     */
    public static List<Item> items(List<HistoryEvent> stored, String campaignId, LocalDate campaignStartsOn,
                                   LocalDate campaignEndsOn, Settings settings, List<Answer> answers, LocalDate day) {
        Map<String, List<HistoryEvent>> byProject = new LinkedHashMap<>();
        for (HistoryEvent e : stored) {
            byProject.computeIfAbsent(e.projectId, id -> new ArrayList<>()).add(e);
        }
        Map<String, Answer> latest = new HashMap<>();
        for (Answer a : answers) {
            if (!a.answeredOn().isAfter(day)) {
                latest.put(a.itemId(), a);
            }
        }
        List<Item> items = new ArrayList<>();
        byProject.forEach((id, history) -> {
            AsOfModel.Dated dated = AsOfModel.project(history, day);
            // Listed under the campaign it was placed in on the day, while not withdrawn by then.
            if (dated != null && campaignId.equals(dated.project().campaignId) && dated.project().withdrawnOn == null) {
                new Candidates(id, dated.project(), history, settings, latest, day, campaignStartsOn, campaignEndsOn)
                        .addTo(items);
            }
        });
        items.sort(LISTED);
        return items;
    }

    /** Counts per county unit (each of {@code units}, in order), over every rule and status. */
    public static Map<String, Counts> byCounty(List<Item> items, List<String> units) {
        Map<String, Counts> counts = new LinkedHashMap<>();
        for (String unit : units) {
            counts.put(unit, Counts.of(items.stream().filter(i -> i.regionCode().equals(unit)).toList()));
        }
        return counts;
    }

    /** Counts per rule, in the rules' order. */
    public static Map<String, Counts> byRule(List<Item> items) {
        Map<String, Counts> counts = new LinkedHashMap<>();
        for (String rule : RULES) {
            counts.put(rule, Counts.of(items.stream().filter(i -> i.rule().equals(rule)).toList()));
        }
        return counts;
    }

    /** One project's items on the day. */
    private record Candidates(String projectId, ModelProject p, List<HistoryEvent> history, Settings settings,
                              Map<String, Answer> answers, LocalDate day, LocalDate startsOn, LocalDate endsOn) {

        void addTo(List<Item> items) {
            if (settings.on(SIGNED_NOT_STARTED) && p.signedOn != null) {
                add(items, SIGNED_NOT_STARTED, null, p.signedOn.plusDays(settings.signedNotStartedDays()), p.startedOn);
            }
            if (settings.on(RESERVED_NOT_SIGNED)) {
                add(items, RESERVED_NOT_SIGNED, null, p.reservedOn.plusDays(settings.reservedNotSignedDays()),
                        earlier(p.signedOn, p.startedOn));
            }
            if (settings.on(REPORT_MISSING) && p.startedOn != null) {
                Map<YearMonth, LocalDate> reportedOn = firstReported();
                for (YearMonth q = YearMonth.from(p.startedOn); !q.isAfter(YearMonth.from(day)); q = q.plusMonths(1)) {
                    boolean stillOwed = p.completedOn == null || !p.completedOn.isBefore(q.atDay(1));
                    boolean inCalendar = !q.atEndOfMonth().isBefore(startsOn) && !q.atEndOfMonth().isAfter(endsOn);
                    LocalDate reported = reportedOn.get(q);
                    if (stillOwed && inCalendar) {
                        add(items, REPORT_MISSING, q.toString(), q.plusMonths(1).atDay(settings.reportDueDay()),
                                reported != null && !reported.isAfter(day) ? reported : null);
                    }
                }
            }
            if (settings.on(PLANNED_DATE_PASSED)) {
                LocalDate plannedStart = planned("plannedStartOn");
                LocalDate plannedCompletion = planned("plannedCompletionOn");
                if (plannedStart != null) {
                    add(items, PLANNED_DATE_PASSED, "started", plannedStart, p.startedOn);
                }
                if (plannedCompletion != null) {
                    add(items, PLANNED_DATE_PASSED, "completed", plannedCompletion, p.completedOn);
                }
            }
        }

        /**
         * The item, if it is one on the day: open past its due day while its closing event has not happened by the
         * day, or closed late by it after the due day. {@code closedOn}: the closing event's day, null if none by then.
         */
        private void add(List<Item> items, String rule, String qualifier, LocalDate dueOn, LocalDate closedOn) {
            String itemId = projectId + ":" + rule + (qualifier == null ? "" : ":" + qualifier);
            Answer answer = answers.get(itemId);
            String status;
            if (closedOn != null) {
                if (!closedOn.isAfter(dueOn)) {
                    return;
                }
                status = CLOSED_LATE;
            } else {
                if (!day.isAfter(dueOn)) {
                    return;
                }
                status = answer == null ? "OPEN" : answer.expectedOn().isBefore(day) ? "OVERDUE_AGAIN" : "ANSWERED";
            }
            items.add(new Item(itemId, projectId, p.regionCode, rule, qualifier, dueOn,
                    ChronoUnit.DAYS.between(dueOn, day), status, closedOn, answer));
        }

        /** The day each period was first reported, by the first of its reports the service stored. */
        private Map<YearMonth, LocalDate> firstReported() {
            Map<YearMonth, LocalDate> first = new HashMap<>();
            for (HistoryEvent e : history) {
                if (e.type.equals(REPORTED)) {
                    first.putIfAbsent(YearMonth.parse((String) e.data().get("period")), e.occurredOn);
                }
            }
            return first;
        }

        /** A planned date as the reservation and the corrections since left it: the last one stated. */
        private LocalDate planned(String field) {
            LocalDate planned = null;
            for (HistoryEvent e : history) {
                if ((e.type.equals(RESERVED) || e.type.equals(CORRECTED)) && e.data().get(field) != null) {
                    planned = LocalDate.parse((String) e.data().get(field));
                }
            }
            return planned;
        }

        private static LocalDate earlier(LocalDate a, LocalDate b) {
            return a == null ? b : b == null || a.isBefore(b) ? a : b;
        }
    }
}
