package dev.pgcert.load;

import java.util.LinkedHashMap;
import java.util.Map;

/** What every operation kind states once: its history name, the endpoint it uses, whether it changes data. */
abstract class AbstractOperation implements Operation {
    private final String f;
    private final Endpoint endpoint;
    private final boolean mutates;

    AbstractOperation(String f, Endpoint endpoint, boolean mutates) {
        this.f = f;
        this.endpoint = endpoint;
        this.mutates = mutates;
    }

    @Override
    public final String f() {
        return f;
    }

    @Override
    public final Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public final boolean mutates() {
        return mutates;
    }

    /** An INVOKE value naming this operation's endpoint, for kinds whose arguments are only that. */
    final Map<String, Object> endpointOnly() {
        Map<String, Object> invoke = new LinkedHashMap<>();
        invoke.put("endpoint", endpoint.key());
        return invoke;
    }
}
