package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Language;
import cn.qxqy.pipeline.domain.ProjectDetails;
import cn.qxqy.pipeline.domain.ProjectIds;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.ingest.ImportSheet.Column;
import cn.qxqy.pipeline.problem.BodyLimit;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemLanguage;
import cn.qxqy.pipeline.query.LikelyDuplicates;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.reference.ReferenceData;
import cn.qxqy.pipeline.security.RateLimits;
import cn.qxqy.pipeline.security.Sender;
import cn.qxqy.pipeline.security.Senders;
import cn.qxqy.pipeline.spreadsheet.FileSchemas;
import cn.qxqy.pipeline.spreadsheet.Tables;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Projects imported from a filled template or an edited project list (项目导入): each row that changes something
 * becomes a {@code ProjectReserved}, or a {@code ProjectCorrected} of the existing project its 项目编号 names, posted
 * through {@link IngestService} as the signed-in department, so the API's checks all apply: reference codes, region
 * rights, the rate limit (one event per row) and the stage machine. All or nothing, in one transaction of the event
 * store. Rows the same as their projects are skipped before anything else, so that a whole list downloaded and
 * uploaded again, with a row or two edited, stores those rows only.
 */
@Path("/api/v1/campaigns/{campaignId}")
@Tag(name = "Import")
public class ImportResource {

    /** The largest file taken, in bytes: some thousand rows of the template take a few hundred KB. */
    static final int MAX_BYTES = 2 * 1024 * 1024;
    /**
     * The most rows a file may have, changed or not: a city's whole list downloaded (the demo campaign has 1,033
     * projects). Only the rows that change something count against the batch's limit; this one stops a sheet of
     * endless rows early.
     */
    static final int MAX_LINES = 10_000;

    private static final String MULTIPART_FILE = "file";

    /** What became of a row, named as the answer spells it. */
    public enum Outcome {
        /** a new project: stored, or to be */
        created,
        /** a correction of the project: stored, or to be */
        updated,
        /** the same as the project already: nothing to store */
        unchanged,
        refused
    }

    /** What became of a file: stored, or why not, row by row. */
    @Schema(name = "ImportResult", description = "What became of an imported file: stored only if no row is refused")
    public record ImportResult(String campaignId,
                               @Schema(description = "true when only checked (dryRun)") boolean dryRun,
                               @Schema(description = "whether the rows' events are stored: no row refused and not a dry run")
                               boolean stored,
                               @Schema(description = "the filled rows of the file, but for its title and totals rows")
                               int rows,
                               @Schema(description = "rows that create a project: stored, or to be") int created,
                               @Schema(description = "rows that correct a project: stored, or to be") int updated,
                               @Schema(description = "rows the same as their projects (a row of a downloaded list not "
                                       + "edited, a file uploaded again): skipped, and not counted against the limits")
                               int unchanged,
                               @Schema(description = "every row, in the file's order") List<ImportRow> results,
                               @Schema(description = "the refused rows of results") List<ImportRow> refused) {

        /** The result as a reader of {@code language} gets it: its rows' errors and problems in that language. */
        ImportResult in(Language language) {
            return new ImportResult(campaignId, dryRun, stored, rows, created, updated, unchanged,
                    results.stream().map(row -> row.in(language)).toList(),
                    refused.stream().map(row -> row.in(language)).toList());
        }
    }

    @Schema(name = "ImportRow", description = "A row of the file and what became of it")
    public record ImportRow(@Schema(description = "the row's number in the sheet") int row,
                            @Schema(nullable = true, description = "the project the row creates or corrects; a "
                                    + "created project's generated XL-… id included") String projectId,
                            Outcome outcome,
                            @Schema(nullable = true, description = "ProjectReserved or ProjectCorrected; null when unchanged")
                            String type,
                            @Schema(description = "the columns the errors name") List<String> columns,
                            @Schema(description = "every error of the row: its cells', then the API's for its event; "
                                    + "messages in Chinese when Accept-Language prefers it, as problems are")
                            List<FieldViolation> errors,
                            @Schema(nullable = true, description = "the problem the row is refused with; null unless refused")
                            Problem problem) {

        ImportRow in(Language language) {
            return new ImportRow(row, projectId, outcome, type, columns,
                    errors.stream().map(error -> error.in(language)).toList(),
                    problem == null ? null : problem.in(language));
        }
    }

    @Schema(name = "ImportForm", description = "A browser's upload: the file in part file")
    public record ImportForm(@Schema(type = SchemaType.STRING, format = "binary", description = "the .xlsx file")
                             String file) {
    }

    private final IngestService ingest;
    private final EventStore store;
    private final LikelyDuplicates duplicates;
    private final Senders senders;
    private final RateLimits rateLimits;
    private final ReferenceData referenceData;
    private final Clock clock;
    private final int maxRows;

    public ImportResource(IngestService ingest, EventStore store, LikelyDuplicates duplicates, Senders senders,
                          RateLimits rateLimits, ReferenceData referenceData, Clock clock, PipelineConfig config) {
        this.ingest = ingest;
        this.store = store;
        this.duplicates = duplicates;
        this.senders = senders;
        this.rateLimits = rateLimits;
        this.referenceData = referenceData;
        this.clock = clock;
        this.maxRows = config.ingest().maxBatchItems();
    }

    @GET
    @Path("/import-template.xlsx")
    @Produces(Tables.XLSX)
    @RolesAllowed({"viewer", "department", "admin"})
    @Operation(operationId = "getImportTemplate",
            summary = "The template of an import", description = "Sheet 项目清单 with the header row and drop-down "
            + "lists for county, chain, category and zone (from the hidden sheet 下拉选项), sheet 填写说明 explaining "
            + "each column to an officer.")
    @APIResponse(responseCode = "200", description = "the template",
            content = @Content(mediaType = Tables.XLSX, schema = @Schema(implementation = FileSchemas.XlsxFile.class)))
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<Response> template(@PathParam("campaignId") String campaignId) {
        return referenceData.campaignName(campaignId)
                .invoke(name -> {
                    if (name == null) {
                        throw unknownCampaign(campaignId);
                    }
                })
                .flatMap(name -> choices()
                        .emitOn(Infrastructure.getDefaultWorkerPool())
                        .map(choices -> Response.ok(ImportSheet.template(name, choices), Tables.XLSX)
                                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"import-template.xlsx\"")
                                .build()));
    }

    @POST
    @Path("/projects.xlsx")
    @Consumes(Tables.XLSX)
    @Produces({MediaType.APPLICATION_JSON, Tables.XLSX})
    @BodyLimit.Max(MAX_BYTES)
    // Rows become events, and events are written by departments, within their regions: an administrator holds none.
    @RolesAllowed("department")
    @Operation(operationId = "importProjects", summary = "Import projects from a filled template or an edited list",
            description = "The body is the .xlsx file itself, or a form (multipart/form-data) with the file in part "
                    + "file. The header row is found by its titles among the first " + ImportSheet.HEADER_SEARCH
                    + " rows; title rows above it, a totals row (合计) and columns other than the template's are not "
                    + "read, but for 版本 of a downloaded list, each row's expectedVersion. A row the same as its "
                    + "project is unchanged and skipped. Any other row without 项目编号 reserves a project (XL-… from "
                    + "the row's cells), unless a project of the same county has a name alike (pg_trgm similarity "
                    + "at least " + LikelyDuplicates.SIMILARITY + ") and its 确认新建 is not 是; a row naming an "
                    + "existing project corrects the fields it changes; a row naming a new projectId reserves it. "
                    + "Counties, chains, categories and zones by name or code. Each row goes through the same checks "
                    + "as POST /api/v1/events, as the signed-in department. All or nothing: if any row is refused "
                    + "nothing is stored; results lists every row with every error. The same file uploaded again "
                    + "stores nothing new. With Accept: " + Tables.XLSX + " the answer is the uploaded rows with "
                    + "their 项目编号 filled and a column " + ImportSheet.RESULT + ".")
    @RequestBody(content = {
            @Content(mediaType = Tables.XLSX, schema = @Schema(implementation = FileSchemas.XlsxFile.class)),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = ImportForm.class))})
    @APIResponse(responseCode = "200", description = "what was stored, or would be, row by row", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImportResult.class)),
            @Content(mediaType = Tables.XLSX, schema = @Schema(implementation = FileSchemas.XlsxFile.class))})
    @APIResponse(responseCode = "400", description = "/problems/invalid-request: not an .xlsx workbook, no header "
            + "row with the template's columns, a form without part file, or dryRun neither true nor false")
    @APIResponse(responseCode = "403", description = "/problems/forbidden: the token names no department")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    @APIResponse(responseCode = "413", description = "/problems/body-too-large (over " + MAX_BYTES + " bytes, or "
            + "parts holding over " + ImportSheet.MAX_UNZIPPED_BYTES + " bytes uncompressed) or "
            + "/problems/batch-too-large (over " + MAX_LINES + " filled rows, the reading stops at the first; or "
            + "more rows that change something than a batch may have events)")
    @APIResponse(responseCode = "415", description = "about:blank: the body is neither " + Tables.XLSX + " nor "
            + MediaType.MULTIPART_FORM_DATA)
    @APIResponse(responseCode = "429", description = "/problems/too-many-events: one event per row that changes "
            + "something; Retry-After")
    public Uni<Response> importProjects(@PathParam("campaignId") String campaignId,
                                        @Parameter(description = "true: check every row, store nothing")
                                        @QueryParam("dryRun") String dryRun,
                                        byte[] body, @Context SecurityContext security, @Context HttpHeaders headers,
                                        @HeaderParam(EventsResource.REQUEST_ID) String requestId) {
        return importFile(campaignId, dryRun, () -> body, security, headers, requestId);
    }

    @POST
    @Path("/projects.xlsx")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces({MediaType.APPLICATION_JSON, Tables.XLSX})
    @BodyLimit.Max(MAX_BYTES)
    @RolesAllowed("department")
    // The same operation as importProjects, whose document names both bodies.
    @Operation(hidden = true)
    // The form taken whole, as the raw body is: form parameters (@RestForm) would be read before the request filters,
    // past BodyLimit's limit of the route, and handed on on a thread without the request's context.
    public Uni<Response> importProjectsForm(@PathParam("campaignId") String campaignId,
                                            @QueryParam("dryRun") String dryRun, byte[] form,
                                            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                            @Context SecurityContext security, @Context HttpHeaders headers,
                                            @HeaderParam(EventsResource.REQUEST_ID) String requestId) {
        return importFile(campaignId, dryRun, () -> fileOf(form, contentType), security, headers, requestId);
    }

    /** The file in the form's part {@code file}, decoded by Netty's decoder of HTTP forms, in memory. */
    private static byte[] fileOf(byte[] form, String contentType) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                Unpooled.wrappedBuffer(form));
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpPostMultipartRequestDecoder decoder;
        try {
            decoder = new HttpPostMultipartRequestDecoder(new DefaultHttpDataFactory(false), request);
        } catch (RuntimeException e) {
            // Netty refuses a malformed form with more than its ErrorDataDecoderException (no boundary: a
            // NullPointerException; an unknown charset, too many parts, a part too long): each one the client's doing.
            throw Problem.of(ProblemType.INVALID_REQUEST, Wording.of("import.not-a-form", String.valueOf(e.getMessage())))
                    .exception();
        }
        try {
            if (decoder.getBodyHttpData(MULTIPART_FILE) instanceof io.netty.handler.codec.http.multipart.FileUpload file) {
                return file.get();
            }
            throw Problem.of(ProblemType.INVALID_REQUEST, Wording.of("import.no-file-part"),
                    List.of(FieldViolation.of(MULTIPART_FILE, "import.file-required"))).exception();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            decoder.destroy();
        }
    }

    /** @param body the file's bytes, read on a worker thread */
    private Uni<Response> importFile(String campaignId, String dryRun, Supplier<byte[]> body, SecurityContext security,
                                     HttpHeaders headers, String requestId) {
        if (dryRun != null && !dryRun.equals("true") && !dryRun.equals("false")) {
            throw Problem.of(ProblemType.INVALID_REQUEST, Wording.of("import.dry-run-detail"),
                    List.of(FieldViolation.of("dryRun", "import.dry-run"))).exception();
        }
        boolean checkOnly = "true".equals(dryRun);
        boolean workbook = prefersWorkbook(headers);
        // The rows' problems are inside a 200, where ProblemLanguage does not look.
        Language language = ProblemLanguage.preferred(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        Sender sender = senders.ofRequest(security, requestId);
        io.vertx.core.Context request = Vertx.currentContext();
        return referenceData.isCampaign(campaignId)
                .invoke(known -> {
                    if (!known) {
                        throw unknownCampaign(campaignId);
                    }
                })
                // Unzipping and reading the workbook takes a while: not on the event loop.
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(known -> ImportSheet.read(body.get(), MAX_LINES))
                // Back on the request's context: the checks read the reference data through Hibernate Reactive.
                .emitOn(task -> request.runOnContext(ignored -> task.run()))
                .flatMap(upload -> lookups().flatMap(lookups -> {
                    List<Row> rows = upload.lines().stream().map(line -> Row.of(campaignId, line, lookups)).toList();
                    // Only projects' ids: a row naming another stream is refused by its own error, not read as one.
                    return store.states(rows.stream().map(Row::projectId).filter(ProjectIds::isProjectId).distinct().toList())
                            .map(states -> rows.stream().map(row -> row.compared(campaignId, states)).toList())
                            .invoke(compared -> admit(compared, sender))
                            .flatMap(compared -> withDuplicates(campaignId, compared))
                            .flatMap(planned -> submit(campaignId, planned, sender, checkOnly))
                            .emitOn(Infrastructure.getDefaultWorkerPool())
                            .map(result -> workbook ? workbook(upload, result) : Response.ok(result.in(language),
                                    MediaType.APPLICATION_JSON_TYPE).build());
                }));
    }

    /** Whether the client would rather have the result as a workbook than as JSON: it names the workbook first. */
    private static boolean prefersWorkbook(HttpHeaders headers) {
        for (MediaType accepted : headers.getAcceptableMediaTypes()) {
            if (accepted.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (accepted.isCompatible(MediaType.valueOf(Tables.XLSX))) {
                return true;
            }
        }
        return false;
    }

    /** Each column's reference list, by name and code. */
    private Uni<Map<Column, ReferenceData.Lookup>> lookups() {
        List<Column> coded = List.of(Column.REGION, Column.CHAIN, Column.CATEGORIES, Column.ZONE);
        return Uni.join().all(coded.stream().map(c -> referenceData.lookup(c.list)).toList()).andFailFast()
                .map(found -> {
                    Map<Column, ReferenceData.Lookup> lookups = new EnumMap<>(Column.class);
                    for (int i = 0; i < coded.size(); i++) {
                        lookups.put(coded.get(i), found.get(i));
                    }
                    return lookups;
                });
    }

    /** The names each drop-down list of the template offers: the Chinese names of its reference list. */
    private Uni<Map<Column, List<String>>> choices() {
        return lookups().map(lookups -> {
            Map<Column, List<String>> choices = new EnumMap<>(Column.class);
            lookups.forEach((column, lookup) -> choices.put(column,
                    lookup.entries().stream().map(e -> e.nameZh()).toList()));
            return choices;
        });
    }

    /** The rows with the likely duplicates of their new projects noted as errors, unless the row says it is new. */
    private Uni<List<Row>> withDuplicates(String campaignId, List<Row> rows) {
        List<LikelyDuplicates.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            Map<Column, Object> cells = row.cells();
            if (row.kind() == Kind.NEW && !row.givenProjectId() && !Boolean.TRUE.equals(cells.get(Column.CONFIRM_NEW))
                    && cells.get(Column.NAME) != null && cells.get(Column.REGION) != null) {
                candidates.add(new LikelyDuplicates.Candidate(i, cells.get(Column.REGION).toString(),
                        cells.get(Column.NAME).toString(), row.projectId()));
            }
        }
        return duplicates.of(campaignId, candidates).map(matches -> {
            List<Row> checked = new ArrayList<>(rows);
            matches.forEach((i, match) -> checked.set(i, rows.get(i).withError(FieldViolation.of("data.name",
                    "import.likely-duplicate", match.projectId(), match.name()))));
            return checked;
        });
    }

    /** The batch's limit and the department's rate count the rows that change something only. */
    private void admit(List<Row> rows, Sender sender) {
        int changing = (int) rows.stream().filter(row -> row.kind() != Kind.UNCHANGED).count();
        if (changing > maxRows) {
            throw Problem.of(ProblemType.BATCH_TOO_LARGE, Wording.of("import.too-many-changes", maxRows, changing))
                    .exception();
        }
        rateLimits.take(sender.writer().department(), changing);
    }

    private Uni<ImportResult> submit(String campaignId, List<Row> rows, Sender sender, boolean checkOnly) {
        List<Row> changing = rows.stream().filter(row -> row.kind() != Kind.UNCHANGED).toList();
        LocalDate today = LocalDate.now(clock);
        List<IngestService.Posted> batch = changing.stream()
                .map(row -> new IngestService.Posted(row.envelope(campaignId, today), sender)).toList();
        boolean cellsRefused = changing.stream().anyMatch(row -> !row.errors().isEmpty());
        EventStore.Commit commit = checkOnly || cellsRefused ? EventStore.Commit.NONE : EventStore.Commit.ALL_OR_NOTHING;
        Uni<List<IngestService.Outcome>> outcomes = batch.isEmpty() ? Uni.createFrom().item(List.of())
                : ingest.submitAll(batch, commit);
        return outcomes.map(decided -> {
            List<ImportRow> results = new ArrayList<>(rows.size());
            int next = 0;
            for (Row row : rows) {
                results.add(row.kind() == Kind.UNCHANGED ? row.result(Outcome.unchanged, null)
                        : row.result(decided.get(next++)));
            }
            List<ImportRow> refused = results.stream().filter(r -> r.outcome() == Outcome.refused).toList();
            return new ImportResult(campaignId, checkOnly, !checkOnly && refused.isEmpty(), rows.size(),
                    count(results, Outcome.created), count(results, Outcome.updated), count(results, Outcome.unchanged),
                    results, refused);
        });
    }

    private static int count(List<ImportRow> results, Outcome outcome) {
        return (int) results.stream().filter(r -> r.outcome() == outcome).count();
    }

    /** The result as a workbook: the uploaded rows, their projects' ids, and what became of each. */
    private static Response workbook(ImportSheet.Upload upload, ImportResult result) {
        List<String> projectIds = new ArrayList<>();
        List<String> verdicts = new ArrayList<>();
        for (ImportRow row : result.results()) {
            // Only the id of a project there is once the request is done.
            boolean exists = switch (row.outcome()) {
                case created -> result.stored();
                case refused -> "ProjectCorrected".equals(row.type());
                case updated, unchanged -> true;
            };
            projectIds.add(exists ? row.projectId() : null);
            verdicts.add(verdict(row, result.stored()));
        }
        return Response.ok(ImportSheet.results(upload, projectIds, verdicts), Tables.XLSX)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"import-result.xlsx\"")
                .build();
    }

    /** What became of a row, in the officer's words: Chinese, as the workbook is, whatever the request prefers. */
    private static String verdict(ImportRow row, boolean stored) {
        return switch (row.outcome()) {
            case created -> stored ? "已新建" : "可新建（未保存）";
            case updated -> stored ? "已更正" : "可更正（未保存）";
            case unchanged -> "无变化";
            case refused -> "未通过：" + row.errors().stream()
                    .map(e -> Column.ofField(e.field()).map(c -> c.title).orElse(e.field()) + "："
                            + e.in(Language.CHINESE).message())
                    .collect(Collectors.joining("；"));
        };
    }

    private static RuntimeException unknownCampaign(String campaignId) {
        return Problem.of(ProblemType.UNKNOWN_CAMPAIGN, Wording.of("campaign.unknown", campaignId)).exception();
    }

    /** What a row asks for: a new project, a correction, or nothing. */
    private enum Kind {
        NEW, CORRECTION, UNCHANGED
    }

    /**
     * A line of the file as the import takes it: its cells with codes for names, the project it names or creates,
     * what it asks for, the correction's fields and expected version, and every error found before its event is
     * decided.
     */
    private record Row(ImportSheet.Line line, Map<Column, Object> cells, String projectId, boolean givenProjectId,
                       Kind kind, ObjectNode changes, Long baseVersion, List<FieldViolation> errors) {

        /** The line with its names looked up; a new project's id derives from its cells (not its row number). */
        static Row of(String campaignId, ImportSheet.Line line, Map<Column, ReferenceData.Lookup> lookups) {
            Map<Column, Object> cells = new EnumMap<>(line.cells());
            List<FieldViolation> errors = new ArrayList<>(line.errors());
            lookups.forEach((column, lookup) -> {
                Object value = cells.remove(column);
                List<String> names = value instanceof List<?> list ? list.stream().map(Object::toString).toList()
                        : value == null ? List.of() : List.of(value.toString());
                List<String> codes = new ArrayList<>();
                for (String name : names) {
                    Optional<String> code = lookup.code(name);
                    code.ifPresent(codes::add);
                    if (code.isEmpty()) {
                        errors.add(FieldViolation.of(column.violationField(), unknown(column), name));
                    }
                }
                if (codes.size() == names.size() && !codes.isEmpty()) {
                    cells.put(column, column.kind == ImportSheet.Kind.CODES ? codes : codes.get(0));
                }
            });
            Object given = cells.get(Column.PROJECT_ID);
            String projectId = given != null ? given.toString() : "XL-" + reservationId(campaignId, cells);
            if (!ProjectIds.isProjectId(projectId)) {
                errors.add(FieldViolation.of(Column.PROJECT_ID.violationField(), "project-id.pattern",
                        ProjectIds.PATTERN.pattern()));
            }
            return new Row(line, cells, projectId, given != null, Kind.NEW, null, null, errors);
        }

        private static String unknown(Column column) {
            return switch (column) {
                case REGION -> "import.unknown-region";
                case CHAIN -> "import.unknown-chain";
                case CATEGORIES -> "import.unknown-category";
                default -> "import.unknown-zone";
            };
        }

        /**
         * The row against its project as stored now: a row of a project the store has corrects the fields it changes,
         * and is unchanged if it changes none; a row without 项目编号 whose project the store has was imported before.
         */
        Row compared(String campaignId, Map<String, ProjectState> states) {
            ProjectState state = states.get(projectId);
            if (state == null) {
                return this;
            }
            if (!givenProjectId) {
                return errors.isEmpty() ? with(Kind.UNCHANGED, null, state.version()) : this;
            }
            List<FieldViolation> found = new ArrayList<>(errors);
            ProjectDetails details = state.details();
            if (!campaignId.equals(details.campaignId())) {
                found.add(FieldViolation.of("projectId", "import.other-campaign", details.campaignId()));
            }
            ObjectNode changes = JsonNodeFactory.instance.objectNode();
            for (Column column : Column.values()) {
                Object value = cells.get(column);
                if (value != null && column.violationField().startsWith("data.") && !same(value, current(column, details))) {
                    put(changes, column.field, value);
                }
            }
            Kind asked = changes.isEmpty() && found.isEmpty() ? Kind.UNCHANGED : Kind.CORRECTION;
            return new Row(line, cells, projectId, true, asked, changes, state.version(), found);
        }

        private Row with(Kind asked, ObjectNode changes, Long version) {
            return new Row(line, cells, projectId, givenProjectId, asked, changes, version, errors);
        }

        Row withError(FieldViolation error) {
            List<FieldViolation> found = new ArrayList<>(errors);
            found.add(error);
            return new Row(line, cells, projectId, givenProjectId, kind, changes, baseVersion, found);
        }

        private static Object current(Column column, ProjectDetails d) {
            return switch (column) {
                case NAME -> d.name();
                case REGION -> d.regionCode();
                case CHAIN -> d.industryChain();
                case CATEGORIES -> d.categories();
                case PLANNED -> d.plannedInvestment();
                case ANNUAL -> d.annualPlannedInvestment();
                case ZONE -> d.zone();
                case OWNER -> d.owner();
                case PROJECT_CODE -> d.projectCode();
                case PLANNED_START_ON -> d.plannedStartOn();
                case PLANNED_COMPLETION_ON -> d.plannedCompletionOn();
                default -> throw new IllegalArgumentException(column + " is not a project's detail");
            };
        }

        /**
         * Amounts by value (12 is 12.00), categories whatever their order, days as days, texts as a cell holding them is read: the
         * row of a project with a line break in its name is the same as the project.
         */
        private static boolean same(Object value, Object current) {
            if (value instanceof BigDecimal amount) {
                return current instanceof BigDecimal stored && amount.compareTo(stored) == 0;
            }
            if (value instanceof List<?> list) {
                return current instanceof List<?> stored && new HashSet<>(list).equals(new HashSet<>(stored));
            }
            if (value instanceof LocalDate day) {
                return day.equals(current);
            }
            return current instanceof String stored && value.equals(ImportSheet.asRead(stored));
        }

        /** The event the row asks for, dated by its 日期 or else today. */
        ObjectNode envelope(String campaignId, LocalDate today) {
            ObjectNode envelope = JsonNodeFactory.instance.objectNode();
            boolean reserving = kind == Kind.NEW;
            Object day = cells.getOrDefault(Column.DATE, today);
            ObjectNode data;
            if (reserving) {
                data = JsonNodeFactory.instance.objectNode();
                data.put("campaignId", campaignId);
                cells.forEach((column, value) -> {
                    if (column.violationField().startsWith("data.")) {
                        put(data, column.field, value);
                    }
                });
            } else {
                data = changes.deepCopy();
            }
            envelope.put("projectId", projectId);
            envelope.put("type", reserving ? "ProjectReserved" : "ProjectCorrected");
            envelope.put("occurredOn", day.toString());
            if (!reserving && cells.get(Column.VERSION) != null) {
                envelope.put("expectedVersion", (Long) cells.get(Column.VERSION));
            }
            envelope.set("data", data);
            // A reservation is its cells' (the same rows in another order are the same events); a correction is also
            // of the version it was compared with, so that the same edit after another change is a new event.
            envelope.put("eventId", (reserving ? reservationId(campaignId, cells)
                    : UUID.nameUUIDFromBytes(("xlsx-import\n" + campaignId + "\n" + baseVersion + "\n" + envelope)
                    .getBytes(StandardCharsets.UTF_8))).toString());
            return envelope;
        }

        /** The event id of a row's reservation: a name-based UUID of the campaign and the row's cells. */
        private static UUID reservationId(String campaignId, Map<Column, Object> cells) {
            ObjectNode fields = JsonNodeFactory.instance.objectNode();
            cells.forEach((column, value) -> {
                if (column.column.inTemplate && column != Column.CONFIRM_NEW) {
                    put(fields, column.field, value);
                }
            });
            return UUID.nameUUIDFromBytes(("xlsx-import\n" + campaignId + "\n" + fields).getBytes(StandardCharsets.UTF_8));
        }

        private static void put(ObjectNode node, String field, Object value) {
            if (value instanceof BigDecimal amount) {
                node.put(field, amount);
            } else if (value instanceof List<?> list) {
                ArrayNode items = node.putArray(field);
                list.forEach(item -> items.add(item.toString()));
            } else {
                node.put(field, value.toString());
            }
        }

        ImportRow result(Outcome outcome, Problem problem) {
            return new ImportRow(line.row(), projectId, outcome, kind == Kind.UNCHANGED ? null : type(), columns(errors),
                    errors, problem);
        }

        /** The row's result from its event's outcome, its own errors first. */
        ImportRow result(IngestService.Outcome decided) {
            if (decided.refusal() == null && errors.isEmpty()) {
                return result(!decided.result().created() ? Outcome.unchanged
                        : kind == Kind.NEW ? Outcome.created : Outcome.updated, null);
            }
            Set<String> noted = errors.stream().map(FieldViolation::field).collect(Collectors.toSet());
            List<FieldViolation> all = new ArrayList<>(errors);
            Problem problem = decided.refusal() == null ? null : decided.refusal().problem();
            if (problem != null) {
                // A cell that could not be read is left out of the event: the API would only say it is missing.
                problem.errors().stream().filter(e -> !noted.contains(e.field())).forEach(all::add);
            }
            List<FieldViolation> every = List.copyOf(new LinkedHashSet<>(all));
            Problem refusal = problem == null ? Problem.invalid(Wording.of("import.row-invalid"), every)
                    : new Problem(problem.type(), problem.title(), problem.status(), problem.detail(), every,
                    problem.wording());
            return new ImportRow(line.row(), projectId, Outcome.refused, type(), columns(every), every, refusal);
        }

        private String type() {
            return kind == Kind.NEW ? "ProjectReserved" : "ProjectCorrected";
        }

        private static List<String> columns(List<FieldViolation> errors) {
            return errors.stream().map(e -> Column.ofField(e.field())).flatMap(Optional::stream).map(c -> c.title)
                    .distinct().toList();
        }
    }
}
