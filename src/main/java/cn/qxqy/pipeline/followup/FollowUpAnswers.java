package cn.qxqy.pipeline.followup;

import cn.qxqy.pipeline.domain.CampaignEvent.FollowUpAnswered;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.FollowUpItemId;
import cn.qxqy.pipeline.domain.StreamKind;
import cn.qxqy.pipeline.domain.Text;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.AppendResult;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.StoreConflict;
import cn.qxqy.pipeline.followup.FollowUpResponses.Answer;
import cn.qxqy.pipeline.followup.FollowUpResponses.Status;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.query.CampaignReads;
import cn.qxqy.pipeline.security.Sender;
import cn.qxqy.pipeline.wire.JsonFields;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The counties' answers to follow-up items (督办反馈): each a {@link FollowUpAnswered} on the item's own stream
 * {@code follow-up:<itemId>}, so that the project's version does not move under the departments that post to it with
 * {@code expectedVersion}; stored, audited and published like every event.
 */
@ApplicationScoped
public class FollowUpAnswers {

    static final int MAX_REASON_LENGTH = 500;
    /** How far ahead an answer may expect its closing event. */
    static final int MAX_DAYS_AHEAD = 366;
    /** Answers to the same item at the same moment on two replicas: the later one reads the stream again. */
    private static final int ATTEMPTS = 3;

    private final FollowUpReads reads;
    private final CampaignReads campaigns;
    private final EventStore store;
    private final ObjectMapper strict;
    private final Clock clock;

    public FollowUpAnswers(FollowUpReads reads, CampaignReads campaigns, EventStore store, ObjectMapper mapper,
                           Clock clock) {
        this.reads = reads;
        this.campaigns = campaigns;
        this.store = store;
        this.strict = JsonFields.strict(mapper);
        this.clock = clock;
    }

    /**
     * Records {@code sender}'s answer ({@code body}: reason, expectedOn) to the item: a 404 problem for a malformed id
     * or an unknown campaign, 400 for an invalid body, 409 when the item is not listed today, 403 when the sender does
     * not hold the item's county; nothing is stored then.
     */
    public Uni<Answer> answer(String campaignId, String itemId, String body, Sender sender) {
        FollowUpItemId id = FollowUpReads.parse(campaignId, itemId);
        LocalDate today = LocalDate.now(clock);
        AnswerBody answer = read(body, today);
        return campaigns.campaign(campaignId).flatMap(campaign -> reads.today(campaign, id)).flatMap(item -> {
            if (item == null || item.status() == Status.CLOSED_LATE) {
                throw Problem.of(ProblemType.FOLLOW_UP_NOT_OPEN, Wording.of("follow-up.not-open", itemId)).exception();
            }
            if (!sender.writer().holds(item.regionCode())) {
                throw Problem.of(ProblemType.FORBIDDEN, Wording.of("follow-up.county-not-held",
                        sender.author().department(), item.regionCode())).exception();
            }
            FollowUpAnswered event = new FollowUpAnswered(today, id.toString(), id.projectId(), id.rule().code(),
                    item.regionCode(), answer.reason(), answer.expectedOn(), sender.author().subject(),
                    sender.author().department());
            return append(id, event, sender, 1)
                    .flatMap(version -> reads.answers(id).map(answers -> answers.get((int) (version - 1))));
        });
    }

    private record AnswerBody(String reason, LocalDate expectedOn) {
    }

    private AnswerBody read(String body, LocalDate today) {
        JsonNode json;
        try {
            json = strict.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid(Wording.of("body.not-json", e.getOriginalMessage()), List.of());
        }
        if (json == null || !json.isObject()) {
            throw invalid(Wording.of("body.not-object"), List.of());
        }
        List<FieldViolation> violations = new ArrayList<>();
        JsonFields f = new JsonFields(json, "", violations);
        f.allowOnly(Set.of("reason", "expectedOn"));
        String reason = f.text("reason");
        if (reason == null) {
            required(f, "reason", violations);
        } else if (Text.isBlank(reason)) {
            violations.add(FieldViolation.of("reason", "field.blank"));
        } else if (reason.codePointCount(0, reason.length()) > MAX_REASON_LENGTH) {
            violations.add(FieldViolation.of("reason", "field.max-length", MAX_REASON_LENGTH));
        }
        LocalDate expectedOn = f.date("expectedOn");
        if (expectedOn == null) {
            required(f, "expectedOn", violations);
        } else if (expectedOn.isBefore(today) || expectedOn.isAfter(today.plusDays(MAX_DAYS_AHEAD))) {
            violations.add(FieldViolation.of("expectedOn", "follow-up.expected-on", today, today.plusDays(MAX_DAYS_AHEAD)));
        }
        if (!violations.isEmpty()) {
            throw invalid(Wording.of("follow-up.invalid-answer"), violations);
        }
        return new AnswerBody(reason, expectedOn);
    }

    private static RuntimeException invalid(Wording detail, List<FieldViolation> violations) {
        return Problem.of(ProblemType.INVALID_REQUEST, detail, violations).exception();
    }

    private static void required(JsonFields f, String field, List<FieldViolation> violations) {
        if (!f.has(field)) {
            violations.add(FieldViolation.of(field, "field.required"));
        }
    }

    /** The answer's version in its stream, appended after the versions read. */
    private Uni<Long> append(FollowUpItemId id, FollowUpAnswered event, Sender sender, int attempt) {
        String streamId = StreamKind.FOLLOW_UP.streamId(id.toString());
        return store.history(streamId)
                .flatMap(history -> store.appendToStream(streamId, history.size(), UUID.randomUUID(), sender.author(),
                        event))
                .map(AppendResult::version)
                .onFailure(e -> e instanceof StoreConflict && attempt < ATTEMPTS)
                .recoverWithUni(e -> append(id, event, sender, attempt + 1));
    }
}
