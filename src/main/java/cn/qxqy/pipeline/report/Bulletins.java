package cn.qxqy.pipeline.report;

import cn.qxqy.pipeline.campaign.CampaignWithTargets;
import cn.qxqy.pipeline.domain.CampaignEvent.BulletinIssued;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.ClockProducer;
import cn.qxqy.pipeline.followup.FollowUpFilter;
import cn.qxqy.pipeline.followup.FollowUpReads;
import cn.qxqy.pipeline.followup.FollowUpResponses;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.query.CampaignReads;
import cn.qxqy.pipeline.query.Rankings;
import cn.qxqy.pipeline.query.TimeAxes;
import cn.qxqy.pipeline.security.Sender;
import cn.qxqy.pipeline.spreadsheet.Tables;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The 通报 (排名通报): the rankings and the follow-up list as one workbook, live on any date, or issued for a month and
 * served exactly so forever like the 月报 ({@link IssuedReports}, through the same {@link Issuing}): recorded, canonical
 * JSON and workbook bytes, as a {@link BulletinIssued} on the campaign's own stream.
 */
@ApplicationScoped
public class Bulletins {

    private static final Issuing.Wordings WORDINGS = new Issuing.Wordings("bulletin.city-not-held",
            "bulletin.invalid-period", "bulletin.figures-moving");
    private static final DateTimeFormatter ISSUED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /**
     * The most an issued 通报's JSON and workbook may take together: its event is published on project-events, whose
     * producer sends at most 1 MiB, envelope included.
     */
    static final int MAX_BYTES = 900 * 1024;

    private final CampaignReads reads;
    private final Rankings rankings;
    private final FollowUpReads followUps;
    private final Issuing issuing;
    private final ObjectMapper mapper;
    private final Clock clock;

    public Bulletins(CampaignReads reads, Rankings rankings, FollowUpReads followUps, Issuing issuing,
                     ObjectMapper mapper, Clock clock) {
        this.reads = reads;
        this.rankings = rankings;
        this.followUps = followUps;
        this.issuing = issuing;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** A workbook and the title its sheets carry, for the file's name. */
    public record File(byte[] bytes, Tables.Title title) {
    }

    /**
     * The 通报 on the two time axes. The follow-ups have no record time: they are the items of the rankings' day (asOf,
     * or knownAt's day) as known now.
     */
    public Uni<File> live(String campaignId, TimeAxes axes) {
        return reads.campaign(campaignId).flatMap(campaign -> reads.refuseBeforeStart(campaignId, axes)
                // 数据截至 is the instant before the reads: whatever the read side had by then is in them.
                .map(ignored -> axes.title(campaign.nameZh(), clock))
                .flatMap(title -> read(campaignId, axes)
                        .emitOn(Infrastructure.getDefaultWorkerPool())
                        .map(bulletin -> new File(workbook(title, bulletin), title))));
    }

    /**
     * Issues the 通报 of {@code period} (yyyy-MM), read as of its last day, as {@code sender}: a department that holds
     * the campaign's whole city, or an administrator ({@code admin}); others get a 403 and nothing is stored.
     */
    public Uni<IssuedBulletin> issue(String campaignId, String period, Sender sender, boolean admin) {
        return reads.campaign(campaignId).flatMap(campaign -> {
            issuing.authorise(WORDINGS, campaign, sender, admin);
            YearMonth month = issuing.period(WORDINGS, period, campaign);
            return issuing.readSteadily(WORDINGS, () -> read(campaignId, new TimeAxes(month.atEndOfMonth(), null)))
                    .flatMap(steady -> issuing.append(campaignId,
                            event -> event instanceof BulletinIssued b && b.period().equals(month),
                            revision -> draft(campaign, month, revision, steady.knownAt(), steady.read(), sender), sender))
                    .map(issued -> describe(campaignId, issued));
        });
    }

    /** Every issued revision of the campaign's bulletins, newest first. */
    public Uni<List<IssuedBulletin>> list(String campaignId) {
        return issuing.issued(campaignId, BulletinIssued.class)
                .map(all -> all.stream().map(event -> describe(campaignId, event)).toList());
    }

    /** One revision as issued; a 404 problem when there is none. */
    public Uni<BulletinIssued> one(String campaignId, String period, String revision) {
        return issuing.issued(campaignId, BulletinIssued.class).map(all -> all.stream()
                .filter(b -> b.period().toString().equals(period) && b.revision().toString().equals(revision))
                .findFirst()
                .orElseThrow(() -> Problem.of(ProblemType.UNKNOWN_REPORT,
                        Wording.of("bulletin.unknown", campaignId, period, revision)).exception()));
    }

    public static IssuedBulletin describe(String campaignId, BulletinIssued b) {
        return new IssuedBulletin(campaignId, b.period().toString(), b.revision(), b.asOf(), Instant.parse(b.knownAt()),
                new IssuedReport.Issuer(b.issuedBy(), b.department()), b.digest(),
                IssuedBulletin.Links.of(campaignId, b.period().toString(), b.revision()));
    }

    public static byte[] workbook(BulletinIssued b) {
        return Base64.getDecoder().decode(b.workbook());
    }

    private Uni<BulletinWorkbook> read(String campaignId, TimeAxes axes) {
        // The follow-ups of the day ranked, read first: both read the campaign through Hibernate Reactive, which
        // answers one read at a time and only on the event loop, and a knownAt ranking ends on a worker thread.
        return reads.campaign(campaignId).flatMap(campaign -> everyItem(campaignId, Rankings.day(axes, campaign, clock),
                        0, List.of()))
                .flatMap(items -> rankings.read(campaignId, axes).map(read -> new BulletinWorkbook(read, items)));
    }

    /** The follow-up list with every listed item, a page of the most the read gives at a time. */
    private Uni<FollowUpResponses.FollowUps> everyItem(String campaignId, LocalDate day, int offset,
                                                        List<FollowUpResponses.Item> before) {
        return followUps.list(campaignId, day, new FollowUpFilter(null, null, false, FollowUpFilter.MAX_LIMIT, offset))
                .flatMap(page -> {
                    List<FollowUpResponses.Item> items = new ArrayList<>(before);
                    items.addAll(page.items());
                    if (page.items().isEmpty() || items.size() >= page.total()) {
                        return Uni.createFrom().item(new FollowUpResponses.FollowUps(page.campaignId(), page.asOf(),
                                page.day(), page.settings(), page.counties(), page.rules(), page.total(), items));
                    }
                    return everyItem(campaignId, day, offset + page.items().size(), items);
                });
    }

    /** The bulletin's canonical JSON and its workbook: a worker thread's job, POI writes to a blocking stream. */
    private BulletinIssued draft(CampaignWithTargets campaign, YearMonth month, long revision, Instant knownAt,
                                 BulletinWorkbook read, Sender sender) {
        LocalDate asOf = month.atEndOfMonth();
        IssuedBulletinJson bulletin = new IssuedBulletinJson(campaign.campaignId(), campaign.nameZh(), month, revision,
                asOf, knownAt, new IssuedReport.Issuer(sender.author().subject(), sender.author().department()),
                mapper.valueToTree(read.rankings()), mapper.valueToTree(read.followUps()));
        String json = CanonicalJson.write(mapper.valueToTree(bulletin));
        // 通报 2024-06（第1版）发布 2024-07-03 10:00:00, then each sheet's name and 数据截至 the period's last day.
        Tables.Title title = new Tables.Title(campaign.nameZh() + "\u3000通报 " + month + "（第" + revision + "版）\u3000发布 "
                + ISSUED.format(knownAt.atZone(ClockProducer.CAMPAIGN_ZONE)),
                asOf.atTime(23, 59, 59).atZone(ClockProducer.CAMPAIGN_ZONE));
        String workbook = Base64.getEncoder().encodeToString(workbook(title, read));
        int bytes = json.getBytes(StandardCharsets.UTF_8).length + workbook.length();
        if (bytes > MAX_BYTES) {
            // Stored, it could never be published: refused instead, the follow-up list being what grows.
            throw Problem.of(ProblemType.EVENT_TOO_LARGE, Wording.of("bulletin.too-large", bytes, MAX_BYTES,
                    read.followUps().items().size())).exception();
        }
        return new BulletinIssued(LocalDate.ofInstant(knownAt, ClockProducer.CAMPAIGN_ZONE), month, revision, asOf,
                knownAt.toString(), sender.author().subject(), sender.author().department(), Issuing.sha256(json), json,
                workbook);
    }

    private static byte[] workbook(Tables.Title title, BulletinWorkbook bulletin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Tables tables = Tables.xlsx(out, title)) {
            bulletin.write(tables);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
