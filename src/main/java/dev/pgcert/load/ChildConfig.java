package dev.pgcert.load;

import dev.pgcert.yaml.Units;
import dev.pgcert.yaml.ValidationException;
import dev.pgcert.yaml.YamlDocument;
import dev.pgcert.yaml.YamlMap;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * What the load's JVM is told through its config file: the spec, the endpoints' URLs and the
 * history file. The spec goes as a {@code load:} section in the scenario file's own grammar, read
 * by the same {@link LoadSection} reader, so a look at {@code pgcert-load.yaml} shows what ran in
 * the user's own terms. Credentials are not in it; they come in {@link #USER_ENV} and {@link #PASSWORD_ENV}.
 */
record ChildConfig(LoadSpec spec, String rwUrl, String roUrl, Map<String, String> nodeUrls, Path history, Duration progressInterval) {

    static final String PROPERTY = "pgcert.load.config";
    static final String USER_ENV = "PGCERT_LOAD_USER";
    static final String PASSWORD_ENV = "PGCERT_LOAD_PASSWORD";

    ChildConfig {
        spec.runFor(); // the child cannot run without a bound
        nodeUrls = Map.copyOf(nodeUrls);
        if (spec.writes() != null && spec.writes().node() != null && !nodeUrls.containsKey(spec.writes().node())) {
            throw new IllegalArgumentException("writes are aimed at node " + spec.writes().node() + ", which the cluster does not have (it has "
                    + new java.util.TreeSet<>(nodeUrls.keySet()) + ")");
        }
    }

    void write(Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rw_url", rwUrl);
        m.put("ro_url", roUrl);
        m.put("node_urls", new java.util.TreeMap<>(nodeUrls));
        m.put("history", history.toAbsolutePath().toString());
        m.put("progress_interval", Units.formatDuration(progressInterval));
        m.put("load", LoadSection.write(spec));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        java.nio.file.Files.writeString(file, new Yaml(options).dump(m));
    }

    /** @throws ValidationException when the file is not what {@link #write} writes */
    static ChildConfig read(Path file) {
        YamlDocument doc = YamlDocument.read(file);
        YamlMap root = doc.rootMap().orElse(null);
        doc.problems().throwIfErrors();
        root.allowOnly("rw_url", "ro_url", "node_urls", "history", "progress_interval", "load");
        String rw = root.requiredString("rw_url").orElse("");
        String ro = root.requiredString("ro_url").orElse("");
        String history = root.requiredString("history").orElse("");
        Map<String, String> nodes = new LinkedHashMap<>();
        root.map("node_urls").ifPresent(n -> n.keys().forEach(k -> n.string(k).ifPresent(u -> nodes.put(k, u))));
        Duration progress = root.duration("progress_interval", Duration.ofMillis(1)).orElse(Duration.ofSeconds(1));
        LoadSpec spec = root.required("load").flatMap(n -> n.asMap()).flatMap(LoadSection::read).orElse(null);
        doc.problems().throwIfErrors();
        return new ChildConfig(spec, rw, ro, nodes, Path.of(history), progress);
    }

    /** The URL of a node's own PostgreSQL. */
    String nodeUrl(String node) {
        return nodeUrls.get(node);
    }

    String url(Endpoint e) {
        return e == Endpoint.RW ? rwUrl : roUrl;
    }
}
