package dev.pgcert.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgcert.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** router.template: a missing file, an unknown placeholder (at its line and column in the template), a missing port. */
class RouterTemplateTest {

    @Test
    void templateProblemsPointIntoTheTemplate(@TempDir Path dir) throws IOException {
        Path template = dir.resolve("bad.tmpl");
        Files.writeString(template, "listen rw\n    bind *:{{read_write_port}}\n    bind *:{{rw_prot}}\n{{read_only_check}}\n");
        Path topology = dir.resolve("t.yaml");
        Files.writeString(topology, "name: t\nnodes: [{name: node1}]\nrouter:\n  template: bad.tmpl\n");

        ValidationException e = catchThrowableOfType(ValidationException.class, () -> TopologyLoader.load(topology));

        assertThat(e.getMessage().lines().toList()).containsExactly(
                template + ":3:12: router.template: unknown placeholder {{rw_prot}} (known: cluster, read_write_port, "
                        + "read_only_port, stats_port, pg_port, rest_port, resolvers, servers, read_write_check, "
                        + "read_only_check, timeout_connect, timeout_client, timeout_server, timeout_check)",
                topology + ":4:13: router.template: the template must bind {{read_only_port}}: the harness's clients, "
                        + "PgBouncer and observers connect to it",
                topology + ":4:13: router.template: the template must bind {{stats_port}}: the harness's clients, "
                        + "PgBouncer and observers connect to it",
                topology + ":4:13: router.template: a template that uses {{read_write_check}} or {{read_only_check}} "
                        + "must also hold {{resolvers}}: their default-server lines name Docker's resolver, so a "
                        + "restarted node is found at its new address");
    }

    @Test
    void aMissingTemplateIsRefusedAtItsKey(@TempDir Path dir) throws IOException {
        Path topology = dir.resolve("t.yaml");
        Files.writeString(topology, "name: t\nnodes: [{name: node1}]\nrouter: {template: nowhere.tmpl}\n");

        ValidationException e = catchThrowableOfType(ValidationException.class, () -> TopologyLoader.load(topology));

        assertThat(e.getMessage()).startsWith(topology + ":3:20: router.template: cannot read the template "
                + dir.resolve("nowhere.tmpl") + " (a path relative to the topology file): NoSuchFileException");
    }
}
