package dev.pgcert.imports;

import static dev.pgcert.imports.Importer.copy;
import static dev.pgcert.imports.Importer.origin;
import static dev.pgcert.imports.Importer.patroniScalar;

import dev.pgcert.imports.Draft.ListNode;
import dev.pgcert.imports.Draft.MapNode;
import dev.pgcert.imports.Importer.Dropped;
import dev.pgcert.imports.Importer.Inputs;
import dev.pgcert.imports.Importer.Kept;
import dev.pgcert.topology.Stack;
import dev.pgcert.yaml.Location;
import dev.pgcert.yaml.YamlList;
import dev.pgcert.yaml.YamlMap;
import dev.pgcert.yaml.YamlNode;
import dev.pgcert.yaml.YamlScalar;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each input setting goes in the topology, and the importer's own reasons for the ones it never
 * copies (host-specific, credentials, harness-owned). Whether the topology format takes a setting on the
 * chosen stack is the validator's call ({@link Importer}).
 */
final class Mapping {

    static final String HOSTS = "names hosts or addresses of your machines (the harness's containers have their own)";
    static final String CREDENTIALS = "holds user names or credentials (the harness creates its own users and never copies passwords)";
    static final String DCS_HOSTS = "the DCS is the harness's own etcd (dcs.members)";

    /** The DCS sections Patroni knows; each maps to the harness's etcd. */
    static final List<String> DCS_SECTIONS = List.of("etcd3", "etcd", "consul", "zookeeper", "exhibitor", "kubernetes", "raft");

    /** Local patroni.yml postgresql: keys the harness owns, with why. */
    private static final Map<String, String> LOCAL_POSTGRESQL_OWNED = Map.ofEntries(
            Map.entry("listen", HOSTS), Map.entry("connect_address", HOSTS), Map.entry("proxy_address", HOSTS),
            Map.entry("data_dir", "the data directory is the harness's volume (nodes[].data_volume sizes it)"),
            Map.entry("bin_dir", "the stack's PostgreSQL binaries"), Map.entry("bin_name", "the stack's PostgreSQL binaries"),
            Map.entry("config_dir", "the configuration lives in the data directory"),
            Map.entry("pgpass", "a file inside the container"),
            Map.entry("authentication", CREDENTIALS), Map.entry("replication", CREDENTIALS),
            Map.entry("superuser", CREDENTIALS), Map.entry("krbsrvname", CREDENTIALS),
            Map.entry("callbacks", "scripts of your machines do not exist in the harness's containers"),
            Map.entry("pre_promote", "scripts of your machines do not exist in the harness's containers"),
            Map.entry("before_stop", "scripts of your machines do not exist in the harness's containers"),
            Map.entry("create_replica_methods", "the harness clones replicas with pg_basebackup"),
            Map.entry("basebackup", "the harness clones replicas with its own pg_basebackup options"),
            Map.entry("custom_conf", "a file of your machines"),
            Map.entry("recovery_conf", "restore commands name your archive (hosts, paths, credentials)"),
            Map.entry("use_unix_socket", "the harness's clients connect over TCP"),
            Map.entry("use_unix_socket_repl", "the harness's clients connect over TCP"));

    /** PostgreSQL parameters whose value is never copied: they name hosts, files, commands or credentials. */
    private static final Map<String, String> PARAMETERS_NEVER_COPIED = Map.ofEntries(
            Map.entry("archive_command", "a command of your machines (archive hosts, paths)"),
            Map.entry("archive_library", "an archive module of your machines"),
            Map.entry("restore_command", "a command of your machines (archive hosts, paths)"),
            Map.entry("archive_cleanup_command", "a command of your machines"),
            Map.entry("recovery_end_command", "a command of your machines"),
            Map.entry("primary_conninfo", HOSTS + " and credentials"),
            Map.entry("ssl", "it needs certificate files of your machines; the harness's containers carry none "
                    + "(PostgreSQL would not start)"),
            Map.entry("ssl_cert_file", "a file of your machines"), Map.entry("ssl_key_file", "a file of your machines"),
            Map.entry("ssl_ca_file", "a file of your machines"), Map.entry("ssl_crl_file", "a file of your machines"),
            Map.entry("ssl_crl_dir", "a file of your machines"),
            Map.entry("ssl_passphrase_command", CREDENTIALS), Map.entry("krb_server_keyfile", CREDENTIALS),
            Map.entry("external_pid_file", "a file of your machines"),
            Map.entry("listen_addresses", HOSTS), Map.entry("port", "the harness's nodes listen on 5432"),
            Map.entry("data_directory", "the harness's volume"), Map.entry("config_file", "Patroni writes it"),
            Map.entry("hba_file", "Patroni writes it"), Map.entry("ident_file", "Patroni writes it"),
            Map.entry("unix_socket_directories", "the harness's tools use /tmp in the container"),
            Map.entry("log_directory", "a directory of your machines"));

    /** Libraries of PostgreSQL's contrib, which the stacks' postgresql-N packages install. */
    private static final Set<String> CONTRIB_LIBRARIES = Set.of("pg_stat_statements", "auto_explain", "pg_prewarm",
            "auth_delay", "passwordcheck", "basic_archive", "pg_walinspect", "sepgsql");

    /** [pgbouncer] keys whose value is never copied, and why. */
    private static final Map<String, String> PGBOUNCER_NEVER_COPIED = Map.ofEntries(
            Map.entry("listen_addr", HOSTS), Map.entry("listen_port", "clients reach PgBouncer on the harness's port"),
            Map.entry("unix_socket_dir", "a directory of your machines"), Map.entry("unix_socket_mode", "no Unix socket in the container"),
            Map.entry("unix_socket_group", "no Unix socket in the container"),
            Map.entry("auth_file", CREDENTIALS), Map.entry("auth_hba_file", CREDENTIALS), Map.entry("auth_ident_file", CREDENTIALS),
            Map.entry("auth_query", CREDENTIALS), Map.entry("auth_user", CREDENTIALS), Map.entry("auth_dbname", CREDENTIALS),
            Map.entry("auth_type", "the harness authenticates with its own users (scram-sha-256)"),
            Map.entry("auth_ldap_options", HOSTS + " and credentials"),
            Map.entry("admin_users", CREDENTIALS), Map.entry("stats_users", CREDENTIALS), Map.entry("user", CREDENTIALS),
            Map.entry("logfile", "a file of your machines"), Map.entry("pidfile", "a file of your machines"),
            Map.entry("resolv_conf", "a file of your machines"),
            Map.entry("client_tls_key_file", "a file of your machines"), Map.entry("client_tls_cert_file", "a file of your machines"),
            Map.entry("client_tls_ca_file", "a file of your machines"), Map.entry("server_tls_key_file", "a file of your machines"),
            Map.entry("server_tls_cert_file", "a file of your machines"), Map.entry("server_tls_ca_file", "a file of your machines"),
            Map.entry("peer_id", "peering needs your other PgBouncers"));

    private static final Pattern SECONDS = Pattern.compile("(\\d+)(\\.\\d+)?");

    final List<Dropped> dropped = new ArrayList<>();
    final List<Kept> kept = new ArrayList<>();
    private final Map<Object, String> inputFields = new IdentityHashMap<>();
    private final Inputs inputs;
    private final int nodeCount;
    private final Stack stack;
    private final Draft draft = new Draft();
    private final MapNode postgresql = new MapNode();
    private final MapNode patroni = new MapNode();
    private MapNode lastNodeTags;

    Mapping(Inputs inputs, int nodeCount, Stack stack) {
        this.inputs = inputs;
        this.nodeCount = nodeCount;
        this.stack = stack;
    }

    /** The input field a draft setting came from (for comments and the report). */
    String inputField(Draft.Held held) {
        return inputFields.getOrDefault(held.element(), held.path());
    }

    Draft build() {
        YamlMap p = inputs.patroni().root() instanceof YamlMap m ? m : null;
        MapNode root = draft.root;
        String name = p == null ? "imported" : p.get("scope").filter(s -> s instanceof YamlScalar).map(s -> clusterName(((YamlScalar) s).text()))
                        .orElse("imported");
        root.put("name", name, p != null && p.has("scope") ? origin(p.get("scope").get()) : null);
        root.put("stack", stack.name(), null);
        root.entries.put("postgresql", new Draft.Entry("postgresql", postgresql, null));
        root.entries.put("patroni", new Draft.Entry("patroni", patroni, null));
        MapNode dcs = root.map("dcs");
        ListNode nodes = new ListNode();
        root.put("nodes", nodes, null);
        for (int i = 1; i <= nodeCount; i++) {
            MapNode node = new MapNode();
            node.put("name", "node" + i, null);
            nodes.add(node, null);
            if (i == nodeCount) {
                lastNodeTags = node.map("tags");
            }
        }
        if (p != null) {
            patroniFile(p, dcs);
        }
        if (!dcs.entries.containsKey("members")) {
            dcs.put("members", "1", null);
            dcs.notes.add("patroni.yml has no DCS section: the harness's etcd, one member");
        }
        inputs.pgbouncer().ifPresentOrElse(this::pgbouncer,
                () -> root.notes.add("no pgbouncer.ini given: no PgBouncer (clients go through HAProxy)"));
        inputs.haproxy().ifPresentOrElse(this::haproxy,
                () -> root.notes.add("no haproxy.cfg given: the router is Patroni's HAProxy template (/primary, /replica, inter 3s fall 3 rise 2)"));
        return draft;
    }

    // ---------------------------------------------------------------- patroni.yml

    private void patroniFile(YamlMap p, MapNode dcs) {
        for (YamlMap.Entry e : p.entries()) {
            String key = e.key();
            YamlNode v = e.value();
            switch (key) {
                case "scope" -> { }
                case "name" -> drop(v, key, "the member's name is host-specific; the nodes here are node1..node" + nodeCount);
                case "namespace" -> drop(v, key, "the harness's etcd keys live under Patroni's default /service");
                case "restapi", "ctl" -> drop(v, key, HOSTS + "; " + CREDENTIALS);
                case "bootstrap" -> mapOf(v).ifPresent(this::bootstrap);
                case "postgresql" -> mapOf(v).ifPresent(this::localPostgresql);
                case "tags" -> mapOf(v).ifPresent(this::tags);
                case "watchdog" -> drop(v, key, "containers have no /dev/watchdog; the harness runs without it");
                case "log" -> mapOf(v).ifPresent(this::log);
                case "citus" -> drop(v, key, "Citus clusters are not supported by the harness");
                default -> {
                    if (DCS_SECTIONS.contains(key)) {
                        dcsSection(key, v, dcs);
                    } else if (v instanceof YamlScalar) {
                        put(patroni, key, patroniScalar(((YamlScalar) v).text()), v, key, "patroni." + key);
                    } else {
                        drop(v, key, "unknown to the importer");
                    }
                }
            }
        }
    }

    private void dcsSection(String key, YamlNode v, MapNode dcs) {
        if (dcs.entries.containsKey("members")) {
            drop(v, key, "a second DCS section; the first one was mapped");
            return;
        }
        int endpoints = 1;
        if (v instanceof YamlMap m && List.of("etcd3", "etcd", "zookeeper", "exhibitor").contains(key)) {
            Optional<YamlNode> hosts = m.get("hosts");
            if (hosts.isPresent() && hosts.get() instanceof YamlList l) {
                endpoints = l.size();
            } else if (hosts.isPresent() && hosts.get() instanceof YamlScalar s) {
                endpoints = s.text().split(",").length;
            }
        }
        int members = endpoints >= 3 ? 3 : 1;
        String what = switch (key) {
            case "etcd3" -> "etcd (v3 API)";
            case "etcd" -> "etcd (v2 API)";
            case "consul" -> "Consul";
            case "zookeeper" -> "ZooKeeper";
            case "exhibitor" -> "ZooKeeper (Exhibitor)";
            case "kubernetes" -> "Kubernetes";
            default -> "Patroni's Raft";
        };
        dcs.put("members", Integer.toString(members), origin(v));
        dcs.notes.add("your DCS is " + what + " (patroni.yml section " + key + "): the harness always runs its own etcd (v3 API)"
                + (endpoints > 1 ? "; " + endpoints + " endpoints listed, so " + members + " members" : ", one member")
                + ". Its hosts, ports, tokens and credentials are not copied");
        dropped.add(new Dropped(origin(v), key, "mapped to the harness's etcd (dcs.members: " + members + "); "
                + "hosts, ports, tokens and credentials are not copied"));
    }

    private void bootstrap(YamlMap b) {
        for (YamlMap.Entry e : b.entries()) {
            String field = "bootstrap." + e.key();
            if (e.key().equals("dcs")) {
                e.value().asMap().ifPresent(this::dynamic);
            } else {
                drop(e.value(), field, switch (e.key()) {
                    case "initdb" -> "the harness runs initdb itself (UTF8, data checksums for pg_rewind)";
                    case "users" -> CREDENTIALS;
                    case "post_init", "post_bootstrap", "method" -> "scripts and methods of your machines";
                    case "pg_hba" -> "bootstrap.pg_hba is only used by old Patroni versions; the DCS's pg_hba is imported";
                    default -> "unknown to the importer";
                });
            }
        }
    }

    /** bootstrap.dcs: Patroni's dynamic configuration. */
    private void dynamic(YamlMap d) {
        for (YamlMap.Entry e : d.entries()) {
            String key = e.key();
            String field = "bootstrap.dcs." + key;
            YamlNode v = e.value();
            switch (key) {
                case "postgresql" -> mapOf(v).ifPresent(pg -> dynamicPostgresql(pg, field));
                case "standby_cluster" -> drop(v, field, "it follows another cluster by host and port (host-specific)"
                        + "; describe a standby cluster with the topology's standby_cluster: section");
                case "slots", "ignore_slots" -> put(patroni, key, copy(v, false), v, field, "patroni." + key);
                case "member_slots_ttl" -> put(patroni, key, seconds(v), v, field, "patroni." + key);
                default -> put(patroni, key, copy(v, true), v, field, "patroni." + key);
            }
        }
    }

    private void dynamicPostgresql(YamlMap pg, String base) {
        for (YamlMap.Entry e : pg.entries()) {
            String field = base + "." + e.key();
            YamlNode v = e.value();
            switch (e.key()) {
                case "parameters" -> mapOf(v).ifPresent(m -> parameters(m, field));
                case "pg_hba" -> pgHba(v, field);
                case "recovery_conf" -> drop(v, field, LOCAL_POSTGRESQL_OWNED.get("recovery_conf"));
                default -> put(patroni, e.key(), copy(v, true), v, field, "patroni." + e.key());
            }
        }
    }

    private void localPostgresql(YamlMap pg) {
        for (YamlMap.Entry e : pg.entries()) {
            String field = "postgresql." + e.key();
            YamlNode v = e.value();
            if (LOCAL_POSTGRESQL_OWNED.containsKey(e.key())) {
                drop(v, field, LOCAL_POSTGRESQL_OWNED.get(e.key()));
                continue;
            }
            switch (e.key()) {
                case "parameters" -> mapOf(v).ifPresent(m -> parameters(m, field));
                case "pg_hba" -> pgHba(v, field);
                case "name" -> drop(v, field, "the member's name is host-specific");
                default -> put(patroni, e.key(), copy(v, true), v, field, "patroni." + e.key());
            }
        }
    }

    private void parameters(YamlMap m, String base) {
        boolean archiveCommandDropped = m.has("archive_command") || m.has("archive_library");
        for (YamlMap.Entry e : m.entries()) {
            String key = e.key();
            String field = base + "." + key;
            YamlNode v = e.value();
            if (PARAMETERS_NEVER_COPIED.containsKey(key)) {
                drop(v, field, PARAMETERS_NEVER_COPIED.get(key));
                continue;
            }
            if (key.equals("archive_mode") && archiveCommandDropped && v instanceof YamlScalar s
                    && !patroniScalar(s.text()).equals("false")) {
                drop(v, field, "its archive_command is not copied, and archive_mode on without one keeps every WAL segment");
                continue;
            }
            if (!(v instanceof YamlScalar s)) {
                drop(v, field, "a PostgreSQL parameter is a single value");
                continue;
            }
            String text = s.text();
            if (key.equals("shared_preload_libraries")) {
                text = libraries(v, field, text);
                if (text.isEmpty()) {
                    continue;
                }
            }
            Draft.Entry earlier = postgresql.entries.get(key);
            if (earlier != null) {
                earlier.comments.clear();
            }
            Draft.Entry entry = put(postgresql, key, text, v, field, "postgresql." + key);
            if (earlier != null) {
                entry.comments.add("the local " + field + " (" + origin(v) + ") overrides bootstrap.dcs's value ("
                        + earlier.origin + "), as in Patroni; here it applies to every node");
            }
        }
    }

    private String libraries(YamlNode v, String field, String text) {
        List<String> keptLibraries = new ArrayList<>();
        for (String lib : text.split(",")) {
            String name = lib.strip().replace("'", "").replace("\"", "");
            if (name.isEmpty()) {
                continue;
            }
            if (CONTRIB_LIBRARIES.contains(name)) {
                keptLibraries.add(name);
            } else {
                dropped.add(new Dropped(origin(v), field + "[" + name + "]", "not installed in the harness's images "
                        + "(only PostgreSQL's contrib is)"));
                postgresql.notes.add(field + " library " + name + " (" + origin(v) + ") not reproduced: not installed in "
                        + "the harness's images (only PostgreSQL's contrib is)");
            }
        }
        return String.join(",", keptLibraries);
    }

    /**
     * pg_hba lines go to patroni.pg_hba, after the harness's own. A line that names a specific address of
     * your network, or carries options (LDAP or RADIUS servers, files), is not copied.
     */
    private void pgHba(YamlNode v, String field) {
        Optional<YamlList> list = v.asList();
        if (list.isEmpty()) {
            return;
        }
        ListNode out = patroni.entries.get("pg_hba") != null && patroni.entries.get("pg_hba").value instanceof ListNode l
                ? l : null;
        if (out != null && field.startsWith("postgresql.")) {
            out.items.clear();
            out.notes.add("bootstrap.dcs's pg_hba is replaced by the local postgresql.pg_hba (" + origin(v) + "), as in Patroni");
        }
        if (out == null) {
            out = new ListNode();
            // The list itself is not a setting: each line is kept or dropped on its own.
            inputFields.put(patroni.put("pg_hba", out, origin(v)), field);
        }
        List<YamlNode> items = list.get().items();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            if (!(item instanceof YamlScalar s)) {
                item.error("expected a pg_hba line");
                continue;
            }
            String[] words = s.text().strip().split("\\s+");
            String itemField = field + "[" + i + "]";
            boolean local = words.length > 0 && words[0].equals("local");
            String address = !local && words.length > 3 ? words[3] : "all";
            boolean anyAddress = List.of("all", "samehost", "samenet", "0.0.0.0/0", "::/0", "::0/0").contains(address);
            boolean options = s.text().contains("=");
            if (!anyAddress || options) {
                dropped.add(new Dropped(origin(item), itemField, options ? "its options name servers or files of your machines" : HOSTS));
                out.notes.add(itemField + " (" + origin(item) + ") not reproduced: "
                        + (options ? "its options name servers or files of your machines" : "it " + HOSTS));
                continue;
            }
            out.add(s.text().strip(), origin(item));
            inputFields.put(out.items.get(out.items.size() - 1), itemField);
            kept.add(new Kept(origin(item), itemField, "patroni.pg_hba[" + (out.items.size() - 1) + "]"));
        }
    }

    private void tags(YamlMap t) {
        if (!t.entries().isEmpty()) {
            lastNodeTags.notes.add("the tags of the member patroni.yml describes; the other nodes have Patroni's defaults");
        }
        for (YamlMap.Entry e : t.entries()) {
            String field = "tags." + e.key();
            YamlNode v = e.value();
            if (e.key().equals("replicatefrom")) {
                drop(v, field, "it names a member of your cluster (host-specific); set nodes[].tags.replicatefrom to a node here by hand");
                continue;
            }
            put(lastNodeTags, e.key(), copy(v, true), v, field, "nodes[" + (nodeCount - 1) + "].tags." + e.key());
        }
    }

    private void log(YamlMap log) {
        for (YamlMap.Entry e : log.entries()) {
            String field = "log." + e.key();
            if (e.key().equals("level")) {
                put(patroni, "log_level", copy(e.value(), false), e.value(), field, "patroni.log_level");
            } else {
                drop(e.value(), field, "Patroni logs to the container's output, which the harness collects");
            }
        }
    }

    /** A mapping; an empty value ({@code parameters:} with everything commented out) is no settings, as in Patroni. */
    private static Optional<YamlMap> mapOf(YamlNode v) {
        if (v instanceof YamlScalar s && s.isNull()) {
            return Optional.empty();
        }
        return v.asMap();
    }

    private String seconds(YamlNode v) {
        String text = v instanceof YamlScalar s ? s.text().strip() : "";
        return text.matches("\\d+") ? text + "s" : text;
    }

    // ---------------------------------------------------------------- pgbouncer.ini

    private void pgbouncer(IniFile ini) {
        MapNode out = draft.root.map("pgbouncer");
        for (IniFile.Section section : ini.sections()) {
            if (!section.name().equals("pgbouncer")) {
                String why = switch (section.name()) {
                    case "databases" -> "each database entry " + HOSTS + "; the harness points PgBouncer at its own router or nodes";
                    case "users" -> "per-user pool settings name your users";
                    case "peers" -> "peering needs your other PgBouncers";
                    default -> "not a section PgBouncer reads";
                };
                dropped.add(new Dropped(origin(section.location()), "[" + section.name() + "]", why
                        + " (" + section.entries().size() + " entries)"));
                out.notes.add("[" + section.name() + "] (" + origin(section.location()) + ", " + section.entries().size()
                        + " entries) not reproduced: " + why);
                continue;
            }
            for (IniFile.Entry e : section.entries().values()) {
                String field = e.path();
                if (PGBOUNCER_NEVER_COPIED.containsKey(e.key())) {
                    dropped.add(new Dropped(origin(e.location()), field, PGBOUNCER_NEVER_COPIED.get(e.key())));
                    out.notes.add(field + " (" + origin(e.location()) + ") not reproduced: " + PGBOUNCER_NEVER_COPIED.get(e.key()));
                    continue;
                }
                String value = e.value();
                if (dev.pgcert.topology.Topology.PgBouncer.isTime(e.key())) {
                    Optional<String> d = pgbouncerTime(value);
                    if (d.isEmpty()) {
                        dropped.add(new Dropped(origin(e.valueLocation()), field, "not a number of seconds"));
                        out.notes.add(field + " (" + origin(e.location()) + ") not reproduced: PgBouncer reads it in seconds, "
                                + "and the value is not a number");
                        continue;
                    }
                    value = d.get();
                }
                Draft.Entry entry = out.put(e.key(), value, origin(e.location()));
                inputFields.put(entry, field);
                kept.add(new Kept(origin(e.location()), field, "pgbouncer." + e.key()));
            }
        }
    }

    /** PgBouncer's seconds (fractions allowed) as a duration: 15 -> 15s, 0.5 -> 500ms. */
    static Optional<String> pgbouncerTime(String value) {
        Matcher m = SECONDS.matcher(value.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        if (m.group(2) == null) {
            return Optional.of(m.group(1) + "s");
        }
        double seconds = Double.parseDouble(value.strip());
        return Optional.of(Math.round(seconds * 1000) + "ms");
    }

    // ---------------------------------------------------------------- haproxy.cfg

    private void haproxy(HaproxyFile cfg) {
        new RouterMapping(cfg, draft.root.map("router"), dropped, kept, inputFields).map();
    }

    // ---------------------------------------------------------------- helpers

    private Draft.Entry put(MapNode into, String key, Object value, YamlNode from, String field, String topologyField) {
        Draft.Entry entry = into.put(key, value, origin(from));
        inputFields.put(entry, field);
        kept.add(new Kept(origin(from), field, topologyField));
        return entry;
    }

    private void drop(YamlNode v, String field, String why) {
        dropped.add(new Dropped(origin(v), field, why));
        MapNode where = field.startsWith("tags.") ? lastNodeTags
                : field.contains("parameters.") ? postgresql : patroni;
        where.notes.add(field + " (" + origin(v) + ") not reproduced: " + why);
    }

    /** Patroni's scope as a topology name (1-40 lower-case letters, digits, '-'). */
    static String clusterName(String scope) {
        String n = scope.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (n.isEmpty()) {
            return "imported";
        }
        return n.length() > 40 ? n.substring(0, 40).replaceAll("-+$", "") : n;
    }
}
