package dev.pgcert.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgcert.json.Json;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While the DCS is down no node answers {@code /cluster}; the view is then put together from each member's
 * own {@code /patroni}, in {@code /cluster}'s words, so role targets still resolve (bodies as Patroni 3.0.2
 * and 4.0.7 send them).
 */
class PatroniApiTest {
    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    @Test
    void aMembersOwnStatusReadsAsItsClusterEntry() throws Exception {
        ClusterView.Member primary = PatroniApi.memberOf("node1", json("""
                {"state": "running", "role": "primary", "server_version": 170012, "timeline": 3,
                 "patroni": {"version": "4.0.7", "scope": "pgcert"}}"""));
        ClusterView.Member master = PatroniApi.memberOf("node1", json("""
                {"state": "running", "role": "master", "timeline": 1}"""));
        ClusterView.Member sync = PatroniApi.memberOf("node2", json("""
                {"state": "streaming", "role": "replica", "timeline": 3, "sync_standby": true}"""));
        ClusterView.Member cascade = PatroniApi.memberOf("node3", json("""
                {"state": "streaming", "role": "replica", "timeline": 3, "tags": {"replicatefrom": "node2"}}"""));

        assertThat(primary.isLeader()).isTrue();
        assertThat(primary.timeline()).contains(3L);
        assertThat(master.role()).isEqualTo("leader");
        assertThat(sync.role()).isEqualTo("sync_standby");
        assertThat(sync.isLeader()).isFalse();
        assertThat(cascade.role()).isEqualTo("replica");
        assertThat(cascade.replicateFrom()).isEqualTo(Optional.of("node2"));
        ClusterView view = new ClusterView(java.util.List.of(primary, sync, cascade), "[]", false);
        assertThat(view.leader()).contains(primary);
        assertThat(view.summary()).startsWith("(the DCS did not answer; each member's own /patroni) node1=leader/running tl3");
    }

    @Test
    void aDemotedPrimaryIsNoLeader() throws Exception {
        // Without failsafe_mode a primary that cannot reach the DCS demotes: no member leads, and a fault
        // aimed at "primary" then fails with the view in its message instead of hitting a replica.
        ClusterView.Member demoted = PatroniApi.memberOf("node1", json("""
                {"state": "running", "role": "replica", "timeline": 2}"""));
        assertThat(new ClusterView(java.util.List.of(demoted), "[]").leader()).isEmpty();
    }
}
