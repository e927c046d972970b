package dev.pgcert.fault;

import eu.rekawek.toxiproxy.model.ToxicDirection;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The link-fault kinds: latency (with jitter), bandwidth, link-timeout, reset-peer and link-down on
 * one link that the topology routes through Toxiproxy. This kernel has no netem, so latency and
 * bandwidth cannot be had with tc; Toxiproxy does them in user space.
 *
 * <p>Parameters: {@code link: client|replication|dcs} (default replication), {@code target} (a node
 * role or name for replication and dcs links; default replica), {@code stream: downstream|upstream}
 * (default downstream: towards the one who connected, i.e. WAL towards a replica, results towards a
 * client), and per kind {@code latency}, {@code jitter}, {@code rate} (KB/s), {@code timeout}.
 */
public final class LinkFaults {
    public static final List<String> KINDS = List.of("latency", "bandwidth", "link-timeout", "reset-peer", "link-down");

    private LinkFaults() {}

    static void register(FaultRegistry registry) {
        for (LinkFault.Effect effect : LinkFault.Effect.values()) {
            registry.register(effect.kind, help(effect), p -> {
                LinkFault.Link link = p.parse("link", "replication", LinkFault.Link::parse);
                Target target = link == LinkFault.Link.CLIENT ? p.target("primary") : p.target("replica");
                LinkFault.Settings settings = new LinkFault.Settings(
                        effect == LinkFault.Effect.LATENCY ? p.duration("latency", Duration.ofMillis(200)) : Duration.ZERO,
                        effect == LinkFault.Effect.LATENCY ? p.duration("jitter", Duration.ZERO) : Duration.ZERO,
                        effect == LinkFault.Effect.BANDWIDTH ? p.whole("rate", 100, 1, 10_000_000) : 0,
                        effect == LinkFault.Effect.TIMEOUT || effect == LinkFault.Effect.RESET_PEER
                                ? p.duration("timeout", Duration.ZERO) : Duration.ZERO,
                        p.parse("stream", "downstream", LinkFaults::direction));
                return new LinkFault(p.id(), effect, link, target, settings);
            });
        }
    }

    private static String help(LinkFault.Effect effect) {
        String common = "link: client|replication|dcs (default replication), target (default replica), stream: downstream|upstream";
        return switch (effect) {
            case LATENCY -> common + ", latency (default 200ms), jitter (default 0)";
            case BANDWIDTH -> common + ", rate in KB/s (default 100)";
            case TIMEOUT -> common + ", timeout (0: hold data until healed)";
            case RESET_PEER -> common + ", timeout before the reset (default 0)";
            case DOWN -> common + "; the proxy is disabled (connections closed and refused)";
        };
    }

    private static ToxicDirection direction(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "downstream" -> ToxicDirection.DOWNSTREAM;
            case "upstream" -> ToxicDirection.UPSTREAM;
            default -> throw new FaultException("stream '" + s + "': expected downstream or upstream");
        };
    }
}
