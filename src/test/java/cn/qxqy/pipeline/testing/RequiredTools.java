package cn.qxqy.pipeline.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Tools that some tests run besides the JDK (kubectl, npx). On a developer's machine without one, such a test is
 * skipped and says why; under {@code CI=true} it fails instead, since .ci/run installs them and a check that silently
 * did not run proves nothing.
 */
public final class RequiredTools {

    private RequiredTools() {
    }

    /** The tool on the PATH, if any. */
    public static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            for (String file : List.of(name, name + ".exe")) {
                Path candidate = Path.of(dir, file);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The tool on the PATH; without it the test fails under CI=true and is skipped, saying {@code missing}, elsewhere. */
    public static Path require(String name, String missing) {
        Optional<Path> tool = find(name);
        if (tool.isEmpty()) {
            if (inCi()) {
                fail(missing + " (CI=true: .ci/run installs it)");
            }
            abort(missing);
        }
        return tool.get();
    }

    /**
     * Whether the tool is on the PATH, for a test that can check less without it; under CI=true a missing tool fails
     * the test instead.
     */
    public static boolean available(String name, String missing) {
        if (find(name).isEmpty() && inCi()) {
            fail(missing + " (CI=true: .ci/run installs it)");
        }
        return find(name).isPresent();
    }

    private static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
