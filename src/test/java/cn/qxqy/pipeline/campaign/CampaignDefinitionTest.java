package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.domain.FieldViolation;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A campaign as an administrator defines it: its id and fields, each bad one named. */
class CampaignDefinitionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aGoodCampaignIsReadWithItsNamesStripped() throws Exception {
        List<FieldViolation> violations = new ArrayList<>();

        CampaignDefinition campaign = CampaignDefinition.read("2025-qxqy", JSON.readTree("""
                {"nameZh": " 2025年“千项千亿”项目大会战 ", "nameEn": "2025 campaign", "year": 2025, "cityCode": "141100",
                 "launchedOn": "2025-02-10"}"""), violations);

        assertThat(violations).isEmpty();
        assertThat(campaign).isEqualTo(new CampaignDefinition("2025-qxqy", "2025年“千项千亿”项目大会战", "2025 campaign",
                2025, "141100", LocalDate.of(2025, 2, 10), LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31)));
    }

    @Test
    void aCalendarNotGivenOrNullIsTheCampaignsYear() throws Exception {
        List<FieldViolation> violations = new ArrayList<>();

        CampaignDefinition campaign = CampaignDefinition.read("c", JSON.readTree("""
                {"nameZh": "测试", "nameEn": "Test", "year": 2025, "cityCode": "141100", "endsOn": null}"""), violations);

        assertThat(violations).isEmpty();
        assertThat(campaign.startsOn()).isEqualTo("2025-01-01");
        assertThat(campaign.endsOn()).isEqualTo("2025-12-31");
    }

    @Test
    void aCalendarMayReachIntoTheYearsBeforeAndAfter() throws Exception {
        List<FieldViolation> violations = new ArrayList<>();

        CampaignDefinition campaign = CampaignDefinition.read("c", JSON.readTree("""
                {"nameZh": "测试", "nameEn": "Test", "year": 2025, "cityCode": "141100",
                 "startsOn": "2024-11-01", "endsOn": "2026-03-31"}"""), violations);

        assertThat(violations).isEmpty();
        assertThat(campaign.startsOn()).isEqualTo("2024-11-01");
        assertThat(campaign.endsOn()).isEqualTo("2026-03-31");
    }

    @Test
    void aCalendarBeyondTheYearsAroundTheCampaignsIsNamedFieldByField() throws Exception {
        List<FieldViolation> violations = new ArrayList<>();

        CampaignDefinition campaign = CampaignDefinition.read("c", JSON.readTree("""
                {"nameZh": "测试", "nameEn": "Test", "year": 2025, "cityCode": "141100",
                 "startsOn": "2023-12-31", "endsOn": "2027-01-01"}"""), violations);

        assertThat(campaign).isNull();
        assertThat(violations).containsExactly(FieldViolation.of("startsOn", "campaign.calendar-years", 2024, 2026),
                FieldViolation.of("endsOn", "campaign.calendar-years", 2024, 2026));
    }

    @Test
    void aCalendarEndsNoEarlierThanItStarts() throws Exception {
        List<FieldViolation> violations = new ArrayList<>();

        CampaignDefinition campaign = CampaignDefinition.read("c", JSON.readTree("""
                {"nameZh": "测试", "nameEn": "Test", "year": 2025, "cityCode": "141100", "startsOn": "2025-06-01",
                 "endsOn": "2025-05-31"}"""), violations);

        assertThat(campaign).isNull();
        assertThat(violations).containsExactly(FieldViolation.of("endsOn", "campaign.ends-before-start",
                LocalDate.of(2025, 6, 1)));
    }

    @Test
    void aOneDayCalendarIsAllowed() throws Exception {
        List<FieldViolation> violations = new ArrayList<>();

        CampaignDefinition campaign = CampaignDefinition.read("c", JSON.readTree("""
                {"nameZh": "测试", "nameEn": "Test", "year": 2025, "cityCode": "141100", "startsOn": "2025-06-01",
                 "endsOn": "2025-06-01"}"""), violations);

        assertThat(violations).isEmpty();
        assertThat(campaign.endsOn()).isEqualTo(campaign.startsOn());
    }

    @Test
    void aMalformedCalendarDateIsNamed() throws Exception {
        List<FieldViolation> violations = new ArrayList<>();

        CampaignDefinition.read("c", JSON.readTree("""
                {"nameZh": "测试", "nameEn": "Test", "year": 2025, "cityCode": "141100", "startsOn": "2025-02-30",
                 "endsOn": 20251231}"""), violations);

        assertThat(violations).extracting(FieldViolation::field).containsExactlyInAnyOrder("startsOn", "endsOn");
    }

    @Test
    void everyBadCampaignFieldIsNamed() throws Exception {
        List<FieldViolation> violations = new ArrayList<>();

        CampaignDefinition.checkId("Bad_Id", violations);
        CampaignDefinition campaign = CampaignDefinition.read("Bad_Id", JSON.readTree("""
                {"nameZh": " ", "year": "2025", "cityCode": "14110", "launchedOn": "2025-13-01", "targets": []}"""),
                violations);

        assertThat(campaign).isNull();
        assertThat(violations).extracting(FieldViolation::field).containsExactlyInAnyOrder("campaignId", "nameZh",
                "nameEn", "year", "cityCode", "launchedOn", "targets");
    }

    @Test
    void theYearAndTheLaunchAreWithinTheCenturyOfTheService() throws Exception {
        List<FieldViolation> violations = new ArrayList<>();

        CampaignDefinition.read("c", JSON.readTree("""
                {"nameZh": "测试", "nameEn": "Test", "year": 1999, "cityCode": "141100", "launchedOn": "2101-01-01"}"""),
                violations);

        assertThat(violations).extracting(FieldViolation::field).containsExactly("year", "launchedOn");
    }
}
