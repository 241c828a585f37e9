package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.DatedState;
import cn.qxqy.pipeline.domain.Decision;
import cn.qxqy.pipeline.domain.ProjectStateMachine;
import cn.qxqy.pipeline.testing.history.GeneratedHistories;
import cn.qxqy.pipeline.testing.history.HistoryEvent;
import cn.qxqy.pipeline.testing.history.ModelProject;
import cn.qxqy.pipeline.testing.history.ReferenceModel;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Projects of two campaigns, each through a generated history ({@link GeneratedHistories}): the states the stage
 * machine leads it through, event by event, and the project the reference model makes of the same accepted events.
 * A correction may move a project from one campaign to the other.
 */
final class GeneratedProjects {

    static final LocalDate TODAY = LocalDate.of(2024, 6, 15);
    static final List<String> CAMPAIGNS = List.of("2024-qxqy", "2025-qxqy");

    /** @param states the project's states, from {@link DatedState#UNKNOWN} to its last, one per accepted event */
    record Project(String id, List<DatedState> states, ModelProject model) {

        DatedState last() {
            return states.get(states.size() - 1);
        }

        /** Each accepted event as the projector receives it: the project before and after. */
        List<ProjectionWriter.Change> changes() {
            List<ProjectionWriter.Change> changes = new ArrayList<>();
            for (int v = 1; v < states.size(); v++) {
                changes.add(new ProjectionWriter.Change(id, states.get(v - 1), states.get(v), v));
            }
            return changes;
        }
    }

    private final Random random;
    private final GeneratedHistories histories;

    GeneratedProjects(long seed) {
        this.random = new Random(seed);
        this.histories = new GeneratedHistories(random, TODAY);
    }

    /** The next {@code count} projects; those whose history accepted nothing are left out. */
    List<Project> next(int count) {
        List<Project> projects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Project project = play("P-" + i, inCampaigns(histories.next()));
            if (project.states().size() > 1) {
                projects.add(project);
            }
        }
        return projects;
    }

    private Project play(String id, List<HistoryEvent> history) {
        List<DatedState> states = new ArrayList<>(List.of(DatedState.UNKNOWN));
        ModelProject model = null;
        for (HistoryEvent e : history) {
            DatedState state = states.get(states.size() - 1);
            Decision decision = ProjectStateMachine.decide(state.current(), GeneratedHistories.toDomain(e), TODAY);
            ReferenceModel.Verdict verdict = ReferenceModel.verdict(model, e, TODAY);
            assertThat(decision instanceof Decision.Accepted).as("the stage machine and the reference model on " + e)
                    .isEqualTo(verdict == ReferenceModel.Verdict.ACCEPTED);
            if (decision instanceof Decision.Accepted accepted) {
                DatedState next = state.next(GeneratedHistories.toDomain(e));
                assertThat(next.current()).as("the dated fold and the stage machine on " + e).isEqualTo(accepted.next());
                states.add(next);
                model = ReferenceModel.apply(model, e);
            }
        }
        return new Project(id, List.copyOf(states), model);
    }

    /** The history with each campaign a reservation or correction names drawn from both campaigns. */
    private List<HistoryEvent> inCampaigns(List<HistoryEvent> history) {
        List<HistoryEvent> moved = new ArrayList<>(history.size());
        for (HistoryEvent e : history) {
            boolean namesACampaign = CAMPAIGNS.get(0).equals(e.data().get("campaignId"));
            moved.add(namesACampaign && random.nextBoolean()
                    ? e.withData(e.intent, e.intended, "campaignId", CAMPAIGNS.get(1)) : e);
        }
        return moved;
    }
}
