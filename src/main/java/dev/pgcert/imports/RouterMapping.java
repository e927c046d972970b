package dev.pgcert.imports;

import dev.pgcert.imports.Draft.MapNode;
import dev.pgcert.imports.HaproxyFile.Line;
import dev.pgcert.imports.HaproxyFile.Section;
import dev.pgcert.imports.Importer.Dropped;
import dev.pgcert.imports.Importer.Kept;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * haproxy.cfg (the shape of Patroni's template) to the topology's {@code router:}: the port whose check
 * asks Patroni for the primary becomes {@code read_write}, the one asking for a replica {@code read_only};
 * {@code default-server inter/fall/rise/on-marked-down} become the check settings, {@code timeout ...} the
 * timeouts. Binds, server lines (hosts) and the global section are the harness's own.
 */
final class RouterMapping {

    /** Patroni REST paths that answer 200 on the primary only (GET / is /primary in Patroni's API). */
    private static final List<String> PRIMARY_CHECKS = List.of("/primary", "/master", "/leader", "/read-write", "/");
    private static final List<String> TIMEOUTS = List.of("connect", "client", "server", "check");

    private final HaproxyFile cfg;
    private final MapNode router;
    private final List<Dropped> dropped;
    private final List<Kept> kept;
    private final Map<Object, String> inputFields;

    RouterMapping(HaproxyFile cfg, MapNode router, List<Dropped> dropped, List<Kept> kept, Map<Object, String> inputFields) {
        this.cfg = cfg;
        this.router = router;
        this.dropped = dropped;
        this.kept = kept;
        this.inputFields = inputFields;
    }

    void map() {
        Map<String, Section> backends = new LinkedHashMap<>();
        cfg.sections().stream().filter(s -> s.kind().equals("backend")).forEach(s -> backends.put(s.name(), s));
        Map<String, Section> roles = new LinkedHashMap<>();
        Map<String, String> checks = new LinkedHashMap<>();
        for (Section s : cfg.sections()) {
            switch (s.kind()) {
                case "global" -> note(s.location(), "global", "the harness's HAProxy has its own global section ("
                        + s.lines().size() + " directive(s))");
                case "defaults" -> defaults(s);
                case "listen", "backend" -> {
                    Optional<String> check = check(s);
                    if (s.find("stats", "enable").size() > 0 || s.find("stats", "uri").size() > 0) {
                        note(s.location(), s.label(), "the harness's HAProxy has its own stats page (its observers read it)");
                        continue;
                    }
                    if (check.isEmpty()) {
                        if (s.kind().equals("listen") || referenced(s)) {
                            note(s.location(), s.label(), "no Patroni REST check (option httpchk): the harness routes by one");
                        }
                        continue;
                    }
                    String path = check.get().replaceAll("\\?.*", "");
                    String role = PRIMARY_CHECKS.contains(path) ? "read_write" : "read_only";
                    if (roles.containsKey(role)) {
                        note(s.location(), s.label(), "a second " + role + " port; the harness's router has one "
                                + "read-write and one read-only port (" + roles.get(role).label() + " was mapped)");
                        continue;
                    }
                    roles.put(role, s);
                    checks.put(role, check.get());
                }
                case "frontend" -> note(s.location(), s.label(), "its bind " + Mapping.HOSTS
                        + "; the backend it uses is mapped by its check");
                default -> note(s.location(), s.label(), "not used by the harness's HAProxy");
            }
        }
        Section rw = roles.get("read_write");
        Section ro = roles.get("read_only");
        if (rw != null) {
            serverOptions(rw, router, "");
        } else if (ro != null) {
            serverOptions(ro, router, "");
        }
        for (String role : List.of("read_write", "read_only")) {
            Section s = roles.get(role);
            if (s == null) {
                router.notes.add("haproxy.cfg has no " + role + " port with a Patroni check: the harness's default ("
                        + (role.equals("read_write") ? "/primary" : "/replica") + ")");
                continue;
            }
            route(role, s, checks.get(role), s == (rw != null ? rw : ro));
        }
    }

    private boolean referenced(Section backend) {
        return cfg.sections().stream().anyMatch(f -> f.lines().stream().anyMatch(l -> l.words().size() > 1
                && List.of("default_backend", "use_backend").contains(l.keyword()) && l.words().contains(backend.name())));
    }

    private void defaults(Section s) {
        for (Line l : s.lines()) {
            if (l.keyword().equals("timeout") && l.args().size() >= 1 && TIMEOUTS.contains(l.args().get(0))) {
                String kind = l.args().get(0);
                if (l.args().size() < 2) {
                    note(l.location(), s.label() + ".timeout " + kind, "no value");
                    continue;
                }
                Optional<String> d = HaproxyFile.duration(l.args().get(1));
                if (d.isEmpty()) {
                    note(l.location(), s.label() + ".timeout " + kind, "not an HAProxy time");
                    continue;
                }
                put(router, "timeout_" + kind, d.get(), l, s.label() + ".timeout " + kind);
            } else {
                note(l.location(), s.label() + "." + l.keyword(), "not a setting of the harness's router");
            }
        }
    }

    /** The Patroni path of {@code option httpchk [METHOD] URI} or {@code http-check send ... uri URI}. */
    private static Optional<String> check(Section s) {
        Optional<String> send = s.last("http-check", "send").flatMap(l -> {
            int i = l.words().indexOf("uri");
            return i > 0 && i + 1 < l.words().size() ? Optional.of(l.words().get(i + 1)) : Optional.empty();
        });
        Optional<Line> option = s.last("option", "httpchk");
        if (option.isEmpty()) {
            return Optional.empty();
        }
        if (send.isPresent()) {
            return send;
        }
        List<String> args = option.get().words().subList(2, option.get().words().size());
        if (args.isEmpty()) {
            return Optional.of("/");
        }
        return Optional.of(args.get(0).startsWith("/") ? args.get(0) : args.size() > 1 ? args.get(1) : "/");
    }

    private void route(String role, Section s, String check, boolean top) {
        MapNode route = router.map(role);
        String path = check.replaceAll("\\?.*", "");
        Line at = s.last("option", "httpchk").orElseThrow();
        String field = s.label() + ".option httpchk";
        if (path.equals("/master")) {
            route.notes.add("/master (" + Importer.origin(at.location()) + ") is the old name of /primary");
            path = "/primary";
        } else if (path.equals("/")) {
            route.notes.add("a check of / (" + Importer.origin(at.location()) + ") is Patroni's /primary");
            path = "/primary";
        }
        put(route, "check", path, at, field);
        if (check.contains("?")) {
            for (String param : check.substring(check.indexOf('?') + 1).split("&")) {
                if (param.startsWith("lag=")) {
                    put(route, "max_lag", param.substring(4), at, field + " ?lag");
                } else {
                    note(at.location(), field, "query parameter " + param.replaceAll("=.*", "") + " is not reproduced");
                }
            }
        }
        s.last("http-check", "expect").ifPresent(l -> {
            if (!l.args().equals(List.of("expect", "status", "200"))) {
                note(l.location(), s.label() + ".http-check expect", "the harness's router expects status 200, as Patroni's template");
            }
        });
        for (Line l : s.lines()) {
            switch (l.keyword()) {
                case "bind" -> note(l.location(), s.label() + ".bind", "the port is the harness's own");
                case "server" -> note(l.location(), s.label() + ".server",
                        Mapping.HOSTS + "; the harness adds one server line per node");
                case "option", "http-check", "default-server" -> { }
                case "timeout" -> note(l.location(), s.label() + ".timeout", "per-port timeouts are not reproduced; "
                        + "the defaults section's are");
                default -> note(l.location(), s.label() + "." + l.keyword(), "not a setting of the harness's router");
            }
            if (l.keyword().equals("option") && l.args().size() >= 1 && !l.args().get(0).equals("httpchk")) {
                note(l.location(), s.label() + ".option " + l.args().get(0), "not a setting of the harness's router");
            }
        }
        if (!top) {
            serverOptions(s, route, "");
        }
    }

    /** default-server inter/fall/rise/on-marked-down, written into {@code into} where they differ from what is there. */
    private void serverOptions(Section s, MapNode into, String unused) {
        Optional<Line> line = s.last("default-server");
        if (line.isEmpty()) {
            return;
        }
        List<String> args = line.get().args();
        String field = s.label() + ".default-server";
        List<String> known = List.of("inter", "fall", "rise", "on-marked-down");
        List<String> others = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (!known.contains(option)) {
                others.add(option);
                continue;
            }
            if (i + 1 >= args.size()) {
                continue;
            }
            String value = args.get(++i);
            switch (option) {
                case "inter" -> HaproxyFile.duration(value).ifPresent(d -> putIfDifferent(into, "check_interval", d, line.get(), field + " inter"));
                case "fall" -> putIfDifferent(into, "fall", value, line.get(), field + " fall");
                case "rise" -> putIfDifferent(into, "rise", value, line.get(), field + " rise");
                default -> putIfDifferent(into, "on_marked_down", value, line.get(), field + " on-marked-down");
            }
        }
        if (!others.isEmpty()) {
            note(line.get().location(), field, "options " + String.join(" ", others) + " are not reproduced");
        }
    }

    private void putIfDifferent(MapNode into, String key, String value, Line l, String field) {
        if (into != router) {
            Draft.Entry top = router.entries.get(key);
            if (top != null && value.equals(top.value)) {
                return;
            }
        }
        put(into, key, value, l, field);
    }

    private void put(MapNode into, String key, String value, Line l, String field) {
        Draft.Entry e = into.put(key, value, Importer.origin(l.location()));
        inputFields.put(e, field);
        String path = into == router ? "router." + key : "router." + routeOf(into) + "." + key;
        kept.add(new Kept(Importer.origin(l.location()), field, path));
    }

    private String routeOf(MapNode node) {
        return router.entries.values().stream().filter(e -> e.value == node).map(e -> e.key).findFirst().orElse("?");
    }

    private void note(dev.pgcert.yaml.Location at, String field, String why) {
        dropped.add(new Dropped(Importer.origin(at), field, why));
        router.notes.add(field + " (" + Importer.origin(at) + ") not reproduced: " + why);
    }
}
