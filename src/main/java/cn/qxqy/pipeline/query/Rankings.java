package cn.qxqy.pipeline.query;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The counties of a campaign's city ranked against their shares of its targets and by investment (排名通报), as of a
 * day on the two time axes.
 */
@ApplicationScoped
public class Rankings {

    /** The rankings of {@code campaignId}; a 404 problem for an unknown campaign. */
    public Uni<RankingResponses.Rankings> read(String campaignId, TimeAxes axes) {
        return Uni.createFrom().failure(new UnsupportedOperationException("rankings: not yet"));
    }
}
