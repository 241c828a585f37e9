package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.domain.EventTypes;
import cn.qxqy.pipeline.domain.Language;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.domain.Text;
import cn.qxqy.pipeline.domain.Wording;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message left untranslated fails here, before any client sees it: every key of the catalogue has its English and its
 * Chinese template with the same placeholders, the Chinese in Chinese and the English without a Chinese character (but
 * for the workbook's words the import's messages quote), every key the code names (literally, or as a problem type's
 * title, an event type's or a stage's name) is in it, and every key in it is one the code names.
 */
class MessageCatalogueTest {

    /** Han ideographs and CJK punctuation: what a Chinese reader's message contains and an English one does not. */
    static final Pattern CJK = Pattern.compile("[\\p{IsHan}\\u3000-\\u303F\\uFF00-\\uFFEF]");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d}");
    /** Templates that are placeholders around a protocol's words, Chinese once their arguments are. */
    private static final Set<String> ARGUMENTS_ONLY = Set.of("status.detail");
    /**
     * What the English of the import may quote of the workbook, as an officer reads and types it there: the unit, the
     * columns 版本 and 确认新建, 是, and examples of a date and of names. Any other Chinese in it is untranslated.
     */
    private static final Pattern WORKBOOK_WORDS =
            Pattern.compile("万元|版本|确认新建|是|2024年5月1日|兴县|特钢|中央预算内投资");
    /** The families of keys the code composes rather than names: each checked by its own enumeration below. */
    private static final Set<String> COMPOSED = Set.of("title.", "status.", "event-type.", "stage.", "text.kind.");
    private static final Properties ENGLISH = load("i18n/messages.properties");
    private static final Properties CHINESE = load("i18n/messages_zh.properties");

    @Test
    void everyKeyHasBothLanguagesWithTheSamePlaceholders() {
        assertThat(CHINESE.stringPropertyNames()).as("keys in Chinese")
                .containsExactlyInAnyOrderElementsOf(ENGLISH.stringPropertyNames());
        for (String key : ENGLISH.stringPropertyNames()) {
            assertThat(placeholders(CHINESE.getProperty(key))).as(key).isEqualTo(placeholders(ENGLISH.getProperty(key)));
        }
    }

    @Test
    void theChineseTemplatesAreChineseAndTheEnglishOnesAreNot() {
        for (String key : ENGLISH.stringPropertyNames()) {
            String english = key.startsWith("import.")
                    ? WORKBOOK_WORDS.matcher(ENGLISH.getProperty(key)).replaceAll("") : ENGLISH.getProperty(key);
            assertThat(CJK.matcher(english).find()).as("Chinese in the English of " + key).isFalse();
            if (!ARGUMENTS_ONLY.contains(key)) {
                assertThat(CJK.matcher(CHINESE.getProperty(key)).find()).as("no Chinese in " + key).isTrue();
            }
        }
    }

    @Test
    void everyKeyTheCodeNamesIsInTheCatalogue() throws IOException {
        Set<String> named = keysNamedInTheCode();
        assertThat(named).as("keys named in src/main/java").isNotEmpty()
                .allSatisfy(key -> assertThat(ENGLISH).as(key).containsKey(key));
        assertThat(Arrays.stream(ProblemType.values()).map(type -> "title." + type.slug()))
                .allSatisfy(key -> assertThat(ENGLISH).containsKey(key));
        assertThat(EventTypes.NAMES.stream().map(name -> "event-type." + name))
                .allSatisfy(key -> assertThat(ENGLISH).containsKey(key));
        assertThat(Arrays.stream(Stage.values()).map(stage -> "stage." + stage.name()))
                .allSatisfy(key -> assertThat(ENGLISH).containsKey(key));
    }

    @Test
    void everyKeyOfTheCatalogueIsNamedByTheCode() throws IOException {
        Set<String> named = keysNamedInTheCode();
        assertThat(ENGLISH.stringPropertyNames()).as("keys no code names")
                .filteredOn(key -> COMPOSED.stream().noneMatch(key::startsWith))
                .allSatisfy(key -> assertThat(named).as(key).contains(key));
    }

    @Test
    void theEnglishOfEveryNamedThingIsItsCode() {
        assertThat(EventTypes.NAMES).allSatisfy(name ->
                assertThat(Wording.of("event-type." + name).english()).isEqualTo(name));
        assertThat(Stage.values()).allSatisfy(stage ->
                assertThat(Wording.of("stage." + stage.name()).english()).isEqualTo(stage.name()));
    }

    @Test
    void everyForbiddenCharacterIsNamedInBothLanguages() {
        for (String text : List.of("a\u0000", "a\u001b", "a\ud800", "a\u202e", "a\u2028", "a\udb40\udc41", "a\uffff")) {
            Wording why = Text.whyForbidden(text);
            assertThat(why.english()).as(text).startsWith("must not contain ").doesNotContain("text.kind");
            assertThat(why.in(Language.CHINESE)).as(text).startsWith("不能含有").containsPattern(CJK + ".*（第 2 个字符");
        }
    }

    @Test
    void aPlainStatusIsTitledWithJaxRsOwnPhraseInEnglish() {
        for (Response.Status status : Response.Status.values()) {
            if (status.getStatusCode() >= 400 && ENGLISH.containsKey("status." + status.getStatusCode())) {
                assertThat(ENGLISH.getProperty("status." + status.getStatusCode())).as(status.name())
                        .isEqualTo(status.getReasonPhrase());
            }
        }
        assertThat(List.of(400, 401, 403, 404, 405, 406, 409, 413, 415, 500, 503))
                .allSatisfy(code -> assertThat(ENGLISH).containsKey("status." + code));
    }

    @Test
    void aMessageIsWordedWithItsArgumentsAsGivenAndItsNamedArgumentsInTheSameLanguage() {
        Wording wording = Wording.of("event.not-allowed-in-stage", Wording.of("event-type.ProjectSigned"),
                Wording.of("stage.STARTED"));
        assertThat(wording.english()).isEqualTo("ProjectSigned is not allowed in stage STARTED");
        assertThat(wording.in(Language.CHINESE)).isEqualTo("项目当前处于开工阶段，不能报送项目签约");
        assertThat(Wording.of("event.too-large", 65536).english()).isEqualTo("an event may have at most 65536 bytes");
        assertThat(Wording.of("query.sort", List.of("name", "-name")).english())
                .isEqualTo("must be one of [name, -name], optionally after '-'");
    }

    /** The string literals of src/main/java that look like a key of the catalogue: a known prefix, then a dot. */
    private static Set<String> keysNamedInTheCode() throws IOException {
        Set<String> prefixes = ENGLISH.stringPropertyNames().stream().map(key -> key.substring(0, key.indexOf('.')))
                .collect(Collectors.toSet());
        Pattern literal = Pattern.compile("\"([a-z][a-z0-9-]*(?:\\.[A-Za-z0-9-]+)+)\"");
        Set<String> named = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher m = literal.matcher(Files.readString(source));
                while (m.find()) {
                    if (prefixes.contains(m.group(1).substring(0, m.group(1).indexOf('.')))) {
                        named.add(m.group(1));
                    }
                }
            }
        }
        return named;
    }

    private static Set<String> placeholders(String template) {
        Set<String> found = new TreeSet<>();
        PLACEHOLDER.matcher(template).results().forEach(match -> found.add(match.group()));
        return found;
    }

    private static Properties load(String resource) {
        Properties properties = new Properties();
        try (InputStream in = MessageCatalogueTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
