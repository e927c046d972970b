package dev.pgcert.fault;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.ContainerNetwork;
import dev.pgcert.cluster.RunContainers;
import org.testcontainers.containers.Container;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The Docker operations faults use: signals, stop/start, pause, exec, and a container's address on
 * the run's network (looked up each time: a restarted container may come back with another one).
 */
public final class DockerOps {
    private final DockerClient docker;
    private final RunContainers containers;

    DockerOps(DockerClient docker, RunContainers containers) {
        this.docker = docker;
        this.containers = containers;
    }

    public void kill(Component c, String signal) {
        call("kill -s " + signal, c, () -> docker.killContainerCmd(c.containerId()).withSignal(signal).exec());
    }

    /** SIGTERM, then SIGKILL after the grace period: what {@code docker stop} does. */
    public void stop(Component c, Duration grace) {
        call("stop", c, () -> docker.stopContainerCmd(c.containerId()).withTimeout((int) grace.toSeconds()).exec());
    }

    public void restart(Component c, Duration grace) {
        call("restart", c, () -> docker.restartContainerCmd(c.containerId()).withTimeout((int) grace.toSeconds()).exec());
    }

    public void pause(Component c) {
        call("pause", c, () -> docker.pauseContainerCmd(c.containerId()).exec());
    }

    /** Starts a stopped container; a running one is left alone. */
    public void startIfStopped(Component c) {
        State s = state(c);
        if (s == State.RUNNING || s == State.PAUSED) {
            return;
        }
        try {
            docker.startContainerCmd(c.containerId()).exec();
        } catch (NotModifiedException alreadyRunning) {
            // started meanwhile (Docker answers 304): nothing to do
        } catch (DockerException e) {
            throw new FaultException("docker start " + c.name() + " failed: " + e.getMessage(), e);
        }
    }

    /** Unpauses a paused container; any other is left alone. */
    public void unpauseIfPaused(Component c) {
        if (state(c) == State.PAUSED) {
            call("unpause", c, () -> docker.unpauseContainerCmd(c.containerId()).exec());
        }
    }

    public enum State { RUNNING, PAUSED, STOPPED }

    public State state(Component c) {
        InspectContainerResponse.ContainerState s = inspect(c).getState();
        if (Boolean.TRUE.equals(s.getPaused())) return State.PAUSED;
        if (Boolean.TRUE.equals(s.getRunning())) return State.RUNNING;
        return State.STOPPED;
    }

    /** The container's IPv4 address on the run's network, or a clear error when it has none (stopped). */
    public String ip(Component c) {
        String networkId = containers.networkId();
        Map<String, ContainerNetwork> networks = inspect(c).getNetworkSettings().getNetworks();
        return networks.values().stream()
                .filter(n -> networkId.equals(n.getNetworkID()))
                .map(ContainerNetwork::getIpAddress)
                .filter(ip -> ip != null && !ip.isBlank())
                .findFirst()
                .orElseThrow(() -> new FaultException(c.name() + " has no address on the run's network (is it running?)"));
    }

    /**
     * One SQL statement through psql inside a node, as the OS user postgres over the Unix socket (trusted
     * there); returns the unaligned, tuples-only output.
     */
    public String psql(Component node, String sql) {
        return exec(node, "postgres", "psql -X -At -v ON_ERROR_STOP=1 -h "
                + dev.pgcert.cluster.PatroniNodeContainer.socketDirectory() + " -d postgres -c " + shellQuote(sql)).trim();
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Runs a shell script in the container as root; returns its stdout, or fails with its stderr. */
    public String execRoot(Component c, String script) {
        return exec(c, "root", script);
    }

    public String exec(Component c, String user, String script) {
        try {
            Container.ExecResult r = c.container().execInContainerWithUser(user, "sh", "-c", script);
            if (r.getExitCode() != 0) {
                throw new FaultException("in " + c.name() + ": `" + script + "` exited " + r.getExitCode() + ": "
                        + (r.getStderr().isBlank() ? r.getStdout() : r.getStderr()).trim());
            }
            return r.getStdout();
        } catch (IOException | RuntimeException e) {
            if (e instanceof FaultException f) throw f;
            throw new FaultException("exec in " + c.name() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaultException("interrupted while running a command in " + c.name(), e);
        }
    }

    private InspectContainerResponse inspect(Component c) {
        try {
            return docker.inspectContainerCmd(c.containerId()).exec();
        } catch (DockerException e) {
            throw new FaultException("docker inspect " + c.name() + " failed: " + e.getMessage(), e);
        }
    }

    private static void call(String what, Component c, Runnable command) {
        try {
            command.run();
        } catch (DockerException e) {
            throw new FaultException("docker " + what + " " + c.name() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code removeScript} (iptables rules' removal) as root on each of {@code ruled} that still runs,
     * forgetting each one it healed; a stopped container lost its network namespace, and the rules with
     * it. Tries every container, then reports every failure at once, so a heal run again retries only
     * the containers that failed.
     */
    void removeRules(java.util.List<Component> ruled, String removeScript, String what) {
        java.util.List<RuntimeException> failures = new java.util.ArrayList<>();
        for (Component c : java.util.List.copyOf(ruled)) {
            try {
                if (state(c) != State.STOPPED) {
                    execRoot(c, removeScript);
                }
                ruled.remove(c);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            FaultException e = new FaultException("healing " + what + " failed on " + failures.size() + " container(s)");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }
}
