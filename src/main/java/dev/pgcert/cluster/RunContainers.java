package dev.pgcert.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one list of a run's containers, each with its name and role, on the run's network. Teardown, logs,
 * health and the faults' targets all read it here; nothing else lists the containers of a run.
 */
public final class RunContainers {
    private static final Logger LOG = LoggerFactory.getLogger(RunContainers.class);

    /** What a container is in the cluster. */
    public enum Role { ETCD, TOXIPROXY, NODE, ROUTER, POOLER, /** a member of the standby cluster */ STANDBY_NODE }

    /** One container of the run. */
    public record Member(String name, Role role, GenericContainer<?> container) {}

    private Network network;
    private final Map<String, EtcdContainer> etcd = new LinkedHashMap<>();
    private final Map<String, PatroniNodeContainer> nodes = new LinkedHashMap<>();
    private final Map<String, PatroniNodeContainer> standbyNodes = new LinkedHashMap<>();
    private LinkProxies links;
    private RouterContainer router;
    private PoolerContainer pooler;
    private BackupRepository backup;

    RunContainers() {}

    void setNetwork(Network runNetwork) { this.network = runNetwork; }
    void addEtcd(EtcdContainer member) { etcd.put(member.alias(), member); }
    void addNode(String name, PatroniNodeContainer node) { nodes.put(name, node); }
    void addStandbyNode(String name, PatroniNodeContainer node) { standbyNodes.put(name, node); }
    void removeNode(String name) { nodes.remove(name); }
    void setLinks(LinkProxies proxies) { this.links = proxies; }
    void setRouter(RouterContainer container) { this.router = container; }
    void setPooler(PoolerContainer container) { this.pooler = container; }
    void setBackup(BackupRepository repository) { this.backup = repository; }

    /** The run's pgBackRest repositories, when the topology has a {@code backup:} section. */
    public Optional<BackupRepository> backup() { return Optional.ofNullable(backup); }

    /** The run's private network. */
    public Network network() { return network; }
    /** Its Docker id. */
    public String networkId() { return network.getId(); }

    /** The container's address on the run's network. */
    public String networkAddress(GenericContainer<?> container) {
        return container.getCurrentContainerInfo().getNetworkSettings().getNetworks().values().stream()
                .filter(n -> networkId().equals(n.getNetworkID())).findFirst()
                .orElseThrow(() -> new IllegalStateException(container.getContainerName() + " is not on the run's network"))
                .getIpAddress();
    }

    public Map<String, PatroniNodeContainer> nodes() { return Collections.unmodifiableMap(nodes); }
    /** The standby cluster's members (empty without one). */
    public Map<String, PatroniNodeContainer> standbyNodes() { return Collections.unmodifiableMap(standbyNodes); }
    public Map<String, EtcdContainer> etcdMembers() { return Collections.unmodifiableMap(etcd); }
    public Optional<RouterContainer> router() { return Optional.ofNullable(router); }
    public Optional<PoolerContainer> pooler() { return Optional.ofNullable(pooler); }
    public Optional<LinkProxies> links() { return Optional.ofNullable(links); }

    public PatroniNodeContainer node(String name) {
        PatroniNodeContainer c = nodes.get(name);
        if (c == null) throw new IllegalArgumentException("no node named " + name + " (nodes: " + nodes.keySet() + ")");
        return c;
    }

    /** Every container of the run in start order: etcd, Toxiproxy, nodes, the standby cluster's nodes, router, PgBouncer. */
    public List<Member> all() {
        List<Member> all = new ArrayList<>();
        etcd.forEach((name, c) -> all.add(new Member(name, Role.ETCD, c)));
        if (links != null) all.add(new Member("toxiproxy", Role.TOXIPROXY, links.container()));
        nodes.forEach((name, c) -> all.add(new Member(name, Role.NODE, c)));
        standbyNodes.forEach((name, c) -> all.add(new Member(name, Role.STANDBY_NODE, c)));
        if (router != null) all.add(new Member("router", Role.ROUTER, router));
        if (pooler != null) all.add(new Member("pgbouncer", Role.POOLER, pooler));
        return all;
    }

    /** The member named {@code name}, if the run has it. */
    public Optional<Member> member(String name) {
        return all().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** Stops every container, in reverse start order; a failure is logged and the rest still stop. */
    void stopAll() {
        List<Member> reverse = new ArrayList<>(all());
        Collections.reverse(reverse);
        for (Member m : reverse) {
            try {
                m.container().stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping {} failed: {}", m.name(), e.getMessage());
            }
        }
    }
}
