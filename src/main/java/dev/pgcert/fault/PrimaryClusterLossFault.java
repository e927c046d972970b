package dev.pgcert.fault;

import java.util.ArrayList;
import java.util.List;

/**
 * The loss of the primary cluster's site, as a disaster-recovery drill starts: SIGKILL of every node of
 * the primary cluster at once (etcd, the router and the standby cluster keep running). Heal does not
 * bring the nodes back: a lost site that came back on its own would make a second primary in its old
 * scope next to the promoted standby cluster, which is what a real drill's fencing prevents.
 */
public final class PrimaryClusterLossFault extends AbstractFault {
    public static final String KIND = "primary-cluster-loss";

    public PrimaryClusterLossFault(String id) {
        super(id, KIND, new Target.Named("primary-cluster"));
    }

    @Override
    protected void inject(FaultContext context) {
        List<String> killed = new ArrayList<>();
        DockerOps docker = context.docker();
        for (String node : context.containers().nodes().keySet()) {
            Component c = context.targets().named(node);
            if (docker.state(c) == DockerOps.State.STOPPED) {
                continue;
            }
            docker.kill(c, "KILL");
            killed.add(node);
        }
        resolvedTo(String.join(",", killed));
        note("signal", "SIGKILL");
        note("nodes", killed);
    }

    @Override
    protected void repair(FaultContext context) {
        // The lost site stays down (see the class comment); the run's teardown removes its containers.
    }
}
