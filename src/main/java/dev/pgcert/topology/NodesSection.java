package dev.pgcert.topology;

import dev.pgcert.topology.Topology.Node;
import dev.pgcert.yaml.YamlList;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code nodes:} list: names, tags and volumes, and the replication graph that
 * {@code replicatefrom} tags draw (every upstream must exist, and no chain may loop).
 */
final class NodesSection {

    // A node name becomes a container host name and a Patroni member name.
    static final Pattern NODE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,29}");
    // PostgreSQL needs at least one 16MB WAL segment; anything smaller cannot hold a cluster.
    private static final long MIN_VOLUME = 16L << 20;

    static final List<String> KEYS = List.of("name", "tags", "data_volume", "wal_volume");

    private final List<Node> nodes = new ArrayList<>();
    /** First YAML entry of each distinct node name. */
    private final Map<String, YamlMap> yamlByName = new LinkedHashMap<>();

    private final Stack stack;

    private NodesSection(Stack stack) {
        this.stack = stack;
    }

    /** The nodes, their tags judged against the stack's Patroni version ({@link PatroniCatalog#TAGS}). */
    static NodesSection read(YamlMap root, Stack stack) {
        NodesSection section = new NodesSection(stack);
        root.required("nodes").flatMap(YamlNode::asList).ifPresent(section::readList);
        section.checkReplicateFrom();
        section.checkSomeNodeCanLead(root);
        return section;
    }

    List<Node> nodes() {
        return nodes;
    }

    boolean exists(String name) {
        return yamlByName.containsKey(name);
    }

    /** "node1, node2, node3", for messages. */
    String namesForMessage() {
        return String.join(", ", yamlByName.keySet());
    }

    /** Records "no node named ..." at {@code at} unless {@code name} is a node; true if it is. */
    boolean requireNode(YamlNode at, String name) {
        if (exists(name)) {
            return true;
        }
        at.error("no node named '" + name + "' (nodes: " + namesForMessage() + ")");
        return false;
    }

    private void readList(YamlList list) {
        if (list.size() == 0) {
            list.error("needs at least one node");
        }
        for (YamlNode item : list.items()) {
            item.asMap().ifPresent(this::readNode);
        }
    }

    private void readNode(YamlMap yaml) {
        yaml.allowOnly(KEYS.toArray(String[]::new));
        Optional<String> name = yaml.requiredString("name").filter(n -> validName(yaml, n));
        Optional<YamlMap> tagsYaml = yaml.map("tags");
        Map<String, Object> tags = tagsYaml.map(t -> PatroniCatalog.TAGS.read(t, stack)).orElse(Map.of());
        tagsYaml.ifPresent(t -> checkTags(t, tags));
        Optional<String> replicateFrom = Optional.ofNullable((String) tags.get("replicatefrom"));
        // Patroni's tags.py: failover_priority 0 (or less) keeps a node out of the leader race, as nofailover does.
        boolean noFailover = Boolean.TRUE.equals(tags.get("nofailover"))
                || Optional.ofNullable((Integer) tags.get("failover_priority")).map(p -> p <= 0).orElse(false);
        boolean noLoadBalance = Boolean.TRUE.equals(tags.get("noloadbalance"));
        Optional<Long> dataVolume = yaml.size("data_volume", MIN_VOLUME);
        Optional<Long> walVolume = yaml.size("wal_volume", MIN_VOLUME);
        if (name.isEmpty()) {
            return;
        }
        YamlMap first = yamlByName.putIfAbsent(name.get(), yaml);
        if (first != null) {
            yaml.get("name").orElseThrow().error("duplicate node name '" + name.get() + "' (also " + first.path() + ")");
            return;
        }
        nodes.add(new Node(name.get(), replicateFrom, noFailover, noLoadBalance, dataVolume, walVolume, tags));
    }

    /** Patroni 3.2+'s validator: at most one of nofailover and failover_priority (AtMostOne in validator.py). */
    private static void checkTags(YamlMap t, Map<String, Object> tags) {
        if (t.has("nofailover") && t.has("failover_priority")) {
            t.get("failover_priority").orElseThrow().error("give nofailover or failover_priority, not both "
                    + "(Patroni's validator allows at most one; failover_priority 0 means nofailover)");
        }
        if (Boolean.TRUE.equals(tags.get("nostream")) && tags.containsKey("replicatefrom")) {
            t.get("nostream").orElseThrow().warning("a nostream node does not stream, so replicatefrom only "
                    + "chooses where it would take its base backup from");
        }
    }

    private static boolean validName(YamlMap yaml, String name) {
        if (NODE_NAME.matcher(name).matches()) {
            return true;
        }
        yaml.get("name").orElseThrow().error("a node name must be 1-30 lower-case letters, digits or '-', "
                + "starting with a letter (it becomes a host name), got '" + name + "'");
        return false;
    }

    private void checkReplicateFrom() {
        Map<String, String> upstreamOf = new HashMap<>();
        for (Node node : nodes) {
            if (node.replicateFrom().isEmpty()) {
                continue;
            }
            String upstream = node.replicateFrom().get();
            YamlNode at = replicateFromYaml(node.name());
            if (upstream.equals(node.name())) {
                at.error("a node cannot replicate from itself");
            } else if (requireNode(at, upstream)) {
                upstreamOf.put(node.name(), upstream);
            }
        }
        reportCycles(upstreamOf);
    }

    /** Each cycle once, at the first of its nodes in file order. */
    private void reportCycles(Map<String, String> upstreamOf) {
        Set<String> reported = new LinkedHashSet<>();
        for (Node node : nodes) {
            List<String> chain = new ArrayList<>();
            String current = node.name();
            while (current != null && !chain.contains(current)) {
                chain.add(current);
                current = upstreamOf.get(current);
            }
            if (current == null || !current.equals(node.name()) || reported.contains(node.name())) {
                continue; // no loop, or node only leads into a loop that its own members report
            }
            reported.addAll(chain);
            chain.add(node.name());
            replicateFromYaml(node.name()).error("replicatefrom forms a cycle: " + String.join(" -> ", chain)
                    + "; these nodes would stream from each other, not from the primary");
        }
    }

    private void checkSomeNodeCanLead(YamlMap root) {
        if (!nodes.isEmpty() && nodes.stream().allMatch(Node::noFailover)) {
            root.get("nodes").orElseThrow().warning("every node has nofailover: true: Patroni lets none of them "
                    + "bootstrap or take the leader lock, so this cluster cannot start");
        } else if (!nodes.isEmpty() && Topology.bootstrapNodeOf(nodes).isEmpty() && replicationGraphValid()) {
            root.get("nodes").orElseThrow().error("every node that may fail over has a replicatefrom tag: none "
                    + "of them bootstraps the cluster as its first primary; untag one");
        }
    }

    /** Every replicatefrom tag names another node (else its own error says so, and nothing follows from it). */
    private boolean replicationGraphValid() {
        return nodes.stream().allMatch(n -> n.replicateFrom().map(up -> !up.equals(n.name()) && exists(up)).orElse(true));
    }

    private YamlNode replicateFromYaml(String nodeName) {
        return yamlByName.get(nodeName).find("tags", "replicatefrom").orElseThrow();
    }

    YamlMap yamlOf(String nodeName) {
        return yamlByName.get(nodeName);
    }
}
