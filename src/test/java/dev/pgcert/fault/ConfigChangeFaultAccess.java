package dev.pgcert.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Test access to {@link ConfigChangeFault#previous} from other packages. */
public final class ConfigChangeFaultAccess {
    private ConfigChangeFaultAccess() {}

    public static ObjectNode previous(JsonNode change, JsonNode config) {
        return ConfigChangeFault.previous(change, config);
    }
}
