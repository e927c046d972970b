package dev.pgcert.history;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapping of {@link Event}s, shared by the writer and the reader. */
final class HistoryJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            // A newer writer may add fields; an older reader still reads the events it knows.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Keeps large LSNs and nanos exact.
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    private HistoryJson() {}
}
