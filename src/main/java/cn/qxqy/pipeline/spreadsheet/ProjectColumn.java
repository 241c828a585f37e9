package cn.qxqy.pipeline.spreadsheet;

import java.util.Arrays;
import java.util.List;

/**
 * The columns of a project list (项目清单) as the import template and the exported list share them, so that a
 * downloaded list is a file the import reads: the template's columns first, in this order, then the columns only the
 * list shows. The import ignores those, but for 版本, the version the row was downloaded at.
 */
public enum ProjectColumn {
    PROJECT_ID("项目编号", true),
    NAME("项目名称", true),
    REGION("县（市、区）", true),
    CHAIN("产业链", true),
    CATEGORIES("项目类别", true),
    PLANNED("计划总投资（万元）", true),
    ANNUAL("年度计划投资（万元）", true),
    ZONE("所在园区", true),
    OWNER("项目业主", true),
    PROJECT_CODE("项目代码", true),
    DATE("日期", true),
    CONFIRM_NEW("确认新建", true),
    // After the columns a template had before them, so that a sheet filled by column letter still fills the same ones.
    PLANNED_START_ON("计划开工日期", true),
    PLANNED_COMPLETION_ON("计划竣工日期", true),
    STAGE("阶段", false),
    VERSION("版本", false),
    SIGNED("签约投资（万元）", false),
    TO_DATE("累计完成投资（万元）", false),
    RESERVED_ON("入库日期", false),
    SIGNED_ON("签约日期", false),
    STARTED_ON("开工日期", false),
    COMPLETED_ON("竣工日期", false),
    WITHDRAWN_ON("退出日期", false);

    /** What the first cell of a list's totals row says; the import skips that row. */
    public static final String TOTALS = "合计";

    public final String title;
    /** Whether the import template has the column: the others are read-only. */
    public final boolean inTemplate;

    ProjectColumn(String title, boolean inTemplate) {
        this.title = title;
        this.inTemplate = inTemplate;
    }

    /** The import template's columns, in order. */
    public static List<ProjectColumn> template() {
        return Arrays.stream(values()).filter(c -> c.inTemplate).toList();
    }
}
