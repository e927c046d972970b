package dev.pgcert.topology;

/**
 * A named, versioned set of cluster images built from one Debian release: the PostgreSQL + Patroni
 * node, etcd, PgBouncer and HAProxy (Toxiproxy is the harness's own and the same on every stack).
 * The versions are what the release ships; the rules that differ between Patroni versions
 * ({@link PatroniRules}) follow {@link #patroni()}. Known stacks: {@link Stacks}.
 *
 * @param name          the stack's name, the Debian codename ({@code bookworm}, {@code trixie})
 * @param debian        Debian release number
 * @param baseImage     the image every Dockerfile starts FROM (bin/setup-docker-host seeds it)
 * @param postgresMajor the PostgreSQL major version installed (package postgresql-N)
 * @param postgresql    PostgreSQL version the release ships
 * @param patroni       Patroni version the release ships
 * @param pgbouncer     PgBouncer version the release ships
 * @param haproxy       HAProxy version the release ships
 * @param etcd          etcd version the release ships
 */
public record Stack(String name, String debian, String baseImage, String postgresMajor, String postgresql,
                   String patroni, String pgbouncer, String haproxy, String etcd) {

    /** The stack's Patroni version as {@code major * 1000 + minor} (3.0.2 -> 3000, 4.0.7 -> 4000), for rules by version. */
    public int patroniMajorMinor() {
        String[] parts = patroni.split("\\.");
        return Integer.parseInt(parts[0]) * 1000 + (parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
    }

    /** Whether this stack's Patroni is at least {@code major.minor}. */
    public boolean patroniAtLeast(int major, int minor) {
        return patroniMajorMinor() >= major * 1000 + minor;
    }

    /** One line for reports: {@code trixie (Debian 13: PostgreSQL 17.12, Patroni 4.0.7, ...)}. */
    public String describe() {
        return name + " (Debian " + debian + ": PostgreSQL " + postgresql + ", Patroni " + patroni + ", PgBouncer "
                + pgbouncer + ", HAProxy " + haproxy + ", etcd " + etcd + ")";
    }
}
