package cn.qxqy.pipeline.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container images, read rather than built (no Docker daemon here): non-root, only the packaged application in
 * them and none of the local-run pieces, a JVM sized by the container, and a build context of just what they copy.
 */
class DockerfileTest {

    private static final Path JVM = Manifests.ROOT.resolve("docker/Dockerfile.jvm");
    private static final Path NATIVE = Manifests.ROOT.resolve("docker/Dockerfile.native");

    /** Words that name the local-run pieces: no instruction that shapes the image may mention them. */
    private static final List<String> LOCAL_PIECES = List.of("src/", "embedded", "src/local", ".local-data",
            "-plocal", "localmain", "zonky", "kafka_2.13");

    /** Files of a production build, which the images need. */
    private static final List<String> NEEDED = List.of(
            "target/quarkus-app/quarkus-run.jar",
            "target/quarkus-app/quarkus-app-dependencies.txt",
            "target/quarkus-app/lib/main/org.apache.kafka.kafka-clients-4.1.2.jar",
            "target/quarkus-app/lib/boot/io.quarkus.quarkus-bootstrap-runner-3.33.2.jar",
            "target/quarkus-app/app/project-pipeline-1.0.0-SNAPSHOT.jar",
            "target/quarkus-app/quarkus/generated-bytecode.jar",
            "target/project-pipeline-1.0.0-SNAPSHOT-runner");

    /** Files that must stay out of the build context. */
    private static final List<String> UNNEEDED = List.of(
            "pom.xml", "mvnw", ".mvn/wrapper/maven-wrapper.properties", "README.md", ".git/HEAD", ".gitignore",
            "src/main/java/cn/qxqy/pipeline/domain/Stage.java", "src/main/resources/application.properties",
            "src/embedded/java/cn/qxqy/pipeline/embedded/EmbeddedKafka.java",
            "src/local/java/cn/qxqy/pipeline/local/LocalMain.java",
            ".local-data/postgres/PG_VERSION", ".local-data/kafka/meta.properties",
            "target/classes/application.properties", "target/test-classes/x.class", "target/surefire-reports/x.txt",
            "target/project-pipeline-1.0.0-SNAPSHOT.jar", "target/quarkus/bootstrap/x", "k8s/base/deployment.yaml",
            "docker/Dockerfile.jvm", ".ci/run");

    @Test
    void theJvmImageRunsTheFastJarAsNonRoot() {
        List<Dockerfiles.Instruction> file = Dockerfiles.parse(JVM);
        checkBase(file, JVM);
        checkNonRoot(file, JVM);

        List<Dockerfiles.Instruction> copies = Dockerfiles.of(file, "COPY");
        assertFalse(copies.isEmpty(), "no COPY in " + JVM);
        for (Dockerfiles.Instruction copy : copies) {
            assertTrue(copy.flags().stream().noneMatch(f -> f.startsWith("--from")), "COPY --from in " + JVM);
            for (String source : copy.sources()) {
                assertTrue(source.startsWith("target/quarkus-app/"), "copies " + source + ", not target/quarkus-app: " + copy);
            }
            assertTrue(copy.flags().contains("--chown=" + Dockerfiles.user(file)), "COPY not owned by the run user: " + copy);
        }
        // The four fast-jar layers.
        List<String> sources = copies.stream().flatMap(c -> c.sources().stream()).collect(Collectors.toList());
        for (String layer : List.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app/",
                "target/quarkus-app/quarkus/")) {
            assertTrue(sources.contains(layer), "fast-jar layer " + layer + " not copied");
        }

        String env = Dockerfiles.of(file, "ENV").stream().map(Dockerfiles.Instruction::arguments)
                .collect(Collectors.joining(" "));
        assertTrue(env.contains("-XX:MaxRAMPercentage="), "the heap is not sized from the container's memory limit");
        assertFalse(env.matches(".*-Xmx\\d.*"), "a fixed -Xmx ignores the container's limit");
        assertTrue(env.contains("/deployments/quarkus-run.jar"), "does not run quarkus-run.jar");
        checkEntrypointAndPort(file, JVM);
    }

    @Test
    void theJvmImageRefusesAnApplicationPackagedWithTheLocalProfile() throws IOException {
        List<Dockerfiles.Instruction> file = Dockerfiles.parse(JVM);
        Dockerfiles.Instruction guard = Dockerfiles.of(file, "RUN").stream()
                .filter(r -> r.arguments().contains("/deployments/lib/main") && r.arguments().contains("exit 1"))
                .findFirst().orElseThrow(() -> new AssertionError("no RUN guard against a -Plocal build in " + JVM));
        Matcher pattern = Pattern.compile("grep -E '([^']+)'").matcher(guard.arguments());
        assertTrue(pattern.find(), "the guard's grep -E pattern cannot be read: " + guard);
        Pattern localJar = Pattern.compile(pattern.group(1));

        // Every dependency that the `local` profile turns from test to compile scope is caught by the guard...
        String pom = Files.readString(Manifests.ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
        Matcher dependency = Pattern.compile("<dependency>\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>"
                + "(?:(?!</dependency>).)*?<scope>\\$\\{embedded\\.scope}</scope>", Pattern.DOTALL).matcher(pom);
        List<String> embedded = new ArrayList<>();
        while (dependency.find()) {
            String jar = dependency.group(1) + "." + dependency.group(2) + "-1.0.jar"; // fast-jar lib/main naming
            embedded.add(jar);
            assertTrue(localJar.matcher(jar).find(), "the guard lets the local-run jar " + jar + " through");
        }
        assertFalse(embedded.isEmpty(), "no ${embedded.scope} dependency found in pom.xml: is the check broken?");
        // ...and nothing that production needs is.
        for (String jar : List.of("org.apache.kafka.kafka-clients-4.1.2.jar", "org.postgresql.postgresql-42.7.10.jar",
                "io.quarkus.quarkus-messaging-kafka-3.33.2.jar", "io.vertx.vertx-pg-client-4.5.27.jar")) {
            assertFalse(localJar.matcher(jar).find(), "the guard would refuse the production jar " + jar);
        }
    }

    @Test
    void theNativeImageRunsTheRunnerAsNonRoot() {
        List<Dockerfiles.Instruction> file = Dockerfiles.parse(NATIVE);
        checkBase(file, NATIVE);
        checkNonRoot(file, NATIVE);
        List<Dockerfiles.Instruction> copies = Dockerfiles.of(file, "COPY");
        assertEquals(1, copies.size(), "the native image needs one COPY: the runner");
        assertEquals(List.of("target/*-runner"), copies.get(0).sources());
        assertTrue(copies.get(0).flags().stream().noneMatch(f -> f.startsWith("--from")));
        checkEntrypointAndPort(file, NATIVE);
    }

    @Test
    void imagesCarryNoneOfTheLocalRunPieces() {
        for (Path dockerfile : List.of(JVM, NATIVE)) {
            List<Dockerfiles.Instruction> file = Dockerfiles.parse(dockerfile);
            assertTrue(Dockerfiles.of(file, "ADD").isEmpty(), "ADD in " + dockerfile + ": use COPY of local files");
            for (Dockerfiles.Instruction instruction : file) {
                if (instruction.keyword().equals("RUN")) {
                    continue; // the guard names the local-run jars to refuse them
                }
                String text = instruction.arguments().toLowerCase(Locale.ROOT);
                for (String piece : LOCAL_PIECES) {
                    assertFalse(text.contains(piece), dockerfile + ": " + instruction + " refers to " + piece);
                }
            }
        }
    }

    @Test
    void theBuildContextHoldsOnlyWhatTheImagesCopy() throws IOException {
        List<String> patterns = Files.readAllLines(Manifests.ROOT.resolve(".dockerignore"), StandardCharsets.UTF_8)
                .stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
        DockerIgnore ignore = new DockerIgnore(patterns);
        for (String path : NEEDED) {
            assertFalse(ignore.excludes(path), ".dockerignore excludes " + path + ", which an image copies");
        }
        for (String path : UNNEEDED) {
            assertTrue(ignore.excludes(path), ".dockerignore lets " + path + " into the build context");
        }
        // Whatever a COPY names must reach the build context.
        for (Path dockerfile : List.of(JVM, NATIVE)) {
            for (Dockerfiles.Instruction copy : Dockerfiles.of(Dockerfiles.parse(dockerfile), "COPY")) {
                for (String source : copy.sources()) {
                    String example = source.replace("*", "project-pipeline-1.0.0-SNAPSHOT") + (source.endsWith("/") ? "x.jar" : "");
                    assertFalse(ignore.excludes(example), ".dockerignore excludes " + example + " of " + dockerfile);
                }
            }
        }
        assertTrue(new DockerIgnore(List.of("*", "!target/quarkus-app")).excludes("target/classes/a"), "matcher self-check");
    }

    @Test
    void theDockerIgnoreMatcherFollowsDockersRules() {
        DockerIgnore ignore = new DockerIgnore(List.of("*", "!target/quarkus-app", "!target/*-runner", "**/*.md"));
        assertTrue(ignore.excludes("pom.xml"));
        assertTrue(ignore.excludes("src/main/A.java"));
        assertFalse(ignore.excludes("target/quarkus-app/lib/main/a.jar"));
        assertFalse(ignore.excludes("target/x-runner"));
        assertTrue(ignore.excludes("target/x-runner.jar"));
        assertTrue(ignore.excludes("target/quarkus-app/README.md"));
    }

    // --- helpers

    private static void checkBase(List<Dockerfiles.Instruction> file, Path dockerfile) {
        List<Dockerfiles.Instruction> from = Dockerfiles.of(file, "FROM");
        assertEquals(1, from.size(), dockerfile + ": one stage, from a runtime image (the build happens before)");
        String image = from.get(0).words().get(0);
        String tag = image.contains("@") ? "digest" : image.substring(image.lastIndexOf('/') + 1).contains(":")
                ? image.substring(image.lastIndexOf(':') + 1) : "";
        assertFalse(tag.isEmpty() || tag.equals("latest"), dockerfile + ": pin the base image's tag: " + image);
    }

    private static void checkNonRoot(List<Dockerfiles.Instruction> file, Path dockerfile) {
        String user = Dockerfiles.user(file);
        assertTrue(user.matches("\\d+"), dockerfile + ": USER must be numeric (runAsNonRoot checks the uid): " + user);
        assertTrue(Integer.parseInt(user) > 0, dockerfile + ": runs as root");
        int lastUser = lastIndex(file, "USER");
        int entrypoint = lastIndex(file, "ENTRYPOINT");
        assertTrue(lastUser < entrypoint, dockerfile + ": USER must come before ENTRYPOINT");
        for (int i = lastUser + 1; i < file.size(); i++) {
            assertFalse(file.get(i).keyword().equals("RUN"), dockerfile + ": RUN after USER");
        }
    }

    private static void checkEntrypointAndPort(List<Dockerfiles.Instruction> file, Path dockerfile) {
        List<Dockerfiles.Instruction> entrypoint = Dockerfiles.of(file, "ENTRYPOINT");
        assertEquals(1, entrypoint.size(), dockerfile + ": one ENTRYPOINT");
        assertTrue(entrypoint.get(0).arguments().startsWith("["),
                dockerfile + ": exec-form ENTRYPOINT, so that the JVM gets SIGTERM itself");
        assertTrue(Dockerfiles.of(file, "EXPOSE").stream().anyMatch(e -> e.words().contains("8080")), dockerfile + ": EXPOSE 8080");
    }

    private static int lastIndex(List<Dockerfiles.Instruction> file, String keyword) {
        for (int i = file.size() - 1; i >= 0; i--) {
            if (file.get(i).keyword().equals(keyword)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Docker's .dockerignore rules: patterns relative to the context root, {@code *} and {@code ?} within one path
     * element, {@code **} across elements, {@code !} re-includes; a pattern matching a parent directory matches what
     * is in it; the last matching pattern decides.
     */
    static final class DockerIgnore {

        private record Rule(Pattern pattern, boolean include) {
        }

        private final List<Rule> rules = new ArrayList<>();

        DockerIgnore(List<String> patterns) {
            for (String p : patterns) {
                boolean include = p.startsWith("!");
                String body = Path.of(include ? p.substring(1).trim() : p).normalize().toString().replace('\\', '/');
                while (body.startsWith("/")) {
                    body = body.substring(1);
                }
                rules.add(new Rule(Pattern.compile(toRegex(body)), include));
            }
        }

        boolean excludes(String path) {
            boolean excluded = false;
            List<String> candidates = new ArrayList<>();
            String[] parts = path.split("/");
            for (int i = 1; i <= parts.length; i++) {
                candidates.add(String.join("/", java.util.Arrays.copyOf(parts, i)));
            }
            for (Rule rule : rules) {
                if (candidates.stream().anyMatch(c -> rule.pattern().matcher(c).matches())) {
                    excluded = !rule.include();
                }
            }
            return excluded;
        }

        private static String toRegex(String glob) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                        i++;
                        regex.append("(?:.*/)?");
                    } else {
                        regex.append(".*");
                    }
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else if (c == '?') {
                    regex.append("[^/]");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return regex.toString();
        }
    }
}
