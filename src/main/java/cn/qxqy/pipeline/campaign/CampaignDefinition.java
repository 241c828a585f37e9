package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.wire.JsonFields;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A campaign as an administrator defines it: {@code PUT /api/v1/admin/campaigns/{campaignId}}. */
public record CampaignDefinition(String campaignId, String nameZh, String nameEn, int year, String cityCode,
                                 @Schema(nullable = true) LocalDate launchedOn,
                                 @Schema(description = "the first day of the campaign's calendar, in the years year-1 "
                                         + "to year+1; default 1 January of year") LocalDate startsOn,
                                 @Schema(description = "the last day of the campaign's calendar, not before startsOn, "
                                         + "in the years year-1 to year+1; default 31 December of year") LocalDate endsOn) {

    static final Pattern CAMPAIGN_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,39}$");
    /** A GB/T 2260 administrative code. */
    private static final Pattern CITY_CODE = Pattern.compile("^\\d{6}$");
    private static final Set<String> FIELDS = Set.of("nameZh", "nameEn", "year", "cityCode", "launchedOn",
            "startsOn", "endsOn");
    private static final int MIN_YEAR = 2000;
    private static final int MAX_YEAR = 2100;

    static void checkId(String campaignId, List<FieldViolation> violations) {
        if (!CAMPAIGN_ID.matcher(campaignId).matches()) {
            violations.add(FieldViolation.of("campaignId", "field.pattern", CAMPAIGN_ID.pattern()));
        }
    }

    /** The definition in the JSON object {@code json}, or null with {@code violations} naming each bad field. */
    static CampaignDefinition read(String campaignId, JsonNode json, List<FieldViolation> violations) {
        JsonFields f = new JsonFields(json, "", violations);
        f.allowOnly(FIELDS);
        String nameZh = Input.requiredText(f, "", "nameZh", Input.MAX_NAME_LENGTH, violations);
        String nameEn = Input.requiredText(f, "", "nameEn", Input.MAX_NAME_LENGTH, violations);
        Long year = f.integer("year");
        if (year == null) {
            Input.required(f, "", "year", violations);
        } else if (year < MIN_YEAR || year > MAX_YEAR) {
            violations.add(FieldViolation.of("year", "field.from-to", MIN_YEAR, MAX_YEAR));
        }
        String cityCode = f.text("cityCode");
        if (cityCode == null) {
            Input.required(f, "", "cityCode", violations);
        } else if (!CITY_CODE.matcher(cityCode).matches()) {
            violations.add(FieldViolation.of("cityCode", "campaign.city-code"));
        }
        LocalDate launchedOn = f.date("launchedOn");
        if (launchedOn != null && (launchedOn.getYear() < MIN_YEAR || launchedOn.getYear() > MAX_YEAR)) {
            violations.add(FieldViolation.of("launchedOn", "campaign.launched-years", MIN_YEAR, MAX_YEAR));
        }
        LocalDate startsOn = f.date("startsOn");
        LocalDate endsOn = f.date("endsOn");
        if (year != null && year >= MIN_YEAR && year <= MAX_YEAR) {
            int y = year.intValue();
            startsOn = startsOn == null && !f.has("startsOn") ? LocalDate.of(y, 1, 1) : startsOn;
            endsOn = endsOn == null && !f.has("endsOn") ? LocalDate.of(y, 12, 31) : endsOn;
            boolean startsWithin = withinCalendarYears(startsOn, y, "startsOn", violations);
            boolean endsWithin = withinCalendarYears(endsOn, y, "endsOn", violations);
            if (startsWithin && endsWithin && startsOn != null && endsOn != null && endsOn.isBefore(startsOn)) {
                violations.add(FieldViolation.of("endsOn", "campaign.ends-before-start", startsOn));
            }
        }
        return violations.isEmpty()
                ? new CampaignDefinition(campaignId, nameZh.strip(), nameEn.strip(), year.intValue(), cityCode, launchedOn,
                startsOn, endsOn)
                : null;
    }

    /**
     * Whether {@code day} (null: missing or malformed, reported already) is in the year before the campaign's, its
     * own or the one after: a campaign may open with the previous winter's reserve or close with the next spring's.
     */
    private static boolean withinCalendarYears(LocalDate day, int year, String field, List<FieldViolation> violations) {
        if (day != null && Math.abs(day.getYear() - year) > 1) {
            violations.add(FieldViolation.of(field, "campaign.calendar-years", year - 1, year + 1));
            return false;
        }
        return true;
    }
}
