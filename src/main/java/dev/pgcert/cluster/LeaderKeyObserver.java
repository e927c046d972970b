package dev.pgcert.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcert.history.Event;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Patroni's leader key in etcd, {@code /service/<scope>/leader}, read through etcd's v3 gRPC gateway
 * ({@code POST /v3/kv/range}, key and value base64) of the first member that answers. One
 * {@code dcs-leader-key} event per change: {holder} (null when the key is absent: it expired or was
 * released), {mod_revision, lease} of the key, {revision} of the store, the member asked.
 *
 * <p>Polled, not watched: a poll every 50 ms is as fine as the HA loop it observes needs, and a poll
 * recovers by itself when a member dies, where a watch stream would need re-establishing.
 */
final class LeaderKeyObserver extends Observer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Map.Entry<String, Integer>> members; // name, host port
    private final String keyB64;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
    private int preferred;

    LeaderKeyObserver(String scope, List<Map.Entry<String, Integer>> members, java.util.function.Consumer<Event> sink, Duration period) {
        super("dcs", sink, period);
        this.members = List.copyOf(members);
        this.keyB64 = Base64.getEncoder().encodeToString(("/service/" + scope + "/leader").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    void poll() {
        for (int i = 0; i < members.size(); i++) {
            int m = (preferred + i) % members.size();
            JsonNode answer = range(members.get(m).getValue());
            if (answer != null) {
                preferred = m;
                record(members.get(m).getKey(), answer);
                return;
            }
        }
    }

    private JsonNode range(int port) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/kv/range"))
                    .timeout(Duration.ofMillis(500))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + keyB64 + "\"}"))
                    .build();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() == 200 ? JSON.readTree(resp.body()) : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void record(String member, JsonNode answer) {
        JsonNode kvs = answer.path("kvs");
        String holder = null;
        String modRevision = null;
        String lease = null;
        if (kvs.isArray() && !kvs.isEmpty()) {
            JsonNode kv = kvs.get(0);
            holder = new String(Base64.getDecoder().decode(kv.path("value").asText("")), StandardCharsets.UTF_8);
            modRevision = kv.path("mod_revision").asText(null);
            lease = kv.path("lease").asText(null);
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("holder", holder);
        v.put("mod_revision", modRevision);
        v.put("lease", lease);
        v.put("revision", answer.path("header").path("revision").asText(null));
        v.put("member", member);
        observe("leader", Event.Fn.DCS_LEADER_KEY, holder == null ? null : holder + "/" + lease, v);
    }
}
