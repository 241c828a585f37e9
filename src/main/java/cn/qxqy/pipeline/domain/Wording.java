package cn.qxqy.pipeline.domain;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a client is told, as a key of the message catalogue ({@code i18n/messages.properties}, English, and
 * {@code i18n/messages_zh.properties}, Chinese) and its arguments, so that the edge words it in the reader's language.
 * A template's {@code {0}}, {@code {1}} … are its arguments as text; an argument that is itself a message (an event
 * type's or a stage's name) is worded in the same language.
 * <p>
 * The templates are not {@link java.text.MessageFormat}'s: a quote is a quote and a number is written as given, so that
 * a translator cannot break a message with an apostrophe and 65536 stays 65536.
 */
public record Wording(String key, List<Object> args) {

    /** The catalogue's base name on the class path. */
    public static final String CATALOGUE = "i18n.messages";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d)}");
    // No fallback to the JVM's default locale: a server started under zh_CN must still answer English by default.
    private static final ResourceBundle.Control EXACT =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    public Wording {
        // Arrays.asList keeps null arguments, which List.of refuses: a message may name a missing value.
        args = Collections.unmodifiableList(Arrays.asList(args.toArray()));
    }

    public static Wording of(String key, Object... args) {
        return new Wording(key, Arrays.asList(args));
    }

    public String english() {
        return in(Language.ENGLISH);
    }

    /** The message in {@code language}; a key its part of the catalogue lacks is worded in English. */
    public String in(Language language) {
        Matcher placeholders = PLACEHOLDER.matcher(template(key, language));
        StringBuilder worded = new StringBuilder();
        while (placeholders.find()) {
            Object arg = args.get(Integer.parseInt(placeholders.group(1)));
            String text = arg instanceof Wording nested ? nested.in(language) : String.valueOf(arg);
            placeholders.appendReplacement(worded, Matcher.quoteReplacement(text));
        }
        return placeholders.appendTail(worded).toString();
    }

    /** Whether the catalogue has the key, for texts of which only some have a wording (HTTP reason phrases). */
    public static boolean known(String key) {
        return bundle(Language.ENGLISH).containsKey(key);
    }

    /** @throws MissingResourceException when the key is in no part of the catalogue */
    private static String template(String key, Language language) {
        return bundle(language).getString(key);
    }

    private static ResourceBundle bundle(Language language) {
        Locale locale = language.catalogue();
        return ResourceBundle.getBundle(CATALOGUE, locale, Wording.class.getClassLoader(), EXACT);
    }
}
