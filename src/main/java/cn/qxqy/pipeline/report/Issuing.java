package cn.qxqy.pipeline.report;

import cn.qxqy.pipeline.campaign.CampaignWithTargets;
import cn.qxqy.pipeline.domain.CampaignEvent;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.StreamKind;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.RecordedEvent;
import cn.qxqy.pipeline.eventstore.StoreConflict;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.ProjectorCatchUp;
import cn.qxqy.pipeline.query.CampaignReads;
import cn.qxqy.pipeline.security.Sender;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What issuing a campaign's document for a month takes, whatever it freezes (the 月报 of {@link IssuedReports}, the 通报
 * of {@link Bulletins}): the city's or an administrator's right, a month that has ended, a read that is one state of
 * the read models once they hold everything stored when the request came, and the event on the campaign's own stream
 * with the month's next revision, each problem worded for the document ({@link Wordings}).
 */
@ApplicationScoped
public class Issuing {

    /** How an issued document is cached: it never changes. */
    static final String IMMUTABLE = "private, max-age=31536000, immutable";

    /** An issued document's JSON as issued, tagged with its digest; a 304 when {@code If-None-Match} names it. */
    static Response asIssued(String json, String digest, String ifNoneMatch) {
        String etag = "\"" + digest + "\"";
        if (ifNoneMatch != null && Arrays.stream(ifNoneMatch.split(",")).map(String::strip)
                .anyMatch(tag -> tag.equals(etag) || tag.equals("*"))) {
            return Response.notModified(new EntityTag(digest)).header(HttpHeaders.CACHE_CONTROL, IMMUTABLE).build();
        }
        return Response.ok(json.getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_JSON)
                .tag(new EntityTag(digest)).header(HttpHeaders.CACHE_CONTROL, IMMUTABLE).build();
    }


    private static final Pattern PERIOD = Pattern.compile("^[0-9]{4}-(0[1-9]|1[0-2])$");
    /** How long an issue waits for the projector to catch up with the store. */
    private static final Duration CATCH_UP = Duration.ofSeconds(10);
    /** Reads tried while projector batches keep committing between them. */
    private static final int STEADY_TRIES = 5;
    /** Issues of the same campaign at the same moment on two replicas: the later one reads the stream again. */
    private static final int ATTEMPTS = 3;

    private final CampaignReads reads;
    private final EventStore store;
    private final ProjectorCatchUp catchUp;
    private final Clock clock;

    public Issuing(CampaignReads reads, EventStore store, ProjectorCatchUp catchUp, Clock clock) {
        this.reads = reads;
        this.store = store;
        this.catchUp = catchUp;
        this.clock = clock;
    }

    /** The catalogue's keys of the problems an issue of the document may meet. */
    public record Wordings(String cityNotHeld, String invalidPeriod, String figuresMoving) {
    }

    /** What was read, and the instant after which nothing committed counts in it (its knownAt). */
    public record Steady<T>(T read, Instant knownAt) {
    }

    /** A 403 unless {@code sender} holds the campaign's whole city or is an administrator ({@code admin}). */
    public void authorise(Wordings wordings, CampaignWithTargets campaign, Sender sender, boolean admin) {
        if (!admin && !sender.writer().holds(campaign.cityCode())) {
            throw Problem.of(ProblemType.FORBIDDEN, Wording.of(wordings.cityNotHeld(), sender.author().department(),
                    campaign.cityCode())).exception();
        }
    }

    /** The period asked for: ended before today (Asia/Shanghai), within the campaign's months; else a 400 naming it. */
    public YearMonth period(Wordings wordings, String period, CampaignWithTargets campaign) {
        YearMonth month = period != null && PERIOD.matcher(period).matches() ? YearMonth.parse(period) : null;
        YearMonth first = YearMonth.from(campaign.startsOn());
        YearMonth last = YearMonth.from(campaign.endsOn()).isBefore(YearMonth.now(clock))
                ? YearMonth.from(campaign.endsOn()) : YearMonth.now(clock).minusMonths(1);
        if (month == null || month.isAfter(last) || month.isBefore(first)) {
            throw Problem.of(ProblemType.INVALID_REQUEST, Wording.of(wordings.invalidPeriod()),
                    List.of(FieldViolation.of("period", "report.period", first, last))).exception();
        }
        return month;
    }

    /**
     * {@code read} once the read models hold what the store held when this was called, taken while no projector batch
     * committed, so that a document frozen forever is one state of the read models: read again when the generation
     * moved meanwhile; a 503 when it kept moving.
     */
    public <T> Uni<Steady<T>> readSteadily(Wordings wordings, Supplier<Uni<T>> read) {
        return catchUp.awaitStoreAsNow(CATCH_UP).flatMap(caughtUp -> steadily(wordings, read, STEADY_TRIES))
                // The read has been taken: everything in it was committed before this instant.
                .map(taken -> new Steady<>(taken, Instant.now(clock)));
    }

    private <T> Uni<T> steadily(Wordings wordings, Supplier<Uni<T>> read, int tries) {
        return reads.generation().flatMap(before -> read.get().flatMap(taken -> reads.generation().flatMap(after -> {
            if (after.equals(before)) {
                return Uni.createFrom().item(taken);
            }
            if (tries <= 1) {
                return Uni.createFrom().failure(Problem.of(ProblemType.NOT_YET_PROJECTED,
                        Wording.of(wordings.figuresMoving())).exception());
            }
            return steadily(wordings, read, tries - 1);
        })));
    }

    /**
     * Appends the event {@code draft} makes of the next revision of what {@code sameMonth} recognises on the
     * campaign's stream. The draft runs on a worker thread (canonical JSON, a workbook POI writes to a blocking
     * stream); an issue that lost the race to another replica drafts again.
     */
    public <E extends CampaignEvent> Uni<E> append(String campaignId, Predicate<CampaignEvent> sameMonth,
                                                   LongFunction<E> draft, Sender sender) {
        return append(campaignId, sameMonth, draft, sender, 1);
    }

    private <E extends CampaignEvent> Uni<E> append(String campaignId, Predicate<CampaignEvent> sameMonth,
                                                    LongFunction<E> draft, Sender sender, int attempt) {
        String streamId = StreamKind.CAMPAIGN.streamId(campaignId);
        return store.history(streamId).emitOn(Infrastructure.getDefaultWorkerPool()).map(history -> {
            long revision = 1 + history.stream()
                    .filter(e -> e.event() instanceof CampaignEvent event && sameMonth.test(event)).count();
            return new Drafted<>(history.size(), draft.apply(revision));
        }).flatMap(drafted -> store.appendToStream(streamId, drafted.version(), UUID.randomUUID(), sender.author(),
                        drafted.event()).map(appended -> drafted.event()))
                .onFailure(e -> e instanceof StoreConflict && attempt < ATTEMPTS)
                .recoverWithUni(e -> append(campaignId, sameMonth, draft, sender, attempt + 1));
    }

    private record Drafted<E>(long version, E event) {
    }

    /** The campaign's issued events of {@code type}, newest first; a 404 problem when there is no such campaign. */
    public <E extends CampaignEvent> Uni<List<E>> issued(String campaignId, Class<E> type) {
        return reads.campaign(campaignId).flatMap(campaign -> store.history(StreamKind.CAMPAIGN.streamId(campaignId)))
                .map(history -> history.stream().filter(e -> type.isInstance(e.event()))
                        .sorted(Comparator.comparingLong(RecordedEvent::position).reversed())
                        .map(e -> type.cast(e.event())).toList());
    }

    /** SHA-256, lower-case hex, of the text's UTF-8 bytes: an issued document's digest and strong ETag. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
