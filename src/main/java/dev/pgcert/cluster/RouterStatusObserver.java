package dev.pgcert.cluster;

import dev.pgcert.history.Event;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * HAProxy's own view of each server: the stats page as CSV ({@code GET /;csv} on the stats listener),
 * column {@code status} per server row of the {@code read_write} and {@code read_only} proxies
 * (UP, DOWN, "UP 1/2" going down, "DOWN 1/2" going up, "no check" for a pinned server). One
 * {@code router-server} event per change: {backend, server, status, check} ({@code check_status},
 * e.g. L7OK, L4TOUT).
 */
final class RouterStatusObserver extends Observer {
    private static final List<String> BACKENDS = List.of("read_write", "read_only");
    private final int statsPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();

    RouterStatusObserver(int statsPort, Consumer<Event> sink, Duration period) {
        super("router", sink, period);
        this.statsPort = statsPort;
    }

    @Override
    void poll() {
        String csv;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/;csv"))
                    .timeout(Duration.ofMillis(500)).GET().build();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                return;
            }
            csv = resp.body();
        } catch (java.io.IOException e) {
            return; // the router is down or restarting: the gap in observations is the evidence
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        parse(csv).forEach(row -> observe(row.get("backend") + "/" + row.get("server"), Event.Fn.ROUTER_SERVER, row.get("status"), row));
    }

    /** The server rows of the read-write and read-only proxies: {backend, server, status, check}. */
    static List<Map<String, Object>> parse(String csv) {
        List<String> lines = csv.lines().toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("#")) {
            return List.of();
        }
        List<String> header = Arrays.asList(lines.get(0).substring(1).trim().split(",", -1));
        int px = header.indexOf("pxname");
        int sv = header.indexOf("svname");
        int status = header.indexOf("status");
        int check = header.indexOf("check_status");
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length <= Math.max(px, Math.max(sv, status)) || !BACKENDS.contains(f[px])
                    || f[sv].equals("FRONTEND") || f[sv].equals("BACKEND")) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("backend", f[px]);
            row.put("server", f[sv]);
            row.put("status", f[status]);
            if (check >= 0 && check < f.length && !f[check].isEmpty()) {
                row.put("check", f[check]);
            }
            rows.add(row);
        }
        return rows;
    }
}
