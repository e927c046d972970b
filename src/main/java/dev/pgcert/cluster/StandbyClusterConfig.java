package dev.pgcert.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pgcert.topology.StandbyCluster;
import dev.pgcert.topology.Topology;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A standby cluster member's patroni.yml: the primary cluster's rendering of the node (same
 * PostgreSQL, Patroni settings and credentials: the standby leader is a base backup of the primary, so
 * it has the primary's roles) under the standby cluster's own scope, with Patroni's
 * {@code bootstrap.dcs.standby_cluster} naming the primary cluster's way in.
 */
final class StandbyClusterConfig {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private StandbyClusterConfig() {}

    static String render(Topology topology, StandbyCluster standby, Topology.Node node, List<String> etcdHosts,
                         Credentials credentials, String upstreamHost, int upstreamPort) {
        return asStandby(PatroniConfig.render(topology, node, etcdHosts, credentials), standby, upstreamHost, upstreamPort);
    }

    @SuppressWarnings("unchecked")
    static String asStandby(String patroniYaml, StandbyCluster standby, String upstreamHost, int upstreamPort) {
        try {
            Map<String, Object> root = YAML.readValue(patroniYaml, LinkedHashMap.class);
            root.put("scope", standby.name());
            Map<String, Object> bootstrap = (Map<String, Object>) root.get("bootstrap");
            Map<String, Object> dcs = new LinkedHashMap<>((Map<String, Object>) bootstrap.get("dcs"));
            dcs.put("standby_cluster", standbySection(standby, upstreamHost, upstreamPort));
            Map<String, Object> newBootstrap = new LinkedHashMap<>(bootstrap);
            newBootstrap.put("dcs", dcs);
            root.put("bootstrap", newBootstrap);
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot re-render patroni.yml for standby cluster " + standby.name(), e);
        }
    }

    /** Patroni's {@code standby_cluster} section: where the standby leader streams from and how it is cloned. */
    static Map<String, Object> standbySection(StandbyCluster standby, String upstreamHost, int upstreamPort) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("host", upstreamHost);
        section.put("port", upstreamPort);
        section.put("create_replica_methods", List.of("basebackup"));
        standby.recoveryMinApplyDelay().ifPresent(d -> section.put("recovery_min_apply_delay", d.toMillis() + "ms"));
        return section;
    }
}
