package cn.qxqy.pipeline.domain;

import static cn.qxqy.pipeline.domain.Stage.COMPLETED;
import static cn.qxqy.pipeline.domain.Stage.RESERVED;
import static cn.qxqy.pipeline.domain.Stage.SIGNED;
import static cn.qxqy.pipeline.domain.Stage.STARTED;
import static cn.qxqy.pipeline.domain.Stage.WITHDRAWN;

import cn.qxqy.pipeline.domain.CampaignEvent.BulletinIssued;
import cn.qxqy.pipeline.domain.CampaignEvent.FollowUpAnswered;
import cn.qxqy.pipeline.domain.CampaignEvent.MonthlyReportIssued;
import cn.qxqy.pipeline.domain.ProjectEvent.ConstructionStarted;
import cn.qxqy.pipeline.domain.ProjectEvent.InvestmentReported;
import cn.qxqy.pipeline.domain.ProjectEvent.MilestoneRetracted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCompleted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCorrected;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectReserved;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectSigned;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectWithdrawn;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every event type, once: {@link #ALL} those of a project's stream, {@link #OF_OTHER_STREAMS} the others'. Its
 * record's components (but {@code occurredOn}) are the fields of its {@code data}, in their order, a nested record's components flattened; the wire, the store, Kafka and the published schemas all
 * follow from that, and so do its example in the published contract and its name in histories and the reference
 * list {@code event-types}. A new type is an entry here (with its {@link AsOfRule}), its record in {@link ProjectEvent}, its
 * case in {@link DatedState} when its rule needs one, and its cases in
 * {@link ProjectStateMachine}.
 */
public final class EventTypes {

    /**
     * @param name the type's name on the wire and in the store, kept when the record is renamed
     * @param record the event's record: its components are the type's {@code data} fields
     * @param schemaVersion the version of the {@code data} shape written now; older stored shapes are upcast
     * @param allowedFrom the stages of a known project it may follow (the design's "allowed when" column)
     * @param label what the type is called in a history, in Chinese and in English
     * @param example one such event as a department system posts it, shown in the published contract
     * @param asOf from which day the event counts in a read as of a past date ({@link DatedState})
     * @param stream the kind of stream its events are on
     */
    public record EventType(String name, Class<? extends StreamEvent> record, int schemaVersion,
                            Set<Stage> allowedFrom, Label label, Example example, AsOfRule asOf, StreamKind stream) {

        /** A type of a project's stream. */
        public EventType(String name, Class<? extends ProjectEvent> record, int schemaVersion, Set<Stage> allowedFrom,
                         Label label, Example example, AsOfRule asOf) {
            this(name, record, schemaVersion, allowedFrom, label, example, asOf, StreamKind.PROJECT);
        }
    }

    /** From which day an event counts in a read as of a past date (截至某日), in the words of the reference list. */
    public enum AsOfRule {
        ON_ITS_DATE(new Label("自发生日期(occurredOn)起计入", "counts from its occurredOn")),
        FROM_ITS_PERIOD_END(new Label("自所报月份最后一天起计入", "counts from the last day of its period")),
        AT_EVERY_DATE(new Label("对所有日期生效: 被撤回的节点视为从未发生", "applies at every date: the retracted milestone never happened")),
        AT_EVERY_DATE_BUT_MOVES(new Label("对所有日期生效; 但变更所属县区或大会战的更正自其发生日期起生效",
                "applies at every date, but a move to another county or campaign from its occurredOn")),
        CHANGES_NO_FIGURE(new Label("不改变任何数字", "changes no figure"));

        private final Label label;

        AsOfRule(Label label) {
            this.label = label;
        }

        public Label label() {
            return label;
        }
    }

    /** A type's name for people: a history's line, a reference list's entry. */
    public record Label(String zh, String en) {
    }

    /**
     * @param summary what the example shows
     * @param data its {@code data} object, as JSON
     */
    public record Example(String summary, LocalDate occurredOn, String data) {
    }

    /** Every type of a project's stream; in this order their examples are one project's lifecycle that the stage machine accepts. */
    public static final List<EventType> ALL = List.of(
            new EventType("ProjectReserved", ProjectReserved.class, 2, EnumSet.noneOf(Stage.class),
                    new Label("储备入库", "Reserved"),
                    new Example("储备: the project enters the campaign's reserve", LocalDate.of(2024, 2, 19), """
                            {"name": "年产200万只铝合金商用车轮毂智能制造项目", "campaignId": "2024-qxqy", "regionCode": "141123",
                             "industryChain": "aluminium-magnesium", "categories": ["chain-extension", "private-capital"],
                             "plannedInvestment": 150000, "annualPlannedInvestment": 60000, "zone": "兴县经济开发区",
                             "owner": "山西某铝业有限公司"}"""), AsOfRule.ON_ITS_DATE),
            new EventType("ProjectSigned", ProjectSigned.class, 1, EnumSet.of(RESERVED),
                    new Label("签约", "Signed"),
                    new Example("签约: an investor signs", LocalDate.of(2024, 2, 20),
                            "{\"signedInvestment\": 150000, \"investor\": \"山西某铝业有限公司\"}"), AsOfRule.ON_ITS_DATE),
            new EventType("ConstructionStarted", ConstructionStarted.class, 1, EnumSet.of(RESERVED, SIGNED),
                    new Label("开工", "Construction started"),
                    new Example("开工: construction starts", LocalDate.of(2024, 2, 23), "{}"), AsOfRule.ON_ITS_DATE),
            new EventType("InvestmentReported", InvestmentReported.class, 1, EnumSet.of(STARTED, COMPLETED),
                    new Label("投资填报", "Investment reported"),
                    new Example("累计完成投资: investment completed up to the end of a month", LocalDate.of(2024, 4, 5),
                            "{\"period\": \"2024-03\", \"investmentToDate\": \"12000.50\"}"), AsOfRule.FROM_ITS_PERIOD_END),
            new EventType("ProjectCorrected", ProjectCorrected.class, 1, EnumSet.complementOf(EnumSet.of(WITHDRAWN)),
                    new Label("信息更正", "Corrected"),
                    new Example("A correction: only the fields sent change", LocalDate.of(2024, 4, 10),
                            "{\"annualPlannedInvestment\": 65000}"), AsOfRule.AT_EVERY_DATE_BUT_MOVES),
            new EventType("ProjectCompleted", ProjectCompleted.class, 1, EnumSet.of(STARTED),
                    new Label("竣工", "Completed"),
                    new Example("竣工: construction is completed", LocalDate.of(2024, 12, 20), "{}"), AsOfRule.ON_ITS_DATE),
            new EventType("MilestoneRetracted", MilestoneRetracted.class, 1, EnumSet.of(SIGNED, STARTED, COMPLETED),
                    new Label("节点撤回", "Milestone retracted"),
                    new Example("The last milestone, posted in error, is undone", LocalDate.of(2024, 12, 21),
                            "{\"reason\": \"竣工验收尚未通过，误报\"}"), AsOfRule.AT_EVERY_DATE),
            new EventType("ProjectWithdrawn", ProjectWithdrawn.class, 1, EnumSet.complementOf(EnumSet.of(WITHDRAWN)),
                    new Label("退出", "Withdrawn"),
                    new Example("退出: the project leaves the campaign", LocalDate.of(2024, 12, 28),
                            "{\"reason\": \"投资方调整计划\"}"), AsOfRule.ON_ITS_DATE));

    /**
     * The types of the streams that are not a project's ({@link StreamKind}), which the service records itself and no
     * department may post: stored, published on project-events and described in the Kafka contract like the others.
     */
    public static final List<EventType> OF_OTHER_STREAMS = List.of(
            new EventType("MonthlyReportIssued", MonthlyReportIssued.class, 1, EnumSet.noneOf(Stage.class),
                    new Label("月报发布", "Monthly report issued"),
                    new Example("月报发布: the figures of June 2024 as issued", LocalDate.of(2024, 7, 3), """
                            {"period": "2024-06", "revision": 1, "asOf": "2024-06-30", "knownAt": "2024-07-03T02:00:00Z",
                             "issuedBy": "fgw", "department": "fgw", "digest": "…", "report": "{…}", "workbook": "UEsDB…"}"""),
                    AsOfRule.CHANGES_NO_FIGURE, StreamKind.CAMPAIGN),
            new EventType("BulletinIssued", BulletinIssued.class, 1, EnumSet.noneOf(Stage.class),
                    new Label("通报发布", "Bulletin issued"),
                    new Example("通报发布: the counties' rankings and follow-ups of June 2024 as issued",
                            LocalDate.of(2024, 7, 5), """
                            {"period": "2024-06", "revision": 1, "asOf": "2024-06-30", "knownAt": "2024-07-05T02:00:00Z",
                             "issuedBy": "fgw", "department": "fgw", "digest": "…", "bulletin": "{…}", "workbook": "UEsDB…"}"""),
                    AsOfRule.CHANGES_NO_FIGURE, StreamKind.CAMPAIGN),
            new EventType("FollowUpAnswered", FollowUpAnswered.class, 1, EnumSet.noneOf(Stage.class),
                    new Label("督办反馈", "Follow-up answered"),
                    new Example("督办反馈: the county answers why a signed project has not started", LocalDate.of(2024, 7, 12), """
                            {"itemId": "LL-2024-0007:signed-not-started", "projectId": "LL-2024-0007",
                             "rule": "signed-not-started", "regionCode": "141123",
                             "reason": "环评批复待下达，施工许可已受理", "expectedOn": "2024-08-15",
                             "answeredBy": "xingxian", "department": "xingxian-fgj"}"""),
                    AsOfRule.CHANGES_NO_FIGURE, StreamKind.FOLLOW_UP));

    /** Every type the store may hold: {@link #ALL}, then {@link #OF_OTHER_STREAMS}. */
    public static final List<EventType> STORED = Stream.concat(ALL.stream(), OF_OTHER_STREAMS.stream()).toList();

    /** The names, in the order of {@link #ALL}. */
    public static final List<String> NAMES = ALL.stream().map(EventType::name).toList();

    private static final Map<String, EventType> BY_NAME = STORED.stream()
            .collect(Collectors.toUnmodifiableMap(EventType::name, Function.identity()));
    private static final Map<Class<?>, EventType> BY_RECORD = STORED.stream()
            .collect(Collectors.toUnmodifiableMap(EventType::record, Function.identity()));

    private EventTypes() {
    }

    public static EventType of(StreamEvent event) {
        return BY_RECORD.get(event.getClass());
    }

    /** A type of a project's stream, as a department names it: the others are never posted. */
    public static Optional<EventType> named(String name) {
        return stored(name).filter(type -> type.stream() == StreamKind.PROJECT);
    }

    /** Any type the store may hold. */
    public static Optional<EventType> stored(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
