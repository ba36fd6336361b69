package lenet.serve;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/** The serve package's one Jackson mapper: snake_case names, unknown fields in requests refused. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Json() {}

    /**
     * An explanation as a JSON tree with its {@code kind} ({@code conv}, {@code max_pool}, ...): written
     * as the interface type, which carries the type name, whatever map or list holds it.
     */
    static com.fasterxml.jackson.databind.JsonNode explanation(lenet.engine.reference.Explanation e) {
        try {
            return MAPPER.readTree(MAPPER.writerFor(lenet.engine.reference.Explanation.class).writeValueAsBytes(e));
        } catch (java.io.IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
