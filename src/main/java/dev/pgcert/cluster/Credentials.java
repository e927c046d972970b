package dev.pgcert.cluster;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Passwords made fresh for each run. They go into the containers' config files only; toString
 * hides them so that no log line or report can carry one.
 */
public record Credentials(String superuser, String superuserPassword,
                          String replicationUser, String replicationPassword,
                          String appUser, String appPassword) {

    public static final String DATABASE = "pgcert";

    public static Credentials generate() {
        return new Credentials("postgres", randomSecret(), "replicator", randomSecret(), "pgcert_app", randomSecret());
    }

    private static String randomSecret() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "Credentials[superuser=" + superuser + ", replicationUser=" + replicationUser
                + ", appUser=" + appUser + ", passwords hidden]";
    }
}
