package dev.pgcert.fault;

import dev.pgcert.cluster.LinkProxies;
import dev.pgcert.topology.Topology;
import dev.pgcert.topology.Topology.ToxiproxyLink.LinkKind;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.ToxicList;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A fault on one link that the topology routes through Toxiproxy: the client path, a replica's
 * replication stream (every proxy towards its possible upstreams, since Patroni may switch it), or a
 * node's DCS connections. Start adds a named toxic (or disables the proxies for {@code link-down});
 * heal removes exactly that toxic, and tolerates it being gone already.
 */
public final class LinkFault extends AbstractFault {

    /** What the fault does to the link, with the toxiproxy toxic behind it. */
    public enum Effect {
        LATENCY("latency"), BANDWIDTH("bandwidth"), TIMEOUT("link-timeout"), RESET_PEER("reset-peer"), DOWN("link-down");

        final String kind;

        Effect(String kind) {
            this.kind = kind;
        }
    }

    public enum Link {
        CLIENT, REPLICATION, DCS;

        static Link parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "client" -> CLIENT;
                case "replication" -> REPLICATION;
                case "dcs" -> DCS;
                default -> throw new FaultException("link '" + s + "': expected client, replication or dcs");
            };
        }
    }

    /** The toxic's settings: latency and jitter, rate in KB/s, timeout. */
    public record Settings(Duration latency, Duration jitter, long rateKbPerSecond, Duration timeout, ToxicDirection direction) {}

    private final Effect effect;
    private final Link link;
    private final Settings settings;
    private List<Proxy> proxies = List.of();

    public LinkFault(String id, Effect effect, Link link, Target target, Settings settings) {
        super(id, effect.kind, target);
        this.effect = effect;
        this.link = link;
        this.settings = settings;
    }

    @Override
    public Optional<String> problemWith(Topology topology) {
        LinkKind kind = kindOf(link);
        List<Topology.ToxiproxyLink> links = topology.toxiproxyLinks().stream().filter(l -> l.kind() == kind).toList();
        String linkName = link.name().toLowerCase(Locale.ROOT);
        if (links.isEmpty()) {
            return Optional.of(kind() + " on the " + linkName + " link: topology " + topology.name()
                    + " routes no " + linkName + " link through Toxiproxy (add {link: " + linkName
                    + (link == Link.CLIENT ? "" : ", node: NAME") + "} under toxiproxy:)");
        }
        if (link != Link.CLIENT && target instanceof Target.Named named && topology.nodes().stream().anyMatch(n -> n.name().equals(named.name()))
                && links.stream().noneMatch(l -> named.name().equals(l.node()))) {
            return Optional.of(kind() + " on " + named.name() + "'s " + linkName + " link: topology " + topology.name()
                    + " does not route it through Toxiproxy (add {link: " + linkName + ", node: " + named.name() + "} under toxiproxy:)");
        }
        return Optional.empty();
    }

    @Override
    protected void inject(FaultContext context) {
        LinkProxies links = context.links().orElseThrow(() -> new FaultException(
                id() + ": the topology routes no link through Toxiproxy; add a toxiproxy: section"));
        String node = link == Link.CLIENT ? "" : resolveNode(context).name();
        if (link == Link.CLIENT) {
            resolvedTo("clients");
        }
        proxies = routesOf(links.routes(), link, node).stream().map(r -> links.proxy(r.name())).toList();
        if (proxies.isEmpty()) {
            throw new FaultException(id() + ": no " + link.name().toLowerCase() + " link of " + target()
                    + " goes through Toxiproxy; list it under toxiproxy: in the topology");
        }
        note("proxies", proxies.stream().map(Proxy::getName).toList());
        for (Proxy proxy : proxies) {
            try {
                apply(proxy);
            } catch (IOException e) {
                throw new FaultException(id() + ": Toxiproxy refused the " + kind() + " toxic on " + proxy.getName(), e);
            }
        }
    }

    /**
     * The proxies that carry {@code node}'s {@code link} (any node's for the client link): selected by
     * equality of the typed topology link, so node {@code db}'s links never include {@code db-2}'s.
     */
    static List<LinkProxies.Route> routesOf(List<LinkProxies.Route> routes, Link link, String node) {
        return LinkProxies.select(routes, new Topology.ToxiproxyLink(kindOf(link), link == Link.CLIENT ? "" : node));
    }

    /** The topology's link kind this fault's link parameter names. */
    static LinkKind kindOf(Link link) {
        return switch (link) {
            case CLIENT -> LinkKind.CLIENT;
            case REPLICATION -> LinkKind.REPLICATION;
            case DCS -> LinkKind.DCS;
        };
    }

    private void apply(Proxy proxy) throws IOException {
        ToxicList toxics = proxy.toxics();
        switch (effect) {
            case LATENCY -> {
                toxics.latency(id(), settings.direction(), settings.latency().toMillis()).setJitter(settings.jitter().toMillis());
                note("latency_ms", settings.latency().toMillis());
                note("jitter_ms", settings.jitter().toMillis());
            }
            case BANDWIDTH -> {
                toxics.bandwidth(id(), settings.direction(), settings.rateKbPerSecond());
                note("rate_kb_per_s", settings.rateKbPerSecond());
            }
            case TIMEOUT -> {
                toxics.timeout(id(), settings.direction(), settings.timeout().toMillis());
                note("timeout_ms", settings.timeout().toMillis());
            }
            case RESET_PEER -> {
                toxics.resetPeer(id(), settings.direction(), settings.timeout().toMillis());
                note("timeout_ms", settings.timeout().toMillis());
            }
            case DOWN -> proxy.disable();
        }
        note("stream", settings.direction().name().toLowerCase());
    }

    @Override
    protected void repair(FaultContext context) {
        for (Proxy proxy : proxies) {
            try {
                if (effect == Effect.DOWN) {
                    proxy.enable();
                } else if (proxy.toxics().getAll().stream().anyMatch(t -> t.getName().equals(id()))) {
                    proxy.toxics().get(id()).remove();
                }
            } catch (IOException e) {
                throw new FaultException(id() + ": could not heal " + proxy.getName() + ": " + e.getMessage(), e);
            }
        }
    }
}
