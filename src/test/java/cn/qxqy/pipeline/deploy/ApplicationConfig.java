package cn.qxqy.pipeline.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the application's {@code src/main/resources/application.properties} asks of its environment in production:
 * the properties as the {@code prod} profile sees them ({@code %prod.x} over {@code x}; {@code %dev}, {@code %test}
 * and other profiles left out), the {@code ${...}} expressions in them, the Kafka topics of its channels.
 */
final class ApplicationConfig {

    static final Path FILE = Manifests.ROOT.resolve("src/main/resources/application.properties");

    /** A {@code ${name}} or {@code ${name:default}} expression found in a property value. */
    record Expression(String property, String name, boolean hasDefault, String defaultValue) {

        /** Whether the name is an environment variable (upper case) rather than another property. */
        boolean isEnvironmentVariable() {
            return name.equals(name.toUpperCase(Locale.ROOT)) && name.matches("[A-Z0-9_]+");
        }

        /** The environment variable through which the value must come. */
        String environmentName() {
            return name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
        }
    }

    /** A Kafka channel of SmallRye Reactive Messaging, and the topics it reads or writes. */
    record Channel(String direction, String name, Set<String> topics) {
    }

    private final Map<String, String> prod;

    private ApplicationConfig(Map<String, String> prod) {
        this.prod = prod;
    }

    static ApplicationConfig load() {
        Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(FILE, StandardCharsets.UTF_8)) {
            raw.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> common = new TreeMap<>();
        Map<String, String> profiled = new TreeMap<>();
        for (String key : raw.stringPropertyNames()) {
            String value = raw.getProperty(key);
            if (key.startsWith("%")) {
                int dot = key.indexOf('.');
                List<String> profiles = Arrays.asList(key.substring(1, dot).split(","));
                if (profiles.stream().map(String::trim).anyMatch("prod"::equals)) {
                    profiled.put(key.substring(dot + 1), value);
                }
            } else {
                common.put(key, value);
            }
        }
        Map<String, String> prod = new TreeMap<>(common);
        prod.putAll(profiled);
        return new ApplicationConfig(prod);
    }

    /** The value the prod profile gives a property in the file, if it gives one. */
    Optional<String> value(String property) {
        return Optional.ofNullable(prod.get(property));
    }

    /** The value with its expressions replaced by their defaults (for properties whose expressions all have one). */
    String valueOrDefault(String property, String fallback) {
        return value(property).map(ApplicationConfig::withDefaults).orElse(fallback);
    }

    Map<String, String> properties() {
        return prod;
    }

    /** Every {@code ${...}} expression in the prod values, nested ones included. */
    List<Expression> expressions() {
        List<Expression> found = new ArrayList<>();
        prod.forEach((property, value) -> collect(property, value, found));
        return found;
    }

    /**
     * The expressions production must supply: without a default, and not naming a property that the file defines or
     * that Quarkus defaults ({@code quarkus.*}). Expressions nested in another's default count only if their outer one
     * is itself required — an outer default means nothing further is needed.
     */
    Set<Expression> required() {
        Set<Expression> required = new LinkedHashSet<>();
        prod.forEach((property, value) -> collectRequired(property, value, required));
        return required;
    }

    private void collectRequired(String property, String value, Set<Expression> required) {
        for (Expression e : topLevel(property, value)) {
            if (e.hasDefault()) {
                continue;
            }
            if (!e.isEnvironmentVariable() && (prod.containsKey(e.name()) || e.name().startsWith("quarkus."))) {
                continue;
            }
            required.add(e);
        }
    }

    /** The Kafka channels (connector smallrye-kafka) and their topics, dead-letter topics included. */
    List<Channel> kafkaChannels() {
        Pattern channelKey = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\..*");
        String defaultConnector = prod.get("mp.messaging.connector");
        Map<String, Channel> channels = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        for (String key : prod.keySet()) {
            Matcher m = channelKey.matcher(key);
            if (m.matches()) {
                names.add(m.group(1) + "." + m.group(2));
            }
        }
        for (String channel : names) {
            String direction = channel.substring(0, channel.indexOf('.'));
            String name = channel.substring(channel.indexOf('.') + 1);
            String prefix = "mp.messaging." + channel + ".";
            String kind = Optional.ofNullable(prod.get(prefix + "connector")).orElse(defaultConnector);
            if (!"smallrye-kafka".equals(kind)) {
                continue;
            }
            Set<String> topics = new LinkedHashSet<>();
            String many = prod.get(prefix + "topics");
            if (many != null) {
                Arrays.stream(withDefaults(many).split(",")).map(String::trim).filter(t -> !t.isEmpty())
                        .forEach(topics::add);
            } else {
                topics.add(withDefaults(Optional.ofNullable(prod.get(prefix + "topic")).orElse(name)));
            }
            if ("dead-letter-queue".equals(prod.get(prefix + "failure-strategy"))) {
                topics.add(withDefaults(Optional.ofNullable(prod.get(prefix + "dead-letter-queue.topic"))
                        .orElse("dead-letter-topic-" + name)));
            }
            channels.put(channel, new Channel(direction, name, topics));
        }
        return List.copyOf(channels.values());
    }

    /** Replaces each {@code ${name:default}} by its default ({@code ${name}} by the empty string). */
    static String withDefaults(String value) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            if (start < 0 || (start > 0 && value.charAt(start - 1) == '\\')) {
                out.append(value, i, start < 0 ? value.length() : start + 2);
                i = start < 0 ? value.length() : start + 2;
                continue;
            }
            int end = matchingBrace(value, start + 2);
            out.append(value, i, start);
            String body = value.substring(start + 2, end);
            int colon = topLevelColon(body);
            out.append(colon < 0 ? "" : withDefaults(body.substring(colon + 1)));
            i = end + 1;
        }
        return out.toString();
    }

    private static List<Expression> topLevel(String property, String value) {
        List<Expression> found = new ArrayList<>();
        int i = 0;
        while ((i = value.indexOf("${", i)) >= 0) {
            if (i > 0 && value.charAt(i - 1) == '\\') {
                i += 2;
                continue;
            }
            int end = matchingBrace(value, i + 2);
            String body = value.substring(i + 2, end);
            int colon = topLevelColon(body);
            String name = colon < 0 ? body : body.substring(0, colon);
            String def = colon < 0 ? null : body.substring(colon + 1);
            found.add(new Expression(property, name.trim(), colon >= 0, def));
            i = end + 1;
        }
        return found;
    }

    private static void collect(String property, String value, List<Expression> found) {
        for (Expression e : topLevel(property, value)) {
            found.add(e);
            if (e.defaultValue() != null) {
                collect(property, e.defaultValue(), found);
            }
        }
    }

    private static int matchingBrace(String value, int from) {
        int depth = 1;
        for (int j = from; j < value.length(); j++) {
            char c = value.charAt(j);
            if (c == '{' && j > 0 && value.charAt(j - 1) == '$') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return j;
            }
        }
        throw new IllegalArgumentException("unbalanced ${ in " + value);
    }

    private static int topLevelColon(String body) {
        int depth = 0;
        for (int j = 0; j < body.length(); j++) {
            char c = body.charAt(j);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ':' && depth == 0) {
                return j;
            }
        }
        return -1;
    }
}
