package cn.qxqy.pipeline.security;

import cn.qxqy.pipeline.domain.Writer;
import cn.qxqy.pipeline.eventstore.Author;

/** Who sends an event: what its audit record keeps, and the department with the regions it may write for. */
public record Sender(Author author, Writer writer) {
}
