package cn.qxqy.pipeline.followup;

import cn.qxqy.pipeline.security.Sender;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The counties' answers to follow-up items (督办反馈). */
@ApplicationScoped
public class FollowUpAnswers {

    /** Records {@code sender}'s answer to the item. */
    public Uni<FollowUpResponses.Answer> answer(String campaignId, String itemId, FollowUpResponses.AnswerRequest request,
                                                Sender sender) {
        return Uni.createFrom().failure(new UnsupportedOperationException("contract only"));
    }
}
