package dev.pgcert.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadSpecTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @SuppressWarnings("unchecked")
    private static LoadSpec parse(String yaml) throws Exception {
        Map<String, Object> doc = YAML.readValue(yaml, Map.class);
        return LoadSpec.fromMap((Map<String, ?>) doc.get("load"));
    }

    @Test
    void emptySectionGivesTheDefaults() throws Exception {
        LoadSpec spec = LoadSpec.fromMap(Map.of());
        assertThat(spec).isEqualTo(LoadSpec.defaults());
        assertThat(spec.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(spec.writes().profile()).isEqualTo(Profile.rate(100));
        assertThat(spec.reads().profile()).isEqualTo(Profile.rate(20));
        assertThat(spec.reads().endpoint()).isEqualTo(Endpoint.RO);
        assertThat(spec.transfers()).isNull();
        assertThat(spec.balances()).isNull();
    }

    @Test
    void readsEveryKeyOfAScenarioFile() throws Exception {
        LoadSpec spec = parse("""
                load:
                  duration: 2m
                  first_key: 1000
                  writes: {users: 8}
                  reads: {ramp: {from: 10, to: 200}, duration: 30s, endpoint: rw}
                  transfers: {rate: 15.5}
                  bank: {accounts: 20, total: 1000000, max_amount: 7}
                  pool: {size: 12, ro_size: 3, connection_timeout: 2s, validation_timeout: 250ms,
                         socket_timeout: 5s, connect_timeout: 2s, login_timeout: 3s, max_lifetime: 10m, max_queued: 50}
                """);
        assertThat(spec.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(spec.firstKey()).isEqualTo(1000);
        assertThat(spec.writes()).isEqualTo(new LoadSpec.Workload(Profile.users(8), null, Endpoint.RW));
        assertThat(spec.reads()).isEqualTo(new LoadSpec.Workload(Profile.ramp(10, 200), Duration.ofSeconds(30), Endpoint.RW));
        assertThat(spec.transfers().profile()).isEqualTo(Profile.rate(15.5));
        assertThat(spec.balances().profile()).as("balances default on with transfers").isEqualTo(Profile.rate(2));
        assertThat(spec.bank()).isEqualTo(new LoadSpec.Bank(20, 1_000_000, 7));
        assertThat(spec.pool()).isEqualTo(new LoadSpec.Pool(12, 3, Duration.ofSeconds(2), Duration.ofMillis(250),
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofMinutes(10), 50));
        assertThat(spec.longestWorkload()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void workloadsCanBeSwitchedOff() throws Exception {
        LoadSpec spec = parse("""
                load:
                  writes: off
                  reads: false
                  balances: {rate: 1}
                """);
        assertThat(spec.writes()).isNull();
        assertThat(spec.reads()).isNull();
        assertThat(spec.transfers()).isNull();
        assertThat(spec.balances().profile()).isEqualTo(Profile.rate(1));
        assertThat(spec.workloads()).containsOnlyKeys("balances");
    }

    @Test
    void toMapRoundTrips() throws Exception {
        LoadSpec spec = LoadSpec.builder()
                .duration(Duration.ofMillis(90_500))
                .writes(new LoadSpec.Workload(Profile.ramp(0, 50), Duration.ofSeconds(40), Endpoint.RW))
                .reads((Profile) null)
                .transfers(Profile.users(3))
                .balances(new LoadSpec.Workload(Profile.rate(0.5), null, Endpoint.RO))
                .bank(4, 400, 9)
                .poolSize(5, 2)
                .timeouts(Duration.ofMillis(700), Duration.ofSeconds(4))
                .firstKey(77)
                .build();
        assertThat(LoadSpec.fromMap(spec.toMap())).isEqualTo(spec);
        // and through YAML text, as a scenario file would carry it
        String yaml = YAML.writeValueAsString(Map.of("load", spec.toMap()));
        assertThat(parse(yaml)).isEqualTo(spec);
    }

    @Test
    void durationsInEveryForm() {
        assertThat(DurationText.parse("250ms", "t")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationText.parse("1.5s", "t")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("5m", "t")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationText.parse("1h", "t")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationText.parse("PT2S", "t")).isEqualTo(Duration.ofSeconds(2));
        assertThat(DurationText.parse(3, "t")).isEqualTo(Duration.ofSeconds(3));
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(DurationText.format(Duration.ofMinutes(2))).isEqualTo("2m");
    }

    @Test
    void mistakesAreNamedPrecisely() {
        assertThatThrownBy(() -> parse("load: {writes: {rte: 5}}"))
                .hasMessage("load.writes: unknown key 'rte' (known: duration, endpoint, ramp, rate, users)");
        assertThatThrownBy(() -> parse("load: {writes: {rate: 5, users: 2}}"))
                .hasMessage("load.writes: give one of rate, ramp, users");
        assertThatThrownBy(() -> parse("load: {duration: soon}"))
                .hasMessageStartingWith("load.duration: not a duration: 'soon'");
        assertThatThrownBy(() -> parse("load: {pool: {socket_timeout: 500ms}}"))
                .hasMessage("socket_timeout must be >= 1s, got 500ms");
        assertThatThrownBy(() -> parse("load: {writes: {users: 0}}"))
                .hasMessage("users must be >= 1, got 0");
        assertThatThrownBy(() -> parse("load: {transfers: {endpoint: ro}}"))
                .hasMessage("load.transfers: give one of rate, ramp, users");
        assertThatThrownBy(() -> parse("load: {transfers: {rate: 1, endpoint: ro}}"))
                .hasMessage("transfers must use the rw endpoint");
        assertThatThrownBy(() -> parse("load: {writes: off, reads: off}"))
                .hasMessageStartingWith("the load has no workload");
        assertThatThrownBy(() -> parse("load: {transfers: {rate: 1}, bank: {accounts: 1}}"))
                .hasMessage("the bank needs at least 2 accounts, got 1");
    }

    @Test
    void passwordIsNotInTheEndpointsText() {
        LoadEndpoints e = LoadEndpoints.single("jdbc:postgresql://127.0.0.1:5432/postgres", "app", "s3cret");
        assertThat(e.toString()).doesNotContain("s3cret").contains("app");
    }
}
