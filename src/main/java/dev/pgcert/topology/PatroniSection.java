package dev.pgcert.topology;

import dev.pgcert.topology.Topology.Node;
import dev.pgcert.topology.Topology.PatroniSettings;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code patroni:} section: Patroni's dynamic settings, with Patroni's defaults for what is
 * omitted, and the rules Patroni would otherwise enforce silently at run time, as the stack's
 * Patroni version has them ({@link PatroniRules}).
 */
final class PatroniSection {

    /** The keys held in {@link PatroniSettings}' typed fields; every other key goes to {@code more}. */
    static final List<String> TYPED = List.of("ttl", "loop_wait", "retry_timeout", "maximum_lag_on_failover",
            "synchronous_mode", "synchronous_mode_strict", "synchronous_node_count", "use_pg_rewind", "failsafe_mode");

    /** The keys a {@code patroni:} section takes (user keys of every version; see {@link PatroniCatalog}). */
    static final List<String> KEYS = PatroniCatalog.DCS.settings().stream().filter(s -> !s.isOwned())
            .map(Setting::key).toList();

    // A replication slot name: PostgreSQL's rule (ReplicationSlotValidateName).
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");
    private static final List<String> SLOT_KEYS = List.of("type", "database", "plugin");

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
        Map<String, Object> v = PatroniCatalog.DCS.read(m, stack);
        Optional<Integer> ttl = integer(v, "ttl").map(x -> raised(m, "ttl", x, PatroniRules.MIN_TTL, stack));
        Optional<Integer> loopWait = integer(v, "loop_wait")
                .map(x -> raised(m, "loop_wait", x, PatroniRules.MIN_LOOP_WAIT, stack));
        Optional<Integer> retryTimeout = integer(v, "retry_timeout")
                .map(x -> raised(m, "retry_timeout", x, PatroniRules.MIN_RETRY_TIMEOUT, stack));
        Optional<String> syncMode = PatroniCatalog.DCS.setting("synchronous_mode").filter(s -> m.has(s.key()))
                .flatMap(s -> synchronousMode(m, stack));
        Map<String, Object> more = new LinkedHashMap<>(v);
        TYPED.forEach(more::remove);
        m.get("slots").flatMap(at -> slots(at, m)).ifPresent(slots -> more.put("slots", slots));
        m.get("ignore_slots").flatMap(PatroniSection::ignoreSlots).ifPresent(list -> more.put("ignore_slots", list));
        PatroniSettings settings = new PatroniSettings(
                ttl.orElse(d.ttl()),
                loopWait.orElse(d.loopWait()),
                retryTimeout.orElse(d.retryTimeout()),
                Optional.ofNullable((Long) v.get("maximum_lag_on_failover")).orElse(d.maximumLagOnFailover()),
                syncMode.map(x -> !x.equals("false")).orElse(d.synchronousMode()),
                bool(v, "synchronous_mode_strict").orElse(d.synchronousModeStrict()),
                integer(v, "synchronous_node_count").orElse(d.synchronousNodeCount()),
                bool(v, "use_pg_rewind").orElse(d.usePgRewind()),
                bool(v, "failsafe_mode").orElse(d.failsafeMode()),
                syncMode.map("quorum"::equals).orElse(false),
                more);
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
        section.checkSlotRules(m, !m.has("synchronous_mode") || syncMode.isPresent());
        return section;
    }

    private static Optional<Integer> integer(Map<String, Object> v, String key) {
        return Optional.ofNullable(v.get(key)).map(x -> ((Number) x).intValue());
    }

    private static Optional<Boolean> bool(Map<String, Object> v, String key) {
        return Optional.ofNullable((Boolean) v.get(key));
    }

    /**
     * {@code slots:} Patroni's permanent slots, a mapping of slot name to {@code {type: physical}} or
     * {@code {type: logical, database: ..., plugin: ...}} (Patroni's docs/dynamic_configuration.rst, both
     * versions; a logical slot needs both).
     */
    private static Optional<Map<String, Object>> slots(YamlNode at, YamlMap m) {
        Optional<YamlMap> map = at.asMap();
        if (map.isEmpty()) {
            return Optional.empty();
        }
        int before = m.problems().errorCount();
        Map<String, Object> slots = new LinkedHashMap<>();
        for (YamlMap.Entry entry : map.get().entries()) {
            if (!SLOT_NAME.matcher(entry.key()).matches()) {
                m.problems().error(entry.keyLocation(), map.get().childPath(entry.key()),
                        "a replication slot name is 1-63 lower-case letters, digits or '_' (PostgreSQL's rule)");
                continue;
            }
            entry.value().asMap().flatMap(slot -> slot(slot, true)).ifPresent(slot -> slots.put(entry.key(), slot));
        }
        return m.problems().errorCount() == before ? Optional.of(slots) : Optional.empty();
    }

    private static Optional<Map<String, String>> slot(YamlMap slot, boolean permanent) {
        List<String> keys = new java.util.ArrayList<>(SLOT_KEYS);
        if (!permanent) {
            keys.add(0, "name");
        }
        slot.allowOnly(keys.toArray(String[]::new));
        Map<String, String> out = new LinkedHashMap<>();
        Optional<String> type = permanent ? slot.required("type").flatMap(t -> t.asOneOf(List.of("physical", "logical")))
                : slot.oneOf("type", List.of("physical", "logical"));
        for (String key : keys) {
            if (key.equals("type")) {
                type.ifPresent(t -> out.put("type", t));
            } else {
                slot.string(key).ifPresent(value -> out.put(key, value));
            }
        }
        if (permanent && type.filter("logical"::equals).isPresent()) {
            for (String key : List.of("database", "plugin")) {
                if (!slot.has(key)) {
                    slot.error("a logical slot needs " + key + " (Patroni creates it with pg_create_logical_replication_slot)");
                }
            }
        }
        if (permanent && type.filter("physical"::equals).isPresent()) {
            for (String key : List.of("database", "plugin")) {
                slot.get(key).ifPresent(at -> at.error("only a logical slot has a " + key));
            }
        }
        if (!permanent && slot.keys().isEmpty()) {
            slot.error("an ignore_slots entry needs at least one of name, type, database, plugin");
        }
        return Optional.of(out);
    }

    /** {@code ignore_slots:} a list of matches ({@code name, type, database, plugin}); any subset matches. */
    private static Optional<List<Object>> ignoreSlots(YamlNode at) {
        return at.asList().map(list -> {
            List<Object> out = new java.util.ArrayList<>();
            list.items().forEach(item -> item.asMap().flatMap(m -> slot(m, false)).ifPresent(out::add));
            return out;
        });
    }

    /**
     * Patroni keeps permanent slots only with use_slots (its docs: "requires postgresql.use_slots"); the sync-only
     * keys warn without synchronous mode (not when synchronous_mode itself was refused).
     */
    private void checkSlotRules(YamlMap m, boolean syncModeRead) {
        if (settings.more().containsKey("slots") && Boolean.FALSE.equals(settings.more().get("use_slots"))) {
            m.get("slots").orElseThrow().error("permanent slots need use_slots: true (Patroni ignores them otherwise)");
        }
        m.get("maximum_lag_on_syncnode").filter(at -> settings.more().containsKey("maximum_lag_on_syncnode"))
                .filter(at -> syncModeRead && !settings.synchronousMode())
                .ifPresent(at -> at.warning("has no effect without synchronous_mode"));
        m.get("primary_stop_timeout").filter(at -> settings.more().containsKey("primary_stop_timeout"))
                .filter(at -> syncModeRead && !settings.synchronousMode())
                .ifPresent(at -> at.warning("has no effect without synchronous_mode (Patroni applies it only there)"));
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

    /**
     * {@code synchronous_mode}: true/on, false/off (Patroni reads it with parse_bool), or {@code quorum}
     * where the stack's Patroni has quorum commit. Returns "true", "false" or "quorum".
     */
    private static Optional<String> synchronousMode(YamlMap m, Stack stack) {
        Optional<YamlNode> at = m.get("synchronous_mode");
        if (at.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> text = at.get().asString();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String t = text.get().strip().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("quorum")) {
            if (PatroniRules.hasQuorumCommit(stack)) {
                return Optional.of("quorum");
            }
            at.get().error("quorum commit needs Patroni 4.0 or later; " + PatroniRules.patroniOf(stack)
                    + " reads 'quorum' as not true (parse_bool) and would run the cluster asynchronously."
                    + " Use stack " + Stacks.all().stream().filter(PatroniRules::hasQuorumCommit).map(Stack::name)
                    .findFirst().orElse("with Patroni 4") + ", or synchronous_mode: true");
            return Optional.empty();
        }
        if (t.equals("true") || t.equals("on")) {
            return Optional.of("true");
        }
        if (t.equals("false") || t.equals("off")) {
            return Optional.of("false");
        }
        at.get().error("expected true, false, on, off" + (PatroniRules.hasQuorumCommit(stack) ? " or quorum" : "")
                + ", got '" + text.get() + "'");
        return Optional.empty();
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
                .filter(n -> !Boolean.TRUE.equals(n.tags().get("nosync")))
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
