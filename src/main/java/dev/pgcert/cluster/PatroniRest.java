package dev.pgcert.cluster;

import dev.pgcert.json.Json;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Patroni's REST API of one node, reached through its port published on 127.0.0.1. */
public final class PatroniRest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String node;
    private final URI base;
    private final Duration timeout;

    public PatroniRest(String node, String host, int port, Duration timeout) {
        this.node = node;
        this.base = URI.create("http://" + host + ":" + port);
        this.timeout = timeout;
    }

    public String node() {
        return node;
    }

    /** {@code GET /cluster}: every member as this node's Patroni sees it in the DCS. */
    public ClusterView cluster() {
        JsonNode root = getJson("/cluster");
        List<ClusterView.Member> members = new ArrayList<>();
        for (JsonNode m : root.path("members")) {
            members.add(new ClusterView.Member(
                    m.path("name").asText(),
                    m.path("role").asText(),
                    m.path("state").asText(),
                    m.hasNonNull("timeline") ? Optional.of(m.get("timeline").asLong()) : Optional.empty(),
                    m.hasNonNull("lag") && m.get("lag").isNumber() ? Optional.of(m.get("lag").asLong()) : Optional.empty(),
                    m.path("tags").path("replicatefrom").isTextual()
                            ? Optional.of(m.path("tags").path("replicatefrom").asText()) : Optional.empty()));
        }
        return new ClusterView(members, root.toString());
    }

    /** The HTTP status of a health endpoint ({@code /primary}, {@code /replica}, ...): what HAProxy sees. */
    public int status(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build()).statusCode();
    }

    /**
     * {@code POST /switchover}: a planned change of leader. Patroni answers once the switchover is done,
     * so the caller gives a budget (a failover's worth of the topology's timings).
     */
    public int switchover(String leader, Optional<String> candidate, Duration budget) {
        String body = candidate.map(c -> "{\"leader\":\"" + leader + "\",\"candidate\":\"" + c + "\"}")
                .orElse("{\"leader\":\"" + leader + "\"}");
        return send(HttpRequest.newBuilder(base.resolve("/switchover")).timeout(budget)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()).statusCode();
    }

    /**
     * {@code PATCH /config} with a JSON object as text (a key set to null is removed). Returns the HTTP status.
     */
    public int patchConfig(String body) {
        return call("PATCH", "/config", body, timeout).status();
    }

    /**
     * {@code POST /switchover} at a set time ({@code scheduled_at}): Patroni answers 202 at once and
     * switches when the time comes.
     */
    public Response scheduleSwitchover(String leader, Optional<String> candidate, java.time.OffsetDateTime at) {
        var body = Json.MAPPER.createObjectNode().put("leader", leader).put("scheduled_at", at.toString());
        candidate.ifPresent(c -> body.put("candidate", c));
        return call("POST", "/switchover", body.toString(), timeout);
    }

    /** {@code POST /failover}: a manual failover to {@code candidate}; Patroni answers once it is done. */
    public Response failover(String candidate, Duration budget) {
        return call("POST", "/failover", Json.MAPPER.createObjectNode().put("candidate", candidate).toString(), budget);
    }

    /** {@code PATCH /config}: a change of the dynamic configuration in the DCS (maintenance mode is {@code pause}). */
    public Response patchConfig(JsonNode patch) {
        return call("PATCH", "/config", patch.toString(), timeout);
    }

    /**
     * A request with a JSON body to this node's REST API ({@code POST /restart}, {@code POST /reinitialize},
     * ...), waiting up to {@code budget} for the answer.
     */
    public Response call(String method, String path, String jsonBody, Duration budget) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve(path)).timeout(budget)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(jsonBody)).build());
        return new Response(r.statusCode(), r.body());
    }

    /** What Patroni answered: the status and its body (a short text or JSON). */
    public record Response(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public JsonNode getJson(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build());
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Patroni " + node + " " + path + " answered no JSON: " + response.body(), e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Patroni REST of " + node + " (" + request.uri() + ") unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
