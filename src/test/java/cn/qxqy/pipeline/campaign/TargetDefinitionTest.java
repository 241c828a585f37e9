package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.reference.Measure;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A campaign's targets as an administrator sends them ({@code {"targets": [...]}}): every bad field named by its
 * path, the good ones read as the campaign's reads show them. Whether the categories are known is the reference data's
 * (the resource checks them, {@link CampaignAdminTest}).
 */
class TargetDefinitionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void goodTargetsAreReadInOrderACountAsAWholeNumberAnAmountWithItsFractionDigits() throws Exception {
        List<FieldViolation> violations = new ArrayList<>();

        List<TargetDefinition> targets = TargetDefinition.readAll(JSON.readTree("""
                {"targets": [
                  {"code": "projects", "nameZh": " 项目总数 ", "nameEn": "Projects", "measure": "projects",
                   "target": "1000.00"},
                  {"code": "private-signed", "nameZh": "民间资本签约", "nameEn": "Private capital signed",
                   "measure": "projects", "categories": ["private-capital"], "reachedStage": "SIGNED", "target": 30},
                  {"code": "annual", "nameZh": "年度计划投资", "nameEn": "Annual plan",
                   "measure": "annualPlannedInvestment", "reachedStage": null, "target": "10000000.50"}]}
                """), violations);

        assertThat(violations).isEmpty();
        assertThat(targets).containsExactly(
                new TargetDefinition("projects", "项目总数", "Projects", Measure.PROJECTS, List.of(), null,
                        new BigDecimal("1000")),
                new TargetDefinition("private-signed", "民间资本签约", "Private capital signed", Measure.PROJECTS,
                        List.of("private-capital"), Stage.SIGNED, new BigDecimal("30")),
                new TargetDefinition("annual", "年度计划投资", "Annual plan", Measure.ANNUAL_PLANNED_INVESTMENT, List.of(),
                        null, new BigDecimal("10000000.50")));
    }

    @Test
    void everyBadTargetFieldIsNamedByItsPath() throws Exception {
        List<FieldViolation> violations = new ArrayList<>();

        TargetDefinition.readAll(JSON.readTree("""
                {"targets": [
                  {"code": "Bad Code!", "nameZh": "甲", "nameEn": "A", "measure": "projects", "target": 1},
                  {"code": "measure", "nameZh": "甲", "nameEn": "A", "measure": "signedInvestment", "target": 1},
                  {"code": "categories", "nameZh": "甲", "nameEn": "A", "measure": "projects", "target": 1,
                   "categories": ["private-capital", "private-capital"]},
                  {"code": "target", "nameZh": "甲", "nameEn": "A", "measure": "annualPlannedInvestment",
                   "target": "12.345"},
                  {"code": "stage", "nameZh": "甲", "nameEn": "A", "measure": "projects", "target": 1,
                   "reachedStage": "WITHDRAWN"},
                  {"code": "unknown", "nameZh": "甲", "nameEn": "A", "measure": "projects", "target": 1,
                   "colour": "red"},
                  {"code": "unknown", "nameZh": "甲", "nameEn": "A", "measure": "projects", "target": 1},
                  {"code": "fraction", "nameZh": "甲", "nameEn": "A", "measure": "projects", "target": "10.5"},
                  {"code": "zero", "nameZh": "甲", "nameEn": "A", "measure": "projects", "target": 0},
                  {"code": "too-much", "nameZh": "甲", "nameEn": "A", "measure": "annualPlannedInvestment",
                   "target": "1000000000000"},
                  {"code": "missing"},
                  {"code": "blank", "nameZh": " ", "nameEn": "A", "measure": "projects", "target": 1}]}
                """), violations);

        assertThat(violations).extracting(FieldViolation::field).containsExactlyInAnyOrder("targets[0].code",
                "targets[1].measure", "targets[2].categories[1]", "targets[3].target", "targets[4].reachedStage",
                "targets[5].colour", "targets[6].code", "targets[7].target", "targets[8].target", "targets[9].target",
                "targets[10].nameZh", "targets[10].nameEn", "targets[10].measure", "targets[10].target",
                "targets[11].nameZh");
    }

    @Test
    void theBodyIsAnObjectWithAListOfTargetObjects() throws Exception {
        List<FieldViolation> notAList = new ArrayList<>();
        assertThat(TargetDefinition.readAll(JSON.readTree("{\"targets\": 1, \"extra\": true}"), notAList)).isNull();
        assertThat(notAList).extracting(FieldViolation::field).containsExactlyInAnyOrder("targets", "extra");

        List<FieldViolation> missing = new ArrayList<>();
        assertThat(TargetDefinition.readAll(JSON.readTree("{}"), missing)).isNull();
        assertThat(missing).extracting(FieldViolation::field).containsExactly("targets");

        List<FieldViolation> notAnObject = new ArrayList<>();
        assertThat(TargetDefinition.readAll(JSON.readTree("{\"targets\": [1]}"), notAnObject)).containsExactly(
                (TargetDefinition) null);
        assertThat(notAnObject).extracting(FieldViolation::field).containsExactly("targets[0]");
    }

    @Test
    void aCampaignHasAtMostAHundredTargets() throws Exception {
        String target = "{\"code\": \"t\", \"nameZh\": \"甲\", \"nameEn\": \"A\", \"measure\": \"projects\", \"target\": 1}";
        List<FieldViolation> violations = new ArrayList<>();

        assertThat(TargetDefinition.readAll(JSON.readTree("{\"targets\": [" + String.join(",",
                Collections.nCopies(TargetDefinition.MAX_TARGETS + 1, target)) + "]}"), violations)).isNull();
        assertThat(violations).extracting(FieldViolation::field).containsExactly("targets");
    }
}
