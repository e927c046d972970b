package dev.pgcert.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcert.topology.Stacks;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentVersionsTest {

    @Test
    void theVersionIsTakenOutOfEachProgramsBanner() {
        assertThat(ComponentVersions.version("HAProxy version 3.0.11-1+deb13u4 2026/10/15 - https://haproxy.org/"))
                .isEqualTo("3.0.11-1+deb13u4");
        assertThat(ComponentVersions.version("etcd Version: 3.5.16")).isEqualTo("3.5.16");
        assertThat(ComponentVersions.version("PgBouncer 1.18.0")).isEqualTo("1.18.0");
        assertThat(ComponentVersions.version("unknown")).isEqualTo("unknown");
    }

    @Test
    void aScenarioNamesItsStackAndEveryComponentsVersion() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("PostgreSQL", "17.12 (Debian 17.12-0+deb13u1)");
        versions.put("Patroni", "4.0.7");
        versions.put("PgBouncer", "1.24.1");
        versions.put("HAProxy", "3.0.11-1+deb13u4");
        versions.put("etcd", "3.5.16");

        assertThat(ComponentVersions.describe(Stacks.byName("trixie").orElseThrow(), versions))
                .isEqualTo("stack trixie (Debian 13): PostgreSQL 17.12 (Debian 17.12-0+deb13u1), Patroni 4.0.7, "
                        + "PgBouncer 1.24.1, HAProxy 3.0.11-1+deb13u4, etcd 3.5.16");
    }
}
