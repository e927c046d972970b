/**
 * The fault library (Jepsen's nemesis for a Patroni cluster).
 *
 * <p>A {@link dev.pgcert.fault.Fault} breaks one thing and heals it again, idempotently. Targets
 * ({@link dev.pgcert.fault.Target}) are roles resolved when the fault starts, through Patroni's REST
 * API. {@link dev.pgcert.fault.FaultRegistry} builds faults from a scenario's {@code {kind, params}};
 * {@link dev.pgcert.fault.Nemesis} starts them, records their windows as history events and heals
 * whatever is still active in a {@code finally};
 * {@link dev.pgcert.cluster.PatroniCluster#awaitHealthy(java.time.Duration)} waits until the cluster is whole again.
 *
 * <p>A fault sees the cluster only through {@link dev.pgcert.fault.FaultContext}: the topology, the run's one
 * list of containers ({@link dev.pgcert.cluster.RunContainers}, with its Toxiproxy links), Patroni's REST APIs
 * ({@link dev.pgcert.cluster.PatroniApi}) and the one reader of {@code pg_stat_replication}
 * ({@link dev.pgcert.cluster.Replication}). Link faults select proxies by the typed link they carry
 * ({@link dev.pgcert.cluster.ProxiedLink}), never by a proxy's name.
 *
 * <p>Kinds: {@code kill, stop, freeze, restart} (containers); {@code postmaster-kill, patroni-kill,
 * patroni-stop} (processes in a node); {@code partition} (iptables DROP from all, dcs, nodes, replicas or
 * clients, both ways or one way) and {@code split} (majority/minority); {@code disk-full} (ballast in a
 * sized data or WAL volume); {@code etcd-kill, etcd-quorum-loss} (DCS); {@code switchover}; and through
 * Toxiproxy {@code latency, bandwidth, link-timeout, reset-peer, link-down} ({@link dev.pgcert.fault.LinkFaults}).
 */
package dev.pgcert.fault;
