package cn.qxqy.pipeline.domain;

import java.util.Locale;

/** The languages a client may read its messages in; English is the catalogue's base and the default. */
public enum Language {
    ENGLISH("en", Locale.ROOT),
    CHINESE("zh-CN", Locale.CHINESE);

    private final String tag;
    private final Locale catalogue;

    Language(String tag, Locale catalogue) {
        this.tag = tag;
        this.catalogue = catalogue;
    }

    /** Its BCP 47 tag, as {@code Content-Language} names it. */
    public String tag() {
        return tag;
    }

    /** The locale of its part of the catalogue. */
    Locale catalogue() {
        return catalogue;
    }
}
