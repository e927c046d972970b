package dev.pgcert.topology;

import dev.pgcert.topology.Topology.Node;
import dev.pgcert.topology.Topology.PatroniSettings;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import java.util.List;
import java.util.Optional;

/**
 * The {@code patroni:} section: Patroni's dynamic settings, with Patroni's defaults for what is
 * omitted, and the rules Patroni would otherwise enforce silently at run time.
 */
final class PatroniSection {

    static final List<String> KEYS = List.of("ttl", "loop_wait", "retry_timeout", "maximum_lag_on_failover",
            "synchronous_mode", "synchronous_mode_strict", "synchronous_node_count", "use_pg_rewind", "failsafe_mode");

    private final Optional<YamlMap> yaml;
    private final PatroniSettings settings;

    private PatroniSection(Optional<YamlMap> yaml, PatroniSettings settings) {
        this.yaml = yaml;
        this.settings = settings;
    }

    static PatroniSection read(YamlMap root) {
        Optional<YamlMap> yaml = root.map("patroni");
        PatroniSettings d = PatroniSettings.defaults();
        if (yaml.isEmpty()) {
            return new PatroniSection(yaml, d);
        }
        YamlMap m = yaml.get();
        m.allowOnly(KEYS.toArray(String[]::new));
        Optional<Integer> ttl = m.integer("ttl", 1, 86_400);
        Optional<Integer> loopWait = m.integer("loop_wait", 1, 86_400);
        Optional<Integer> retryTimeout = m.integer("retry_timeout", 1, 86_400);
        PatroniSettings settings = new PatroniSettings(
                ttl.orElse(d.ttl()),
                loopWait.orElse(d.loopWait()),
                retryTimeout.orElse(d.retryTimeout()),
                m.size("maximum_lag_on_failover", 0).orElse(d.maximumLagOnFailover()),
                m.bool("synchronous_mode").orElse(d.synchronousMode()),
                m.bool("synchronous_mode_strict").orElse(d.synchronousModeStrict()),
                m.integer("synchronous_node_count", 1, 1_000).orElse(d.synchronousNodeCount()),
                m.bool("use_pg_rewind").orElse(d.usePgRewind()),
                m.bool("failsafe_mode").orElse(d.failsafeMode()));
        PatroniSection section = new PatroniSection(yaml, settings);
        // Only judge the timing rule on values that were read; a typo already has its own message.
        if (validOrAbsent(m, "ttl", ttl) && validOrAbsent(m, "loop_wait", loopWait)
                && validOrAbsent(m, "retry_timeout", retryTimeout)) {
            section.checkTimingRule(m);
        }
        if (settings.synchronousModeStrict() && !settings.synchronousMode()) {
            m.get("synchronous_mode_strict").orElseThrow()
                    .warning("has no effect without synchronous_mode: true");
        }
        return section;
    }

    PatroniSettings settings() {
        return settings;
    }

    /**
     * Patroni requires {@code loop_wait + 2*retry_timeout <= ttl} and, when it does not hold, runs
     * with lowered values and only logs a warning. A certification run must test the values the file
     * states, so this is an error here.
     */
    private void checkTimingRule(YamlMap m) {
        int ttl = settings.ttl();
        int loopWait = settings.loopWait();
        int retry = settings.retryTimeout();
        if (loopWait + 2 * retry <= ttl) {
            return;
        }
        // What Patroni does (patroni/config.py, _validate_and_adjust_timeouts).
        String adjusted = 1 + 2 * retry > ttl
                ? "loop_wait 1 and retry_timeout " + (ttl - 1) / 2
                : "loop_wait " + (ttl - 2 * retry);
        YamlNode at = m.get("ttl").or(() -> m.get("loop_wait")).or(() -> m.get("retry_timeout")).orElseThrow();
        at.error("Patroni requires loop_wait + 2*retry_timeout <= ttl, but " + loopWait + " + 2*" + retry + " = "
                + (loopWait + 2 * retry) + " > " + ttl + "; Patroni would silently run with " + adjusted);
    }

    /**
     * A synchronous standby must stream straight from the primary: cascaded replicas
     * ({@code replicatefrom} another replica) are not in the primary's pg_stat_replication.
     */
    void checkSynchronousNodeCount(List<Node> nodes, Optional<Node> bootstrap) {
        if (!settings.synchronousMode() || yaml.isEmpty() || nodes.isEmpty()) {
            return;
        }
        String primary = bootstrap.orElse(nodes.get(0)).name();
        List<String> candidates = nodes.stream()
                .filter(n -> !n.name().equals(primary))
                .filter(n -> n.replicateFrom().map(primary::equals).orElse(true))
                .map(Node::name).toList();
        int count = settings.synchronousNodeCount();
        if (count <= candidates.size()) {
            return;
        }
        YamlMap m = yaml.get();
        YamlNode at = m.get("synchronous_node_count").or(() -> m.get("synchronous_mode")).orElseThrow();
        String who = candidates.isEmpty() ? "none" : candidates.size() + ": " + String.join(", ", candidates);
        at.error("synchronous_node_count " + count + " is more than the replicas that stream from the primary "
                + primary + " and so can be synchronous (" + who + ")");
    }

    private static boolean validOrAbsent(YamlMap m, String key, Optional<Integer> read) {
        return !m.has(key) || read.isPresent();
    }
}
