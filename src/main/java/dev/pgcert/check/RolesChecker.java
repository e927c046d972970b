package dev.pgcert.check;

import dev.pgcert.check.MetricCatalog.Kind;
import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Values;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The members' roles, from the sampler's Patroni {@code /cluster} samples and the leader's own
 * settings ({@code f = leader-config}: {@code synchronous_standby_names} and its replication slots,
 * recorded when they change):
 * <ul>
 *   <li>{@code by_role.<role>}: how many members had each role in the last sample (leader, replica,
 *       sync_standby, ...);</li>
 *   <li>{@code sync_standby_before} / {@code sync_standby_after} / {@code sync_standby_changed}: the
 *       members Patroni named sync_standby (or quorum_standby) in the first and the last sample, comma-joined,
 *       {@code none} for none;</li>
 *   <li>{@code synchronous_standby_names_before} / {@code _after}: the setting on the first and the last
 *       leader sampled ({@code none} when empty);</li>
 *   <li>{@code slots_before} / {@code slots_after}: the replication slots on the first and the last leader
 *       sampled; {@code slots_missing} the slots of the first that the last lacks, leaving out the one named
 *       for the last leader itself (a member keeps no slot for itself), and {@code missing_slots} their names.</li>
 * </ul>
 * VALID when measured, UNKNOWN without a cluster sample; the slot and setting metrics are absent
 * without leader-config samples.
 */
public final class RolesChecker implements Checker {
    public static final String NAME = "roles";
    static final List<String> SYNC_ROLES = List.of("sync_standby", "quorum_standby");

    private static final Declaration DECLARATION = Declaration.of(NAME, Category.ROLES)
            .metrics(Kind.TEXT, "sync_standby_before", "sync_standby_after", "sync_standby_changed",
                    "synchronous_standby_names_before", "synchronous_standby_names_after")
            .nested(Kind.COUNT, "by_role")
            .metrics(Kind.LIST, "slots_before", "slots_after", "missing_slots")
            .metrics(Kind.COUNT, "slots_missing");

    @Override
    public Declaration declaration() {
        return DECLARATION;
    }

    @Override
    public CheckResult check(History h) {
        ClusterSamples samples = ClusterSamples.of(h);
        Optional<Event> first = samples.firstWithLeader().or(() -> h.first(Event.Fn.CLUSTER));
        Optional<Event> last = samples.last();
        if (first.isEmpty() || last.isEmpty()) {
            return CheckResult.unknown(NAME, "No cluster sample in the history: no roles to report.");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> byRole = new TreeMap<>();
        for (Map<String, Object> member : ClusterSamples.members(last.get())) {
            byRole.merge(String.valueOf(Values.string(member, "role")), 1, (a, b) -> (Integer) a + (Integer) b);
        }
        m.put("by_role", byRole);
        String syncBefore = sync(first.get());
        String syncAfter = sync(last.get());
        m.put("sync_standby_before", syncBefore);
        m.put("sync_standby_after", syncAfter);
        m.put("sync_standby_changed", Boolean.toString(!syncBefore.equals(syncAfter)));
        StringBuilder text = new StringBuilder("At the end: " + byRole + "; synchronous standby " + syncBefore
                + (syncBefore.equals(syncAfter) ? " throughout." : " before, " + syncAfter + " after."));

        List<Event> configs = h.byF(Event.Fn.LEADER_CONFIG);
        if (!configs.isEmpty()) {
            Event before = configs.get(0);
            Event after = configs.get(configs.size() - 1);
            m.put("synchronous_standby_names_before", orNone(Values.string(before.value(), "synchronous_standby_names")));
            m.put("synchronous_standby_names_after", orNone(Values.string(after.value(), "synchronous_standby_names")));
            List<String> slotsBefore = names(before);
            List<String> slotsAfter = names(after);
            TreeSet<String> missing = new TreeSet<>(slotsBefore);
            missing.removeAll(slotsAfter);
            String lastLeader = Values.string(after.value(), "node");
            if (lastLeader != null) {
                missing.remove(slotName(lastLeader));
            }
            m.put("slots_before", slotsBefore);
            m.put("slots_after", slotsAfter);
            m.put("slots_missing", missing.size());
            m.put("missing_slots", List.copyOf(missing));
            text.append(" Slots on ").append(Values.string(before.value(), "node")).append(": ").append(slotsBefore)
                    .append("; on ").append(lastLeader).append(" at the end: ").append(slotsAfter)
                    .append(missing.isEmpty() ? "." : "; missing: " + missing + ".");
        }
        return new CheckResult(NAME, Verdict.VALID, m, text.toString());
    }

    private static String sync(Event sample) {
        List<String> names = new ArrayList<>();
        for (String role : SYNC_ROLES) {
            names.addAll(ClusterSamples.withRole(sample, role));
        }
        return names.isEmpty() ? "none" : String.join(",", names.stream().sorted().toList());
    }

    private static String orNone(String s) {
        return s == null || s.isBlank() ? "none" : s;
    }

    private static List<String> names(Event config) {
        return Values.list(config.value(), "slots").stream().map(String::valueOf).sorted().toList();
    }

    /** Patroni names a member's physical slot after it, lower-case, anything but [a-z0-9_] as '_'. */
    static String slotName(String member) {
        return member.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }
}
