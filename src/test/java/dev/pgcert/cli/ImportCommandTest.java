package dev.pgcert.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcert.topology.TopologyLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pgcert import} as a user sees it: exit status, the file written, standard output and error. */
class ImportCommandTest {

    private static final String SETS = "src/test/resources/import/";

    private record Outcome(int status, String out, String err) {}

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writesATopologyThatValidatesAndListsWhatItDidNotReproduce(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("orders.yaml");
        Outcome o = run("import", "--patroni", SETS + "consul/patroni.yml", "--pgbouncer", SETS + "consul/pgbouncer.ini",
                "--haproxy", SETS + "consul/haproxy.cfg", "--nodes", "4", "-o", output.toString());
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out()).startsWith(output + ": written (stack ").contains("it validates");
        assertThat(o.err()).contains("patroni.yml:65: postgresql.authentication: not reproduced: holds user names or credentials")
                .doesNotContain("Xx-super-secret").doesNotContain("2c5e9f3b");
        assertThat(TopologyLoader.load(output).nodes()).hasSize(4);
        assertThat(Files.readString(output)).contains("name: node4").contains("your DCS is Consul");
    }

    @Test
    void aMalformedInputWritesNothingAndExitsOne(@TempDir Path dir) {
        Path output = dir.resolve("x.yaml");
        Outcome o = run("import", "--patroni", SETS + "consul/patroni.yml", "--haproxy", SETS + "bad/haproxy.cfg",
                "-o", output.toString());
        assertThat(o.status()).isEqualTo(Main.INVALID);
        assertThat(o.err().lines().toList()).containsExactly(
                SETS + "bad/haproxy.cfg:5:5: defaults.timeout connect: not an HAProxy time: '4x' (a number, ms by default, or with us, ms, s, m, h, d)",
                SETS + "bad/haproxy.cfg:10:5: listen primary.default-server inter: not an HAProxy time: 'fall' (a number, ms by default, or with us, ms, s, m, h, d)");
        assertThat(output).doesNotExist();
    }

    @Test
    void usageErrorsExitTwo() {
        for (List<String> args : List.of(List.of("import", "-o", "x.yaml"), List.of("import", "--patroni", "p.yml"),
                List.of("import", "--patroni", "p.yml", "--nodes", "many", "-o", "x.yaml"),
                List.of("import", "--bogus", "1"), List.of("import", "--patroni"))) {
            Outcome o = run(args.toArray(String[]::new));
            assertThat(o.status()).as(args.toString()).isEqualTo(Main.USAGE);
            assertThat(o.err()).contains("usage: pgcert import");
        }
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Outcome o = run("import", "--patroni", "no/such/patroni.yml", "-o", dir.resolve("x.yaml").toString());
        assertThat(o.status()).isEqualTo(Main.INVALID);
        assertThat(o.err()).contains("no/such/patroni.yml: no such file");
    }
}
