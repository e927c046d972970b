package dev.pgcert.scenario;

import dev.pgcert.cluster.FailoverObservers;
import dev.pgcert.load.LoadSpec;
import dev.pgcert.load.ProbeSpec;
import dev.pgcert.topology.Topology;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The value of the {@code failover-settings} event: every timing setting a failover's stages depend
 * on (Patroni, router, pooler, the probe and the pooled client), in seconds, so that the stage
 * checker predicts its windows from the history alone.
 */
final class FailoverSettings {
    private FailoverSettings() {}

    static Map<String, Object> of(Topology topology, LoadSpec.Pool pool, ProbeSpec probe) {
        Map<String, Object> v = new LinkedHashMap<>(FailoverObservers.settings(topology));
        v.put("probe_per_second", probe.perSecond());
        v.put("probe_connect_timeout", seconds(probe.connectTimeout()));
        v.put("probe_socket_timeout", seconds(probe.socketTimeout()));
        v.put("pool_connection_timeout", seconds(pool.connectionTimeout()));
        v.put("pool_validation_timeout", seconds(pool.validationTimeout()));
        v.put("pool_socket_timeout", seconds(pool.socketTimeout()));
        v.put("pool_connect_timeout", seconds(pool.connectTimeout()));
        v.put("pool_login_timeout", seconds(pool.loginTimeout()));
        return v;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
