package cn.qxqy.pipeline.api;

import cn.qxqy.pipeline.problem.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frontends are generated from /q/openapi: every answer of /api/v1, whatever its status and media type, names the
 * schema of its body, and nothing that schema reaches is Jackson's tree (ObjectNode, JsonNode, ArrayNode) or an object
 * that names no field, unless it allows none (always {}).
 */
@QuarkusTest
class ApiSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Answers without a body; every other one must name its schema. */
    private static final Set<String> WITHOUT_BODY = Set.of("POST /api/v1/admin/projections/rebuild 202");
    private static final Set<String> JACKSON_TREES = Set.of("ObjectNode", "JsonNode", "ArrayNode");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    @Test
    void everyAnswerOfTheApiNamesASchemaWhoseObjectsNameTheirFields() {
        JsonNode openapi = openapi();
        List<String> operations = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        openapi.path("paths").fields().forEachRemaining(path -> {
            if (path.getKey().startsWith("/api/v1/")) {
                path.getValue().fields().forEachRemaining(operation -> {
                    if (METHODS.contains(operation.getKey())) {
                        String where = operation.getKey().toUpperCase() + " " + path.getKey();
                        operations.add(where);
                        checkAnswers(where, operation.getValue().path("responses"), openapi, faults);
                    }
                });
            }
        });
        assertThat(operations).as("the operations of /api/v1").hasSizeGreaterThan(15);
        assertThat(faults).as("answers without a named, specific schema").isEmpty();
    }

    @Test
    void everyErrorAnswerOfTheApiIsAProblem() {
        JsonNode openapi = openapi();
        List<String> faults = new ArrayList<>();
        openapi.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            if (path.getKey().startsWith("/api/v1/") && METHODS.contains(operation.getKey())) {
                String where = operation.getKey().toUpperCase() + " " + path.getKey();
                JsonNode responses = operation.getValue().path("responses");
                for (String status : List.of("500", "503")) {
                    if (!responses.has(status)) {
                        faults.add(where + " does not declare " + status);
                    }
                }
                responses.fields().forEachRemaining(response -> {
                    if (response.getKey().matches("[45]\\d\\d")) {
                        JsonNode content = response.getValue().path("content");
                        if (content.size() != 1 || !content.path(Problem.MEDIA_TYPE).path("schema").path("$ref").asText()
                                .equals("#/components/schemas/Problem")) {
                            faults.add(where + " " + response.getKey() + " is not a Problem: " + content);
                        }
                    }
                });
            }
        }));
        assertThat(faults).isEmpty();
    }

    @Test
    void theReadsAnswerTheirNamedSchemasFieldByField() {
        JsonNode openapi = openapi();
        Map<String, String> reads = Map.of(
                "/api/v1/campaigns/{campaignId}", "Campaign",
                "/api/v1/campaigns/{campaignId}/summary", "Summary",
                "/api/v1/campaigns/{campaignId}/breakdown", "Breakdown",
                "/api/v1/campaigns/{campaignId}/progress", "Progress",
                "/api/v1/campaigns/{campaignId}/timeline", "Timeline",
                "/api/v1/projects", "ProjectPage",
                "/api/v1/projects/{projectId}", "Project");
        reads.forEach((path, schema) -> assertThat(ok(openapi, path, "get").path("$ref").asText())
                .as(path).isEqualTo("#/components/schemas/" + schema));
        assertThat(ok(openapi, "/api/v1/campaigns", "get").path("items").path("$ref").asText())
                .isEqualTo("#/components/schemas/Campaign");

        JsonNode schemas = openapi.path("components").path("schemas");
        assertThat(fields(schemas.path("Summary"))).contains("campaignId", "projects", "plannedInvestment", "stages");
        assertThat(schemas.path("Summary").path("properties").path("stages").path("$ref").asText())
                .isEqualTo("#/components/schemas/Stages");
        assertThat(fields(schemas.path("Stages"))).contains("RESERVED", "SIGNED", "STARTED", "COMPLETED");
        assertThat(fields(schemas.path("Period"))).contains("period", "RESERVED", "WITHDRAWN");
        assertThat(fields(schemas.path("Progress"))).contains("targets", "rates");
        assertThat(fields(schemas.path("Project"))).contains("projectId", "version", "stage", "plannedInvestment",
                "reportedPeriod");
        assertThat(fields(schemas.path("ProjectPage"))).contains("items", "page", "size", "total", "next");
        // A month goes over the wire as its ISO text (2024-05).
        assertThat(schemas.path("YearMonth").path("type").asText()).isEqualTo("string");
        assertThat(names(schemas.fieldNames())).doesNotContainAnyElementsOf(JACKSON_TREES);
    }

    @Test
    void theIssuedReportNamesTheFieldsOfTheReadsItFreezesWithEachAmountAString() {
        JsonNode openapi = openapi();
        assertThat(ok(openapi, "/api/v1/campaigns/{campaignId}/reports/{period}/{revision}", "get").path("$ref").asText())
                .isEqualTo("#/components/schemas/IssuedReportJson");
        JsonNode schemas = openapi.path("components").path("schemas");
        for (String read : List.of("Summary", "Stages", "StageFigures", "Breakdown", "BreakdownItem", "Progress",
                "TargetProgress", "RateSide", "RateProgress", "Timeline", "Period", "Milestones")) {
            JsonNode issued = schemas.path("Issued" + read);
            Map<String, String> expected = new TreeMap<>();
            schemas.path(read).path("properties").fields().forEachRemaining(field ->
                    expected.put(field.getKey(), shape(field.getValue(), true)));
            Map<String, String> actual = new TreeMap<>();
            issued.path("properties").fields().forEachRemaining(field ->
                    actual.put(field.getKey(), shape(field.getValue(), false)));
            assertThat(actual).as("Issued" + read + " against " + read).isEqualTo(expected);
            schemas.path(read).path("properties").fields().forEachRemaining(field -> {
                if (shape(field.getValue(), false).contains("number")) {
                    assertThat(issued.at("/properties/" + field.getKey() + "/pattern").asText())
                            .as("Issued%s.%s", read, field.getKey()).isNotEmpty();
                }
            });
        }
    }

    /** A field's type, items and references, the reads' names for the issued ones; a read's number as a string. */
    private static String shape(JsonNode schema, boolean numberAsString) {
        if (schema.has("$ref")) {
            return schema.path("$ref").asText().replaceFirst("^#/components/schemas/(Issued)?", "");
        }
        String type = schema.path("type").toString();
        StringBuilder shape = new StringBuilder(numberAsString ? type.replace("\"number\"", "\"string\"") : type);
        for (JsonNode part : schema.path("anyOf")) {
            shape.append('|').append(shape(part, numberAsString));
        }
        if (schema.has("items")) {
            shape.append('[').append(shape(schema.path("items"), numberAsString)).append(']');
        }
        return shape.toString();
    }

    @Test
    void theCheckFindsAnswersWithoutSchemaJacksonTreesAndObjectsWithoutFields() throws IOException {
        JsonNode openapi = JSON.readTree("""
                {"paths": {"/api/v1/x": {"get": {"responses": {
                    "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Wrapper"}}}},
                    "201": {"content": {"application/json": {"schema": {"type": "object"}}}},
                    "202": {"description": "a body with no schema"},
                    "203": {"content": {"application/json": {}}}}}}},
                 "components": {"schemas": {
                    "Wrapper": {"type": "object", "properties": {"tree": {"$ref": "#/components/schemas/ObjectNode"},
                        "any": {"description": "anything"}, "map": {"type": "object",
                        "additionalProperties": {"type": "string"}}, "fine": {"type": "string"}}},
                    "ObjectNode": {"type": "object", "properties": {"empty": {"type": "boolean"}}}}}}
                """);
        List<String> faults = new ArrayList<>();
        checkAnswers("GET /api/v1/x", openapi.at("/paths/~1api~1v1~1x/get/responses"), openapi, faults);
        assertThat(faults).hasSize(8).anyMatch(f -> f.contains("ObjectNode")).anyMatch(f -> f.contains(".any"))
                .anyMatch(f -> f.contains(".map")).anyMatch(f -> f.contains("201")).anyMatch(f -> f.contains("202"))
                .anyMatch(f -> f.contains("203"));
    }

    /** Checks each answer of one operation: its body's schema is named and specific, as far as it reaches. */
    private static void checkAnswers(String where, JsonNode responses, JsonNode openapi, List<String> faults) {
        if (names(responses.fieldNames()).stream().noneMatch(status -> status.startsWith("2"))) {
            faults.add(where + " declares no successful answer");
        }
        responses.fields().forEachRemaining(response -> {
            String answer = where + " " + response.getKey();
            JsonNode content = response.getValue().path("content");
            if (content.isEmpty()) {
                if (!WITHOUT_BODY.contains(answer) && !List.of("204", "304").contains(response.getKey())) {
                    faults.add(answer + " declares no body");
                }
                return;
            }
            content.fields().forEachRemaining(media -> {
                JsonNode schema = media.getValue().path("schema");
                String trail = answer + " " + media.getKey();
                JsonNode named = schema.path("type").asText().equals("array") ? schema.path("items") : schema;
                if (!named.has("$ref")) {
                    faults.add(trail + " has no named schema: " + schema);
                }
                walk(schema, trail, openapi.path("components").path("schemas"), new HashSet<>(), faults);
            });
        });
    }

    /** Follows {@code $ref}s, compositions, fields and items, and notes every tree, any-value or fieldless object. */
    private static void walk(JsonNode schema, String trail, JsonNode schemas, Set<String> seen, List<String> faults) {
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asText().substring(schema.path("$ref").asText().lastIndexOf('/') + 1);
            if (JACKSON_TREES.contains(name)) {
                faults.add(trail + " is Jackson's " + name);
            } else if (seen.add(name)) {
                walk(schemas.path(name), trail + " > " + name, schemas, seen, faults);
            }
            return;
        }
        boolean composed = false;
        for (String composition : List.of("oneOf", "anyOf", "allOf")) {
            for (JsonNode part : schema.path(composition)) {
                composed = true;
                walk(part, trail, schemas, seen, faults);
            }
        }
        Set<String> types = new HashSet<>();
        if (schema.path("type").isArray()) {
            schema.path("type").forEach(type -> types.add(type.asText()));
        } else if (schema.has("type")) {
            types.add(schema.path("type").asText());
        }
        if (types.isEmpty() && !composed && !schema.has("enum") && !schema.has("const")) {
            faults.add(trail + " may be anything: " + schema);
        }
        // An object that allows no field at all is specific: always {} (the data of ConstructionStarted).
        boolean alwaysEmpty = schema.path("additionalProperties").isBoolean()
                && !schema.path("additionalProperties").booleanValue();
        if (types.contains("object") && schema.path("properties").isEmpty() && !alwaysEmpty) {
            faults.add(trail + " is an object that names no field: " + schema);
        }
        schema.path("properties").fields().forEachRemaining(field ->
                walk(field.getValue(), trail + "." + field.getKey(), schemas, seen, faults));
        if (schema.has("items")) {
            walk(schema.path("items"), trail + "[]", schemas, seen, faults);
        }
    }

    private static JsonNode ok(JsonNode openapi, String path, String method) {
        return openapi.path("paths").path(path).path(method).path("responses").path("200").path("content")
                .path("application/json").path("schema");
    }

    private static List<String> fields(JsonNode schema) {
        return names(schema.path("properties").fieldNames());
    }

    private static List<String> names(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static JsonNode openapi() {
        try {
            return JSON.readTree(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                    .extract().asString());
        } catch (IOException e) {
            throw new AssertionError("/q/openapi is not JSON", e);
        }
    }
}
