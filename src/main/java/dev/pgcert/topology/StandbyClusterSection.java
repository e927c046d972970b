package dev.pgcert.topology;

import dev.pgcert.topology.Topology.Node;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code standby_cluster:} section: a second Patroni cluster following the first (see
 * {@link StandbyCluster}). Its nodes are read as the top-level {@code nodes:} are (names, tags,
 * volumes, {@code replicatefrom} within the standby cluster); their names must differ from the primary
 * cluster's (every node is a host name on the run's network).
 */
final class StandbyClusterSection {

    private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    /** Keys of Patroni's standby_cluster that the harness sets itself, with the reason. */
    private static final Map<String, String> HARNESS_OWNED = new java.util.TreeMap<>(Map.of(
            "host", "the harness points the standby leader at the primary cluster's HAProxy read-write port "
                    + "(or the Toxiproxy link in front of it)",
            "port", "the harness points the standby leader at the primary cluster's HAProxy read-write port "
                    + "(or the Toxiproxy link in front of it)",
            "create_replica_methods", "the standby leader is cloned with pg_basebackup from the primary cluster "
                    + "(the harness runs no WAL archive)",
            "restore_command", "the harness runs no WAL archive; the standby leader streams",
            "archive_cleanup_command", "the harness runs no WAL archive",
            "primary_slot_name", "not supported yet: a slot needs a permanent slot in the primary cluster's "
                    + "configuration; without one the primary keeps wal_keep_size (256MB) of WAL for it"));

    private StandbyClusterSection() {}

    static Optional<StandbyCluster> read(YamlMap root, NodesSection primaryNodes, String topologyName, Stack stack) {
        Optional<YamlNode> yaml = root.get("standby_cluster");
        if (yaml.isEmpty()) {
            return Optional.empty();
        }
        Optional<YamlMap> section = yaml.get().asMap();
        if (section.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = section.get();
        HARNESS_OWNED.forEach((key, reason) -> m.get(key).ifPresent(at -> at.error("set by the harness: " + reason)));
        m.allowOnly(concat(HARNESS_OWNED.keySet().toArray(String[]::new),
                "name", "nodes", "link", "recovery_min_apply_delay"));
        String defaultName = topologyName.length() > 37 ? topologyName.substring(0, 37) + "-dr" : topologyName + "-dr";
        String name = m.get("name").flatMap(at -> at.asString().filter(n -> {
            if (!CLUSTER_NAME.matcher(n).matches()) {
                at.error("a cluster name must be 1-40 lower-case letters, digits or '-' (it is Patroni's scope), got '"
                        + n + "'");
                return false;
            }
            if (n.equals(topologyName)) {
                at.error("the standby cluster needs its own Patroni scope, not the primary cluster's '" + n + "'");
                return false;
            }
            return true;
        })).orElse(defaultName);
        NodesSection nodes = NodesSection.read(m, stack);
        for (Node node : nodes.nodes()) {
            if (primaryNodes.exists(node.name())) {
                nodes.yamlOf(node.name()).get("name").orElseThrow().error("node name '" + node.name()
                        + "' is taken by the primary cluster (every node is a host name on the run's network)");
            }
        }
        Optional<StandbyCluster.Link> link = m.map("link").map(l -> {
            l.allowOnly("latency", "jitter");
            return new StandbyCluster.Link(l.duration("latency", Duration.ZERO).orElse(Duration.ZERO),
                    l.duration("jitter", Duration.ZERO).orElse(Duration.ZERO));
        });
        Optional<Duration> delay = m.duration("recovery_min_apply_delay", Duration.ZERO);
        return Optional.of(new StandbyCluster(name, nodes.nodes(), link, delay));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
