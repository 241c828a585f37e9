package cn.qxqy.pipeline.followup;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;

/** A campaign's follow-up items (督办), evaluated on read. */
@ApplicationScoped
public class FollowUpReads {

    /** The campaign's follow-up list as of {@code asOf} (null: today, clamped to the campaign's endsOn). */
    public Uni<FollowUpResponses.FollowUps> list(String campaignId, LocalDate asOf, FollowUpFilter filter) {
        return Uni.createFrom().failure(new UnsupportedOperationException("contract only"));
    }

    /** One item as of today with all its answers. */
    public Uni<FollowUpResponses.ItemWithAnswers> item(String campaignId, String itemId) {
        return Uni.createFrom().failure(new UnsupportedOperationException("contract only"));
    }
}
