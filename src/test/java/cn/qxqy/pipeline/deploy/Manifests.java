package cn.qxqy.pipeline.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import cn.qxqy.pipeline.testing.RequiredTools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Kubernetes manifests of {@code k8s/} as {@code kubectl kustomize} renders them, parsed into JSON trees.
 * <p>
 * YAML is read with jackson-dataformat-yaml, which the application already has on its classpath (through
 * quarkus-smallrye-openapi); it is deliberately not declared again with test scope, which would take it out of the
 * packaged application.
 */
final class Manifests {

    static final Path ROOT = projectRoot();
    static final String KUBECTL_MISSING = "kubectl is not installed: the manifests cannot be rendered here";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    private Manifests() {
    }

    /**
     * Whether the manifests can be rendered: kubectl is on the PATH. Without it a test checks less on a developer's
     * machine, and fails under CI=true.
     */
    static boolean canRender() {
        return RequiredTools.available("kubectl", KUBECTL_MISSING);
    }

    /** Every object of {@code k8s/overlays/<overlay>}, rendered by {@code kubectl kustomize}; fails if rendering fails. */
    static List<JsonNode> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, Manifests::doRender);
    }

    private static List<JsonNode> doRender(String overlay) {
        Path kubectl = RequiredTools.require("kubectl", KUBECTL_MISSING);
        Path dir = ROOT.resolve("k8s/overlays").resolve(overlay);
        assertTrue(Files.isDirectory(dir), dir + " is missing");
        try {
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                    .directory(ROOT.toFile()).start();
            process.getOutputStream().close();
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("kubectl kustomize " + dir + " did not finish in 2 minutes");
            }
            assertEquals(0, process.exitValue(),
                    () -> "kubectl kustomize " + dir + " failed:\n" + stderr.join());
            List<JsonNode> objects = new ArrayList<>();
            try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(stdout.join())) {
                while (documents.hasNext()) {
                    JsonNode document = documents.next();
                    if (document != null && !document.isNull() && !document.isMissingNode()) {
                        objects.add(document);
                    }
                }
            }
            assertTrue(!objects.isEmpty(), "kubectl kustomize " + dir + " rendered nothing");
            return List.copyOf(objects);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).collect(Collectors.toList());
    }

    static JsonNode single(List<JsonNode> objects, String kind) {
        List<JsonNode> found = ofKind(objects, kind);
        assertEquals(1, found.size(), () -> "expected exactly one " + kind + ", found " + found.size());
        return found.get(0);
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static List<JsonNode> list(JsonNode array) {
        return array == null || !array.isArray() ? List.of()
                : StreamSupport.stream(array.spliterator(), false).collect(Collectors.toList());
    }

    /** A string → string map (labels, matchLabels, ConfigMap data). */
    static Map<String, String> strings(JsonNode map) {
        Map<String, String> result = new java.util.LinkedHashMap<>();
        if (map != null && map.isObject()) {
            map.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
        }
        return result;
    }

    /** Whether {@code selector} (a map of matchLabels) selects an object carrying {@code labels}. */
    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static Path projectRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("src/main"))) {
                return d;
            }
        }
        return dir;
    }
}
