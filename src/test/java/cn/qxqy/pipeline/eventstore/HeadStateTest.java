package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.domain.ProjectDetails;
import cn.qxqy.pipeline.domain.ProjectEvent;
import cn.qxqy.pipeline.domain.ProjectEvent.ConstructionStarted;
import cn.qxqy.pipeline.domain.ProjectEvent.InvestmentReported;
import cn.qxqy.pipeline.domain.ProjectEvent.MilestoneRetracted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCompleted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCorrected;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectReserved;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectSigned;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectWithdrawn;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.ProjectStateMachine;
import cn.qxqy.pipeline.domain.Stage;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

class HeadStateTest {

    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);

    @Test
    void everyStateAHistoryReachesReadsBackEqualWithAmountsAtTheirScale() {
        List<ProjectEvent> history = List.of(
                new ProjectReserved(DAY, new ProjectDetails("兴县铝镁产业园", "2024-qxqy", "141123", "aluminium-magnesium",
                        List.of("chain-extension", "private-capital"), new BigDecimal("120000.50"), new BigDecimal("3000.00"),
                        "兴县经济开发区", "山西某铝业有限公司", "2024-141123-30-01-123456", null, null)),
                new ProjectSigned(DAY.plusDays(1), new BigDecimal("100000.00"), "投资方"),
                new ConstructionStarted(DAY.plusDays(2)),
                new InvestmentReported(DAY.plusDays(40), YearMonth.of(2024, 4), new BigDecimal("30000.25")),
                new ProjectCorrected(DAY.plusDays(41), new ProjectDetails(null, null, null, null, List.of(),
                        new BigDecimal("130000"), null, null, null, null, null, null)),
                new ProjectCompleted(DAY.plusDays(90)),
                new MilestoneRetracted(DAY.plusDays(91), "填报错误"),
                new ProjectWithdrawn(DAY.plusDays(92), "企业退出"));
        ProjectState state = ProjectState.UNKNOWN;
        List<ProjectState> states = new ArrayList<>();
        for (ProjectEvent event : history) {
            state = ProjectStateMachine.apply(state, event);
            states.add(state);
        }
        for (ProjectState s : states) {
            assertEquals(s, HeadState.read(HeadState.write(s)), s.stage() + " at version " + s.version());
        }
    }

    @Test
    void aHeadStoredBeforeReadsAsTheSameStateAndIsWrittenAgainAlike() throws Exception {
        String stored = "{\"version\":5,\"stage\":\"STARTED\",\"name\":\"兴县铝镁产业园\",\"campaignId\":\"2024-qxqy\","
                + "\"regionCode\":\"141123\",\"industryChain\":\"aluminium-magnesium\","
                + "\"categories\":[\"chain-extension\",\"private-capital\"],\"plannedInvestment\":\"120000.50\","
                + "\"annualPlannedInvestment\":\"3000.00\",\"zone\":\"兴县经济开发区\",\"owner\":\"山西某铝业有限公司\","
                + "\"projectCode\":\"2024-141123-30-01-123456\",\"signedInvestment\":\"1E+5\",\"investor\":\"投资方\","
                + "\"reservedOn\":\"2024-03-01\",\"signedOn\":\"2024-03-02\",\"startedOn\":\"2024-03-03\","
                + "\"reportedPeriod\":\"2024-04\",\"investmentToDate\":\"30000.25\"}";
        ProjectState state = new ProjectState(5, Stage.STARTED,
                new ProjectDetails("兴县铝镁产业园", "2024-qxqy", "141123", "aluminium-magnesium",
                        List.of("chain-extension", "private-capital"), new BigDecimal("120000.50"), new BigDecimal("3000.00"),
                        "兴县经济开发区", "山西某铝业有限公司", "2024-141123-30-01-123456", null, null),
                new ProjectState.Milestones(DAY, DAY.plusDays(1), DAY.plusDays(2), null, null),
                new ProjectState.Signing(new BigDecimal("1E+5"), "投资方"),
                new ProjectState.Report(YearMonth.of(2024, 4), new BigDecimal("30000.25")));

        assertThat(HeadState.read(new ObjectMapper().readTree(stored))).isEqualTo(state);
        assertThat(HeadState.write(state).toString()).isEqualTo(stored);
    }

    @Test
    void aHeadWithoutCategoriesIsStoredWithAnEmptyListAndReadBackWithOne() {
        ProjectState state = new ProjectState(1, Stage.RESERVED,
                new ProjectDetails("项目", "2024-qxqy", "141123", "chain", List.of(), BigDecimal.TEN, null, null, null, null, null, null),
                new ProjectState.Milestones(DAY, null, null, null, null), null, null);

        assertThat(HeadState.write(state).toString()).isEqualTo("{\"version\":1,\"stage\":\"RESERVED\",\"name\":\"项目\","
                + "\"campaignId\":\"2024-qxqy\",\"regionCode\":\"141123\",\"industryChain\":\"chain\","
                + "\"categories\":[],\"plannedInvestment\":\"10\",\"reservedOn\":\"2024-03-01\"}");
        assertThat(HeadState.read(HeadState.write(state))).isEqualTo(state);
    }
}
