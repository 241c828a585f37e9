package cn.qxqy.pipeline.problem;

import cn.qxqy.pipeline.domain.FieldViolation;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A field violation on the wire, in answers and dead letters alike, is its field and its message: the catalogue's key
 * and arguments it was worded from stay on the server. The domain's record carries no Jackson annotation, hence the
 * mix-in.
 */
@Singleton
public class FieldViolationJson implements ObjectMapperCustomizer {

    @JsonIgnoreProperties("wording")
    private interface FieldAndMessage {
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.addMixIn(FieldViolation.class, FieldAndMessage.class);
    }
}
