package cn.qxqy.pipeline.report;

import cn.qxqy.pipeline.campaign.CampaignWithTargets;
import cn.qxqy.pipeline.domain.CampaignEvent.MonthlyReportIssued;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.ClockProducer;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.query.CampaignReads;
import cn.qxqy.pipeline.query.CampaignReport;
import cn.qxqy.pipeline.query.TimeAxes;
import cn.qxqy.pipeline.reference.ReferenceData;
import cn.qxqy.pipeline.reference.ReferenceResource;
import cn.qxqy.pipeline.security.Sender;
import cn.qxqy.pipeline.spreadsheet.Tables;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The campaign's monthly reports (月报), issued once and served exactly so forever. Issuing freezes the figures at the
 * period's last day as the read models hold them once they include everything the store held when the request came,
 * and records them, canonical JSON and workbook bytes, as a {@link MonthlyReportIssued} on the campaign's own stream:
 * in the store's history, published, backed up and restored like every event. Reading one reads that event back.
 */
@ApplicationScoped
public class IssuedReports {

    private static final Pattern NUMBER = Pattern.compile("^-?[0-9]+(\\.[0-9]+)?$");
    private static final DateTimeFormatter ISSUED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Issuing.Wordings WORDINGS = new Issuing.Wordings("report.city-not-held",
            "report.invalid-period", "report.figures-moving");

    private final CampaignReads reads;
    private final Issuing issuing;
    private final ReferenceData referenceData;
    private final ObjectMapper mapper;
    private final Clock clock;

    public IssuedReports(CampaignReads reads, Issuing issuing, ReferenceData referenceData, ObjectMapper mapper,
                         Clock clock) {
        this.reads = reads;
        this.issuing = issuing;
        this.referenceData = referenceData;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * Issues the campaign's report for {@code period} (yyyy-MM) as {@code sender}: a department that holds the
     * campaign's whole city, or an administrator ({@code admin}); others get a 403 and nothing is stored.
     */
    public Uni<IssuedReport> issue(String campaignId, String period, Sender sender, boolean admin) {
        return reads.campaign(campaignId).flatMap(campaign -> {
            issuing.authorise(WORDINGS, campaign, sender, admin);
            YearMonth month = issuing.period(WORDINGS, period, campaign);
            return issuing.readSteadily(WORDINGS, () -> figures(campaign, month.atEndOfMonth()))
                    .flatMap(steady -> referenceData.list("stages").flatMap(stages -> issuing.append(campaignId,
                            event -> event instanceof MonthlyReportIssued r && r.period().equals(month),
                            revision -> draft(campaign, month, revision, steady.knownAt(), steady.read(), names(stages),
                                    sender), sender)))
                    .map(issued -> describe(campaignId, issued));
        });
    }

    /** Every issued revision of the campaign's reports, newest first. */
    public Uni<List<IssuedReport>> list(String campaignId) {
        return issuing.issued(campaignId, MonthlyReportIssued.class)
                .map(all -> all.stream().map(event -> describe(campaignId, event)).toList());
    }

    /** One revision as issued; a 404 problem when there is none. */
    public Uni<MonthlyReportIssued> one(String campaignId, String period, String revision) {
        return issuing.issued(campaignId, MonthlyReportIssued.class).map(all -> all.stream()
                .filter(r -> r.period().toString().equals(period) && r.revision().toString().equals(revision))
                .findFirst()
                .orElseThrow(() -> Problem.of(ProblemType.UNKNOWN_REPORT,
                        Wording.of("report.unknown", campaignId, period, revision)).exception()));
    }

    public static IssuedReport describe(String campaignId, MonthlyReportIssued r) {
        return new IssuedReport(campaignId, r.period().toString(), r.revision(), r.asOf(), Instant.parse(r.knownAt()),
                new IssuedReport.Issuer(r.issuedBy(), r.department()), r.digest(),
                IssuedReport.Links.of(campaignId, r.period().toString(), r.revision()));
    }

    public static byte[] workbook(MonthlyReportIssued r) {
        return Base64.getDecoder().decode(r.workbook());
    }

    /** The figures of an issued revision that differ from the same business date read now. */
    public Uni<Restatement> restatement(String campaignId, String period, String revision) {
        return reads.campaign(campaignId).flatMap(campaign -> one(campaignId, period, revision)
                .flatMap(issued -> figures(campaign, issued.asOf()).map(now -> {
            Instant readAt = Instant.now(clock);
            JsonNode then = readTree(issued.report()).path("figures");
            JsonNode current = readTree(CanonicalJson.write(now.figures())).path("figures");
            Map<String, String> before = leaves(then);
            Map<String, String> after = leaves(current);
            List<Restatement.Change> changes = new ArrayList<>();
            before.forEach((path, value) -> {
                String nowValue = after.get(path);
                if (!Objects.equals(value, nowValue)) {
                    changes.add(new Restatement.Change(path, value, nowValue, difference(value, nowValue)));
                }
            });
            after.forEach((path, value) -> {
                if (!before.containsKey(path)) {
                    changes.add(new Restatement.Change(path, null, value, null));
                }
            });
            return new Restatement(describe(campaignId, issued), readAt, changes);
        })));
    }

    /**
     * The figures of a report as of {@code day}: summary, breakdowns, progress and timeline, as one JSON tree under
     * {@code figures} and as the report export's workbook writes them.
     */
    private record Read(ObjectNode figures, CampaignReport report) {
    }

    private Uni<Read> figures(CampaignWithTargets campaign, LocalDate day) {
        String campaignId = campaign.campaignId();
        TimeAxes axes = new TimeAxes(day, null);
        return Uni.combine().all().unis(reads.summary(campaignId, axes), reads.breakdown(campaignId, "region", axes),
                reads.breakdown(campaignId, "chain", axes), reads.breakdown(campaignId, "category", axes),
                reads.progress(campaignId, axes), reads.timeline(campaignId, "month", axes)).asTuple().map(t -> {
                    ObjectNode report = mapper.createObjectNode();
                    ObjectNode figures = report.putObject("figures");
                    figures.set("summary", mapper.valueToTree(t.getItem1()));
                    ObjectNode breakdowns = figures.putObject("breakdowns");
                    breakdowns.set("region", mapper.valueToTree(t.getItem2()));
                    breakdowns.set("chain", mapper.valueToTree(t.getItem3()));
                    breakdowns.set("category", mapper.valueToTree(t.getItem4()));
                    figures.set("progress", mapper.valueToTree(t.getItem5()));
                    figures.set("timeline", mapper.valueToTree(t.getItem6()));
                    return new Read(report, new CampaignReport(campaign, t.getItem1(), t.getItem5(), t.getItem2(),
                            t.getItem3(), t.getItem4(), t.getItem6()));
                });
    }

    /** The report's canonical JSON and its workbook: a worker thread's job, POI writes to a blocking stream. */
    private MonthlyReportIssued draft(CampaignWithTargets campaign, YearMonth month, long revision, Instant knownAt,
                                      Read read, Map<String, String> stageNames, Sender sender) {
        LocalDate asOf = month.atEndOfMonth();
        IssuedReportJson report = new IssuedReportJson(campaign.campaignId(), campaign.nameZh(), month, revision, asOf,
                knownAt, new IssuedReport.Issuer(sender.author().subject(), sender.author().department()),
                read.figures().get("figures"));
        String json = CanonicalJson.write(mapper.valueToTree(report));
        return new MonthlyReportIssued(LocalDate.ofInstant(knownAt, ClockProducer.CAMPAIGN_ZONE), month, revision, asOf,
                knownAt.toString(), sender.author().subject(), sender.author().department(), Issuing.sha256(json), json,
                Base64.getEncoder().encodeToString(workbook(campaign, month, revision, knownAt, read.report(), stageNames)));
    }

    private static byte[] workbook(CampaignWithTargets campaign, YearMonth month, long revision, Instant knownAt,
                                   CampaignReport report, Map<String, String> stageNames) {
        // 月报 2024-06（第1版）发布 2024-07-03 10:00:00, then each sheet's name and 数据截至 the period's last day.
        String title = campaign.nameZh() + "\u3000月报 " + month + "（第" + revision + "版）\u3000发布 "
                + ISSUED.format(knownAt.atZone(ClockProducer.CAMPAIGN_ZONE));
        ZonedDateTime asOf = month.atEndOfMonth().atTime(23, 59, 59).atZone(ClockProducer.CAMPAIGN_ZONE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Tables tables = Tables.xlsx(out, new Tables.Title(title, asOf))) {
            report.write(tables, stageNames);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Map<String, String> names(List<ReferenceResource.Entry> entries) {
        return entries.stream().collect(Collectors.toMap(ReferenceResource.Entry::code, ReferenceResource.Entry::nameZh));
    }

    /** Every number and text of a report's figures by its path; array items by their key, code or period. */
    private static Map<String, String> leaves(JsonNode figures) {
        Map<String, String> leaves = new LinkedHashMap<>();
        collect("/figures", figures, leaves);
        return leaves;
    }

    private static void collect(String path, JsonNode node, Map<String, String> leaves) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> collect(path + "/" + field.getKey(), field.getValue(), leaves));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                String id = item.hasNonNull("key") ? item.get("key").asText() : item.hasNonNull("code")
                        ? item.get("code").asText() : item.hasNonNull("period") ? item.get("period").asText()
                        : String.valueOf(i);
                collect(path + "/" + id, item, leaves);
            }
        } else if (!node.isNull()) {
            leaves.put(path, node.asText());
        }
    }

    /** now minus issued, when both are numbers; null otherwise. */
    private static String difference(String issued, String now) {
        if (issued == null || now == null || !NUMBER.matcher(issued).matches() || !NUMBER.matcher(now).matches()) {
            return null;
        }
        BigDecimal difference = new BigDecimal(now).subtract(new BigDecimal(issued));
        return difference.scale() > 0 ? CanonicalJson.amount(difference) : difference.toPlainString();
    }

    private JsonNode readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
