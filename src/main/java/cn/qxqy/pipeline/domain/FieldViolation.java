package cn.qxqy.pipeline.domain;

import java.util.Objects;

/**
 * One field and what is wrong with it; {@code field} is its path in the envelope, e.g. {@code data.period}.
 * {@code message} is in English; {@code wording}, when there is one, is the same message as the catalogue's key and
 * arguments, which the edge words in the reader's language. A violation made without one is shown as it is.
 */
public record FieldViolation(String field, String message, Wording wording) {

    public FieldViolation(String field, String message) {
        this(field, message, null);
    }

    /** The violation the catalogue's {@code key} words with these arguments. */
    public static FieldViolation of(String field, String key, Object... args) {
        return of(field, Wording.of(key, args));
    }

    public static FieldViolation of(String field, Wording wording) {
        return new FieldViolation(field, wording.english(), wording);
    }

    /** The same violation with its message in {@code language}: the field's name stays as the client sent it. */
    public FieldViolation in(Language language) {
        return wording == null ? this : new FieldViolation(field, wording.in(language), wording);
    }

    /** Two violations are the same when they name the same field in the same words, however those were made. */
    @Override
    public boolean equals(Object other) {
        return other instanceof FieldViolation that && Objects.equals(field, that.field)
                && Objects.equals(message, that.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(field, message);
    }
}
