package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.domain.Language;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.List;
import java.util.Locale;

/**
 * Every problem a resource, a filter or an exception mapper answers leaves in the language the request prefers
 * ({@code Accept-Language}, as browsers and the dashboard send it): Chinese when a {@code zh} range comes before any
 * {@code en} one, English otherwise. The answer says which ({@code Content-Language}) and that it depends on the header
 * ({@code Vary}), so that no cache hands one reader's language to another.
 */
public class ProblemLanguage {

    static final String CONTENT_LANGUAGE = "Content-Language";

    @ServerResponseFilter
    public void word(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem) {
            Language language = preferred(request.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
            response.setEntity(problem.in(language), response.getEntityAnnotations(), response.getMediaType());
            response.getHeaders().putSingle(CONTENT_LANGUAGE, language.tag());
            response.getHeaders().add(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE);
        }
    }

    /**
     * The language of the first range, by weight, that names one of ours ({@code zh}, {@code zh-CN}, {@code zh-Hans},
     * {@code zh-TW} … read as Chinese, the only one the catalogue has; {@code en…} or {@code *} as English). A range of
     * weight 0 refuses its language; a header that does not parse, or names neither, gets English.
     */
    public static Language preferred(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return Language.ENGLISH;
        }
        List<Locale.LanguageRange> ranges;
        try {
            ranges = Locale.LanguageRange.parse(acceptLanguage);
        } catch (IllegalArgumentException malformed) {
            return Language.ENGLISH;
        }
        for (Locale.LanguageRange range : ranges) {
            if (range.getWeight() <= 0) {
                continue;
            }
            String primary = range.getRange().split("-", 2)[0];
            if (primary.equals("zh")) {
                return Language.CHINESE;
            }
            if (primary.equals("en") || primary.equals("*")) {
                return Language.ENGLISH;
            }
        }
        return Language.ENGLISH;
    }
}
