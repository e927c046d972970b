package dev.pgcert.fault;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Kills a majority of the etcd members (SIGKILL), so the DCS has no quorum: no key can be read or
 * written. With one member, that is the member. Heal starts them again. (One member alone is the
 * {@code kill} fault with target {@code etcd} or {@code etcd:N}.)
 */
public final class EtcdQuorumLossFault extends AbstractFault {
    private final List<Component> killed = new ArrayList<>();

    public EtcdQuorumLossFault(String id) {
        super(id, "etcd-quorum-loss", new Target.Etcd(java.util.OptionalInt.empty()));
    }

    @Override
    protected void inject(FaultContext context) {
        TargetResolver targets = context.targets();
        List<Component> members = new ArrayList<>(targets.all().stream().filter(c -> c.type() == Component.Type.ETCD).toList());
        int majority = members.size() / 2 + 1;
        Collections.shuffle(members, context.random());
        List<Component> victims = members.subList(0, majority).stream()
                .sorted(java.util.Comparator.comparing(Component::name)).toList();
        resolvedTo(String.join(",", victims.stream().map(Component::name).toList()));
        note("members", members.size());
        note("killed", victims.stream().map(Component::name).toList());
        note("signal", "SIGKILL");
        DockerOps docker = context.docker();
        for (Component c : victims) {
            killed.add(c);
            docker.kill(c, "KILL");
        }
    }

    @Override
    protected void repair(FaultContext context) {
        DockerOps docker = context.docker();
        for (Component c : List.copyOf(killed)) {
            docker.startIfStopped(c);
            killed.remove(c);
        }
    }
}
