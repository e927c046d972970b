package dev.pgcert.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration of the harness: history lines, metrics.json, the load child's
 * configuration and progress lines, Patroni's REST answers and the report's attachments all go
 * through it. A leaf package: it depends on nothing of the harness, so every package may use it.
 */
public final class Json {

    /** Compact, one value per line: history events, progress lines, REST answers. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            // A newer writer may add fields; an older reader still reads what it knows.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Keeps large LSNs and nanos exact, and makes every untyped integer a Long.
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /** Indented, for files and attachments people read (metrics.json, categories.json). */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private Json() {}
}
