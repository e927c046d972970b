package dev.pgcert.report;

import dev.pgcert.history.Event;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A made-up 60 s failover run shaped like a real one: steady writes and reads, the primary killed at
 * 20 s, a new leader at 28.5 s, writes failing until 31 s, replica lag sampled every second.
 */
final class SyntheticHistory {

    static final long T0 = 5_000_000_000L;
    static final double KILL_S = 20, FAULT_END_S = 30, NEW_LEADER_S = 28.5, WRITES_BACK_S = 31, END_S = 60;

    private final List<Event> events = new ArrayList<>();
    private final Random random = new Random(42);

    static List<Event> failoverRun() {
        SyntheticHistory h = new SyntheticHistory();
        for (int w = 0; w < 4; w++) h.client("w" + w, Event.Fn.WRITE);
        for (int r = 0; r < 4; r++) h.client("r" + r, Event.Fn.READ);
        h.scenario();
        h.events.sort(Comparator.comparingLong(Event::nanos));
        return h.events;
    }

    private void client(String process, String f) {
        boolean writer = f.equals(Event.Fn.WRITE);
        double t = random.nextDouble() * 0.01;
        int key = 0;
        while (t < END_S) {
            double latencyS = (2 + random.nextExponential() * 2) / 1000;
            if (t > WRITES_BACK_S && t < WRITES_BACK_S + 4) latencyS *= 6; // cold caches after failover
            Event.Type outcome = Event.Type.OK;
            Map<String, Object> result = new HashMap<>(Map.of("key", key));
            if (writer && t >= KILL_S && t < WRITES_BACK_S) {
                boolean inFlightAtKill = t < KILL_S + 0.01;
                latencyS = inFlightAtKill ? 1.0 : 0.25; // connect timeout vs. refused
                outcome = inFlightAtKill ? Event.Type.INFO : Event.Type.FAIL;
                result.put("error", inFlightAtKill ? "I/O error" : "connection refused");
            } else if (!writer && t >= KILL_S && t < KILL_S + 1 && random.nextInt(4) == 0) {
                outcome = Event.Type.FAIL; // reads that were routed to the dying primary
                result.put("error", "terminating connection");
            }
            add(t, process, Event.Type.INVOKE, f, Map.of("key", key));
            add(t + latencyS, process, outcome, f, result);
            t += latencyS + 0.004 + random.nextDouble() * 0.004;
            key++;
        }
    }

    private void scenario() {
        String[][] phases = {{"warm-up", "0", "10"}, {"steady", "10", "20"}, {"fault", "20", "30"},
                {"heal", "30", "40"}, {"settle", "40", "60"}};
        for (String[] p : phases) {
            add(Double.parseDouble(p[1]), "nemesis", Event.Type.INFO, Event.Fn.PHASE, Map.of("id", p[0], "name", p[0], "phase", "start"));
            add(Double.parseDouble(p[2]) - 1e-6, "nemesis", Event.Type.INFO, Event.Fn.PHASE, Map.of("id", p[0], "name", p[0], "phase", "end"));
        }
        add(KILL_S, "nemesis", Event.Type.INFO, Event.Fn.FAULT, Map.of("id", "f1", "kind", "kill", "target", "pg-1", "phase", "start"));
        add(FAULT_END_S, "nemesis", Event.Type.INFO, Event.Fn.FAULT, Map.of("id", "f1", "kind", "kill", "target", "pg-1", "phase", "end"));
        add(34, "nemesis", Event.Type.INFO, Event.Fn.FAULT, Map.of("id", "f2", "kind", "latency", "target", "pg-3 replication", "phase", "start"));
        add(44, "nemesis", Event.Type.INFO, Event.Fn.FAULT, Map.of("id", "f2", "kind", "latency", "target", "pg-3 replication", "phase", "end"));
        add(0.2, "sampler", Event.Type.INFO, Event.Fn.LEADER, leader(null, "pg-1"));
        add(NEW_LEADER_S, "sampler", Event.Type.INFO, Event.Fn.LEADER, leader("pg-1", "pg-2"));
        for (double t = 0.5; t < END_S; t += 1) {
            boolean beforeFailover = t < NEW_LEADER_S;
            String upstream = beforeFailover ? "pg-1" : "pg-2";
            for (String replica : beforeFailover ? new String[]{"pg-2", "pg-3"} : new String[]{"pg-1", "pg-3"}) {
                if (t > KILL_S && t < NEW_LEADER_S + 2) continue; // no primary to ask
                if (replica.equals("pg-1") && t < 40) continue;    // rejoins after the heal
                long lag = 20_000 + random.nextInt(30_000);
                if (replica.equals("pg-3") && t > 34 && t < 44) lag = (long) ((t - 34) * 900_000); // latency toxic
                add(t, "sampler", Event.Type.INFO, Event.Fn.LAG,
                        Map.of("upstream", upstream, "replica", replica, "lag_bytes", lag));
            }
        }
    }

    private static Map<String, Object> leader(String from, String to) {
        Map<String, Object> v = new HashMap<>();
        v.put("from", from);
        v.put("to", to);
        v.put("timeline", 1);
        return v;
    }

    private void add(double s, String process, Event.Type type, String f, Map<String, Object> value) {
        events.add(new Event(T0 + (long) (s * 1e9), process, type, f, value));
    }
}
