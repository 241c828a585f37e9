package cn.qxqy.pipeline.eventstore;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Who appended an event, as its audit record keeps it.
 *
 * @param department the department the sender spoke for (stored as the event's {@code source})
 * @param subject the token's subject, or the local account's name; none for the Kafka intake
 * @param client the OAuth client that obtained the token; none for a local account or the Kafka intake
 * @param channel {@code http} or {@code kafka}
 * @param requestId the request's {@code X-Request-Id}, or for the Kafka intake topic-partition@offset
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Who appended the event; shown to administrators only")
public record Author(String department, String subject, String client, String channel, String requestId) {
}
