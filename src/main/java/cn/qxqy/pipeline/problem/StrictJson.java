package cn.qxqy.pipeline.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The application's mapper reads every JSON body as strictly as the events' ({@code JsonFields.strict}): a duplicate
 * key is refused rather than silently the last one, trailing garbage is refused, and nesting deeper than
 * {@value #MAX_NESTING} is refused by the parser before anything is built. No body, response or stored document of the
 * service comes near that depth. Such a refusal is a 400 problem ({@link ProblemMappers#malformed}).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    static final int MAX_NESTING = 64;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .build());
    }
}
