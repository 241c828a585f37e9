package cn.qxqy.pipeline.api;

import cn.qxqy.pipeline.testing.RequiredTools;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static cn.qxqy.pipeline.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frontends are built on the client that {@code openapi-typescript} generates from {@code /q/openapi}: the code in
 * {@code src/test/typescript/client.ts}, which reads the summary, breakdowns, progress, a project, its history and
 * the campaigns, must type-check against it, and a field the schema does not have must not.
 */
@QuarkusTest
class TypeScriptClientTest {

    private static final Path PROJECT = Path.of("src/test/typescript");
    /** Where the test writes /q/openapi and the client generated from it; tsconfig.json maps pipeline-api there. */
    private static final Path GENERATED = Path.of("target/typescript");

    /** The client, generated from the running application's /q/openapi. */
    @BeforeEach
    void generateTheClient() throws IOException, InterruptedException {
        RequiredTools.require("npx", "Node.js (npx) is not installed: the generated TypeScript client cannot be checked here");
        if (!Files.isDirectory(PROJECT.resolve("node_modules"))) {
            assertSucceeds(run("npm", "ci", "--no-audit", "--no-fund"));
        }
        Files.createDirectories(GENERATED);
        Files.writeString(GENERATED.resolve("openapi.json"), given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString(), StandardCharsets.UTF_8);
        Path relative = PROJECT.toAbsolutePath().relativize(GENERATED.toAbsolutePath());
        assertSucceeds(run("npx", "--no", "--", "openapi-typescript", relative.resolve("openapi.json").toString(),
                "--output", relative.resolve("api.d.ts").toString()));
    }

    @Test
    void aFrontendReadsEveryAnswerItShowsThroughTheGeneratedTypes() throws IOException, InterruptedException {
        assertSucceeds(run("npx", "--no", "--", "tsc", "--project", "tsconfig.json"));
    }

    @Test
    void theTypeCheckRefusesAFieldTheSchemaDoesNotHave() throws IOException, InterruptedException {
        Result result = run("npx", "--no", "--", "tsc", "--project", "tsconfig.mistakes.json");
        assertThat(result.exitCode()).as("tsc accepted mistakes/nonexistent-field.ts:%n%s", result.output())
                .isNotZero();
        List<String> errors = result.output().lines().filter(line -> line.contains("error TS")).toList();
        assertThat(errors).as(result.output()).singleElement().asString()
                .startsWith("mistakes/nonexistent-field.ts").contains("TS2339", "'nonexistent'");
    }

    private record Result(String command, int exitCode, String output) {
    }

    /** Runs a command in the TypeScript project, its output and errors together. */
    private static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = process.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 5 minutes");
        }
        return new Result(String.join(" ", command), process.exitValue(), output.join());
    }

    private static void assertSucceeds(Result result) {
        assertThat(result.exitCode()).as("%s failed:%n%s", result.command(), result.output()).isZero();
    }
}
