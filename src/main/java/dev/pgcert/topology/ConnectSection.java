package dev.pgcert.topology;

import dev.pgcert.topology.Connect.Path;
import dev.pgcert.yaml.Suggestions;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code connect:} key: how the application connects. Written as a path name
 * ({@code connect: haproxy}) or a mapping ({@code connect: {path: jdbc-multihost, host_recheck: 2s}}).
 * Checked against the rest of the topology: a path that needs PgBouncer needs a {@code pgbouncer:}
 * section; a standby cluster follows the primary through HAProxy, so it needs a path with HAProxy; a client
 * link through Toxiproxy needs one way in.
 */
final class ConnectSection {

    private ConnectSection() {}

    static Connect read(YamlMap root) {
        boolean hasPgBouncer = root.has("pgbouncer");
        Optional<YamlNode> yaml = root.get("connect");
        if (yaml.isEmpty()) {
            return Connect.defaultFor(hasPgBouncer);
        }
        YamlNode at = yaml.get();
        Optional<YamlMap> map = at instanceof YamlMap m ? Optional.of(m) : Optional.empty();
        YamlNode pathAt = at;
        Duration leaderCheck = Connect.DEFAULT_LEADER_CHECK;
        Duration hostRecheck = Connect.PGJDBC_HOST_RECHECK;
        if (map.isPresent()) {
            YamlMap m = map.get();
            m.allowOnly("path", "leader_check_interval", "host_recheck");
            Optional<YamlNode> p = m.required("path");
            if (p.isEmpty()) {
                return Connect.defaultFor(hasPgBouncer);
            }
            pathAt = p.get();
            leaderCheck = m.duration("leader_check_interval", Duration.ofMillis(100)).orElse(leaderCheck);
            // PgJDBC takes whole seconds.
            hostRecheck = m.duration("host_recheck", Duration.ofSeconds(1)).orElse(hostRecheck);
        }
        YamlNode finalPathAt = pathAt;
        Optional<Path> path = pathAt.asString().flatMap(key -> {
            Optional<Path> known = Path.byKey(key);
            if (known.isEmpty()) {
                finalPathAt.error("unknown connection path '" + key + "'" + Suggestions.didYouMean(key, Path.keys())
                        + " (known: " + String.join(", ", Path.keys()) + ")");
            }
            return known;
        });
        if (path.isEmpty()) {
            return Connect.defaultFor(hasPgBouncer);
        }
        Connect connect = new Connect(path.get(), leaderCheck, hostRecheck);
        map.ifPresent(m -> checkOptionsFit(m, path.get()));
        checkComponents(root, pathAt, connect);
        return connect;
    }

    private static void checkOptionsFit(YamlMap m, Path path) {
        m.get("leader_check_interval").filter(x -> path != Path.PGBOUNCER).ifPresent(x -> x.error(
                "only for path pgbouncer (PgBouncer's leader follower); " + path.key() + " does not poll Patroni"));
        m.get("host_recheck").filter(x -> path != Path.JDBC_MULTIHOST).ifPresent(x -> x.error(
                "only for path jdbc-multihost (PgJDBC's hostRecheckSeconds)"));
    }

    private static void checkComponents(YamlMap root, YamlNode at, Connect connect) {
        Path path = connect.path();
        if (path.pooler() && !root.has("pgbouncer")) {
            at.error("path " + path.key() + " needs PgBouncer, and the topology has no pgbouncer: section "
                    + "(add pgbouncer: {} for PgBouncer's defaults)");
        }
        if (!path.pooler()) {
            root.get("pgbouncer").ifPresent(p -> p.warning("connect: " + path.key()
                    + " does not go through PgBouncer: it is not started"));
        }
        if (!path.router() && !root.has("standby_cluster")) {
            root.get("router").ifPresent(r -> r.warning("connect: " + path.key()
                    + " has no HAProxy: the router section is not used"));
        }
        if (!path.router()) {
            root.get("standby_cluster").ifPresent(s -> s.error("a standby cluster follows the primary cluster "
                    + "through HAProxy's read-write port, and connect: " + path.key() + " has no HAProxy "
                    + "(use haproxy or pgbouncer-haproxy)"));
        }
        if (path == Path.JDBC_MULTIHOST) {
            root.list("toxiproxy").ifPresent(list -> list.items().stream()
                    .filter(item -> item instanceof YamlMap).map(item -> (YamlMap) item)
                    .flatMap(m -> m.get("link").stream()).filter(l -> l.asString().filter("client"::equals).isPresent())
                    .forEach(l -> l.error("connect: jdbc-multihost goes to every node directly: there is no single "
                            + "way in for a client link to proxy")));
        }
    }
}
