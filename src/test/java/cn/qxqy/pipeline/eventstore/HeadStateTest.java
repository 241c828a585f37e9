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
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HeadStateTest {

    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);

    @Test
    void everyStateAHistoryReachesReadsBackEqualWithAmountsAtTheirScale() {
        List<ProjectEvent> history = List.of(
                new ProjectReserved(DAY, new ProjectDetails("兴县铝镁产业园", "2024-qxqy", "141123", "aluminium-magnesium",
                        List.of("chain-extension", "private-capital"), new BigDecimal("120000.50"), new BigDecimal("3000.00"),
                        "兴县经济开发区", "山西某铝业有限公司", "2024-141123-30-01-123456")),
                new ProjectSigned(DAY.plusDays(1), new BigDecimal("100000.00"), "投资方"),
                new ConstructionStarted(DAY.plusDays(2)),
                new InvestmentReported(DAY.plusDays(40), YearMonth.of(2024, 4), new BigDecimal("30000.25")),
                new ProjectCorrected(DAY.plusDays(41), new ProjectDetails(null, null, null, null, List.of(),
                        new BigDecimal("130000"), null, null, null, null)),
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
}
