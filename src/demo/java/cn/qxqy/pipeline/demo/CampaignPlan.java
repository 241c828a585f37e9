package cn.qxqy.pipeline.demo;

import cn.qxqy.pipeline.demo.Vocabulary.Chain;
import cn.qxqy.pipeline.demo.Vocabulary.Region;
import cn.qxqy.pipeline.demo.Vocabulary.Template;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToIntFunction;

import static cn.qxqy.pipeline.demo.ProjectHistory.COMPLETED;
import static cn.qxqy.pipeline.demo.ProjectHistory.CORRECTED;
import static cn.qxqy.pipeline.demo.ProjectHistory.REPORTED;
import static cn.qxqy.pipeline.demo.ProjectHistory.RESERVED;
import static cn.qxqy.pipeline.demo.ProjectHistory.RETRACTED;
import static cn.qxqy.pipeline.demo.ProjectHistory.SIGNED;
import static cn.qxqy.pipeline.demo.ProjectHistory.STARTED;
import static cn.qxqy.pipeline.demo.ProjectHistory.WITHDRAWN;
import static cn.qxqy.pipeline.demo.Vocabulary.CHAINS;
import static cn.qxqy.pipeline.demo.Vocabulary.COMPANY_CORES;
import static cn.qxqy.pipeline.demo.Vocabulary.COMPANY_PLACES;
import static cn.qxqy.pipeline.demo.Vocabulary.INDUSTRIAL;
import static cn.qxqy.pipeline.demo.Vocabulary.REGIONS;
import static cn.qxqy.pipeline.demo.Vocabulary.STOP_REASONS;
import static cn.qxqy.pipeline.demo.Vocabulary.WITHDRAWAL_REASONS;

/**
 * The demo's campaigns: 2023-qxqy, the campaign's first year, with {@value #FIRST_YEAR_GENERATED} generated projects;
 * then 2024-qxqy, with the projects the seed article names and {@value #GENERATED} generated ones, over every region,
 * industry chain and category, each with a history the stage machine accepts. A 2023 project neither completed nor
 * withdrawn by the end of 2023 is carried over: a correction moves it to 2024-qxqy on 1 January 2024, so that as of a
 * day of 2023 it counts in 2023 and from 2024 on in 2024; its history goes on in 2024 (its reports across the year's
 * end make 本年完成投资 less than 累计完成投资). Both years fill month by month, so that the figures as of a day show the
 * campaign as it stood then. Always the same (a fixed seed, StrictMath), so that loading it again posts the very same
 * events.
 */
final class CampaignPlan {

    static final String CAMPAIGN = "2024-qxqy";
    /** The campaign's first year (V13__campaign_calendar.sql): the 2024 report calls 2024 the second. */
    static final String FIRST_CAMPAIGN = "2023-qxqy";
    /** With the article's and those carried over from 2023, enough that the active ones meet the target of 1,000. */
    static final int GENERATED = 760;
    /** Enough for a comparison of the two years in every county; few, for a short load. */
    static final int FIRST_YEAR_GENERATED = 300;
    /** When the 2023 projects still under way move to 2024-qxqy. */
    static final LocalDate CARRIED_OVER = LocalDate.of(2024, 1, 1);

    private static final long SEED = 20240219L;
    /** The campaign's launch (V2__reference_data.sql, and the article): many projects enter the reserve that day. */
    private static final LocalDate LAUNCH = LocalDate.of(2024, 2, 19);
    private static final LocalDate YEAR_END = LocalDate.of(2024, 12, 31);

    /**
     * A year of the campaign, as its reserve fills: a few projects before the launch, some on the launch day, the
     * others evenly until the end of November.
     *
     * @param launch null when its day is not known: then evenly from 2 January on
     */
    private record Season(String campaign, int year, LocalDate launch) {

        LocalDate lastReservation() {
            return LocalDate.of(year, 11, 30);
        }
    }

    private static final Season FIRST_YEAR = new Season(FIRST_CAMPAIGN, 2023, null);
    private static final Season SECOND_YEAR = new Season(CAMPAIGN, 2024, LAUNCH);

    private static final String PHASES = "二三四五六七八九";

    /** Category codes in the reference data's order, in which a project lists its own. */
    private static final List<String> CATEGORIES = List.of("central-budget", "special-bond", "chain-extension",
            "private-capital", "patent-technology");

    /**
     * Both years: their projects, their events in the order they are posted, and the projects carried over from the
     * first year into the second.
     */
    record Plan(List<ProjectHistory> projects, List<DemoEvent> events, List<String> carriedOver) {
    }

    private final Random rnd = new Random(SEED);
    /** The last day an event may have: the end of 2024, or today should the clock be earlier. */
    private final LocalDate end;
    /** Counts the projects of both years: the serial of their project codes. */
    private int projectNumber;
    /** The last project number of each year, for its projectIds. */
    private final Map<Integer, Integer> numbersByYear = new HashMap<>();
    private final List<String> carriedOver = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    private CampaignPlan(LocalDate today) {
        this.end = today.isBefore(YEAR_END) ? today : YEAR_END;
    }

    static Plan build(LocalDate today) {
        CampaignPlan plan = new CampaignPlan(today);
        List<ProjectHistory> projects = new ArrayList<>();
        for (int k = 0; k < FIRST_YEAR_GENERATED; k++) {
            projects.add(plan.carriedOver(plan.generated(k, FIRST_YEAR)));
        }
        projects.addAll(plan.articleProjects());
        for (int k = 0; k < GENERATED; k++) {
            projects.add(plan.generated(k, SECOND_YEAR));
        }
        projects.addAll(plan.stalledProjects());
        // A stable sort: on the same day, projects in order and each project's events by version.
        List<DemoEvent> events = projects.stream().flatMap(p -> p.events().stream())
                .sorted(Comparator.comparing(DemoEvent::postedOn)).toList();
        return new Plan(projects, events, List.copyOf(plan.carriedOver));
    }

    // --- the article's projects (shared/seeds/000_50ea69b444730b6f.txt)

    private List<ProjectHistory> articleProjects() {
        List<ProjectHistory> projects = new ArrayList<>();
        projects.add(wheelHubs());
        projects.add(article(reservation("祁县至离石高速公路吕梁段", "141100", "infrastructure", List.of("special-bond"),
                        "1560000", "380000", null, null, "2022-141100-48-02-000002"),
                date(1, 8), null, null, date(2, 19), null, 34)
                .dated(CORRECTED, date(7, 15), data("annualPlannedInvestment", new BigDecimal("420000")))); // 年中调增
        projects.add(article(reservation("汾阳至石楼高速公路", "141100", "infrastructure", List.of("special-bond"),
                        "1345000", "260000", null, null, "2021-141100-48-02-000003"),
                date(1, 8), null, null, date(2, 19), date(12, 26), 11));
        projects.add(article(reservation("吕梁市新安大道建设工程", "141100", "infrastructure", List.of("special-bond"),
                        "86500", "30000", null, "吕梁市住房和城乡建设局", null),
                LAUNCH, null, null, date(3, 20), null, 20));
        projects.add(article(reservation("吕梁新区快速路建设工程", "141100", "infrastructure", List.of("special-bond"),
                        "128000", "45000", null, "吕梁市住房和城乡建设局", null),
                LAUNCH, null, null, date(4, 10), null, 24));
        projects.add(article(reservation("吕梁市博物馆建设项目", "141100", "culture-tourism", List.of("central-budget"),
                        "72000", "25000", null, "吕梁市文化和旅游局", null),
                date(1, 15), null, null, LAUNCH, null, 22));
        projects.add(article(reservation("吕梁市地方文化展示馆建设项目", "141100", "culture-tourism", List.of("special-bond"),
                        "36000", "15000", null, "吕梁市文化和旅游局", null),
                date(1, 15), null, null, LAUNCH, null, 18));
        // Two smart fully mechanised faces on a 5G platform, already at work when the article appeared.
        projects.add(article(reservation("鑫岩煤矿5G智能化矿井建设项目", "141129", "coal", List.of(),
                        "16800", "6000", null, "中阳县东义集团煤气化有限公司", null),
                date(1, 4), null, null, date(1, 10), date(3, 15), 3));
        projects.add(article(reservation("山西美锦氢燃料商用车生产线项目", "141100", "hydrogen",
                        List.of("chain-extension", "private-capital"), "120000", "40000", "吕梁经济技术开发区", null, null),
                date(1, 12), date(1, 19), "山西美锦能源股份有限公司", date(1, 26), date(3, 26), 3));
        projects.add(article(reservation("杏花村汾酒省级专业镇清香型白酒产能提升项目", "141182", "baijiu",
                        List.of("chain-extension", "private-capital"), "185000", "60000", null, null, null),
                LAUNCH, date(4, 12), "汾阳市杏花村镇清香酒业有限公司", date(6, 18), null, 24));
        projects.add(article(reservation("“一泓清水入黄河”三川河流域生态治理工程", "141100", "other",
                        List.of("central-budget"), "98000", "35000", null, "吕梁市水利局", null),
                LAUNCH, null, null, date(4, 22), null, 20));
        projects.add(article(reservation("吕梁非常规天然气示范基地柳林区块煤层气开发项目", "141125", "unconventional-gas",
                        List.of("chain-extension"), "260000", "52000", null, null, null),
                LAUNCH, date(5, 9), "山西聚能煤层气开发有限公司", date(7, 16), null, 30));
        projects.add(article(reservation("吕梁国家级大宗固废综合利用示范基地孝义园区项目", "141181", "solid-waste",
                        List.of("central-budget", "chain-extension"), "68000", "20000", null, null, null),
                date(3, 5), date(4, 20), "孝义市鑫源环保科技有限公司", date(5, 28), null, 20));
        return projects;
    }

    /**
     * The aluminium wheel hubs of 兴县经开区, started on 23 February: the README walkthrough's project, its four events
     * verbatim (ids, dates, fields, expectedVersion only on the reservation), so that a database that went through
     * the walkthrough takes them as re-posts. Its year-end report is the demo's own.
     */
    private ProjectHistory wheelHubs() {
        ProjectHistory h = new ProjectHistory(nextProjectId(2024));
        String ids = "7d8e2f50-3c1a-4f3e-9a53-0c1d2e3f4a0";
        h.milestone(RESERVED, LAUNCH, reservation("年产200万只铝合金商用车轮毂智能制造项目", "141123", "aluminium-magnesium",
                List.of("chain-extension", "private-capital"), "150000", "60000", "兴县经济开发区", null, null),
                UUID.fromString(ids + "1"));
        h.milestone(SIGNED, date(2, 20), data("signedInvestment", new BigDecimal("150000"), "investor", "山西某铝业有限公司"),
                UUID.fromString(ids + "2"));
        h.milestone(STARTED, date(2, 23), Map.of(), UUID.fromString(ids + "3"));
        h.milestone(COMPLETED, date(12, 20), Map.of(), UUID.fromString(ids + "4"));
        return h.dated(REPORTED, YEAR_END, data("period", "2024-12", "investmentToDate", new BigDecimal("146820.50")));
    }

    /** An article project: reserved, signed if an investor is given, started, completed if a date is given. */
    private ProjectHistory article(Map<String, Object> reservation, LocalDate reserved, LocalDate signed,
                                   String investor, LocalDate started, LocalDate completed, int months) {
        ProjectHistory h = new ProjectHistory(nextProjectId(2024)).milestone(RESERVED, reserved, reservation);
        BigDecimal planned = (BigDecimal) reservation.get("plannedInvestment");
        if (signed != null) {
            h.milestone(SIGNED, signed, data("signedInvestment", planned, "investor", investor));
        }
        h.milestone(STARTED, started, Map.of());
        if (completed != null) {
            h.milestone(COMPLETED, completed, Map.of());
        }
        reports(h, planned, YearMonth.from(started), YearMonth.from(completed != null ? completed : end), months,
                new BigDecimal("0.96"), end);
        return h;
    }

    // --- stalled projects (督办)

    /**
     * Projects that stall, each on one follow-up rule in a county of its own, so that the follow-up list as of the end
     * of 2024 has items of every rule in several counties (with the defaults: 90 days signed, 180 days reserved,
     * reports due on the 10th): signed in spring and never started; reserved in spring and never signed; started with
     * months left unreported (one reported late, which closes its item late); and planned dates that passed.
     */
    private List<ProjectHistory> stalledProjects() {
        List<ProjectHistory> projects = new ArrayList<>();
        projects.add(stalled("临县碛口古镇文旅综合开发项目", "141124", "culture-tourism", "28000", date(3, 4), null)
                .signed(date(4, 15), "吕梁碛口文化旅游开发有限公司").history);
        projects.add(stalled("石楼县黄河湾光伏储能一体化项目", "141126", "other", "46000", date(3, 18), null)
                .signed(date(6, 3), "山西石楼新能源科技有限公司").history);
        projects.add(stalled("中阳县钢渣综合利用项目", "141129", "solid-waste", "12500", date(5, 6), null)
                .signed(date(8, 20), "中阳县鑫源再生资源有限公司").history);

        projects.add(stalled("岚县马铃薯精深加工项目", "141127", "other", "9800", date(3, 5), null).history);
        projects.add(stalled("方山县北武当山景区提升项目", "141128", "culture-tourism", "15600", date(4, 22), null).history);
        projects.add(stalled("交口县双池镇煤层气集输项目", "141130", "unconventional-gas", "21000", date(5, 30), null)
                .history);

        projects.add(stalled("文水县新型建材产业园项目", "141121", "other", "18200", date(2, 26), null)
                .started(date(3, 10)).reported("2024-03", "2024-06").history);
        projects.add(stalled("柳林县城区集中供热改造项目", "141125", "livelihood", "8600", date(3, 28), null)
                .started(date(5, 6)).reported("2024-05", "2024-08").reported("2024-10", "2024-10").history);
        projects.add(stalled("孝义市铝镁合金压铸件项目", "141181", "aluminium-magnesium", "32000", date(2, 19), null)
                .started(date(4, 2)).reported("2024-04", "2024-07").reportedLate("2024-08", date(10, 25)).history);

        projects.add(stalled("兴县高家村镇农产品冷链物流项目", "141123", "other", "6400", date(3, 12),
                new Planned(date(9, 1), null)).history);
        projects.add(stalled("汾阳市杏花村酒文化产业园配套项目", "141182", "baijiu", "24000", date(2, 20),
                new Planned(date(10, 15), date(12, 31))).signed(date(5, 10), "山西杏花村酒业配套有限公司").history);
        projects.add(stalled("离石区城市污水处理厂提标改造项目", "141102", "livelihood", "11800", date(3, 1),
                new Planned(date(4, 1), date(11, 30))).started(date(4, 8)).reported("2024-04", "2024-11").history);
        // Before a stalled project's reservation day has come (a demo built early in 2024) it is left out.
        projects.removeIf(h -> !h.isReserved());
        return projects;
    }

    /** A project's planned 开工 and 竣工 dates (either may be null), as its reservation states them. */
    private record Planned(LocalDate startOn, LocalDate completionOn) {
    }

    /** A stalled project being written: each step only when its day has come. */
    private final class Stalled {
        final ProjectHistory history;
        final BigDecimal planned;
        private LocalDate startedOn;

        Stalled(ProjectHistory history, BigDecimal planned) {
            this.history = history;
            this.planned = planned;
        }

        Stalled signed(LocalDate on, String investor) {
            if (within(on)) {
                history.milestone(SIGNED, on, data("signedInvestment", planned, "investor", investor));
            }
            return this;
        }

        Stalled started(LocalDate on) {
            if (within(on)) {
                history.milestone(STARTED, on, Map.of());
                startedOn = on;
            }
            return this;
        }

        /** Each month from {@code from} through {@code to} reported on its last day, a tenth of the planned more. */
        Stalled reported(String from, String to) {
            for (YearMonth month = YearMonth.parse(from); !month.isAfter(YearMonth.parse(to)); month = month.plusMonths(1)) {
                reportedLate(month.toString(), month.atEndOfMonth());
            }
            return this;
        }

        /** The month reported on {@code on}, the same share of the planned a month as {@link #reported}. */
        Stalled reportedLate(String period, LocalDate on) {
            if (startedOn != null && within(on)) {
                long months = ChronoUnit.MONTHS.between(YearMonth.from(startedOn), YearMonth.parse(period)) + 1;
                history.dated(REPORTED, on, data("period", period, "investmentToDate", planned
                        .multiply(BigDecimal.valueOf(months)).divide(BigDecimal.TEN, 2, RoundingMode.HALF_UP)));
            }
            return this;
        }
    }

    private Stalled stalled(String name, String region, String chain, String planned, LocalDate reserved,
                            Planned dates) {
        Map<String, Object> reservation = reservation(name, region, chain, List.of(), planned,
                new BigDecimal(planned).divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_UP).toPlainString(), null, null,
                null);
        if (dates != null) {
            // As the wire has them: the demo's JSON knows no LocalDate.
            reservation.putAll(data("plannedStartOn", Objects.toString(dates.startOn(), null),
                    "plannedCompletionOn", Objects.toString(dates.completionOn(), null)));
        }
        ProjectHistory h = new ProjectHistory(nextProjectId(2024));
        if (within(reserved)) {
            h.milestone(RESERVED, reserved, reservation);
        }
        return new Stalled(h, new BigDecimal(planned));
    }

    // --- generated projects

    /** The k-th generated project of a year; its first ones take every region and every chain in turn. */
    private ProjectHistory generated(int k, Season season) {
        ProjectHistory h = new ProjectHistory(nextProjectId(season.year()));
        Region region = k < REGIONS.size() ? REGIONS.get(k) : weighted(REGIONS, Region::weight);
        Chain chain = k < CHAINS.size() ? CHAINS.get(k) : chainIn(region);
        boolean industrial = INDUSTRIAL.contains(chain.code());
        boolean government = !chain.ofKind(true).isEmpty() && rnd.nextDouble() < chain.publicShare();
        Template template = pick(chain.ofKind(government));
        String core = pick(COMPANY_CORES);
        String name = name(template, region, core);
        String company = region.place() + core + chain.company() + "有限公司";
        String investor = rnd.nextDouble() < 0.5 ? company
                : pick(COMPANY_PLACES) + core + chain.company() + "集团有限公司";
        String owner = government ? region.place() + template.bureau() : rnd.nextDouble() < 0.6 ? company : null;
        List<String> categories = categories(government, industrial);
        BigDecimal planned = planned(chain);
        BigDecimal annual = rnd.nextDouble() < 0.92 ? share(planned, 150, 600) : null;
        String zone = region.zone() != null && industrial && !government && rnd.nextDouble() < 0.6
                ? region.zone() : null;
        String code = rnd.nextDouble() < 0.55 ? projectCode(region, chain, season.year()) : null;

        LocalDate reserved = reservationDate(season);
        h.milestone(RESERVED, reserved, reservation(name, season.campaign(), region.code(), chain.code(), categories,
                planned, annual, zone, owner, code));
        LocalDate last = reserved;
        LocalDate lastDay = end;

        boolean signs = !government && rnd.nextDouble()
                < (categories.contains("private-capital") || categories.contains("chain-extension") ? 0.85 : 0.6);
        if (signs) {
            LocalDate on = last.plusDays(gap(3, 80));
            if (within(on)) {
                on = mistakenSigning(h, on, planned, core, chain);
                h.milestone(SIGNED, on, data("signedInvestment", share(planned, 800, 1000), "investor", investor));
                last = on;
            }
        }
        boolean mayStart = !signs || "SIGNED".equals(h.stage());
        LocalDate startOn = last.plusDays(gap(10, 150));
        if (mayStart && rnd.nextDouble() < (government ? 0.7 : signs ? 0.72 : 0.6) && within(startOn)) {
            lastDay = construction(h, startOn, planned);
        } else if (rnd.nextDouble() < 0.07) {
            LocalDate on = last.plusDays(gap(20, 150));
            if (within(on)) {
                h.milestone(WITHDRAWN, on, data("reason", pick(WITHDRAWAL_REASONS)));
                lastDay = on;
            }
        }
        corrections(h, reserved, lastDay, region, chain, name, planned, government, categories, owner, code);
        return h;
    }

    /** A project of the first year still under way at its end goes on in the second: moved on 1 January. */
    private ProjectHistory carriedOver(ProjectHistory h) {
        String stage = h.stageOn(CARRIED_OVER.minusDays(1));
        if (within(CARRIED_OVER) && !"COMPLETED".equals(stage) && !"WITHDRAWN".equals(stage)) {
            h.dated(CORRECTED, CARRIED_OVER, data("campaignId", CAMPAIGN));
            carriedOver.add(h.projectId());
        }
        return h;
    }

    /** Now and then a signing is posted in error (wrong investor or amount), retracted and posted again. */
    private LocalDate mistakenSigning(ProjectHistory h, LocalDate on, BigDecimal planned, String core, Chain chain) {
        if (rnd.nextDouble() >= 0.02) {
            return on;
        }
        LocalDate retracted = on.plusDays(gap(2, 12));
        LocalDate again = retracted.plusDays(gap(1, 20));
        if (!within(again)) {
            return on;
        }
        h.milestone(SIGNED, on, data("signedInvestment", share(planned, 500, 790), "investor",
                pick(COMPANY_PLACES) + pick(COMPANY_CORES) + core + chain.company() + "有限公司"));
        h.milestone(RETRACTED, retracted, data("reason", rnd.nextBoolean() ? "签约主体填报有误，撤回后重新报送"
                : "签约金额填报有误，撤回后重新报送"));
        return again;
    }

    /**
     * 开工, maybe 竣工 or a stop, and the monthly reports in between; answers the project's last day (its withdrawal,
     * or the end of the year).
     */
    private LocalDate construction(ProjectHistory h, LocalDate on, BigDecimal planned) {
        LocalDate reportsFrom = on;
        double mistake = rnd.nextDouble();
        if (mistake < 0.015) {
            // Posted with a wrong date, retracted and posted again with the right one, which may be earlier.
            LocalDate wrong = on.plusDays(gap(3, 20));
            LocalDate retracted = wrong.plusDays(gap(1, 5));
            if (within(retracted)) {
                h.milestone(STARTED, wrong, Map.of());
                h.milestone(RETRACTED, retracted, data("reason", "开工日期填报有误，撤回后按实际日期重新报送"));
                reportsFrom = retracted;
            }
        } else if (mistake < 0.025) {
            // Reported as started before the permit: retracted, started for real weeks later.
            LocalDate retracted = on.plusDays(gap(2, 10));
            LocalDate real = retracted.plusDays(gap(15, 60));
            if (within(real)) {
                h.milestone(STARTED, on, Map.of());
                h.milestone(RETRACTED, retracted, data("reason", "误报开工，项目尚未取得施工许可"));
                on = real;
                reportsFrom = real;
            }
        }
        h.milestone(STARTED, on, Map.of());

        LocalDate lastDay = end;
        YearMonth lastReport = YearMonth.from(end);
        int months = 6 + rnd.nextInt(24);
        double completes = planned.compareTo(BigDecimal.valueOf(10000)) < 0 ? 0.5
                : planned.compareTo(BigDecimal.valueOf(50000)) < 0 ? 0.3 : 0.12;
        LocalDate completed = on.plusDays(gap(45, 300));
        if (rnd.nextDouble() < completes && within(completed)) {
            if (rnd.nextDouble() < 0.05) {
                // Completion posted before the acceptance passed: retracted, completed later if this year.
                LocalDate retracted = completed.plusDays(gap(3, 20));
                if (within(retracted)) {
                    h.milestone(COMPLETED, completed, Map.of());
                    h.milestone(RETRACTED, retracted, data("reason", "竣工验收未通过，撤回竣工"));
                    completed = retracted.plusDays(gap(15, 60));
                }
            }
            if (within(completed)) {
                h.milestone(COMPLETED, completed, Map.of());
                lastReport = YearMonth.from(completed);
                months = (int) ChronoUnit.MONTHS.between(YearMonth.from(reportsFrom), lastReport) + 1;
            }
        } else if (rnd.nextDouble() < 0.012) {
            LocalDate stopped = on.plusDays(gap(30, 200));
            if (within(stopped)) {
                h.milestone(WITHDRAWN, stopped, data("reason", pick(STOP_REASONS)));
                lastDay = stopped;
                lastReport = YearMonth.from(stopped);
            }
        }
        reports(h, planned, YearMonth.from(reportsFrom), lastReport, months, perMille(850, 990), lastDay);
        return lastDay;
    }

    /**
     * 累计完成投资 for each month from {@code from} through {@code to}, reported on the month's last day (none after
     * {@code lastDay}): {@code share} of the planned amount reached over {@code months} months. Now and then a month
     * is reported again a few days later with a corrected figure, which replaces the first.
     */
    private void reports(ProjectHistory h, BigDecimal planned, YearMonth from, YearMonth to, int months,
                         BigDecimal share, LocalDate lastDay) {
        int again = rnd.nextDouble() < 0.04 ? rnd.nextInt(12) : -1;
        int i = 0;
        for (YearMonth month = from; !month.isAfter(to) && !month.atEndOfMonth().isAfter(lastDay);
             month = month.plusMonths(1)) {
            BigDecimal toDate = planned.multiply(share).multiply(BigDecimal.valueOf(Math.min(i + 1, months)))
                    .divide(BigDecimal.valueOf(months), 2, RoundingMode.HALF_UP);
            h.dated(REPORTED, month.atEndOfMonth(), data("period", month.toString(), "investmentToDate", toDate));
            LocalDate correctedOn = month.atEndOfMonth().plusDays(gap(3, 6));
            if (i == again && !correctedOn.isAfter(lastDay)) {
                h.dated(REPORTED, correctedOn, data("period", month.toString(), "investmentToDate",
                        toDate.multiply(new BigDecimal("0.97")).setScale(2, RoundingMode.HALF_UP)));
            }
            i++;
        }
    }

    /**
     * One or two corrections for some projects: amounts revised, a project code given, a category added, a name made
     * exact, an owner named.
     */
    private void corrections(ProjectHistory h, LocalDate reserved, LocalDate lastDay, Region region, Chain chain,
                             String name, BigDecimal planned, boolean government, List<String> categories, String owner,
                             String code) {
        if (rnd.nextDouble() >= 0.16) {
            return;
        }
        List<Map<String, Object>> options = new ArrayList<>();
        options.add(data("plannedInvestment", share(planned, 850, 1300)));
        options.add(data("annualPlannedInvestment", share(planned, 150, 600)));
        if (code == null) {
            options.add(data("projectCode", projectCode(region, chain, reserved.getYear())));
        }
        String added = government ? (categories.contains("special-bond") ? "central-budget" : "special-bond")
                : categories.contains("private-capital") ? "chain-extension" : "private-capital";
        if (!categories.contains(added)) {
            List<String> more = new ArrayList<>(categories);
            more.add(added);
            more.sort(Comparator.comparing(CATEGORIES::indexOf));
            options.add(data("categories", more));
        }
        if (name.endsWith("项目") && !name.contains("期）")) {
            options.add(data("name", name.substring(0, name.length() - 2) + "（一期）项目"));
        }
        if (owner == null) {
            options.add(data("owner", region.place() + pick(COMPANY_CORES) + chain.company() + "有限公司"));
        }
        int count = rnd.nextDouble() < 0.25 ? 2 : 1;
        for (int i = 0; i < count; i++) {
            LocalDate on = reserved.plusDays(gap(5, 200));
            Map<String, Object> correction = options.remove(rnd.nextInt(options.size()));
            if (!on.isAfter(lastDay)) {
                h.dated(CORRECTED, on, correction);
            }
        }
    }

    private List<String> categories(boolean government, boolean industrial) {
        List<String> categories = new ArrayList<>();
        if (government) {
            double fund = rnd.nextDouble();
            if (fund < 0.5 || fund >= 0.9) {
                categories.add("central-budget");
            }
            if (fund >= 0.4) {
                categories.add("special-bond");
            }
        } else {
            if (rnd.nextDouble() < 0.03) {
                categories.add("central-budget");
            }
            if (industrial && rnd.nextDouble() < 0.45) {
                categories.add("chain-extension");
            }
            if (rnd.nextDouble() < 0.2) {
                categories.add("private-capital");
            }
            if (industrial && rnd.nextDouble() < 0.07) {
                categories.add("patent-technology");
            }
        }
        return categories;
    }

    /** Total investment, log-uniform over the chain's range: whole 万元, hundreds above 10,000, now and then cents. */
    private BigDecimal planned(Chain chain) {
        double amount = chain.min()
                * StrictMath.exp(rnd.nextDouble() * StrictMath.log((double) chain.max() / chain.min()));
        if (rnd.nextDouble() < 0.15) {
            return new BigDecimal(amount).setScale(2, RoundingMode.HALF_UP);
        }
        long whole = StrictMath.round(amount);
        return BigDecimal.valueOf(whole >= 10000 ? whole / 100 * 100 : whole).setScale(2, RoundingMode.UNNECESSARY);
    }

    /** Between {@code fromPerMille} and {@code toPerMille} ‰ of the amount, to the 万元 (never 0). */
    private BigDecimal share(BigDecimal amount, int fromPerMille, int toPerMille) {
        BigDecimal share = amount.multiply(perMille(fromPerMille, toPerMille));
        BigDecimal whole = share.setScale(0, RoundingMode.HALF_UP);
        return (whole.signum() > 0 ? whole : share.setScale(2, RoundingMode.HALF_UP).max(new BigDecimal("0.01")))
                .setScale(2, RoundingMode.UNNECESSARY);
    }

    private BigDecimal perMille(int from, int to) {
        return BigDecimal.valueOf(from + rnd.nextInt(to - from + 1), 3);
    }

    /**
     * One in twenty before the launch, three in twenty on the launch day, the rest evenly over the months after, so
     * that the reserve fills through the year (see {@link Season}).
     */
    private LocalDate reservationDate(Season season) {
        LocalDate yearStart = LocalDate.of(season.year(), 1, 1);
        double u = rnd.nextDouble();
        LocalDate from = season.launch() == null ? yearStart : season.launch();
        LocalDate on;
        if (season.launch() != null && u < 0.05) {
            on = yearStart.plusDays(1 + rnd.nextInt((int) ChronoUnit.DAYS.between(yearStart, from) - 1));
        } else if (season.launch() != null && u < 0.2) {
            on = from;
        } else {
            on = from.plusDays(1 + rnd.nextInt((int) ChronoUnit.DAYS.between(from, season.lastReservation())));
        }
        return on.isAfter(end) ? end : on;
    }

    /**
     * GB/T 40058-2021: year (mostly the reservation's, else the one before), region, GB/T 4754 division, 02 (a type
     * the tests' codes never use), serial.
     */
    private String projectCode(Region region, Chain chain, int year) {
        return String.format("%d-%s-%s-02-%06d", rnd.nextDouble() < 0.8 ? year : year - 1, region.code(),
                chain.sector(), projectNumber);
    }

    private String name(Template template, Region region, String core) {
        String town = pick(region.towns());
        List<String> others = region.towns().stream().filter(t -> !t.equals(town)).toList();
        String name = template.name().replace("{place}", region.place()).replace("{town}", town)
                .replace("{town2}", pick(others)).replace("{co}", core)
                .replace("{n}", String.valueOf(10 * (1 + rnd.nextInt(30))));
        // Two projects of one name would be one project to anyone reading the list: a second one is a later phase.
        for (int phase = 2; !names.add(name); phase++) {
            name = name.replaceFirst("(（[二三四五六七八九]期）)?(项目|工程)$", "（" + PHASES.charAt(phase - 2) + "期）$2");
        }
        return name;
    }

    private Chain chainIn(Region region) {
        if (rnd.nextDouble() < 0.5) {
            String code = pick(region.specialties());
            return CHAINS.stream().filter(c -> c.code().equals(code)).findFirst().orElseThrow();
        }
        return weighted(CHAINS, Chain::weight);
    }

    private <T> T weighted(List<T> items, ToIntFunction<T> weight) {
        int draw = rnd.nextInt(items.stream().mapToInt(weight).sum());
        for (T item : items) {
            draw -= weight.applyAsInt(item);
            if (draw < 0) {
                return item;
            }
        }
        throw new IllegalStateException("weights changed while drawing");
    }

    private <T> T pick(List<T> items) {
        return items.get(rnd.nextInt(items.size()));
    }

    private int gap(int fromDays, int toDays) {
        return fromDays + rnd.nextInt(toDays - fromDays + 1);
    }

    private boolean within(LocalDate date) {
        return !date.isAfter(end);
    }

    private String nextProjectId(int year) {
        projectNumber++;
        return String.format("LL-%d-%04d", year, numbersByYear.merge(year, 1, Integer::sum));
    }

    private static LocalDate date(int month, int day) {
        return LocalDate.of(2024, month, day);
    }

    private static Map<String, Object> reservation(String name, String region, String chain, List<String> categories,
                                                   String planned, String annual, String zone, String owner,
                                                   String code) {
        return reservation(name, CAMPAIGN, region, chain, categories, new BigDecimal(planned), new BigDecimal(annual),
                zone, owner, code);
    }

    private static Map<String, Object> reservation(String name, String campaign, String region, String chain,
                                                   List<String> categories, BigDecimal planned, BigDecimal annual,
                                                   String zone, String owner, String code) {
        return data("name", name, "campaignId", campaign, "regionCode", region, "industryChain", chain,
                "categories", categories, "plannedInvestment", planned, "annualPlannedInvestment", annual, "zone", zone,
                "owner", owner, "projectCode", code);
    }

    /** A data object from name/value pairs, without the null values. */
    private static Map<String, Object> data(Object... pairs) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                data.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return data;
    }
}
