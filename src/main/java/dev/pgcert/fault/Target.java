package dev.pgcert.fault;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * What a fault aims at, as a scenario writes it. Roles ({@code primary}, {@code sync-standby},
 * {@code replica}, {@code cascading-replica}) are resolved when the fault starts, from Patroni's REST
 * API; the other forms name a component.
 *
 * <pre>
 * primary | leader            the current leader
 * sync-standby                a member whose role is sync_standby
 * replica                     any replica (seeded random choice)
 * cascading-replica           a replica that streams from another replica (replicatefrom tag)
 * node:NAME  or  NAME         a named node (or etcd1, router, pgbouncer)
 * etcd  |  etcd:N             any etcd member, or the N-th (1-based)
 * router | pgbouncer          HAProxy, PgBouncer
 * standby:leader              the standby cluster's leader (its standby leader; after promotion, its primary)
 * standby:replica             any other member of the standby cluster
 * standby:NAME                a named member of the standby cluster
 * </pre>
 */
public sealed interface Target {

    String spec();

    record Primary() implements Target {
        public String spec() { return "primary"; }
    }

    record SyncStandby() implements Target {
        public String spec() { return "sync-standby"; }
    }

    record AnyReplica() implements Target {
        public String spec() { return "replica"; }
    }

    record CascadingReplica() implements Target {
        public String spec() { return "cascading-replica"; }
    }

    /** A component by its name in the run: a node, {@code etcdN}, {@code router} or {@code pgbouncer}. */
    record Named(String name) implements Target {
        public String spec() { return name; }
    }

    record Etcd(OptionalInt index) implements Target {
        public String spec() { return index.isPresent() ? "etcd:" + index.getAsInt() : "etcd"; }
    }

    /** A member of the standby cluster: its leader, any other member, or one by name. */
    record Standby(String member) implements Target {
        public static final String LEADER = "leader";
        public static final String REPLICA = "replica";

        public String spec() { return "standby:" + member; }
    }

    static Target parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new FaultException("empty target; expected primary, sync-standby, replica, cascading-replica, "
                    + "node:NAME, etcd, etcd:N, router or pgbouncer");
        }
        String s = spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "primary", "leader": return new Primary();
            case "sync-standby", "sync_standby", "sync": return new SyncStandby();
            case "replica", "any-replica", "standby": return new AnyReplica();
            case "cascading-replica", "cascading_replica": return new CascadingReplica();
            case "etcd", "dcs", "any-etcd": return new Etcd(OptionalInt.empty());
            default: break;
        }
        if (lower.startsWith("etcd:")) {
            try {
                int index = Integer.parseInt(lower.substring(5));
                if (index < 1) throw new NumberFormatException();
                return new Etcd(OptionalInt.of(index));
            } catch (NumberFormatException e) {
                throw new FaultException("target '" + s + "': etcd index must be a number from 1");
            }
        }
        if (lower.startsWith("standby:")) {
            String member = s.substring("standby:".length()).trim();
            if (member.isEmpty()) {
                throw new FaultException("target '" + s + "': expected standby:leader, standby:replica or standby:NAME");
            }
            return new Standby(member.equalsIgnoreCase(Standby.LEADER) ? Standby.LEADER
                    : member.equalsIgnoreCase(Standby.REPLICA) ? Standby.REPLICA : member);
        }
        if (lower.startsWith("node:")) {
            return new Named(s.substring(5));
        }
        return new Named(s);
    }
}
