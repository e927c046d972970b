package dev.pgcert.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the load's JVM is told through its config file: the spec, the endpoints' URLs and the
 * history file. Credentials are not in it; they come in {@link #USER_ENV} and {@link #PASSWORD_ENV}.
 */
record ChildConfig(LoadSpec spec, String rwUrl, String roUrl, Path history, Duration progressInterval) {

    static final String PROPERTY = "pgcert.load.config";
    static final String USER_ENV = "PGCERT_LOAD_USER";
    static final String PASSWORD_ENV = "PGCERT_LOAD_PASSWORD";

    private static final ObjectMapper JSON = new ObjectMapper();

    void write(Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spec", spec.toMap());
        m.put("rw_url", rwUrl);
        m.put("ro_url", roUrl);
        m.put("history", history.toAbsolutePath().toString());
        m.put("progress_interval_ms", progressInterval.toMillis());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), m);
    }

    @SuppressWarnings("unchecked")
    static ChildConfig read(Path file) throws IOException {
        Map<String, Object> m = JSON.readValue(file.toFile(), Map.class);
        return new ChildConfig(
                LoadSpec.fromMap((Map<String, ?>) m.get("spec")),
                (String) m.get("rw_url"),
                (String) m.get("ro_url"),
                Path.of((String) m.get("history")),
                Duration.ofMillis(((Number) m.get("progress_interval_ms")).longValue()));
    }

    String url(Endpoint e) {
        return e == Endpoint.RW ? rwUrl : roUrl;
    }
}
