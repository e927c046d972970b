package dev.pgcert.topology;

import dev.pgcert.topology.Topology.Node;
import dev.pgcert.topology.Topology.PatroniSettings;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import java.util.List;
import java.util.Optional;

/**
 * The {@code patroni:} section: Patroni's dynamic settings, with Patroni's defaults for what is
 * omitted, and the rules Patroni would otherwise enforce silently at run time, as the stack's
 * Patroni version has them ({@link PatroniRules}).
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

    static PatroniSection read(YamlMap root, Stack stack) {
        Optional<YamlMap> yaml = root.map("patroni");
        PatroniSettings d = PatroniSettings.defaults();
        if (yaml.isEmpty()) {
            return new PatroniSection(yaml, d);
        }
        YamlMap m = yaml.get();
        m.allowOnly(KEYS.toArray(String[]::new));
        Optional<Integer> ttl = m.integer("ttl", 1, 86_400).map(v -> raised(m, "ttl", v, PatroniRules.MIN_TTL, stack));
        Optional<Integer> loopWait = m.integer("loop_wait", 1, 86_400)
                .map(v -> raised(m, "loop_wait", v, PatroniRules.MIN_LOOP_WAIT, stack));
        Optional<Integer> retryTimeout = m.integer("retry_timeout", 1, 86_400)
                .map(v -> raised(m, "retry_timeout", v, PatroniRules.MIN_RETRY_TIMEOUT, stack));
        Optional<String> syncMode = synchronousMode(m, stack);
        PatroniSettings settings = new PatroniSettings(
                ttl.orElse(d.ttl()),
                loopWait.orElse(d.loopWait()),
                retryTimeout.orElse(d.retryTimeout()),
                m.size("maximum_lag_on_failover", 0).orElse(d.maximumLagOnFailover()),
                syncMode.map(v -> !v.equals("false")).orElse(d.synchronousMode()),
                m.bool("synchronous_mode_strict").orElse(d.synchronousModeStrict()),
                m.integer("synchronous_node_count", 1, 1_000).orElse(d.synchronousNodeCount()),
                m.bool("use_pg_rewind").orElse(d.usePgRewind()),
                m.bool("failsafe_mode").orElse(d.failsafeMode()),
                syncMode.map("quorum"::equals).orElse(false));
        PatroniSection section = new PatroniSection(yaml, settings);
        // Only judge the timing rule on values that were read; a typo already has its own message.
        if (validOrAbsent(m, "ttl", ttl) && validOrAbsent(m, "loop_wait", loopWait)
                && validOrAbsent(m, "retry_timeout", retryTimeout)) {
            section.checkTimingRule(m, stack);
        }
        if (settings.synchronousModeStrict() && !settings.synchronousMode()) {
            m.get("synchronous_mode_strict").orElseThrow()
                    .warning("has no effect without synchronous_mode: true");
        }
        return section;
    }

    /**
     * A value below the minimum the stack's Patroni enforces: Patroni runs with the minimum and only
     * logs it, so the topology holds the minimum (waits and reports then use what really runs) and the
     * file gets a warning that says so. A warning, not an error: the same file is meant to run on
     * every stack (that is how two stacks are compared), and on this one the raised value is the
     * honest description of the design.
     */
    private static int raised(YamlMap m, String key, int value, int minimum, Stack stack) {
        if (!PatroniRules.adjustsTimeouts(stack) || value >= minimum) {
            return value;
        }
        m.get(key).orElseThrow().warning(PatroniRules.patroniOf(stack) + " raises " + key + " " + value
                + " to its minimum " + minimum + " at run time (patroni/config.py _validate_and_adjust_timeouts):"
                + " this cluster runs, and is certified, with " + key + " " + minimum);
        return minimum;
    }

    /** {@code synchronous_mode}: true, false, or {@code quorum} where the stack's Patroni has quorum commit. */
    private static Optional<String> synchronousMode(YamlMap m, Stack stack) {
        Optional<YamlNode> at = m.get("synchronous_mode");
        if (at.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> text = at.get().asString();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.get().equals("quorum")) {
            if (PatroniRules.hasQuorumCommit(stack)) {
                return Optional.of("quorum");
            }
            at.get().error("quorum commit needs Patroni 4.0 or later; " + PatroniRules.patroniOf(stack)
                    + " reads 'quorum' as not true (parse_bool) and would run the cluster asynchronously."
                    + " Use stack " + Stacks.all().stream().filter(PatroniRules::hasQuorumCommit).map(Stack::name)
                    .findFirst().orElse("with Patroni 4") + ", or synchronous_mode: true");
            return Optional.empty();
        }
        if (PatroniRules.hasQuorumCommit(stack) && !text.get().equalsIgnoreCase("true")
                && !text.get().equalsIgnoreCase("false")) {
            at.get().error("expected true, false or quorum, got '" + text.get() + "'");
            return Optional.empty();
        }
        return m.bool("synchronous_mode").map(String::valueOf);
    }

    PatroniSettings settings() {
        return settings;
    }

    /**
     * Patroni's rule {@code loop_wait + 2*retry_timeout <= ttl}: a leader whose DCS call retries for
     * retry_timeout must still renew its key before the key expires. Patroni 3.2 and later enforce it
     * by lowering loop_wait (or retry_timeout) with only a log warning; 3.0.2 does not check it at all,
     * so its leader can lose its key between two loops. A certification run must test the values the
     * file states, so on every stack this is an error, and the message says what that stack's Patroni
     * would do.
     */
    private void checkTimingRule(YamlMap m, Stack stack) {
        int ttl = settings.ttl();
        int loopWait = settings.loopWait();
        int retry = settings.retryTimeout();
        if (loopWait + 2 * retry <= ttl) {
            return;
        }
        String consequence;
        if (PatroniRules.adjustsTimeouts(stack)) {
            // What Patroni does (patroni/config.py, _validate_and_adjust_timeouts).
            String adjusted = 1 + 2 * retry > ttl
                    ? "loop_wait 1 and retry_timeout " + (ttl - 1) / 2
                    : "loop_wait " + (ttl - 2 * retry);
            consequence = PatroniRules.patroniOf(stack) + " would silently run with " + adjusted;
        } else {
            consequence = PatroniRules.patroniOf(stack) + " does not check it (enforced from 3.2.0): a leader"
                    + " whose DCS call retries for retry_timeout can lose its key before its next loop";
        }
        YamlNode at = m.get("ttl").or(() -> m.get("loop_wait")).or(() -> m.get("retry_timeout")).orElseThrow();
        at.error("Patroni requires loop_wait + 2*retry_timeout <= ttl, but " + loopWait + " + 2*" + retry + " = "
                + (loopWait + 2 * retry) + " > " + ttl + "; " + consequence);
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
