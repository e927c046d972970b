package dev.pgcert.load;

import io.gatling.commons.stats.Status;
import io.gatling.core.stats.StatsEngine;
import java.util.concurrent.ConcurrentLinkedQueue;
import scala.Option;
import scala.collection.immutable.List;

/**
 * Hands finished requests to Gatling's stats engine in bursts. Every {@code logResponse} is a
 * message to Gatling's data-writer actor; sent one by one from the workers, each message wakes an
 * idle actor thread, which measured here at about a third of the load's CPU per operation. Sent
 * in a burst, one wake-up serves them all. The entries carry their own start and end times, so the
 * report is the same.
 */
final class StatsBuffer {

    private record Entry(String scenario, List<String> groups, String request, long start, long end, Status status,
                         Option<String> code, Option<String> message) {}

    private final ConcurrentLinkedQueue<Entry> pending = new ConcurrentLinkedQueue<>();
    private volatile StatsEngine engine;

    void bind(StatsEngine engine) {
        this.engine = engine;
    }

    void add(String scenario, List<String> groups, String request, long start, long end, Status status,
             Option<String> code, Option<String> message) {
        pending.add(new Entry(scenario, groups, request, start, end, status, code, message));
    }

    /** Sends everything buffered; safe from any thread. */
    void flush() {
        StatsEngine e = engine;
        if (e == null) {
            return;
        }
        for (Entry x; (x = pending.poll()) != null; ) {
            e.logResponse(x.scenario, x.groups, x.request, x.start, x.end, x.status, x.code, x.message);
        }
    }
}
