package cn.qxqy.pipeline.ingest;

/**
 * What the import says about a file and its rows, each a constant template ({@link String#format}) kept here, in one
 * place, so that a translation can take them all. The words of the result workbook (已新建, 未导入 …) are the
 * officer's already.
 */
final class ImportMessages {

    static final String NOT_A_WORKBOOK = "the body is not an .xlsx workbook: %s";
    static final String NO_SHEET = "the workbook has no sheet";
    static final String NO_FILE_PART = "the form has no part 'file'";
    static final String FILE_REQUIRED = "is required: the .xlsx file";
    static final String NOT_A_FORM = "the body is not a multipart/form-data form: %s";
    static final String NO_HEADER = "none of the first %d rows of sheet %s holds the template's titles (%s)";
    static final String HEADER_INCOMPLETE = "the header row (row %d) of sheet %s lacks columns of the template";
    static final String NOT_IN_HEADER = "is not in the header row (row %d)";
    static final String TOO_MANY_ROWS_READ = "an import file may have at most %d filled rows";
    static final String TOO_MANY_CHANGES = "an import may change at most %d projects; this file changes %d";
    static final String PARTS_TOO_LARGE = "the parts of an import file may hold at most %d bytes uncompressed; %s goes over";
    static final String DRY_RUN = "must be true or false";
    static final String DRY_RUN_DETAIL = "dryRun must be true or false";
    static final String NO_CAMPAIGN = "no campaign '%s'";

    static final String ROW_INVALID = "the row has invalid cells";
    static final String NOT_AN_AMOUNT = "must be an amount in 万元, such as 1,234.56 or 5000万元, not '%s'";
    static final String NOT_A_DATE = "must be a date such as 2024-05-01, 2024/5/1 or 2024年5月1日, not '%s'";
    static final String NOT_A_VERSION = "must be the 版本 of the downloaded list, a whole number, not '%s'";
    static final String NOT_YES = "must be 是 or empty, not '%s'";
    static final String UNKNOWN_REGION = "unknown county '%s': give its name or code, such as 兴县 or 141123";
    static final String UNKNOWN_CHAIN = "unknown industry chain '%s': give its name or code, such as 特钢 or special-steel";
    static final String UNKNOWN_CATEGORY = "unknown category '%s': give its name or code, such as 中央预算内投资 or central-budget";
    static final String UNKNOWN_ZONE = "unknown development zone '%s': give one of the template's list";
    static final String LIKELY_DUPLICATE = "likely the same project as %s 「%s」 of the same county; if it is a new "
            + "project, fill 确认新建 with 是";
    static final String OTHER_CAMPAIGN = "names a project of campaign %s, not of this one";

    private ImportMessages() {
    }
}
