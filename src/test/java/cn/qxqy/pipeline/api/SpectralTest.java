package cn.qxqy.pipeline.api;

import cn.qxqy.pipeline.testing.TypeScriptProject;
import cn.qxqy.pipeline.testing.TypeScriptProject.Result;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.TypeScriptProject.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * API teams lint the document before they build on it: Spectral's {@code spectral:oas} ruleset ({@code .spectral.yaml})
 * finds no error in {@code /q/openapi}, such as an example its schema refuses or a security requirement its scheme
 * cannot have.
 */
@QuarkusTest
class SpectralTest {

    private static final Path DOCUMENT = Path.of("target/spectral/openapi.json");

    @Test
    void theOasRulesetFindsNoErrorInTheDocument() throws Exception {
        TypeScriptProject.install();
        Files.createDirectories(DOCUMENT.getParent());
        Files.writeString(DOCUMENT, given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString(), StandardCharsets.UTF_8);
        Path project = TypeScriptProject.DIR.toAbsolutePath();
        Result lint = run("npx", "--no", "--", "spectral", "lint", "--fail-severity", "error",
                "--ruleset", project.relativize(Path.of(".spectral.yaml").toAbsolutePath()).toString(),
                project.relativize(DOCUMENT.toAbsolutePath()).toString());
        assertThat(lint.exitCode()).as("spectral lint:%n%s", lint.output()).isZero();
        assertThat(lint.output()).as("spectral lint ran").containsAnyOf("No results with a severity of 'error'",
                "0 errors");
    }
}
