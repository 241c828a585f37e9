package cn.qxqy.pipeline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What Prism does in front of the service, as a rest-assured filter: every request that passes through it and its
 * answer are checked against the OpenAPI 3.1 document the service serves, their bodies by networknt's JSON Schema
 * validator with the OpenAPI 3.1 dialect. An answer must be of a status and media type its operation lists, with a
 * body its schema accepts. A request the document calls invalid must not be accepted (2xx): the service may refuse
 * more than the document says (rules it cannot express), never less.
 */
public final class OpenApiTraffic implements Filter {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An operation of the document and the statuses it answered here. */
    private final Map<String, Set<Integer>> answered = new LinkedHashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final JsonNode document;
    private final List<Route> routes = new ArrayList<>();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31());
    private final Map<JsonNode, Schema> schemas = new IdentityHashMap<>();
    private int exchanges;

    /** A path template of the document, as a pattern of request paths. */
    private record Route(String template, Pattern pattern, List<String> names) {
    }

    public OpenApiTraffic(JsonNode document) {
        this.document = document;
        if (!document.path("openapi").asText().startsWith("3.1")) {
            throw new IllegalArgumentException("an OpenAPI 3.1 document is needed, not " + document.path("openapi"));
        }
        document.path("paths").fieldNames().forEachRemaining(template -> {
            List<String> names = new ArrayList<>();
            StringBuilder regex = new StringBuilder();
            for (String part : template.split("(?=\\{)|(?<=})")) {
                if (part.startsWith("{")) {
                    names.add(part.substring(1, part.length() - 1));
                    regex.append("([^/]+)");
                } else {
                    regex.append(Pattern.quote(part));
                }
            }
            routes.add(new Route(template, Pattern.compile(regex.toString()), names));
            document.path("paths").path(template).fields().forEachRemaining(method -> {
                if (method.getValue().has("responses")) {
                    answered.put(method.getKey().toUpperCase() + " " + template, new TreeSet<>());
                }
            });
        });
        // A literal segment wins over a parameter: /a/b before /a/{x}; and more literal text over less, as JAX-RS
        // matches: /{x}.xlsx before /{x}.
        routes.sort(Comparator.comparingInt((Route route) -> route.names().size())
                .thenComparing(Comparator.comparingInt((Route route) -> literal(route.template())).reversed()));
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification spec,
                           FilterContext context) {
        Response response = context.next(request, spec);
        check(request.getMethod(), URI.create(request.getURI()), request.getContentType(), body(request.getBody()),
                response.statusCode(), response.contentType(), response.asString());
        return response;
    }

    /** The violations found so far, each naming its request. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** Per operation of the document ({@code GET /api/v1/…}), the statuses it answered. */
    public Map<String, Set<Integer>> answered() {
        return Collections.unmodifiableMap(answered);
    }

    public int exchanges() {
        return exchanges;
    }

    /** Checks one exchange; {@code requestType} and {@code responseType} may be null or empty. */
    public synchronized void check(String method, URI uri, String requestType, String requestBody, int status,
                                   String responseType, String responseBody) {
        exchanges++;
        String where = method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + " → " + status;
        Route route = null;
        Map<String, String> pathValues = new LinkedHashMap<>();
        for (Route candidate : routes) {
            var matcher = candidate.pattern().matcher(uri.getRawPath());
            if (matcher.matches()) {
                route = candidate;
                for (int i = 0; i < candidate.names().size(); i++) {
                    pathValues.put(candidate.names().get(i), decode(matcher.group(i + 1)));
                }
                break;
            }
        }
        if (route == null) {
            violations.add(where + ": no path of the document");
            return;
        }
        JsonNode operation = document.path("paths").path(route.template()).path(method.toLowerCase());
        if (operation.isMissingNode()) {
            violations.add(where + ": " + route.template() + " has no " + method);
            return;
        }
        answered.get(method.toUpperCase() + " " + route.template()).add(status);
        if (status >= 200 && status < 300) {
            List<String> invalid = new ArrayList<>();
            checkParameters(operation, pathValues, query(uri), invalid);
            checkRequestBody(operation, requestType, requestBody, invalid);
            invalid.forEach(v -> violations.add(where + ": accepted a request the document calls invalid: " + v));
        }
        JsonNode responses = operation.path("responses");
        JsonNode answer = responses.has(String.valueOf(status)) ? responses.get(String.valueOf(status))
                : responses.path("default");
        if (answer.isMissingNode()) {
            violations.add(where + ": status " + status + " is not listed (" + names(responses) + ")");
            return;
        }
        answer = resolve(answer);
        String mediaType = mediaType(responseType);
        if (responseBody == null || responseBody.isEmpty()) {
            return;
        }
        JsonNode listed = listed(answer.path("content"), mediaType);
        if (listed == null) {
            violations.add(where + ": answered " + mediaType + ", the document lists " + names(answer.path("content")));
            return;
        }
        if (isJson(mediaType)) {
            validateText(listed.path("schema"), responseBody, "answer")
                    .forEach(v -> violations.add(where + ": " + v));
        }
    }

    private void checkParameters(JsonNode operation, Map<String, String> pathValues, Map<String, List<String>> query,
                                 List<String> invalid) {
        for (JsonNode declared : operation.path("parameters")) {
            JsonNode parameter = resolve(declared);
            String name = parameter.path("name").asText();
            String in = parameter.path("in").asText();
            List<String> values = switch (in) {
                case "path" -> pathValues.containsKey(name) ? List.of(pathValues.get(name)) : List.of();
                case "query" -> query.getOrDefault(name, List.of());
                default -> null;
            };
            if (values == null) {
                continue;
            }
            if (values.isEmpty() && parameter.path("required").asBoolean(false)) {
                invalid.add(in + " parameter " + name + " is required");
            }
            JsonNode schema = parameter.path("schema");
            JsonNode items = resolve(schema).path("items");
            if (resolve(schema).path("type").asText().equals("array") && !values.isEmpty()) {
                // A repeated query parameter, form style: ?projectId=a&projectId=b
                var array = JsonNodeFactory.instance.arrayNode();
                values.forEach(value -> array.add(typed(resolve(items), value)));
                validateValue(schema, array).forEach(v -> invalid.add(in + " parameter " + name + " = " + values + ": " + v));
                continue;
            }
            for (String value : values) {
                validateValue(schema, typed(resolve(schema), value))
                        .forEach(v -> invalid.add(in + " parameter " + name + " = " + value + ": " + v));
            }
        }
    }

    private void checkRequestBody(JsonNode operation, String requestType, String requestBody, List<String> invalid) {
        JsonNode declared = resolve(operation.path("requestBody"));
        if (requestBody == null || requestBody.isEmpty()) {
            if (declared.path("required").asBoolean(false)) {
                invalid.add("the body is required");
            }
            return;
        }
        String mediaType = mediaType(requestType);
        JsonNode listed = listed(declared.path("content"), mediaType);
        if (listed == null) {
            invalid.add("a body of " + mediaType + ", the document lists " + names(declared.path("content")));
        } else if (isJson(mediaType)) {
            invalid.addAll(validateText(listed.path("schema"), requestBody, "body"));
        }
    }

    private List<String> validateText(JsonNode schema, String text, String what) {
        JsonNode instance;
        try {
            instance = JSON.readTree(text);
        } catch (IOException e) {
            return List.of(what + " is not JSON: " + e.getMessage());
        }
        return validateValue(schema, instance);
    }

    private List<String> validateValue(JsonNode schema, JsonNode instance) {
        if (schema.isMissingNode()) {
            return List.of();
        }
        Schema validator = schemas.computeIfAbsent(schema, this::compile);
        return validator.validate(instance, context -> context.executionConfig(config ->
                        config.formatAssertionsEnabled(true))).stream().map(error -> error.getInstanceLocation() + ": " + error.getMessage()).toList();
    }

    /** The schema as the root of a copy of the document, so that its references resolve as in the document. */
    private Schema compile(JsonNode schema) {
        ObjectNode root = document.deepCopy();
        root.putObject("$defs").set("checked", schema);
        root.put("$ref", "#/$defs/checked");
        return registry.getSchema(root);
    }

    /** A parameter's text as the JSON value its schema's type reads it as. */
    private static JsonNode typed(JsonNode schema, String value) {
        Set<String> types = new LinkedHashSet<>();
        if (schema.path("type").isArray()) {
            schema.path("type").forEach(t -> types.add(t.asText()));
        } else {
            types.add(schema.path("type").asText());
        }
        try {
            if (types.contains("integer") && value.matches("-?[0-9]+")) {
                return JsonNodeFactory.instance.numberNode(new BigInteger(value));
            }
            if (types.contains("number") && value.matches("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
                return JsonNodeFactory.instance.numberNode(new BigDecimal(value));
            }
        } catch (NumberFormatException e) {
            return JsonNodeFactory.instance.textNode(value);
        }
        if (types.contains("boolean") && (value.equals("true") || value.equals("false"))) {
            return JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(value));
        }
        return JsonNodeFactory.instance.textNode(value);
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode resolved = node;
        while (resolved.has("$ref") && resolved.get("$ref").asText().startsWith("#/")) {
            resolved = document.at(resolved.get("$ref").asText().substring(1));
        }
        return resolved;
    }

    /** How many characters of a path template are not parameters. */
    private static int literal(String template) {
        return template.replaceAll("\\{[^}]*}", "").length();
    }

    private static Map<String, List<String>> query(URI uri) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
        }
        return values;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** The content the document lists for a media type, whatever parameters (charset) either names; null if none. */
    private static JsonNode listed(JsonNode content, String mediaType) {
        for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (mediaType(entry.getKey()).equals(mediaType)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static String mediaType(String contentType) {
        return contentType == null || contentType.isBlank() ? "" : contentType.split(";")[0].strip().toLowerCase();
    }

    private static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private static String body(Object body) {
        if (body == null) {
            return null;
        }
        return body instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : body.toString();
    }

    private static String names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return String.join(", ", names);
    }
}
