package dev.pgcert.fault;

import java.util.List;

/**
 * The place for link faults: latency, jitter, bandwidth limits, packet loss and resets on ONE link
 * (clients to router, a replica's replication stream, a node's DCS connection). This kernel has no
 * netem, so they go through Toxiproxy ({@code dev.pgcert.fault.toxiproxy} builds its image); the
 * cluster must first route those links through it (topology {@code toxiproxy_links}). Until then these
 * kinds are known but refuse to build, with a message that says why.
 *
 * <p>To plug them in: implement {@link Fault} (start adds a toxic through toxiproxy-java, heal removes
 * it by name, idempotently) and {@code FaultRegistry.register(kind, help, factory)} for each kind below.
 */
public final class LinkFaults {
    public static final List<String> KINDS = List.of("latency", "bandwidth", "packet-loss", "link-down", "reset-peer");

    private LinkFaults() {}

    static void reserve(FaultRegistry registry) {
        for (String kind : KINDS) {
            registry.register(kind, "Toxiproxy link fault (not wired yet)", p -> {
                throw p.error("link faults go through Toxiproxy, which this cluster does not route through yet;"
                        + " use partition (iptables) for a cut link");
            });
        }
    }
}
