package cn.qxqy.pipeline.api;

import cn.qxqy.pipeline.testing.TypeScriptProject;
import cn.qxqy.pipeline.testing.TypeScriptProject.Result;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static cn.qxqy.pipeline.testing.Api.given;
import static cn.qxqy.pipeline.testing.TypeScriptProject.assertSucceeds;
import static cn.qxqy.pipeline.testing.TypeScriptProject.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frontends are built on the client that {@code openapi-typescript} generates from {@code /q/openapi}: the code in
 * {@code src/test/typescript/client.ts}, which reads the summary, breakdowns, progress, a project, its history and
 * the campaigns, must type-check against it, and a field the schema does not have must not.
 */
@QuarkusTest
class TypeScriptClientTest {

    /** Where the test writes /q/openapi and the client generated from it; tsconfig.json maps pipeline-api there. */
    private static final Path GENERATED = Path.of("target/typescript");

    /** The client, generated from the running application's /q/openapi. */
    @BeforeEach
    void generateTheClient() throws IOException, InterruptedException {
        TypeScriptProject.install();
        Files.createDirectories(GENERATED);
        Files.writeString(GENERATED.resolve("openapi.json"), given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString(), StandardCharsets.UTF_8);
        Path relative = TypeScriptProject.DIR.toAbsolutePath().relativize(GENERATED.toAbsolutePath());
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
}
