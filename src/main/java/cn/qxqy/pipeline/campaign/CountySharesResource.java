package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.reference.Measure;
import cn.qxqy.pipeline.security.Senders;
import cn.qxqy.pipeline.wire.JsonFields;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Each county's share of each campaign target (任务分解): what the rankings measure a county against. The city assigns
 * them, often more in all than its own target; the difference is shown.
 */
@Path("/api/v1/campaigns/{campaignId}/county-shares")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
@RolesAllowed({"viewer", "department", "admin"})
public class CountySharesResource {

    /** 100 targets of 13 counties fit many times over; the bound keeps a problem naming each bad share small enough. */
    static final int MAX_SHARES = 5000;
    private static final Set<String> FIELDS = Set.of("targetCode", "regionCode", "share");

    @Schema(name = "CampaignCountyShares", description = "Each county's share of each of the campaign's targets")
    public record Shares(String campaignId, List<TargetShares> targets) {
    }

    @Schema(name = "TargetCountyShares", description = "A target of the campaign and each county's share of it")
    public record TargetShares(String code, String nameZh, String nameEn, Measure measure,
                               @Schema(description = "the city's target: projects, or 万元 with 2 decimals") BigDecimal target,
                               @Schema(description = "the sum of the counties' shares, 0 when none is set") BigDecimal sharesTotal,
                               @Schema(description = "sharesTotal − target: positive when the city assigned more than its "
                                       + "own target") BigDecimal difference,
                               @Schema(description = "the counties with a share, in the order of the regions; a county "
                                       + "not listed has none and is not ranked on the target") List<CountyShare> shares) {
    }

    @Schema(name = "CountyShare", description = "A county's share of a target")
    public record CountyShare(String regionCode, String nameZh, String nameEn, BigDecimal share) {
    }

    @Schema(name = "CountyShareInput", description = "A county's share of a target, as given")
    public record ShareInput(@Schema(description = "a target of the campaign") String targetCode,
                             @Schema(description = "a county of the campaign's city, not the city level itself") String regionCode,
                             @Schema(description = "more than 0: a whole number of projects, or 万元 with at most 2 "
                                     + "decimals") BigDecimal share) {
    }

    private final Campaigns campaigns;
    private final Senders senders;
    private final ObjectMapper strict;

    public CountySharesResource(Campaigns campaigns, Senders senders, ObjectMapper mapper) {
        this.campaigns = campaigns;
        this.senders = senders;
        this.strict = JsonFields.strict(mapper);
    }

    @GET
    @Operation(operationId = "getCountyShares", summary = "Each county's share of each campaign target",
            description = "Every target of the campaign in its order, with the sum of the counties' shares and its "
                    + "difference from the city's target.")
    @APIResponse(responseCode = "200", description = "the shares",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Shares.class)))
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<Shares> get(@PathParam("campaignId") String campaignId) {
        return campaigns.find(campaignId).map(found -> CityOffice.known(found, campaignId))
                .flatMap(this::shares);
    }

    @PUT
    @RolesAllowed({"department", "admin"})
    @Operation(operationId = "putCountyShares", summary = "Replace all county shares of a campaign's targets",
            description = "Body: {\"shares\": [{targetCode, regionCode, share}]}: a target of the campaign, a county of "
                    + "its city (not the city level), each pair once; share more than 0, a whole number for a target of "
                    + "projects, at most 2 decimals for one of 万元. Replaces every share of the campaign; each change is "
                    + "kept with its instant, for reads with knownAt. Only an administrator or a department holding "
                    + "the campaign's whole city.")
    @APIResponse(responseCode = "200", description = "the shares as stored, as the GET shows them",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Shares.class)))
    @APIResponse(responseCode = "400", description = "/problems/invalid-request: errors names each invalid field, "
            + "such as shares[3].regionCode")
    @APIResponse(responseCode = "403", description = "/problems/forbidden: neither an administrator nor the city")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT, requiredProperties = "shares", properties = @SchemaProperty(
                    name = "shares", type = SchemaType.ARRAY, implementation = ShareInput.class))))
    public Uni<Shares> put(@PathParam("campaignId") String campaignId, String body, @Context SecurityContext security) {
        return campaigns.find(campaignId).map(found -> CityOffice.known(found, campaignId))
                .flatMap(campaign -> {
                    CityOffice.check(campaign, security, senders);
                    JsonNode json = Input.parseObject(strict, body);
                    return campaigns.countyUnits(campaignId).flatMap(units -> {
                        List<FieldViolation> violations = new ArrayList<>();
                        CountyShares shares = read(campaign, units, json, violations);
                        if (!violations.isEmpty()) {
                            throw Input.invalid(Wording.of("county-shares.invalid"), violations);
                        }
                        return campaigns.replaceShares(shares);
                    }).map(replaced -> {
                        if (!replaced) {
                            throw CityOffice.unknown(campaignId);
                        }
                        return campaign;
                    });
                })
                .flatMap(this::shares);
    }

    private Uni<Shares> shares(CampaignWithTargets campaign) {
        return campaigns.shares(campaign.campaignId())
                .flatMap(shares -> campaigns.countyUnits(campaign.campaignId())
                        .map(units -> view(campaign, shares, units)));
    }

    /** The campaign's targets in their order, each with its counties' shares in the regions' order. */
    static Shares view(CampaignWithTargets campaign, CountyShares shares, List<CountyUnit> units) {
        List<TargetShares> targets = new ArrayList<>(campaign.targets().size());
        for (TargetDefinition target : campaign.targets()) {
            Function<BigDecimal, BigDecimal> shown = amount -> target.measure() == Measure.PROJECTS
                    ? amount.setScale(0, RoundingMode.UNNECESSARY) : amount.setScale(2, RoundingMode.UNNECESSARY);
            List<CountyShare> counties = new ArrayList<>();
            BigDecimal total = BigDecimal.ZERO;
            for (CountyUnit unit : units) {
                BigDecimal share = shares.share(target.code(), unit.regionCode());
                if (share != null) {
                    counties.add(new CountyShare(unit.regionCode(), unit.nameZh(), unit.nameEn(), shown.apply(share)));
                    total = total.add(share);
                }
            }
            targets.add(new TargetShares(target.code(), target.nameZh(), target.nameEn(), target.measure(),
                    shown.apply(target.target()), shown.apply(total), shown.apply(total.subtract(target.target())),
                    counties));
        }
        return new Shares(campaign.campaignId(), targets);
    }

    /** The shares of {@code {"shares": [...]}}, with {@code violations} naming each bad field. */
    private static CountyShares read(CampaignWithTargets campaign, List<CountyUnit> units, JsonNode json,
                                     List<FieldViolation> violations) {
        new JsonFields(json, "", violations).allowOnly(Set.of("shares"));
        JsonNode items = json.get("shares");
        if (items == null || !items.isArray()) {
            violations.add(FieldViolation.of("shares", items == null || items.isNull() ? "field.required"
                    : "county-shares.not-array"));
            return null;
        }
        if (items.size() > MAX_SHARES) {
            violations.add(FieldViolation.of("shares", "county-shares.too-many", MAX_SHARES));
            return null;
        }
        Map<String, TargetDefinition> targets = campaign.targets().stream()
                .collect(Collectors.toMap(TargetDefinition::code, t -> t));
        Set<String> counties = units.stream().map(CountyUnit::regionCode).collect(Collectors.toSet());
        Map<String, Map<String, BigDecimal>> byTarget = new LinkedHashMap<>();
        Map<String, Integer> firstOfPair = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String prefix = "shares[" + i + "].";
            if (!items.get(i).isObject()) {
                violations.add(FieldViolation.of("shares[" + i + "]", "json.object"));
                continue;
            }
            JsonFields f = new JsonFields(items.get(i), prefix, violations);
            f.allowOnly(FIELDS);
            String targetCode = f.text("targetCode");
            TargetDefinition target = targetCode == null ? null : targets.get(targetCode);
            if (targetCode == null) {
                Input.required(f, prefix, "targetCode", violations);
            } else if (target == null) {
                violations.add(FieldViolation.of(prefix + "targetCode", "county-shares.unknown-target",
                        campaign.campaignId()));
            }
            String regionCode = f.text("regionCode");
            if (regionCode == null) {
                Input.required(f, prefix, "regionCode", violations);
            } else if (regionCode.equals(campaign.cityCode())) {
                violations.add(FieldViolation.of(prefix + "regionCode", "county-shares.city-level", regionCode));
            } else if (!counties.contains(regionCode)) {
                violations.add(FieldViolation.of(prefix + "regionCode", "county-shares.not-a-county",
                        campaign.cityCode()));
            }
            BigDecimal share = f.amount("share");
            if (share == null) {
                Input.required(f, prefix, "share", violations);
            } else {
                share = TargetDefinition.amountOf(target == null ? null : target.measure(), share, prefix + "share",
                        violations);
            }
            if (targetCode != null && regionCode != null) {
                Integer first = firstOfPair.putIfAbsent(targetCode + " " + regionCode, i);
                if (first != null) {
                    violations.add(FieldViolation.of(prefix + "regionCode", "county-shares.listed-twice", first));
                }
            }
            if (target != null && counties.contains(regionCode) && share != null) {
                byTarget.computeIfAbsent(targetCode, code -> new LinkedHashMap<>()).put(regionCode, share);
            }
        }
        return new CountyShares(campaign.campaignId(), byTarget);
    }
}
