package cn.qxqy.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The tables the SQL of the main sources names, class by class: what {@link ArchitectureTest} holds against each
 * table's owner. The SQL is read from the sources, since a constant folded into another class's bytecode would hide
 * where it was written.
 */
final class RoomSql {

    static final Path MAIN = Path.of("src/main/java/cn/qxqy/pipeline");
    static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    /** A table named after FROM or JOIN (read), or after INTO, UPDATE, TABLE, DELETE FROM or TRUNCATE (written). */
    record TableUse(String room, String className, String table, boolean written) {

        @Override
        public String toString() {
            return room + "." + className + (written ? " writes " : " reads ") + table;
        }
    }

    private static final Pattern KEYWORD = Pattern.compile(
            "(?i)\\b(delete\\s+from|from|join|into|update|truncate|table)\\s+(?:only\\s+|if\\s+(?:not\\s+)?exists\\s+)*");
    private static final Pattern NAME = Pattern.compile("(?:\\w+\\.)?(\\w+)");
    /** An alias after a name, unless the word is what comes next in the statement. */
    private static final Pattern ALIAS = Pattern.compile("(?i)\\s+(?:as\\s+)?(?!(?:where|on|using|join|left|right|full|"
            + "inner|cross|natural|order|group|limit|set|values|select|returning|for|union|except|intersect|having|"
            + "offset|default|do|rename|add|alter|drop|like|with|window)\\b)\\w+");
    private static final Pattern ESCAPE = Pattern.compile("\\\\(.)", Pattern.DOTALL);
    private static final Pattern CREATED = Pattern.compile("(?i)\\bcreate\\s+(?:unlogged\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?(\\w+)");

    private RoomSql() {
    }

    /** Every use of a table in {@code tables} by a class of a room (a package under {@code cn.qxqy.pipeline}). */
    static List<TableUse> uses(Set<String> tables) {
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<TableUse> uses = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Path relative = MAIN.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue;
                }
                String room = relative.getName(0).toString();
                String className = relative.getFileName().toString().replace(".java", "");
                // Joined as the + between them joins them: a statement is often written in pieces around a constant.
                String sql = String.join(" ", literals(Files.readString(file, StandardCharsets.UTF_8)));
                for (Named named : tablesNamed(sql)) {
                    if (tables.contains(named.table())) {
                        uses.add(new TableUse(room, className, named.table(), named.written()));
                    }
                }
            }
            return uses;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tables the migrations create. */
    static Set<String> created() {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            List<String> tables = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                Matcher m = CREATED.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    tables.add(m.group(1));
                }
            }
            return Set.copyOf(tables);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Named(String table, boolean written) {
    }

    /** The names after the keywords of {@link #KEYWORD}, with the lists a FROM or a DROP TABLE may name. */
    static List<Named> tablesNamed(String sql) {
        List<Named> named = new ArrayList<>();
        Matcher keyword = KEYWORD.matcher(sql);
        while (keyword.find()) {
            String word = keyword.group(1).toLowerCase();
            boolean written = !word.equals("from") && !word.equals("join");
            int at = keyword.end();
            while (at < sql.length()) {
                if (sql.charAt(at) == '(') {
                    at = afterParentheses(sql, at);
                } else {
                    Matcher name = NAME.matcher(sql).region(at, sql.length());
                    if (!name.lookingAt()) {
                        break;
                    }
                    named.add(new Named(name.group(1).toLowerCase(), written));
                    at = name.end();
                }
                Matcher alias = ALIAS.matcher(sql).region(at, sql.length());
                if (alias.lookingAt()) {
                    at = alias.end();
                }
                while (at < sql.length() && Character.isWhitespace(sql.charAt(at))) {
                    at++;
                }
                if (at >= sql.length() || sql.charAt(at) != ',') {
                    break;
                }
                at++;
                while (at < sql.length() && Character.isWhitespace(sql.charAt(at))) {
                    at++;
                }
            }
        }
        return named;
    }

    private static int afterParentheses(String sql, int open) {
        int depth = 0;
        for (int i = open; i < sql.length(); i++) {
            if (sql.charAt(i) == '(') {
                depth++;
            } else if (sql.charAt(i) == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return sql.length();
    }

    /** The string literals and text blocks of a Java source, in order, comments and character literals left out. */
    static List<String> literals(String source) {
        List<String> literals = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                i = source.indexOf("*/", i + 2) + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                literals.add(unescaped(source.substring(i + 3, end)));
                i = end + 3;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (source.charAt(end) != c) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                if (c == '"') {
                    literals.add(unescaped(source.substring(i + 1, end)));
                }
                i = end + 1;
            } else {
                i++;
            }
        }
        return literals;
    }

    /** Escapes as a space ({@code \n} ends a word as the line break does), but for the quotes and the backslash. */
    private static String unescaped(String literal) {
        return ESCAPE.matcher(literal).replaceAll(m -> "\"'\\".contains(m.group(1)) ? Matcher.quoteReplacement(m.group(1)) : " ");
    }
}
