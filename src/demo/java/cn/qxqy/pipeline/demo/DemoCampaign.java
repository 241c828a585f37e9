package cn.qxqy.pipeline.demo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads a demo of campaign 2024-qxqy (「千项千亿」 of 吕梁) and of its first year, 2023-qxqy, through the public API, as a
 * department system would: in 2023 300 generated projects, most of them carried over into 2024; in 2024 the projects
 * the seed article names and 760 generated ones; about 7,600 events, in batches of 1,000
 * ({@code POST /api/v1/events}); then every county's share of every target of both campaigns ({@link DemoShares}),
 * the settings left at their defaults. A client only: it needs a running service and a department that holds the
 * whole city (141100), such as the local run's {@code fgw}.
 * <p>
 * Always the same events (a fixed seed, eventIds derived from project and version, projectIds LL-2024-0001 …), so
 * that loading again stores nothing new: the service answers a re-posted event with 200. Any other answer for any
 * event fails the load.
 * <pre>
 * java … cn.qxqy.pipeline.demo.DemoCampaign http://localhost:8080 --basic fgw:fgw-secret
 * java … cn.qxqy.pipeline.demo.DemoCampaign https://pipeline.staging.example --bearer "$TOKEN"
 * </pre>
 */
public final class DemoCampaign {

    private static final System.Logger LOG = System.getLogger(DemoCampaign.class.getName());
    private static final int BATCH = 1000;
    /** How often a batch answered 429 or 503 (the department's rate, a database away) is posted again. */
    private static final int ATTEMPTS = 30;
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    /**
     * What a load did.
     *
     * @param stored events the service stored now (201)
     * @param repeated events it had stored before (200, a re-post)
     * @param eventsByType the demo's events by type
     * @param projectsByStage the demo's projects by the stage their history leaves them in
     * @param carriedOver the projects of 2023 moved to 2024's campaign on 1 January 2024
     * @param sharesSet the campaigns whose county shares this load set (none when they were already the demo's)
     */
    public record Summary(int projects, int posted, int stored, int repeated, Map<String, Integer> eventsByType,
                          Map<String, Integer> projectsByStage, List<String> carriedOver, List<String> sharesSet) {

        @Override
        public String toString() {
            return String.format("Demo campaigns %s and %s: %d projects (%d carried over into %2$s), %d events posted, "
                            + "%d stored, %d already there%n  events by type: %s%n  projects by stage: %s%n"
                            + "  county shares set for: %s",
                    CampaignPlan.FIRST_CAMPAIGN, CampaignPlan.CAMPAIGN, projects, carriedOver.size(), posted, stored,
                    repeated, eventsByType, projectsByStage, sharesSet);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** Amounts exact both ways: 5000.50 万元 is not a double. */
    private final ObjectMapper json = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final URI baseUrl;
    private final URI events;
    private final String authorization;

    private DemoCampaign(URI baseUrl, String authorization) {
        this.baseUrl = baseUrl;
        this.events = baseUrl.resolve("/api/v1/events");
        this.authorization = authorization;
    }

    /** {@code DemoCampaign <baseUrl> (--basic user:password | --bearer TOKEN)}; exits with 1 if anything is refused. */
    public static void main(String... args) {
        if (args.length != 3 || !List.of("--basic", "--bearer").contains(args[1])) {
            System.err.println("usage: DemoCampaign <baseUrl> (--basic user:password | --bearer TOKEN)");
            System.exit(2);
        }
        String authorization = args[1].equals("--basic") ? basic(args[2]) : "Bearer " + args[2];
        try {
            System.out.println(load(URI.create(args[0]), authorization));
        } catch (RuntimeException e) {
            System.err.println("Demo campaign not loaded: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The Authorization header of HTTP Basic for {@code user:password}. */
    public static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Posts the demo campaign to the service at {@code baseUrl} with the given Authorization header.
     *
     * @throws IllegalStateException if the service refused any event (the message lists the first refusals), or
     *                               answered a batch with anything but 200
     */
    public static Summary load(URI baseUrl, String authorization) {
        return new DemoCampaign(baseUrl, authorization).load(CampaignPlan.build(LocalDate.now(CHINA)));
    }

    private Summary load(CampaignPlan.Plan plan) {
        List<DemoEvent> all = plan.events();
        int stored = 0;
        int repeated = 0;
        for (int from = 0; from < all.size(); from += BATCH) {
            List<DemoEvent> batch = all.subList(from, Math.min(from + BATCH, all.size()));
            JsonNode results = post(batch).path("results");
            List<String> refusals = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                int status = results.path(i).path("status").asInt();
                if (status == 201) {
                    stored++;
                } else if (status == 200) {
                    repeated++;
                } else {
                    DemoEvent event = batch.get(i);
                    refusals.add(event.projectId() + " " + event.type() + " " + event.eventId() + ": " + status + " "
                            + results.path(i).path("problem"));
                }
            }
            LOG.log(System.Logger.Level.INFO, "Demo campaign: {0} of {1} events posted, {2} stored, {3} already there",
                    from + batch.size(), all.size(), stored, repeated);
            if (!refusals.isEmpty()) {
                // The later events of a refused project would be refused too: stop here.
                throw new IllegalStateException(refusals.size() + " of " + batch.size() + " events of batch "
                        + (from / BATCH + 1) + " refused (" + stored + " stored, " + repeated
                        + " already there before); first: "
                        + String.join("; ", refusals.subList(0, Math.min(5, refusals.size()))));
            }
        }
        Map<String, Integer> byType = new LinkedHashMap<>();
        for (String type : ProjectHistory.TYPES) {
            byType.put(type, (int) all.stream().filter(e -> e.type().equals(type)).count());
        }
        Map<String, Integer> byStage = new TreeMap<>();
        plan.projects().forEach(p -> byStage.merge(p.stage(), 1, Integer::sum));
        List<String> sharesSet = new ArrayList<>();
        for (String campaign : List.of(CampaignPlan.FIRST_CAMPAIGN, CampaignPlan.CAMPAIGN)) {
            if (setShares(campaign)) {
                sharesSet.add(campaign);
            }
        }
        return new Summary(plan.projects().size(), all.size(), stored, repeated, byType, byStage, plan.carriedOver(),
                sharesSet);
    }

    /**
     * Gives every county its demo share of every target of the campaign ({@link DemoShares}); true when it set them,
     * false when they were the demo's already: loading again leaves no second change in their history.
     */
    private boolean setShares(String campaignId) {
        URI shares = baseUrl.resolve("/api/v1/campaigns/" + campaignId + "/county-shares");
        List<DemoShares.Target> targets = new ArrayList<>();
        for (JsonNode target : send("GET", baseUrl.resolve("/api/v1/campaigns/" + campaignId), null).path("targets")) {
            targets.add(new DemoShares.Target(target.path("code").asText(), target.path("measure").asText(),
                    target.path("target").decimalValue()));
        }
        List<Map<String, Object>> wanted = DemoShares.of(targets);
        Map<String, BigDecimal> now = new LinkedHashMap<>();
        for (JsonNode target : send("GET", shares, null).path("targets")) {
            for (JsonNode share : target.path("shares")) {
                now.put(target.path("code").asText() + " " + share.path("regionCode").asText(),
                        share.path("share").decimalValue());
            }
        }
        boolean same = now.size() == wanted.size() && wanted.stream().allMatch(share -> {
            BigDecimal current = now.get(share.get("targetCode") + " " + share.get("regionCode"));
            return current != null && current.compareTo((BigDecimal) share.get("share")) == 0;
        });
        if (!same) {
            send("PUT", shares, Map.of("shares", wanted));
        }
        return !same;
    }

    /** A read or a change the demo needs answered with 200. */
    private JsonNode send(String method, URI uri, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1))
                    .header("Content-Type", "application/json").header("Authorization", authorization)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body), StandardCharsets.UTF_8))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException(method + " " + uri + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting the demo's county shares", e);
        }
    }

    /** One batch, posted again after a 429 or 503 (nothing of it stored) or a lost connection (a re-post is safe). */
    private JsonNode post(List<DemoEvent> batch) {
        try {
            String body = json.writeValueAsString(batch.stream().map(DemoEvent::envelope).toList());
            HttpRequest request = HttpRequest.newBuilder(events).timeout(Duration.ofMinutes(2))
                    .header("Content-Type", "application/json").header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
            for (int attempt = 1; ; attempt++) {
                Duration wait;
                try {
                    HttpResponse<String> response = http.send(request,
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    if (response.statusCode() == 200) {
                        return json.readTree(response.body());
                    }
                    if (response.statusCode() != 429 && response.statusCode() != 503 || attempt == ATTEMPTS) {
                        throw new IllegalStateException("POST " + events + " answered " + response.statusCode() + ": "
                                + response.body());
                    }
                    long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(1);
                    wait = Duration.ofSeconds(Math.max(1, retryAfter));
                } catch (JsonProcessingException e) {
                    throw e; // a 200 that is not the batch's answer: posting again would not mend it
                } catch (IOException e) {
                    if (attempt == ATTEMPTS) {
                        throw e;
                    }
                    wait = Duration.ofSeconds(1);
                }
                Thread.sleep(wait.toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + events + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while posting the demo campaign", e);
        }
    }
}
