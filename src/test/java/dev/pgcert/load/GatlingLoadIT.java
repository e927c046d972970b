package dev.pgcert.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgcert.json.Json;
import dev.pgcert.history.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The load against one real PostgreSQL: a run through a crash and restart must leave a history that
 * is well formed and agrees with what the database kept; a stop must end the load early with a
 * complete history and Gatling's report.
 */
class GatlingLoadIT {

    private static final int ACCOUNTS = 10;
    private static final long TOTAL = 10_000;

    private static SoloPostgres pg;

    /** Kept after the test (history, Gatling report, load log) for a look. */
    private Path run;

    @BeforeEach
    void runDirectory(TestInfo test) throws Exception {
        run = Path.of("target", "load-it", test.getTestMethod().orElseThrow().getName());
        if (Files.exists(run)) {
            try (var files = Files.walk(run)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(run);
    }

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = new SoloPostgres().start();
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void historyThroughACrashAgreesWithTheDatabase() throws Exception {
        try (Connection su = pg.superuser()) {
            LoadSchema.install(su, SoloPostgres.APP_ROLE, ACCOUNTS, TOTAL);
        }
        LoadSpec spec = LoadSpec.builder()
                .duration(Duration.ofSeconds(25))
                .writes(Profile.users(4))
                .reads(Profile.rate(20))
                .transfers(Profile.rate(20))
                .balances(Profile.rate(5))
                .bank(ACCOUNTS, TOTAL, 50)
                .poolSize(6, 2)
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .build();
        Path history = run.resolve("history.jsonl");
        Duration progressWait = spec.pool().worstOperation().plusSeconds(3); // one operation and a few progress lines
        LoadResult result;
        try (RunningLoad load = GatlingLoad.start(spec, pg.appEndpoints(), history, run.resolve("gatling"))) {
            await("writes acknowledged before the crash").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> load.progress().count("write", "ok") >= 200);
            pg.crash();
            await("failed writes while PostgreSQL is down").atMost(progressWait).pollInterval(Duration.ofMillis(200))
                    .until(() -> load.progress().count("write", "fail") >= 1);
            long okBeforeRestart = load.progress().count("write", "ok");
            pg.restart();
            await("writes acknowledged after the restart").atMost(progressWait).pollInterval(Duration.ofMillis(200))
                    .until(() -> load.progress().count("write", "ok") > okBeforeRestart + 50);
            result = load.awaitCompletion(spec.runFor().plusSeconds(60));
        }
        assertThat(result.exitCode()).as("Gatling's exit code; log %s", result.log()).isZero();
        assertThat(result.report()).as("Gatling report").isNotNull();
        assertThat(result.report().resolve("index.html")).isRegularFile();

        Event finalRead;
        long bankSum;
        try (Connection su = pg.superuser()) {
            finalRead = FinalRead.record(su, history);
            try (Statement st = su.createStatement(); ResultSet rs = st.executeQuery("SELECT sum(balance) FROM pgcert_bank")) {
                rs.next();
                bankSum = rs.getLong(1);
            }
        }
        List<Event> events = HistoryFile.read(history);
        HistoryAssertions.assertWellFormed(events);
        Event last = events.get(events.size() - 1);
        assertThat(last.f()).isEqualTo(Event.Fn.FINAL_READ);
        assertThat(last.nanos()).isEqualTo(finalRead.nanos());

        Set<Long> kept = ((List<?>) finalRead.value().get("keys")).stream()
                .map(k -> ((Number) k).longValue()).collect(Collectors.toCollection(HashSet::new));
        List<Event> writes = completions(events, Event.Fn.WRITE);
        List<Event> okWrites = ofType(writes, Event.Type.OK);
        List<Event> failedWrites = ofType(writes, Event.Type.FAIL);
        List<Event> unknownWrites = ofType(writes, Event.Type.INFO);
        assertThat(okWrites).allSatisfy(w -> {
            assertThat(kept).as("acknowledged key %s kept", w.value().get("key")).contains(HistoryFile.number(w, "key"));
            assertThat(w.value()).containsEntry("node", SoloPostgres.NODE);
            assertThat(HistoryFile.number(w, "timeline")).isEqualTo(1);
        });
        assertThat(failedWrites).as("writes that surely failed").isNotEmpty().allSatisfy(w -> {
            assertThat(kept).as("failed key %s absent", w.value().get("key")).doesNotContain(HistoryFile.number(w, "key"));
            assertThat((String) w.value().get("error")).isNotBlank();
        });
        // The crash broke connections under running or pooled statements: their outcome is unknown.
        assertThat(unknownWrites).as("writes of unknown outcome").isNotEmpty().allSatisfy(w -> {
            String state = (String) w.value().get("sqlstate");
            assertThat(state == null || state.startsWith("08") || state.startsWith("57P")).as("sqlstate %s", state).isTrue();
        });
        assertThat(okWrites.size() + failedWrites.size() + unknownWrites.size())
                .isEqualTo((int) events.stream().filter(e -> e.type() == Event.Type.INVOKE && e.f().equals(Event.Fn.WRITE)).count());

        // One server: a read sees at least every write acknowledged before it began.
        List<Event> okReads = ofType(completions(events, Event.Fn.READ), Event.Type.OK);
        assertThat(okReads).isNotEmpty().allSatisfy(r -> {
            assertThat(HistoryFile.number(r, "max_key")).isGreaterThanOrEqualTo(HistoryFile.number(r, "acked_max_key"));
            assertThat(r.value()).containsEntry("in_recovery", false);
        });
        assertThat(ofType(completions(events, Event.Fn.TRANSFER), Event.Type.OK)).isNotEmpty();
        List<Event> balances = ofType(completions(events, Event.Fn.BALANCE), Event.Type.OK);
        assertThat(balances).isNotEmpty().allSatisfy(b -> assertThat(HistoryFile.number(b, "total")).isEqualTo(TOTAL));
        assertThat(bankSum).isEqualTo(TOTAL);
        // Gatling's report counts every operation the history holds, failures as KO.
        JsonNode reported = Json.MAPPER.readTree(result.report().resolve("js/stats.json").toFile())
                .path("stats").path("numberOfRequests");
        long invokes = events.stream().filter(e -> e.type() == Event.Type.INVOKE).count();
        long oks = events.stream().filter(e -> e.type() == Event.Type.OK && !e.f().equals(Event.Fn.FINAL_READ)).count();
        assertThat(reported.path("total").asLong()).isEqualTo(invokes);
        assertThat(reported.path("ok").asLong()).isEqualTo(oks);

        unknownWrites.forEach(w -> System.out.println("INFO write: " + w.value()));
        failedWrites.forEach(w -> System.out.println("FAIL write: " + w.value()));
        System.out.printf("crash run: %d writes ok, %d fail, %d info; %d reads ok; %s%n",
                okWrites.size(), failedWrites.size(), unknownWrites.size(), okReads.size(), result.progress());
    }

    @Test
    void stopEndsTheLoadEarlyWithACompleteHistory() throws Exception {
        try (Connection su = pg.superuser()) {
            LoadSchema.install(su, SoloPostgres.APP_ROLE, ACCOUNTS, TOTAL);
        }
        LoadSpec spec = LoadSpec.builder()
                .duration(Duration.ofMinutes(10))
                .writes(Profile.users(2))
                .reads(Profile.rate(50))
                .build();
        Path history = run.resolve("history.jsonl");
        RunningLoad load = GatlingLoad.start(spec, pg.appEndpoints(), history, run.resolve("gatling"));
        await("writes acknowledged").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> load.progress().count("write", "ok") >= 100);
        long stopAsked = System.nanoTime();
        LoadResult result = load.stop();
        Duration stopTook = Duration.ofNanos(System.nanoTime() - stopAsked);

        assertThat(result.stopped()).isTrue();
        assertThat(load.isRunning()).isFalse();
        assertThat(stopTook).as("time to stop, report included").isLessThan(Duration.ofSeconds(30));
        assertThat(result.report()).as("Gatling report after a stop; log %s", result.log()).isNotNull();
        List<Event> events = HistoryFile.read(history);
        HistoryAssertions.assertWellFormed(events);
        assertThat(ofType(completions(events, Event.Fn.WRITE), Event.Type.OK).size()).isGreaterThanOrEqualTo(100);
        assertThat(Files.readString(result.log())).doesNotContain(pg.appPassword());
        System.out.printf("stop: took %d ms, exit code %d, %s%n", stopTook.toMillis(), result.exitCode(), result.progress());
    }

    private static List<Event> completions(List<Event> events, String f) {
        return events.stream().filter(e -> e.f().equals(f) && e.type() != Event.Type.INVOKE).toList();
    }

    private static List<Event> ofType(List<Event> events, Event.Type type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }
}
