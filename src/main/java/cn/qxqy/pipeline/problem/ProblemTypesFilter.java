package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.domain.Language;
import cn.qxqy.pipeline.domain.Wording;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Lists every {@link ProblemType} in {@code /q/openapi}: the {@code Problem} schema's {@code type} is one of their URIs
 * (or {@code about:blank} for a plain HTTP status), each described with its status and title. Every error answer of
 * {@code /api/v1} is a {@code Problem}: a resource method declares its own with {@code @APIResponse(responseCode,
 * description)} alone, and gets the body here, as do the 401 and 403 of secured methods; every operation may also
 * answer 500, and 503 while the database cannot be reached; one with parameters 400 (a parameter holding a character
 * no parameter may, {@link RequestChecks}), one with a body 413 and 415 ({@link BodyLimit}, {@link RequestChecks}).
 */
public class ProblemTypesFilter implements OASFilter {

    private static final String API = "/api/v1/";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        listProblemTypes(openAPI);
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            openAPI.getPaths().getPathItems().forEach((path, item) -> {
                if (path.startsWith(API) && item.getOperations() != null) {
                    item.getOperations().forEach(ProblemTypesFilter::answerProblems);
                }
            });
        }
    }

    private static void answerProblems(PathItem.HttpMethod method, Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        if (!responses.hasAPIResponse("500")) {
            responses.addAPIResponse("500", OASFactory.createAPIResponse()
                    .description(ProblemType.INTERNAL_ERROR.uri() + ": a fault of the service; the request may be repeated"));
        }
        if (!responses.hasAPIResponse("503")) {
            responses.addAPIResponse("503", OASFactory.createAPIResponse()
                    .description(ProblemType.DATABASE_UNAVAILABLE.uri() + ", with Retry-After: the database cannot be "
                            + "reached; repeat the request later" + (method == PathItem.HttpMethod.GET
                            ? ". " + ProblemType.NOT_YET_PROJECTED.uri() + ": waitFor's version was not projected in time"
                            : "")));
        }
        if (operation.getParameters() != null && !operation.getParameters().isEmpty() && !responses.hasAPIResponse("400")) {
            responses.addAPIResponse("400", OASFactory.createAPIResponse().description((method == PathItem.HttpMethod.GET
                    ? ProblemType.INVALID_QUERY : ProblemType.INVALID_REQUEST).uri()
                    + ": errors names each parameter holding a character no parameter may"));
        }
        if (operation.getRequestBody() != null) {
            if (!responses.hasAPIResponse("413")) {
                responses.addAPIResponse("413", OASFactory.createAPIResponse().description(
                        ProblemType.BODY_TOO_LARGE.uri() + ": the body is over the service's limit"));
            }
            if (!responses.hasAPIResponse("415")) {
                responses.addAPIResponse("415", OASFactory.createAPIResponse().description(
                        "about:blank: the body is not declared Content-Type: application/json"));
            }
        }
        responses.getAPIResponses().forEach((status, response) -> {
            if (status.matches("[45]\\d\\d") && response.getContent() == null && response.getRef() == null) {
                response.content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"))));
            }
            if (status.matches("[45]\\d\\d") && response.getRef() == null && response.getContent() != null
                    && response.getContent().hasMediaType(Problem.MEDIA_TYPE)) {
                response.addHeader(ProblemLanguage.CONTENT_LANGUAGE, OASFactory.createHeader()
                        .description("the language of the problem's title, detail and messages: zh-CN when "
                                + "Accept-Language prefers Chinese, en otherwise")
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                                .enumeration(List.of(Language.ENGLISH.tag(), Language.CHINESE.tag()))));
            }
        });
    }

    private static void listProblemTypes(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        List<Object> uris = new ArrayList<>(Arrays.stream(ProblemType.values()).map(ProblemType::uri).toList());
        uris.add("about:blank");
        Schema type = OASFactory.createSchema().addType(Schema.SchemaType.STRING).enumeration(uris)
                .description("What went wrong, one of: " + Arrays.stream(ProblemType.values())
                        .map(t -> t.uri() + " (" + t.status() + " " + t.title() + ")")
                        .collect(Collectors.joining(", ")) + "; about:blank for a plain HTTP status");
        Schema problem = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 7807 problem detail (application/problem+json), with errors naming each bad field. "
                        + "title, detail and each message are in Chinese when the request's Accept-Language prefers "
                        + "it (zh, zh-CN, zh-Hans …), in English otherwise (Content-Language says which); type and the "
                        + "field names do not change")
                .addProperty("type", type)
                .addProperty("title", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .items(OASFactory.createSchema().ref("FieldViolation")));
        components.addSchema("Problem", problem);
        // Replaces the schema read from the record, whose wording stays on the server (FieldViolationJson).
        components.addSchema("FieldViolation", OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("the field's path in the request, e.g. data.period"))
                .addProperty("message", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("what is wrong with it, in the problem's language")));
        components.removeSchema(Wording.class.getSimpleName());
    }
}
