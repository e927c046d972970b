package dev.pgcert.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class AllureEnvironmentTest {

    @TempDir
    Path results;

    @Test
    void writesVersionsTopologyAndHost() throws Exception {
        AllureEnvironment.create().postgresql("15.14").patroni("3.0.2").pgbouncer("1.18.0").haproxy("2.6.12")
                .etcd("3.4.23").topology("3 nodes, async").host().writeTo(results);

        Properties p = load();
        assertThat(p.getProperty("PostgreSQL")).isEqualTo("15.14");
        assertThat(p.getProperty("Patroni")).isEqualTo("3.0.2");
        assertThat(p.getProperty("etcd")).isEqualTo("3.4.23");
        assertThat(p.getProperty("Host")).contains(Runtime.getRuntime().availableProcessors() + " cores").contains("Java 17");
    }

    @Test
    void aSecondScenarioAddsItsValuesWithoutOverwriting() throws Exception {
        AllureEnvironment.create().topology("3 nodes, async").patroni("3.0.2").writeTo(results);
        AllureEnvironment.create().topology("3 nodes, sync").patroni("3.0.2").writeTo(results);

        Properties p = load();
        assertThat(p.getProperty("Topology")).isEqualTo("3 nodes, async | 3 nodes, sync");
        assertThat(p.getProperty("Patroni")).isEqualTo("3.0.2");
    }

    @Test
    void aValueWithCommasWrittenByEveryScenarioIsListedOnce() throws Exception {
        // The host line ("name, Linux ..., 2 cores, 24 GiB RAM, Java 17") has commas; it used to come out twice.
        for (int scenario = 0; scenario < 3; scenario++) {
            AllureEnvironment.create().topology("3 nodes, async").host().writeTo(results);
        }

        Properties p = load();
        assertThat(p.getProperty("Host")).isEqualTo(AllureEnvironment.hostDescription());
        assertThat(p.getProperty("Topology")).isEqualTo("3 nodes, async");
    }

    @Test
    void blankValuesAreLeftOut() {
        assertThat(AllureEnvironment.create().postgresql(" ").etcd(null).entries()).isEmpty();
    }

    private Properties load() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(results.resolve(AllureEnvironment.FILE_NAME))) {
            p.load(r);
        }
        return p;
    }
}
