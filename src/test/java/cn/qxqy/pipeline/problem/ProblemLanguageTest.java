package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.domain.Language;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Which language a request's Accept-Language prefers, weights honoured, as browsers and the dashboard send it. */
class ProblemLanguageTest {

    @Test
    void aChineseRangeBeforeAnyEnglishOneGetsChinese() {
        assertThat(Arrays.asList("zh-CN", "zh", "zh-Hans", "zh-Hans-CN", "ZH-cn", "zh-CN,zh;q=0.9,en;q=0.8",
                "en;q=0.5, zh;q=0.8", "fr-CH, fr;q=0.9, zh;q=0.5, en;q=0.4"))
                .allSatisfy(header -> assertThat(ProblemLanguage.preferred(header)).as(header).isEqualTo(Language.CHINESE));
    }

    @Test
    void englishIsTheDefaultAndWhatAnEnglishRangeFirstGets() {
        assertThat(Arrays.asList(null, "", "en", "en-US,en;q=0.9,zh-CN;q=0.8", "*", "*, zh;q=0.5", "zh;q=0, en",
                "zh;q=0", "fr, de", "zh-CN;q=x", "not a header;;"))
                .allSatisfy(header -> assertThat(ProblemLanguage.preferred(header)).as(header).isEqualTo(Language.ENGLISH));
    }
}
