package cn.qxqy.pipeline.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The instructions of a Dockerfile: continuation lines joined, comments and blank lines left out. */
final class Dockerfiles {

    record Instruction(String keyword, String arguments) {

        /** The arguments split on blanks, flags ({@code --chown=...}) included. */
        List<String> words() {
            return List.of(arguments.trim().split("\\s+"));
        }

        /** For COPY and ADD: the sources, i.e. all words but flags and the last (the destination). */
        List<String> sources() {
            List<String> words = words().stream().filter(w -> !w.startsWith("--")).collect(Collectors.toList());
            return words.subList(0, words.size() - 1);
        }

        List<String> flags() {
            return words().stream().filter(w -> w.startsWith("--")).collect(Collectors.toList());
        }
    }

    private Dockerfiles() {
    }

    static List<Instruction> parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continued = trimmed.endsWith("\\");
            current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continued) {
                add(instructions, current.toString().trim());
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            add(instructions, current.toString().trim());
        }
        return instructions;
    }

    private static void add(List<Instruction> instructions, String text) {
        if (text.isEmpty()) {
            return;
        }
        int blank = text.indexOf(' ');
        String keyword = (blank < 0 ? text : text.substring(0, blank)).toUpperCase(Locale.ROOT);
        instructions.add(new Instruction(keyword, blank < 0 ? "" : text.substring(blank + 1).trim()));
    }

    static List<Instruction> of(List<Instruction> instructions, String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).collect(Collectors.toList());
    }

    /** The user the image runs as: the argument of the last USER instruction (user part only). */
    static String user(List<Instruction> instructions) {
        List<Instruction> users = of(instructions, "USER");
        return users.isEmpty() ? "root" : users.get(users.size() - 1).arguments().split(":")[0].trim();
    }
}
