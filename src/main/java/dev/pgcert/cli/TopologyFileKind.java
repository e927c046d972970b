package dev.pgcert.cli;

import dev.pgcert.topology.Topology;
import dev.pgcert.topology.TopologyLoader;
import dev.pgcert.yaml.YamlDocument;
import dev.pgcert.yaml.YamlMap;

/**
 * Topology files: top-level keys of a topology ({@code nodes}, {@code patroni}, ...) and none of a
 * scenario's. A topology file missing {@code nodes} is still recognized, to say that it is missing.
 */
final class TopologyFileKind implements FileKind {

    @Override
    public String name() {
        return "topology";
    }

    @Override
    public String markers() {
        return "a topology has 'nodes'";
    }

    @Override
    public boolean recognizes(YamlMap root) {
        return !root.has("phases") && !root.has("topology")
                && root.keys().stream().anyMatch(TopologyLoader.TOP_LEVEL_KEYS::contains);
    }

    @Override
    public Result validate(YamlDocument document) {
        TopologyLoader.Loaded loaded = TopologyLoader.fromDocument(document);
        return new Result(summary(loaded.topology()), loaded.warnings());
    }

    private static String summary(Topology t) {
        var stack = t.images().stack();
        StringBuilder s = new StringBuilder("topology ").append(t.name())
                .append(" on ").append(stack.name()).append(" (PostgreSQL ").append(t.images().postgresMajor())
                .append(", Patroni ").append(stack.patroni()).append("): ")
                .append(t.nodes().size()).append(t.nodes().size() == 1 ? " node, " : " nodes, ")
                .append(t.dcs().members()).append(" etcd, ")
                .append(t.patroni().quorumCommit() ? "quorum commit"
                        : t.patroni().synchronousMode() ? "synchronous" : "asynchronous");
        if (t.connect().path() != dev.pgcert.topology.Connect.defaultFor(t.pgbouncer().isPresent()).path()) {
            s.append(", connect ").append(t.connect().path().key());
        }
        t.pgbouncer().filter(p -> t.connect().pooler()).ifPresent(p -> s.append(", pgbouncer ").append(p.poolMode().name().toLowerCase()));
        t.standbyCluster().ifPresent(sc -> s.append(", standby cluster ").append(sc.name()).append(" (")
                .append(sc.nodes().size()).append(sc.nodes().size() == 1 ? " node)" : " nodes)"));
        if (!t.toxiproxyLinks().isEmpty()) {
            s.append(", ").append(t.toxiproxyLinks().size()).append(" proxied links");
        }
        return s.toString();
    }
}
