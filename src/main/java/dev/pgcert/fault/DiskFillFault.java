package dev.pgcert.fault;

import dev.pgcert.cluster.PatroniNodeContainer;
import dev.pgcert.topology.Topology;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Fills a node's data volume (or its separate WAL volume) to a level with a ballast file: fallocate for
 * the bulk, then, for 100 %, dd until the file system says "No space left on device" (fallocate cannot
 * take the last partial blocks). Heal deletes the ballast. The volume must have a size in the topology
 * (nodes[].data_volume / wal_volume): an unlimited volume is the host's disk, which a test must not fill.
 */
public final class DiskFillFault extends AbstractFault {

    public enum Volume {
        DATA, WAL;

        static Volume parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "data" -> DATA;
                case "wal", "pg_wal" -> WAL;
                default -> throw new FaultException("volume '" + s + "': expected data or wal");
            };
        }
    }

    private final Volume volume;
    private final double fillPercent;
    private Component node;

    public DiskFillFault(String id, Target target, Volume volume, double fillPercent) {
        super(id, "disk-full", target);
        if (!(fillPercent > 0 && fillPercent <= 100)) {
            throw new FaultException("fault " + id + " (disk-full): fill must be above 0% and at most 100%, not " + fillPercent + "%");
        }
        this.volume = volume;
        this.fillPercent = fillPercent;
    }

    @Override
    public Optional<String> problemWith(Topology topology) {
        return super.problemWith(topology).or(() -> volumeProblem(topology));
    }

    private Optional<String> volumeProblem(Topology topology) {
        // A role may land on any node, so every node needs the volume; a named node needs it itself.
        List<Topology.Node> candidates = target instanceof Target.Named named
                ? topology.nodes().stream().filter(n -> n.name().equals(named.name())).toList()
                : topology.nodes();
        List<String> without = candidates.stream()
                .filter(n -> (volume == Volume.DATA ? n.dataVolumeSize() : n.walVolumeSize()).isEmpty())
                .map(Topology.Node::name).toList();
        if (without.isEmpty()) {
            return Optional.empty();
        }
        String field = volume == Volume.DATA ? "data_volume" : "wal_volume";
        return Optional.of("disk-full on " + target.spec() + ": the " + volume.name().toLowerCase(Locale.ROOT)
                + " volume of " + String.join(", ", without) + " has no size in topology " + topology.name()
                + " (set nodes[]." + field + "; an unlimited volume is the host's disk)");
    }

    @Override
    protected void inject(FaultContext context) {
        node = resolveNode(context);
        Topology.Node config = context.topology().node(node.name());
        Optional<Long> size = volume == Volume.DATA ? config.dataVolumeSize() : config.walVolumeSize();
        if (size.isEmpty()) {
            throw new FaultException("disk-full on " + node.name() + ": its " + volume.name().toLowerCase(Locale.ROOT)
                    + " volume has no size in topology " + context.topology().source()
                    + (volume == Volume.DATA ? " (set nodes[].data_volume)" : " (set nodes[].wal_volume)"));
        }
        DockerOps docker = context.docker();
        String mount = mount();
        String[] df = docker.execRoot(node, "df -B1 --output=size,used,avail " + mount + " | tail -1").trim().split("\\s+");
        long total = Long.parseLong(df[0]);
        long used = Long.parseLong(df[1]);
        long ballast = ballastBytes(total, used, fillPercent);
        note("volume", volume.name().toLowerCase(Locale.ROOT));
        note("mount", mount);
        note("fill_percent", fillPercent);
        note("volume_bytes", total);
        note("used_before_bytes", used);
        StringBuilder script = new StringBuilder();
        if (ballast > 0) {
            script.append("fallocate -l ").append(ballast).append(' ').append(ballastFile()).append("; ");
        }
        if (fillPercent >= 100) {
            // The tail fallocate could not take; dd's "No space left on device" is the expected end.
            script.append("dd if=/dev/zero of=").append(ballastFile()).append(".tail bs=4096 2>/dev/null; ");
        }
        script.append("sync; df -B1 --output=avail ").append(mount).append(" | tail -1");
        String avail = docker.execRoot(node, script.toString()).trim();
        note("available_after_bytes", Long.parseLong(avail));
    }

    /** Bytes of ballast that bring a volume of {@code total} bytes with {@code used} in use to the level. */
    static long ballastBytes(long total, long used, double fillPercent) {
        long wanted = (long) Math.ceil(total * fillPercent / 100.0);
        return Math.max(0, Math.min(wanted, total) - used);
    }

    private String mount() {
        return volume == Volume.DATA ? PatroniNodeContainer.dataMount() : PatroniNodeContainer.walMount();
    }

    private String ballastFile() {
        return mount() + "/.pgcert-ballast-" + id().replaceAll("[^A-Za-z0-9_-]", "_");
    }

    @Override
    protected void repair(FaultContext context) {
        if (node == null) {
            return;
        }
        DockerOps docker = context.docker();
        // A stopped node's tmpfs volume is gone, and the ballast with it.
        if (docker.state(node) == DockerOps.State.STOPPED) {
            return;
        }
        docker.execRoot(node, "rm -f " + ballastFile() + " " + ballastFile() + ".tail");
    }

    @Override
    protected Aim aim() {
        return Aim.NODE;
    }
}
