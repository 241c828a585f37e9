package cn.qxqy.pipeline.bench;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The projects the load generator follows through their lifecycle, as department systems would post them: 储备
 * ProjectReserved, then 签约 ProjectSigned (three in four; government projects start without one), 开工
 * ConstructionStarted, one or two 投资进度 InvestmentReported, and 竣工 ProjectCompleted.
 * <p>
 * A load interleaves the events of about {@code openProjects} projects: each request takes a project that has no
 * event in flight (or starts a new one), posts its next event, and gives it back once answered, so that a project's
 * events arrive in order with the right {@code expectedVersion}. Every event has a fresh {@code eventId}; milestone
 * dates are in the past and never before the previous milestone's; codes come from the service's reference data.
 */
final class Projects {

    static final String CAMPAIGN = "2024-qxqy";
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    enum Stage { NEW, RESERVED, SIGNED, STARTED, COMPLETED }

    /** A code and its Chinese name, from GET /api/v1/reference/…. */
    record Code(String code, String nameZh) {
    }

    /** One project, touched by one virtual user at a time. */
    static final class Project {
        final String id;
        Stage stage = Stage.NEW;
        int version;
        LocalDate lastMilestone;
        long plannedCents;
        long investedCents;
        int reportsLeft;
        Code region;
        Code chain;

        Project(String id) {
            this.id = id;
        }
    }

    /** The next event of a project, in flight. */
    record Pending(Project project, Stage stageAfter, LocalDate occurredOn, long investedAfter, String type,
                   String envelope) {

        /** The envelope with its projectId, for a batch. */
        String batchItem() {
            return "{\"projectId\":\"" + project.id + "\"," + envelope.substring(1);
        }
    }

    private final List<Code> regions;
    private final List<Code> chains;
    private final List<Code> categories;
    private final int openProjects;
    private final String runId;
    private final LocalDate today = LocalDate.now(ZONE);
    private final ConcurrentLinkedQueue<Project> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();

    Projects(Map<String, List<Code>> reference, int openProjects) {
        this.regions = nonEmpty(reference, "regions");
        this.chains = nonEmpty(reference, "industry-chains");
        this.categories = nonEmpty(reference, "categories");
        this.openProjects = openProjects;
        this.runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36).toUpperCase();
    }

    private static List<Code> nonEmpty(Map<String, List<Code>> reference, String kind) {
        List<Code> codes = reference.get(kind);
        if (codes == null || codes.isEmpty()) {
            throw new IllegalStateException("the service lists no " + kind);
        }
        return List.copyOf(codes);
    }

    /** The next event of a project that has none in flight; a new project while fewer than openProjects are under way. */
    Pending take() {
        Project project = open.get() < openProjects ? null : idle.poll();
        if (project == null) {
            project = new Project(String.format("BENCH-%s-%07d", runId, created.incrementAndGet()));
            open.incrementAndGet();
        }
        return next(project);
    }

    List<Pending> take(int count) {
        List<Pending> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batch.add(take());
        }
        return batch;
    }

    /** The answer to a pending event: 201 moves the project on; anything else drops it (its state is unknown). */
    void answered(Pending pending, boolean created) {
        Project p = pending.project();
        if (!created) {
            refused.incrementAndGet();
            open.decrementAndGet();
            return;
        }
        accepted.incrementAndGet();
        p.version++;
        p.stage = pending.stageAfter();
        p.lastMilestone = pending.occurredOn();
        p.investedCents = pending.investedAfter();
        if ("InvestmentReported".equals(pending.type())) {
            p.reportsLeft--;
        }
        if (p.stage == Stage.COMPLETED) {
            completed.incrementAndGet();
            open.decrementAndGet();
        } else {
            idle.add(p);
        }
    }

    long accepted() {
        return accepted.get();
    }

    long refused() {
        return refused.get();
    }

    long projectsStarted() {
        return created.get();
    }

    long projectsCompleted() {
        return completed.get();
    }

    private Pending next(Project p) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder json = new StringBuilder(512);
        LocalDate on;
        switch (p.stage) {
            case NEW -> {
                p.region = regions.get(random.nextInt(regions.size()));
                p.chain = chains.get(random.nextInt(chains.size()));
                p.plannedCents = random.nextLong(1_000_00L, 800_000_00L); // 1,000.00 to 800,000.00 万元
                p.reportsLeft = 1 + random.nextInt(2);
                on = today.minusDays(30 + random.nextInt(400));
                envelope(json, "ProjectReserved", on, p);
                json.append(",\"data\":{\"name\":");
                string(json, p.region.nameZh() + p.chain.nameZh() + "项目 " + p.id);
                json.append(",\"campaignId\":\"").append(CAMPAIGN)
                        .append("\",\"regionCode\":\"").append(p.region.code())
                        .append("\",\"industryChain\":\"").append(p.chain.code())
                        .append("\",\"categories\":[");
                int n = random.nextInt(3);
                int first = random.nextInt(categories.size());
                for (int i = 0; i < n; i++) {
                    json.append(i > 0 ? "," : "").append('"').append(categories.get((first + i) % categories.size()).code()).append('"');
                }
                json.append("],\"plannedInvestment\":").append(amount(p.plannedCents))
                        .append(",\"annualPlannedInvestment\":").append(amount(p.plannedCents * (20 + random.nextInt(41)) / 100))
                        .append("}}");
                return new Pending(p, Stage.RESERVED, on, 0, "ProjectReserved", json.toString());
            }
            case RESERVED -> {
                on = after(p.lastMilestone, random);
                if (random.nextInt(4) > 0) {
                    envelope(json, "ProjectSigned", on, p);
                    json.append(",\"data\":{\"signedInvestment\":").append(amount(p.plannedCents * (60 + random.nextInt(41)) / 100))
                            .append(",\"investor\":");
                    string(json, "山西" + p.region.nameZh() + "某" + p.chain.nameZh() + "有限公司");
                    json.append("}}");
                    return new Pending(p, Stage.SIGNED, on, 0, "ProjectSigned", json.toString());
                }
                envelope(json, "ConstructionStarted", on, p);
                json.append(",\"data\":{}}");
                return new Pending(p, Stage.STARTED, on, 0, "ConstructionStarted", json.toString());
            }
            case SIGNED -> {
                on = after(p.lastMilestone, random);
                envelope(json, "ConstructionStarted", on, p);
                json.append(",\"data\":{}}");
                return new Pending(p, Stage.STARTED, on, 0, "ConstructionStarted", json.toString());
            }
            case STARTED -> {
                on = after(p.lastMilestone, random);
                if (p.reportsLeft > 0) {
                    long invested = p.investedCents + Math.max(1, (p.plannedCents - p.investedCents) * (10 + random.nextInt(50)) / 100);
                    envelope(json, "InvestmentReported", on, p);
                    json.append(",\"data\":{\"period\":\"").append(YearMonth.from(on))
                            .append("\",\"investmentToDate\":").append(amount(invested)).append("}}");
                    return new Pending(p, Stage.STARTED, on, invested, "InvestmentReported", json.toString());
                }
                envelope(json, "ProjectCompleted", on, p);
                json.append(",\"data\":{}}");
                return new Pending(p, Stage.COMPLETED, on, p.investedCents, "ProjectCompleted", json.toString());
            }
            default -> throw new IllegalStateException("project " + p.id + " has no next event in stage " + p.stage);
        }
    }

    private static void envelope(StringBuilder json, String type, LocalDate on, Project p) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // A random (version 4) UUID without SecureRandom's lock: the load generator must not be the bottleneck.
        UUID eventId = new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
        json.append("{\"eventId\":\"").append(eventId)
                .append("\",\"type\":\"").append(type)
                .append("\",\"occurredOn\":\"").append(on)
                .append("\",\"expectedVersion\":").append(p.version);
    }

    /** A milestone date on or after the previous one, never after today. */
    private LocalDate after(LocalDate previous, ThreadLocalRandom random) {
        LocalDate next = previous.plusDays(random.nextInt(46));
        return next.isAfter(today) ? today : next;
    }

    private static String amount(long cents) {
        return BigDecimal.valueOf(cents, 2).toPlainString();
    }

    private static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}
