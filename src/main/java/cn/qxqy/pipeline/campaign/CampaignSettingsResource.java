package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.FollowUpSettings;
import cn.qxqy.pipeline.domain.Ranking;
import cn.qxqy.pipeline.domain.Wording;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A campaign's settings for its rankings (the bands' thresholds) and its follow-ups (which rules, after how long). */
@Path("/api/v1/campaigns/{campaignId}/settings")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
@RolesAllowed({"viewer", "department", "admin"})
public class CampaignSettingsResource {

    static final int MAX_DAYS = 3650;
    static final int MAX_DUE_DAY = 28;
    /** A ratio to 时序进度 far beyond any a county reaches; the column keeps 3 decimals. */
    private static final BigDecimal MAX_THRESHOLD = new BigDecimal("100");
    private static final int THRESHOLD_DECIMALS = 3;

    private final Campaigns campaigns;
    private final Senders senders;
    private final ObjectMapper strict;

    public CampaignSettingsResource(Campaigns campaigns, Senders senders, ObjectMapper mapper) {
        this.campaigns = campaigns;
        this.senders = senders;
        this.strict = JsonFields.strict(mapper);
    }

    @GET
    @Operation(operationId = "getCampaignSettings", summary = "The campaign's band thresholds and follow-up rules",
            description = "The defaults (bands 1.1, 0.9, 0.7; follow-ups after 90 and 180 days, reports due on the "
                    + "10th, planned dates on) until they are set.")
    @APIResponse(responseCode = "200", description = "the settings", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CampaignSettings.class)))
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<CampaignSettings> get(@PathParam("campaignId") String campaignId) {
        return campaigns.find(campaignId).map(found -> CityOffice.known(found, campaignId))
                .flatMap(campaign -> campaigns.settings(campaignId));
    }

    @PUT
    @RolesAllowed({"department", "admin"})
    @Operation(operationId = "putCampaignSettings", summary = "Set the campaign's band thresholds and follow-up rules",
            description = "Body: {\"bands\": {leading, normal, lagging}, \"followUps\": {signedNotStartedDays, "
                    + "reservedNotSignedDays, reportDueDay, plannedDates}}: leading > normal > lagging > 0 with at most 3 "
                    + "decimals; days 1–3650 and the due day 1–28, or null to turn the rule off (each must be given); "
                    + "plannedDates true or false. Each change is kept with its instant, for reads with knownAt. Only "
                    + "an administrator or a department holding the campaign's whole city.")
    @APIResponse(responseCode = "200", description = "the settings as stored", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CampaignSettings.class)))
    @APIResponse(responseCode = "400", description = "/problems/invalid-request: errors names each invalid field, "
            + "such as bands.normal or followUps.reportDueDay")
    @APIResponse(responseCode = "403", description = "/problems/forbidden: neither an administrator nor the city")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CampaignSettings.class)))
    public Uni<CampaignSettings> put(@PathParam("campaignId") String campaignId, String body,
                                     @Context SecurityContext security) {
        return campaigns.find(campaignId).map(found -> CityOffice.known(found, campaignId))
                .flatMap(campaign -> {
                    CityOffice.check(campaign, security, senders);
                    List<FieldViolation> violations = new ArrayList<>();
                    CampaignSettings settings = read(Input.parseObject(strict, body), violations);
                    if (!violations.isEmpty()) {
                        throw Input.invalid(Wording.of("settings.invalid"), violations);
                    }
                    return campaigns.replaceSettings(campaignId, settings);
                })
                .flatMap(replaced -> {
                    if (!replaced) {
                        throw CityOffice.unknown(campaignId);
                    }
                    return campaigns.settings(campaignId);
                });
    }

    private static CampaignSettings read(JsonNode json, List<FieldViolation> violations) {
        new JsonFields(json, "", violations).allowOnly(Set.of("bands", "followUps"));
        JsonNode bandsJson = object(json, "bands", violations);
        Ranking.BandThresholds bands = null;
        if (bandsJson != null) {
            JsonFields f = new JsonFields(bandsJson, "bands.", violations);
            f.allowOnly(Set.of("leading", "normal", "lagging"));
            BigDecimal leading = threshold(f, "leading", violations);
            BigDecimal normal = threshold(f, "normal", violations);
            BigDecimal lagging = threshold(f, "lagging", violations);
            if (leading != null && normal != null && normal.compareTo(leading) >= 0) {
                violations.add(FieldViolation.of("bands.normal", "settings.band-order", "bands.leading", leading));
            }
            if (normal != null && lagging != null && lagging.compareTo(normal) >= 0) {
                violations.add(FieldViolation.of("bands.lagging", "settings.band-order", "bands.normal", normal));
            }
            bands = new Ranking.BandThresholds(leading, normal, lagging);
        }
        JsonNode followUpsJson = object(json, "followUps", violations);
        FollowUpSettings followUps = null;
        if (followUpsJson != null) {
            JsonFields f = new JsonFields(followUpsJson, "followUps.", violations);
            f.allowOnly(Set.of("signedNotStartedDays", "reservedNotSignedDays", "reportDueDay", "plannedDates"));
            Integer signedNotStarted = days(followUpsJson, f, "signedNotStartedDays", MAX_DAYS, violations);
            Integer reservedNotSigned = days(followUpsJson, f, "reservedNotSignedDays", MAX_DAYS, violations);
            Integer reportDueDay = days(followUpsJson, f, "reportDueDay", MAX_DUE_DAY, violations);
            JsonNode planned = followUpsJson.get("plannedDates");
            if (planned == null || planned.isNull()) {
                violations.add(FieldViolation.of("followUps.plannedDates", "field.required"));
            } else if (!planned.isBoolean()) {
                violations.add(FieldViolation.of("followUps.plannedDates", "json.boolean"));
            }
            followUps = new FollowUpSettings(signedNotStarted, reservedNotSigned, reportDueDay,
                    planned != null && planned.booleanValue());
        }
        return new CampaignSettings(bands, followUps);
    }

    private static JsonNode object(JsonNode json, String field, List<FieldViolation> violations) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            violations.add(FieldViolation.of(field, "field.required"));
            return null;
        }
        if (!value.isObject()) {
            violations.add(FieldViolation.of(field, "json.object"));
            return null;
        }
        return value;
    }

    /** More than 0, at most 3 decimals; written without trailing zeros, 1.1 as given rather than 1.10. */
    private static BigDecimal threshold(JsonFields f, String field, List<FieldViolation> violations) {
        BigDecimal value = f.amount(field);
        if (value == null) {
            Input.required(f, "bands.", field, violations);
            return null;
        }
        BigDecimal plain = value.stripTrailingZeros();
        plain = plain.scale() < 0 ? plain.setScale(0) : plain;
        if (plain.signum() <= 0 || plain.compareTo(MAX_THRESHOLD) > 0 || plain.scale() > THRESHOLD_DECIMALS) {
            violations.add(FieldViolation.of("bands." + field, "settings.band-range", MAX_THRESHOLD, THRESHOLD_DECIMALS));
            return null;
        }
        return plain;
    }

    /** A number of days from 1 to {@code max}, or null (the rule off); the field must be there either way. */
    private static Integer days(JsonNode json, JsonFields f, String field, int max, List<FieldViolation> violations) {
        if (!json.has(field)) {
            violations.add(FieldViolation.of("followUps." + field, "settings.required-or-null"));
            return null;
        }
        Long value = f.integer(field);
        if (value != null && (value < 1 || value > max)) {
            violations.add(FieldViolation.of("followUps." + field, "field.from-to", 1, max));
            return null;
        }
        return value == null ? null : value.intValue();
    }
}
