package dev.pgcert.fault;

import java.util.Collection;
import java.util.Locale;

/**
 * The iptables rules of one network fault in one container: a chain of the fault's own, hooked into
 * INPUT and OUTPUT, holding DROP rules (DROP, not REJECT: packets vanish and connections hang, as
 * in a real partition, rather than failing fast). Healing unhooks and deletes that chain only, so it is
 * exact (other faults' chains stay) and idempotent.
 *
 * <p>One chain serves both hooks: a {@code -s PEER} rule only ever matches incoming packets and a
 * {@code -d PEER} rule only outgoing ones. Rules name peers' addresses only, so loopback traffic,
 * including Docker's embedded DNS at 127.0.0.11, keeps working.
 */
final class IptablesChain {
    /** iptables chain names are at most 28 characters. */
    private static final int MAX_NAME = 28;

    enum Direction {
        /** drop packets both ways */
        BOTH,
        /** drop only what the peers send to the target */
        IN,
        /** drop only what the target sends to the peers */
        OUT;

        /** The same cut seen from the other end of the link. */
        Direction reversed() {
            return switch (this) {
                case BOTH -> BOTH;
                case IN -> OUT;
                case OUT -> IN;
            };
        }

        static Direction parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "both" -> BOTH;
                case "in", "inbound", "incoming" -> IN;
                case "out", "outbound", "outgoing" -> OUT;
                default -> throw new FaultException("direction '" + s + "': expected both, in or out");
            };
        }
    }

    private final String name;
    /** Between the address match and {@code -j DROP}: empty (drop all), or a random-drop match. */
    private final String match;

    IptablesChain(String faultId) {
        this(faultId, 100);
    }

    /**
     * A chain whose rules drop {@code lossPercent} of the matching packets, each independently at random
     * ({@code -m statistic --mode random --probability p}); 100 drops all of them.
     */
    IptablesChain(String faultId, double lossPercent) {
        if (!(lossPercent > 0 && lossPercent <= 100)) {
            throw new FaultException("loss must be above 0% and at most 100%, got " + lossPercent + "%");
        }
        this.match = lossPercent >= 100 ? ""
                : " -m statistic --mode random --probability " + String.format(Locale.ROOT, "%.4f", lossPercent / 100.0);
        String clean = faultId.replaceAll("[^A-Za-z0-9_-]", "_");
        String full = "PGCERT-" + clean;
        // Long ids keep a hash so two faults never share a chain.
        this.name = full.length() <= MAX_NAME ? full
                : full.substring(0, MAX_NAME - 9) + "-" + String.format("%08x", faultId.hashCode());
    }

    String name() {
        return name;
    }

    /**
     * A connection this container opens to a proxy's listen port: a proxied link whose direct address
     * would be another container's. Cutting it by address and port leaves the proxy's other links alone.
     */
    record ProxyPort(String proxyIp, int port) {}

    /** A script that (re)creates the chain, hooks it first in INPUT and OUTPUT, and fills it. */
    String installScript(Collection<String> peerIps, Direction direction) {
        return installScript(peerIps, java.util.List.of(), direction);
    }

    /** As above, plus DROP rules for this container's connections to the given proxy ports. */
    String installScript(Collection<String> peerIps, Collection<ProxyPort> proxyPorts, Direction direction) {
        StringBuilder s = new StringBuilder("set -e; ");
        s.append("iptables -N ").append(name).append(" 2>/dev/null || iptables -F ").append(name).append("; ");
        for (ProxyPort p : proxyPorts) {
            if (direction != Direction.OUT) {
                s.append("iptables -A ").append(name).append(" -s ").append(p.proxyIp())
                        .append(" -p tcp --sport ").append(p.port()).append(match).append(" -j DROP; ");
            }
            if (direction != Direction.IN) {
                s.append("iptables -A ").append(name).append(" -d ").append(p.proxyIp())
                        .append(" -p tcp --dport ").append(p.port()).append(match).append(" -j DROP; ");
            }
        }
        for (String peer : peerIps) {
            if (direction != Direction.OUT) {
                s.append("iptables -A ").append(name).append(" -s ").append(peer).append(match).append(" -j DROP; ");
            }
            if (direction != Direction.IN) {
                s.append("iptables -A ").append(name).append(" -d ").append(peer).append(match).append(" -j DROP; ");
            }
        }
        for (String hook : new String[] {"INPUT", "OUTPUT"}) {
            s.append("iptables -C ").append(hook).append(" -j ").append(name).append(" 2>/dev/null || iptables -I ")
                    .append(hook).append(" 1 -j ").append(name).append("; ");
        }
        return s.toString();
    }

    /** A script that removes every trace of the chain and succeeds when there is none. */
    String removeScript() {
        return "for hook in INPUT OUTPUT; do while iptables -D $hook -j " + name + " 2>/dev/null; do :; done; done; "
                + "iptables -F " + name + " 2>/dev/null; iptables -X " + name + " 2>/dev/null; true";
    }
}
