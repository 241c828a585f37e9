package cn.qxqy.pipeline.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code src/test/typescript}: the npm project that pins the tools API teams run against /q/openapi (openapi-typescript,
 * tsc, Spectral), installed with {@code npm ci} as {@code .ci/run} does.
 */
public final class TypeScriptProject {

    public static final Path DIR = Path.of("src/test/typescript");

    /** A command's exit code, and its output and errors together. */
    public record Result(String command, int exitCode, String output) {
    }

    private TypeScriptProject() {
    }

    /** The project's tools, installed unless they are; without npx the test fails under CI=true, else is skipped. */
    public static void install() throws IOException, InterruptedException {
        RequiredTools.require("npx", "Node.js (npx) is not installed: the tools of src/test/typescript cannot run here");
        if (!Files.isDirectory(DIR.resolve("node_modules"))) {
            assertSucceeds(run("npm", "ci", "--no-audit", "--no-fund"));
        }
    }

    /** Runs a command in the project. */
    public static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
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

    public static void assertSucceeds(Result result) {
        assertThat(result.exitCode()).as("%s failed:%n%s", result.command(), result.output()).isZero();
    }
}
