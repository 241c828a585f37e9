package cn.qxqy.pipeline.eventstore;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.ZoneId;

/** Dates of the campaign are Asia/Shanghai dates, whatever the server's zone. */
public class ClockProducer {

    public static final ZoneId CAMPAIGN_ZONE = ZoneId.of("Asia/Shanghai");

    @Produces
    @Singleton
    Clock clock() {
        return Clock.system(CAMPAIGN_ZONE);
    }
}
