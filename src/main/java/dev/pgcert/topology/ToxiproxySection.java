package dev.pgcert.topology;

import dev.pgcert.topology.Topology.Node;
import dev.pgcert.topology.Topology.ToxiproxyLink;
import dev.pgcert.topology.Topology.ToxiproxyLink.LinkKind;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code toxiproxy:} list: which links pass through Toxiproxy so link faults can act on them. */
final class ToxiproxySection {

    static final List<String> KEYS = List.of("link", "node");

    private ToxiproxySection() {}

    static List<ToxiproxyLink> read(YamlMap root, NodesSection nodes, Optional<Node> bootstrap) {
        List<ToxiproxyLink> links = new ArrayList<>();
        Map<ToxiproxyLink, String> seenAt = new HashMap<>();
        root.list("toxiproxy").ifPresent(list -> {
            for (YamlNode item : list.items()) {
                item.asMap().flatMap(m -> link(m, nodes, bootstrap)).ifPresent(link -> {
                    String first = seenAt.putIfAbsent(link, item.path());
                    if (first != null) {
                        item.error("the same link is listed twice (also " + first + ")");
                    } else {
                        links.add(link);
                    }
                });
            }
        });
        return links;
    }

    private static Optional<ToxiproxyLink> link(YamlMap m, NodesSection nodes, Optional<Node> bootstrap) {
        m.allowOnly(KEYS.toArray(String[]::new));
        Optional<LinkKind> kind = m.required("link").flatMap(k -> k.asEnum(LinkKind.class));
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        if (kind.get() == LinkKind.CLIENT) {
            m.get("node").ifPresent(n -> n.error("a client link has no node: it is the clients' way in "
                    + "(to PgBouncer, or the router when there is none)"));
            return Optional.of(new ToxiproxyLink(LinkKind.CLIENT, ""));
        }
        Optional<YamlNode> nodeYaml = m.get("node");
        if (nodeYaml.isEmpty()) {
            m.error("a " + kind.get().name().toLowerCase() + " link needs node: the node whose link it is");
            return Optional.empty();
        }
        Optional<String> node = nodeYaml.get().asString().filter(name -> nodes.requireNode(nodeYaml.get(), name));
        if (node.isEmpty()) {
            return Optional.empty();
        }
        if (kind.get() == LinkKind.REPLICATION && bootstrap.map(b -> b.name().equals(node.get())).orElse(false)) {
            nodeYaml.get().error(node.get() + " bootstraps the cluster and starts as its primary: it has no "
                    + "replication stream to proxy");
            return Optional.empty();
        }
        return Optional.of(new ToxiproxyLink(kind.get(), node.get()));
    }
}
