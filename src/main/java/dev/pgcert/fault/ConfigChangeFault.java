package dev.pgcert.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgcert.json.Json;

import java.util.Iterator;
import java.util.Map;

/**
 * A change of Patroni's dynamic configuration, as {@code patronictl edit-config} makes it:
 * {@code PATCH /config} with the keys under {@code set} ({@code {kind: config, set: {ttl: 20}}}; nested
 * keys such as {@code postgresql: {parameters: {...}}} are nested maps). Before the change it reads
 * {@code GET /config}; the heal patches every changed key back to what it was (a key that was absent
 * is removed), so the cluster may run the next scenario as it was.
 */
public final class ConfigChangeFault extends AbstractFault {
    private final ObjectNode set;
    private volatile ObjectNode restore;

    public ConfigChangeFault(String id, Map<String, Object> set) {
        super(id, "config", new Target.Named("cluster"));
        if (set.isEmpty()) {
            throw new FaultException("set: give at least one key of Patroni's dynamic configuration, e.g. {ttl: 20}");
        }
        this.set = Json.MAPPER.valueToTree(set);
    }

    @Override
    protected void inject(FaultContext context) {
        resolvedTo("cluster");
        JsonNode before = PatroniCalls.anyNode(context, id(), rest -> rest.getJson("/config"));
        restore = previous(set, before);
        note("set", set.toString());
        note("was", restore.toString());
        PatroniCalls.requireOk(id(), "PATCH /config " + set, PatroniCalls.anyNode(context, id(), rest -> rest.patchConfig(set)));
    }

    @Override
    protected void repair(FaultContext context) {
        if (restore != null) {
            PatroniCalls.requireOk(id(), "PATCH /config " + restore,
                    PatroniCalls.anyNode(context, id(), rest -> rest.patchConfig(restore)));
        }
    }

    /** The patch that undoes {@code change} on {@code config}: each leaf's old value, or null where there was none. */
    static ObjectNode previous(JsonNode change, JsonNode config) {
        ObjectNode undo = Json.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = change.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = config == null ? null : config.get(e.getKey());
            if (e.getValue().isObject() && old != null && old.isObject()) {
                undo.set(e.getKey(), previous(e.getValue(), old));
            } else if (old == null || old.isNull()) {
                undo.putNull(e.getKey());
            } else {
                undo.set(e.getKey(), old);
            }
        }
        return undo;
    }

    /** Not a disruption: a dynamic configuration change; what it changes shows in the next fault. */
    @Override
    public boolean disrupts() {
        return false;
    }
}
