package cn.qxqy.pipeline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The image's settings the service runs with, read from its Dockerfile so that the benchmark runs what ships. */
final class Dockerfile {

    private static final Pattern ENV = Pattern.compile("^ENV\\s+([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)\\s*$");

    private Dockerfile() {
    }

    /** Its {@code ENV NAME=value} lines (one variable per line, as docker/Dockerfile.jvm writes them). */
    static Map<String, String> environment(Path dockerfile) {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(dockerfile, StandardCharsets.UTF_8)) {
                Matcher m = ENV.matcher(line.trim());
                if (m.matches()) {
                    String value = m.group(2);
                    env.put(m.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }
}
