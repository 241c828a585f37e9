package cn.qxqy.pipeline.followup;

import cn.qxqy.pipeline.campaign.CampaignWithTargets;
import cn.qxqy.pipeline.campaign.Campaigns;
import cn.qxqy.pipeline.campaign.CountyUnit;
import cn.qxqy.pipeline.domain.CampaignEvent.FollowUpAnswered;
import cn.qxqy.pipeline.domain.FollowUpItemId;
import cn.qxqy.pipeline.domain.FollowUpRule;
import cn.qxqy.pipeline.domain.FollowUpSettings;
import cn.qxqy.pipeline.domain.StreamKind;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.RecordedEvent;
import cn.qxqy.pipeline.followup.FollowUpResponses.Answer;
import cn.qxqy.pipeline.followup.FollowUpResponses.Item;
import cn.qxqy.pipeline.followup.FollowUpResponses.Status;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.ProjectionStatuses;
import cn.qxqy.pipeline.query.CampaignReads;
import cn.qxqy.pipeline.query.TimeAxes;
import cn.qxqy.pipeline.reference.ReferenceData;
import cn.qxqy.pipeline.reference.ReferenceResource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A campaign's follow-up items (督办), evaluated on read in one statement over {@code project_view} with the campaign's
 * settings as parameters: the settings may change, and an item opens with the passing of a day, with no event that a
 * maintained list could react to. The answers, which are few, come from the event store and enter the statement as
 * arrays. README "Follow-ups (督办)" states the rules.
 */
@ApplicationScoped
public class FollowUpReads {

    /**
     * Each project listed under the campaign on the day ($2) with its county then, and the milestones that had happened
     * by then; the placement as of the day as {@code DatedState.placedOn} has it (the last placement in history order
     * that had begun and names it); a project never moved has one placement, its current one.
     */
    private static final String LISTED = """
            WITH placed AS (
                SELECT v.project_id, v.reserved_on, v.planned_start_on, v.planned_completion_on, v.report_delay_max,
                       v.first_unreported,
                       CASE WHEN v.signed_on <= $2 THEN v.signed_on END AS signed_on,
                       CASE WHEN v.started_on <= $2 THEN v.started_on END AS started_on,
                       CASE WHEN v.completed_on <= $2 THEN v.completed_on END AS completed_on,
                       CASE WHEN coalesce(jsonb_array_length(v.placements), 1) = 1 THEN v.campaign_id
                            ELSE (SELECT p.value ->> 'campaignId'
                                  FROM jsonb_array_elements(v.placements) WITH ORDINALITY AS p(value, n)
                                  WHERE p.value ->> 'campaignId' IS NOT NULL
                                    AND coalesce((p.value ->> 'from')::date <= $2, true)
                                  ORDER BY p.n DESC LIMIT 1) END AS campaign_id,
                       CASE WHEN coalesce(jsonb_array_length(v.placements), 1) = 1 THEN v.region_code
                            ELSE (SELECT p.value ->> 'regionCode'
                                  FROM jsonb_array_elements(v.placements) WITH ORDINALITY AS p(value, n)
                                  WHERE p.value ->> 'regionCode' IS NOT NULL
                                    AND coalesce((p.value ->> 'from')::date <= $2, true)
                                  ORDER BY p.n DESC LIMIT 1) END AS county
                FROM project_view v
                WHERE (v.campaign_id = $1 OR v.placements @> jsonb_build_array(jsonb_build_object('campaignId', $1::text)))
                  AND v.reserved_on <= $2 AND (v.withdrawn_on IS NULL OR v.withdrawn_on > $2)
                  AND ($14::text IS NULL OR v.project_id = $14)
            ),
            listed AS (SELECT * FROM placed WHERE campaign_id = $1),
            reporting AS (
                SELECT l.*, v.reported_on FROM listed l JOIN project_view v ON v.project_id = l.project_id
                WHERE $5::int IS NOT NULL AND l.started_on IS NOT NULL
                  AND (l.report_delay_max >= $5::int
                       OR l.first_unreported <= $8 AND (l.first_unreported + interval '1 month')::date + ($5::int - 1) < $2)
            ),
            """;

    /**
     * The items of each rule that is on, overdue on the day or closed late by it: closed_on is the closing event's
     * day, null while the item is open; a planned date is its own due day. A report is owed for each month from the start
     * (or the campaign's first month) whose due day has passed, up to the completion's month and within the campaign's
     * calendar: the months are generated only for the projects that reported late or not at all
     * ({@code ProjectView.REPORTING_COLUMNS}), since a series for every started project was most of a list's time.
     */
    private static final String ITEMS = """
            items AS (
                SELECT l.project_id, l.county, 'signed-not-started' AS rule, NULL::text AS qualifier,
                       l.signed_on + $3::int AS due_on, l.started_on AS closed_on
                FROM listed l
                WHERE $3::int IS NOT NULL AND l.signed_on IS NOT NULL
                  AND (l.started_on IS NULL AND $2 > l.signed_on + $3::int OR l.started_on > l.signed_on + $3::int)
                UNION ALL
                SELECT l.project_id, l.county, 'reserved-not-signed', NULL,
                       l.reserved_on + $4::int, least(l.signed_on, l.started_on)
                FROM listed l
                WHERE $4::int IS NOT NULL
                  AND (least(l.signed_on, l.started_on) IS NULL AND $2 > l.reserved_on + $4::int
                       OR least(l.signed_on, l.started_on) > l.reserved_on + $4::int)
                UNION ALL
                SELECT l.project_id, l.county, 'report-missing', to_char(q.month, 'YYYY-MM'), r.due_on,
                       r.closed_on
                FROM reporting l
                CROSS JOIN LATERAL generate_series(
                        greatest(date_trunc('month', l.started_on::timestamp), date_trunc('month', $7::date::timestamp)),
                        least(date_trunc('month', ($2::date - $5::int)::timestamp) - interval '1 month',
                              date_trunc('month', l.completed_on::timestamp), date_trunc('month', $8::date::timestamp)),
                        interval '1 month') AS q(month)
                CROSS JOIN LATERAL (
                    SELECT (q.month + interval '1 month')::date + ($5::int - 1) AS due_on,
                           CASE WHEN (l.reported_on ->> to_char(q.month, 'YYYY-MM'))::date <= $2
                                THEN (l.reported_on ->> to_char(q.month, 'YYYY-MM'))::date END AS closed_on) r
                WHERE $5::int IS NOT NULL AND l.started_on IS NOT NULL
                  AND (q.month + interval '1 month - 1 day')::date <= $8
                  AND (r.closed_on IS NULL OR r.closed_on > r.due_on)
                UNION ALL
                SELECT l.project_id, l.county, 'planned-date-passed', 'started', l.planned_start_on, l.started_on
                FROM listed l
                WHERE $6 AND l.planned_start_on IS NOT NULL
                  AND (l.started_on IS NULL AND $2 > l.planned_start_on OR l.started_on > l.planned_start_on)
                UNION ALL
                SELECT l.project_id, l.county, 'planned-date-passed', 'completed', l.planned_completion_on,
                       l.completed_on
                FROM listed l
                WHERE $6 AND l.planned_completion_on IS NOT NULL
                  AND (l.completed_on IS NULL AND $2 > l.planned_completion_on
                       OR l.completed_on > l.planned_completion_on)
            ),
            """;

    /** Each item's status with the latest answer by the day ($9 item ids, $10 their expected dates), then the read. */
    private static final String JUDGED = """
            judged AS (
                SELECT i.*, $2::date - i.due_on AS days_overdue,
                       CASE WHEN i.closed_on IS NOT NULL THEN 'CLOSED_LATE'
                            WHEN a.expected_on IS NULL THEN 'OPEN'
                            WHEN a.expected_on >= $2 THEN 'ANSWERED'
                            ELSE 'OVERDUE_AGAIN' END AS status
                FROM (SELECT items.*, project_id || ':' || rule || coalesce(':' || qualifier, '') AS item_id FROM items) i
                LEFT JOIN unnest($9::text[], $10::date[]) AS a(item_id, expected_on) ON a.item_id = i.item_id
            ),
            chosen AS (
                SELECT * FROM judged
                WHERE ($11::text IS NULL OR county = $11) AND ($12::text IS NULL OR rule = $12)
                  AND ($13::boolean IS NULL OR (status = 'CLOSED_LATE') = $13)
            )
            SELECT (SELECT coalesce(json_agg(c), '[]')
                    FROM (SELECT county, rule, status, count(*) AS n FROM judged GROUP BY 1, 2, 3) c)::text AS counts,
                   (SELECT count(*) FROM chosen) AS total,
                   (SELECT coalesce(json_agg(p ORDER BY p.county COLLATE "C", p.days_overdue DESC, p.item_id COLLATE "C"), '[]')
                    FROM (SELECT c.*, v.name
                          FROM (SELECT * FROM chosen ORDER BY county COLLATE "C", days_overdue DESC, item_id COLLATE "C"
                                LIMIT $15 OFFSET $16) c
                          JOIN project_view v ON v.project_id = c.project_id) p)::text AS page
            """;

    static final String EVALUATE = LISTED + ITEMS + JUDGED;

    private final Pool pool;
    private final ProjectionStatuses statuses;
    private final CampaignReads campaigns;
    private final Campaigns settings;
    private final EventStore store;
    private final ReferenceData referenceData;
    private final Clock clock;

    public FollowUpReads(Pool pool, CampaignReads campaigns, Campaigns settings, EventStore store,
                         ReferenceData referenceData, ProjectionStatuses statuses, Clock clock) {
        this.pool = pool;
        this.statuses = statuses;
        this.campaigns = campaigns;
        this.settings = settings;
        this.store = store;
        this.referenceData = referenceData;
        this.clock = clock;
    }

    /** The campaign's follow-up list as of {@code asOf} (null: today). */
    public Uni<FollowUpResponses.FollowUps> list(String campaignId, LocalDate asOf, FollowUpFilter filter) {
        return campaigns.campaign(campaignId).flatMap(campaign -> {
            new TimeAxes(asOf, null).refuseBefore(campaign.startsOn());
            LocalDate day = asOf != null ? asOf : today();
            return units(campaignId).flatMap(units -> inputs(campaign, day).flatMap(in -> evaluate(campaign,
                            in.rules(), day, in.answers(), new Selection(filter.regionCode(), filter.rule(),
                                    filter.closed(), null, filter.limit(), filter.offset()))
                    .map(evaluation -> respond(campaign, asOf, day, in.rules(), units, in.regions(), in.answers(),
                            evaluation))));
        });
    }

    /** One item as of today with all its answers; a 404 problem when it is malformed, or not listed and never answered. */
    public Uni<FollowUpResponses.ItemWithAnswers> item(String campaignId, String itemId) {
        FollowUpItemId id = parse(campaignId, itemId);
        return campaigns.campaign(campaignId).flatMap(campaign -> {
            LocalDate day = today();
            return today(campaign, id).flatMap(item -> answers(id).map(answers -> {
                if (item == null && answers.isEmpty()) {
                    throw unknown(campaignId, itemId);
                }
                return new FollowUpResponses.ItemWithAnswers(campaignId, day, id.toString(), item, answers);
            }));
        });
    }

    /** The item as of today, listed or closed late; null when it is neither. */
    Uni<Item> today(CampaignWithTargets campaign, FollowUpItemId id) {
        LocalDate day = today();
        return inputs(campaign, day).flatMap(in -> evaluate(campaign, in.rules(), day, in.answers(),
                        new Selection(null, id.rule(), null, id.projectId(), FollowUpFilter.MAX_LIMIT, 0))
                .map(evaluation -> items(evaluation.page(), in.regions(), in.answers()).stream()
                        .filter(item -> item.itemId().equals(id.toString())).findFirst().orElse(null)));
    }

    /** The item's answers, in the order given. */
    Uni<List<Answer>> answers(FollowUpItemId id) {
        return store.history(StreamKind.FOLLOW_UP.streamId(id.toString()))
                .map(history -> history.stream().filter(e -> e.event() instanceof FollowUpAnswered)
                        .map(FollowUpReads::answer).toList());
    }

    /** What an evaluation needs beside the campaign: its rules, the regions' names, the answers given by the day. */
    private record Inputs(FollowUpSettings rules, Map<String, ReferenceResource.Entry> regions,
                          Map<String, Answer> answers) {
    }

    /** One after the other: the campaign's settings and the reference lists share a session, one query at a time. */
    private Uni<Inputs> inputs(CampaignWithTargets campaign, LocalDate day) {
        return settings.settings(campaign.campaignId()).flatMap(campaignSettings -> referenceData.list("regions")
                .flatMap(regions -> latestAnswers(day).map(answers -> new Inputs(campaignSettings.followUps(),
                        names(regions), answers))));
    }

    /**
     * The campaign's county units, then its city level. One after the other: the campaign's store answers one query
     * of a session at a time.
     */
    private Uni<List<CountyUnit>> units(String campaignId) {
        return settings.countyUnits(campaignId).flatMap(counties -> settings.cityLevel(campaignId).map(city -> {
            List<CountyUnit> units = new ArrayList<>(counties);
            if (city != null) {
                units.add(city);
            }
            return units;
        }));
    }

    /**
     * The day a read without asOf evaluates: today in Asia/Shanghai, also after the campaign's last day, since a list
     * is what is overdue now and an answer given today counts from today (rankings stop at the last day instead).
     */
    LocalDate today() {
        return LocalDate.now(clock);
    }

    static FollowUpItemId parse(String campaignId, String itemId) {
        return FollowUpItemId.parse(itemId).orElseThrow(() -> unknown(campaignId, itemId));
    }

    private static RuntimeException unknown(String campaignId, String itemId) {
        return Problem.of(ProblemType.UNKNOWN_FOLLOW_UP, Wording.of("follow-up.unknown", campaignId, itemId)).exception();
    }

    /** What a statement selects beside the counts: the filters, one project's items, a page. */
    private record Selection(String regionCode, FollowUpRule rule, Boolean closed, String projectId, int limit,
                             int offset) {
    }

    private record Evaluation(JsonArray counts, long total, JsonArray page) {
    }

    /** The latest answer of each item given by {@code day}, by item id. */
    private Uni<Map<String, Answer>> latestAnswers(LocalDate day) {
        return store.ofStreamKind(StreamKind.FOLLOW_UP).map(events -> {
            Map<String, Answer> latest = new HashMap<>();
            for (RecordedEvent event : events) {
                if (event.event() instanceof FollowUpAnswered answered && !answered.occurredOn().isAfter(day)) {
                    // Events come by stream and version: a later answer replaces the one before.
                    latest.put(event.projectId().substring(StreamKind.FOLLOW_UP.streamId("").length()), answer(event));
                }
            }
            return latest;
        });
    }

    private static Answer answer(RecordedEvent event) {
        FollowUpAnswered a = (FollowUpAnswered) event.event();
        return new Answer(a.reason(), a.expectedOn(), a.occurredOn(), a.answeredBy(), a.department(),
                event.recordedAt().toInstant());
    }

    private Uni<Evaluation> evaluate(CampaignWithTargets campaign, FollowUpSettings settings, LocalDate day,
                                     Map<String, Answer> answers, Selection selection) {
        List<String> answered = new ArrayList<>(answers.keySet());
        Tuple parameters = Tuple.from(Arrays.asList(campaign.campaignId(), day, settings.signedNotStartedDays(),
                settings.reservedNotSignedDays(), settings.reportDueDay(), settings.plannedDates(), campaign.startsOn(),
                campaign.endsOn(), answered.toArray(String[]::new),
                answered.stream().map(id -> answers.get(id).expectedOn()).toArray(LocalDate[]::new),
                selection.regionCode(), selection.rule() == null ? null : selection.rule().code(), selection.closed(),
                selection.projectId(), selection.limit(), selection.offset()));
        // Views a release before wrote lack what the rules read (report days, planned dates): until the required
        // rebuild, a 503 as the figures give, not a list of phantom items that counties could answer.
        return statuses.rebuildRequired().flatMap(required -> {
            if (required) {
                throw Problem.of(ProblemType.NOT_YET_PROJECTED, Wording.of("query.rebuild-required")).exception();
            }
            return pool.preparedQuery(EVALUATE).execute(parameters);
        }).map(rows -> {
            Row row = rows.iterator().next();
            return new Evaluation(new JsonArray(row.getString("counts")), row.getLong("total"),
                    new JsonArray(row.getString("page")));
        });
    }

    private FollowUpResponses.FollowUps respond(CampaignWithTargets campaign, LocalDate asOf, LocalDate day,
                                                FollowUpSettings settings, List<CountyUnit> units,
                                                Map<String, ReferenceResource.Entry> regions,
                                                Map<String, Answer> answers, Evaluation evaluation) {
        Map<String, long[]> byCounty = new HashMap<>();
        Map<String, long[]> byRule = new HashMap<>();
        for (int i = 0; i < evaluation.counts().size(); i++) {
            JsonObject count = evaluation.counts().getJsonObject(i);
            int status = Status.valueOf(count.getString("status")).ordinal();
            long n = count.getLong("n");
            byCounty.computeIfAbsent(count.getString("county"), county -> new long[Status.values().length])[status] += n;
            byRule.computeIfAbsent(count.getString("rule"), rule -> new long[Status.values().length])[status] += n;
        }
        List<FollowUpResponses.County> counties = units.stream().map(unit -> {
            long[] n = byCounty.getOrDefault(unit.regionCode(), new long[Status.values().length]);
            return new FollowUpResponses.County(unit.regionCode(), unit.nameZh(), unit.nameEn(), n[0], n[1], n[2], n[3]);
        }).toList();
        List<FollowUpResponses.Rule> rules = Arrays.stream(FollowUpRule.values()).map(rule -> {
            long[] n = byRule.getOrDefault(rule.code(), new long[Status.values().length]);
            return new FollowUpResponses.Rule(rule.code(), rule.label().zh(), rule.label().en(), settings.isOn(rule),
                    n[0], n[1], n[2], n[3]);
        }).toList();
        return new FollowUpResponses.FollowUps(campaign.campaignId(), asOf, day,
                FollowUpResponses.Settings.of(settings), counties, rules, evaluation.total(),
                items(evaluation.page(), regions, answers));
    }

    private static Map<String, ReferenceResource.Entry> names(List<ReferenceResource.Entry> regions) {
        return regions.stream().collect(Collectors.toMap(ReferenceResource.Entry::code, Function.identity()));
    }

    private static List<Item> items(JsonArray page, Map<String, ReferenceResource.Entry> regions,
                                    Map<String, Answer> answers) {
        List<Item> items = new ArrayList<>(page.size());
        for (int i = 0; i < page.size(); i++) {
            JsonObject row = page.getJsonObject(i);
            FollowUpRule rule = FollowUpRule.ofCode(row.getString("rule")).orElseThrow();
            String county = row.getString("county");
            ReferenceResource.Entry region = regions.get(county);
            String closedOn = row.getString("closed_on");
            items.add(new Item(row.getString("item_id"), row.getString("project_id"), row.getString("name"), county,
                    region == null ? county : region.nameZh(), rule.code(), rule.label().zh(),
                    row.getString("qualifier"), LocalDate.parse(row.getString("due_on")), row.getLong("days_overdue"),
                    Status.valueOf(row.getString("status")), closedOn == null ? null : LocalDate.parse(closedOn),
                    answers.get(row.getString("item_id"))));
        }
        return items;
    }
}
