package dev.pgcert.cluster;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A snapshot of Patroni's {@code /cluster}: the members as the DCS lists them, or, when no node could read
 * the DCS ({@code fromDcs} false), as each running member described itself in {@code /patroni}.
 */
public record ClusterView(List<Member> members, String rawJson, boolean fromDcs) {

    public ClusterView(List<Member> members, String rawJson) {
        this(members, rawJson, true);
    }

    public record Member(String name, String role, String state, Optional<Long> timeline, Optional<Long> lag,
                         Optional<String> replicateFrom) {
        public boolean isLeader() {
            return role.equals("leader") || role.equals("standby_leader");
        }

        /** Patroni's synchronous standby: {@code sync_standby}, or {@code quorum_standby} under Patroni 4's quorum commit. */
        public boolean isSynchronousStandby() {
            return role.equals("sync_standby") || role.equals("quorum_standby");
        }

        public boolean isRunning() {
            // Patroni 3.0 says "running"; later versions say "streaming" for healthy replicas.
            return state.equals("running") || state.equals("streaming");
        }
    }

    public Optional<Member> leader() {
        return members.stream().filter(Member::isLeader).findFirst();
    }

    public Optional<Member> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** One line for messages: {@code node1=leader/running tl2, node2=replica/running lag 0}. */
    public String summary() {
        return (fromDcs ? "" : "(the DCS did not answer; each member's own /patroni) ") + members.stream().map(m -> m.name() + "=" + m.role() + "/" + m.state()
                        + m.timeline().map(t -> " tl" + t).orElse("")
                        + m.lag().map(l -> " lag " + l).orElse(""))
                .collect(Collectors.joining(", "));
    }
}
