package cn.qxqy.pipeline.command;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectDetails;
import cn.qxqy.pipeline.domain.ProjectEvent;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.ProjectStateMachine;
import cn.qxqy.pipeline.domain.Rejection;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.domain.Writer;
import cn.qxqy.pipeline.eventstore.Author;
import cn.qxqy.pipeline.eventstore.EventStore.Decided;
import cn.qxqy.pipeline.eventstore.NewEvent;
import cn.qxqy.pipeline.eventstore.StoreConflict;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The command side's decisions on one submission, without a store: what is accepted, and why the rest is refused. */
class ProjectCommandsTest {

    private static final LocalDate TODAY = LocalDate.of(2024, 6, 15);
    private static final String REGION = "141102";
    private static final String CODE = "2024-141102-30-01-123456";
    private static final Writer LISHI = new Writer("lishi", List.of(REGION));
    private static final Writer XINGXIAN = new Writer("xingxian", List.of("141123"));

    private final ProjectCommands commands =
            new ProjectCommands(Clock.fixed(Instant.parse("2024-06-15T04:00:00Z"), ZoneOffset.UTC));

    @Test
    void aReservationTheStageMachineAcceptsLeadsToTheReservedState() {
        Decided<Refusal> decided = commands.decide(ProjectState.UNKNOWN, null, submit(LISHI, reserve(CODE)));

        assertThat(decided.refusal()).isNull();
        assertThat(decided.next().stage()).isEqualTo(Stage.RESERVED);
        assertThat(decided.next().version()).isEqualTo(1);
    }

    @Test
    void theCallersViolationsAreInvalidFieldsListedAfterTheDomainsOwn() {
        FieldViolation unknownCampaign = new FieldViolation("data.campaignId", "unknown campaign");
        Submission submission = new Submission(newEvent(LISHI, reserve("not-a-code")), LISHI,
                List.of(unknownCampaign), null);

        Refusal refusal = commands.decide(ProjectState.UNKNOWN, null, submission).refusal();

        assertThat(refusal).isInstanceOf(Refusal.InvalidFields.class);
        assertThat(((Refusal.InvalidFields) refusal).violations()).extracting(FieldViolation::field)
                .containsExactly("data.projectCode", "data.campaignId");
    }

    @Test
    void theCallersViolationsComeBeforeTheProjectsStage() {
        FieldViolation unknownInvestor = new FieldViolation("data.investor", "unknown");
        Submission submission = new Submission(newEvent(LISHI, sign()), LISHI, List.of(unknownInvestor), null);

        Refusal refusal = commands.decide(ProjectState.UNKNOWN, null, submission).refusal();

        assertThat(refusal).isEqualTo(new Refusal.InvalidFields(List.of(unknownInvestor)));
    }

    @Test
    void aFieldTheDomainRefusesIsRejectedBeforeTheWritersRights() {
        ProjectEvent signedTomorrow = new ProjectEvent.ProjectSigned(TODAY.plusDays(1), new BigDecimal("30000"), "某公司");

        Refusal refusal = commands.decide(reserved(), "lishi", submit(XINGXIAN, signedTomorrow)).refusal();

        assertThat(refusal).isInstanceOf(Refusal.Rejected.class);
        assertThat(((Refusal.Rejected) refusal).rejected().kind()).isEqualTo(Rejection.INVALID_FIELD);
    }

    @Test
    void aWriterWithoutTheRightToTheProjectIsDeniedBeforeLearningItsStage() {
        ProjectEvent completed = new ProjectEvent.ProjectCompleted(TODAY);

        Refusal refusal = commands.decide(reserved(), "lishi", submit(XINGXIAN, completed)).refusal();

        assertThat(refusal).isInstanceOf(Refusal.Denied.class);
        assertThat(((Refusal.Denied) refusal).denial().refusal()).isEqualTo(Writer.Refusal.REGION_NOT_HELD);
    }

    @Test
    void aWriterWithTheRightIsRejectedForAnIllegalTransition() {
        ProjectEvent completed = new ProjectEvent.ProjectCompleted(TODAY);

        Refusal refusal = commands.decide(reserved(), "lishi", submit(LISHI, completed)).refusal();

        assertThat(refusal).isInstanceOf(Refusal.Rejected.class);
        assertThat(((Refusal.Rejected) refusal).rejected().kind()).isEqualTo(Rejection.ILLEGAL_TRANSITION);
    }

    @Test
    void theOriginalSenderOfARepostAlwaysHasItsAnswer() {
        assertThat(commands.refuseRepost(reserved(), "lishi", submit(XINGXIAN, sign()), "xingxian")).isEmpty();
    }

    @Test
    void anotherDepartmentRepostingAnEventItCouldNotWriteIsDenied() {
        assertThat(commands.refuseRepost(reserved(), "lishi", submit(XINGXIAN, sign()), "lishi"))
                .hasValueSatisfying(refusal -> assertThat(refusal).isInstanceOf(Refusal.Denied.class));
        assertThat(commands.refuseRepost(reserved(), "lishi", submit(LISHI, sign()), "fgw")).isEmpty();
    }

    @Test
    void aConflictWithTheStoreIsARefusalThatKeepsIt() {
        StoreConflict conflict = new StoreConflict(StoreConflict.Kind.VERSION_CONFLICT, "expectedVersion is 3");

        assertThat(commands.conflict(conflict)).isEqualTo(new Refusal.Conflict(conflict));
    }

    private static ProjectState reserved() {
        return ProjectStateMachine.apply(ProjectState.UNKNOWN, reserve(CODE));
    }

    private static ProjectEvent.ProjectReserved reserve(String projectCode) {
        return new ProjectEvent.ProjectReserved(TODAY.minusDays(10), new ProjectDetails("吕梁氢能产业园项目", "2024-qxqy",
                REGION, "氢能", List.of("延链补链"), new BigDecimal("50000"), new BigDecimal("12000"), "吕梁经济技术开发区",
                "吕梁市氢能产业有限公司", projectCode, null, null));
    }

    private static ProjectEvent sign() {
        return new ProjectEvent.ProjectSigned(TODAY, new BigDecimal("30000"), "山西示例投资集团");
    }

    private static Submission submit(Writer writer, ProjectEvent event) {
        return new Submission(newEvent(writer, event), writer, List.of(), null);
    }

    private static NewEvent newEvent(Writer writer, ProjectEvent event) {
        return new NewEvent("p-1", UUID.randomUUID(), null,
                new Author(writer.department(), "subject", "client", "rest", "request"), event, "hash");
    }
}
