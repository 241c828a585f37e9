package cn.qxqy.pipeline.followup;

import cn.qxqy.pipeline.domain.FollowUpSettings;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** What the follow-up reads (督办) answer: README "Follow-ups (督办)" states the rules and the statuses. */
public final class FollowUpResponses {

    private FollowUpResponses() {
    }

    /** Where an item stands on the day read. */
    public enum Status {
        /** overdue, not answered */
        OPEN,
        /** answered, and the answer's expected date has not passed */
        ANSWERED,
        /** answered, but the expected date passed without the closing event */
        OVERDUE_AGAIN,
        /** closed by its own closing event after it fell due (status=closed) */
        CLOSED_LATE
    }

    @Schema(name = "FollowUpSettings", description = "The campaign's follow-up rules; a null number or false: the rule is off")
    public record Settings(@Schema(nullable = true) Integer signedNotStartedDays,
                           @Schema(nullable = true) Integer reservedNotSignedDays,
                           @Schema(nullable = true) Integer reportDueDay, boolean plannedDates) {

        public static Settings of(FollowUpSettings settings) {
            return new Settings(settings.signedNotStartedDays(), settings.reservedNotSignedDays(),
                    settings.reportDueDay(), settings.plannedDates());
        }
    }

    @Schema(name = "FollowUpCounty", description = "A county unit's items over every rule (the city level last), "
            + "whatever the filters")
    public record County(String regionCode, String nameZh, String nameEn, long open, long answered, long overdueAgain,
                         long closedLate) {
    }

    @Schema(name = "FollowUpRuleCount", description = "A rule's items over every county, whatever the filters")
    public record Rule(@Schema(enumeration = {"signed-not-started", "reserved-not-signed", "report-missing",
            "planned-date-passed"}) String rule, String nameZh, String nameEn, boolean on, long open, long answered,
                       long overdueAgain, long closedLate) {
    }

    @Schema(name = "FollowUpAnswer", description = "A county's answer to an item (督办反馈): why, and by when it expects "
            + "the closing event")
    public record Answer(String reason, LocalDate expectedOn,
                         @Schema(description = "the day it was answered (occurredOn)") LocalDate answeredOn,
                         @Schema(description = "who answered: the token's subject") String answeredBy,
                         String department, Instant recordedAt) {
    }

    @Schema(name = "FollowUpItem", description = "A project on a follow-up list: overdue by daysOverdue on the day read")
    public record Item(@Schema(examples = "LL-2024-0001:report-missing:2024-06") String itemId, String projectId,
                       String projectName, String regionCode, String regionNameZh, String rule, String ruleNameZh,
                       @Schema(nullable = true, description = "the period YYYY-MM (report-missing) or started|completed "
                               + "(planned-date-passed)") String qualifier,
                       LocalDate dueOn, long daysOverdue, Status status,
                       @Schema(nullable = true, description = "the closing event's date, CLOSED_LATE only") LocalDate closedOn,
                       @Schema(nullable = true, description = "the latest answer given by the day read") Answer answer) {
    }

    @Schema(name = "FollowUps", description = "A campaign's follow-up list (督办) as of a day")
    public record FollowUps(String campaignId, @Schema(nullable = true) LocalDate asOf,
                            @Schema(description = "the day evaluated: asOf, or today (Asia/Shanghai)")
                            LocalDate day, Settings settings, List<County> counties, List<Rule> rules,
                            @Schema(description = "the items matching the filters") long total, List<Item> items) {
    }

    @Schema(name = "FollowUpItemWithAnswers", description = "A follow-up item as of today, with every answer it was given")
    public record ItemWithAnswers(String campaignId, LocalDate day, String itemId,
                                  @Schema(nullable = true, description = "null when the item is not listed today")
                                  Item item, List<Answer> answers) {
    }

    @Schema(name = "FollowUpAnswerRequest", description = "An answer: the reason (1–500 characters) and the date the "
            + "closing event is expected on, from today to 366 days later")
    public record AnswerRequest(String reason, LocalDate expectedOn) {
    }
}
