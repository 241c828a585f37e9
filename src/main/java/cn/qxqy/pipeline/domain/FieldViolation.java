package cn.qxqy.pipeline.domain;

/** One field and what is wrong with it; {@code field} is its path in the envelope, e.g. {@code data.period}. */
public record FieldViolation(String field, String message) {
}
