package dev.pgcert.check;

import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Values;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Patroni's {@code /cluster} as the sampler recorded it ({@code f = cluster}): the first, last and
 * last-before samples, and what a sample says about the members' roles. One reading of those events
 * for the role checkers ({@link LeaderChecker}, {@link TimelineChecker}, {@link RolesChecker}).
 */
final class ClusterSamples {
    /** The roles Patroni gives a member that takes writes (or leads a standby cluster), across versions. */
    static final Set<String> LEADER_ROLES = Set.of("leader", "master", "primary", "standby_leader");

    private final List<Event> samples;

    private ClusterSamples(List<Event> samples) {
        this.samples = samples;
    }

    static ClusterSamples of(History h) {
        return new ClusterSamples(h.byF(Event.Fn.CLUSTER));
    }

    boolean isEmpty() {
        return samples.isEmpty();
    }

    /** The first sample that names a leader. */
    Optional<Event> firstWithLeader() {
        return samples.stream().filter(e -> leader(e) != null).findFirst();
    }

    Optional<Event> last() {
        return samples.isEmpty() ? Optional.empty() : Optional.of(samples.get(samples.size() - 1));
    }

    /** The last sample at or before {@code nanos} that names a leader. */
    Optional<Event> lastWithLeaderBefore(long nanos) {
        Event found = null;
        for (Event e : samples) {
            if (e.nanos() > nanos) {
                break;
            }
            if (leader(e) != null) {
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The leaders one after another, repeats and gaps (no leader) left out. */
    List<String> leaderSequence() {
        List<String> seq = new ArrayList<>();
        for (Event e : samples) {
            String l = leader(e);
            if (l != null && (seq.isEmpty() || !seq.get(seq.size() - 1).equals(l))) {
                seq.add(l);
            }
        }
        return seq;
    }

    static String leader(Event sample) {
        return Values.string(sample.value(), "leader");
    }

    static List<Map<String, Object>> members(Event sample) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!(sample.value().get("members") instanceof List<?>)) {
            throw new IllegalArgumentException("a cluster sample without a list of members: " + sample.value().get("members"));
        }
        for (Object m : Values.list(sample.value(), "members")) {
            if (!(m instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("a cluster sample's member is not a map: " + m);
            }
            out.add(Values.map(m));
        }
        return out;
    }

    /** The leader member's timeline in a sample, if it reports one. */
    static Optional<Long> leaderTimeline(Event sample) {
        String leader = leader(sample);
        return members(sample).stream().filter(m -> leader != null && leader.equals(Values.string(m, "name")))
                .map(m -> Values.longValue(m, "timeline")).filter(t -> t != null).findFirst();
    }

    /** The members of a sample with the given role, by name, sorted. */
    static List<String> withRole(Event sample, String role) {
        return members(sample).stream().filter(m -> role.equals(Values.string(m, "role")))
                .map(m -> Values.string(m, "name")).sorted().toList();
    }
}
