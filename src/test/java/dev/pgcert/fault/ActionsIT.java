package dev.pgcert.fault;

import dev.pgcert.cluster.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators' actions as phase steps, each asserted to have taken effect on a live 3-node cluster
 * (ttl 10, loop_wait 2, retry_timeout 4): maintenance mode stops failover, a switchover or failover
 * lands on the named candidate, a scheduled switchover waits for its time, a config change shows in
 * /config and is undone by its heal, a restart and a reinit give the member a new postmaster.
 */
class ActionsIT {
    @RegisterExtension
    static final FaultTestCluster c = FaultTestCluster.of("actions", 1, Optional.empty());

    private String otherThan(String node) {
        return c.otherNodes(node).get(c.otherNodes(node).size() - 1);
    }

    @Test
    void whilePausedAKilledPrimaryIsNotReplacedAndResumeEndsMaintenance() {
        Fault pause = c.nemesis.start(c.fault("pause", Map.of("kind", "pause")));
        String old = c.leader();
        assertThat(c.cluster.rest(old).getJson("/cluster").path("pause").asBoolean()).isTrue();

        c.nemesis.start(c.fault("kill", Map.of("kind", "kill", "target", "primary")));
        // Longer than an unpaused cluster needs to fail over (its key expires after ttl, as the stack's
        // Patroni runs it, and a replica takes it); every poll in that window must hold.
        Duration window = c.budgets.ttl().plus(c.budgets.loopWait().multipliedBy(3)).plus(c.budgets.retryTimeout());
        c.holdsFor(window, c.budgets.poll(), "no failover while the cluster is paused", () -> {
            Optional<String> leader = c.leaderSeenByOthers(old);
            assertThat(leader.filter(l -> !l.equals(old))).as("no replica may take over while the cluster is paused").isEmpty();
            for (String n : c.otherNodes(old)) {
                assertThat(c.inRecoveryOrFalse(n)).as("%s stays a replica while paused", n).isTrue();
            }
        });
        c.nemesis.heal(pause);
        Waits.until("/cluster without pause", c.budgets.failover(), c.budgets.poll(),
                () -> new Waits.Probe(!c.cluster.rest(otherThan(old)).getJson("/cluster").path("pause").asBoolean(false), "paused"));
    }

    @Test
    void aSwitchoverToANamedCandidateMakesItTheLeader() {
        String old = c.leader();
        String candidate = otherThan(old);
        c.nemesis.start(c.fault("sw", Map.of("kind", "switchover", "candidate", candidate)));
        assertThat(c.awaitNewLeader(old, c.budgets.failover())).isEqualTo(candidate);
    }

    @Test
    void aScheduledSwitchoverWaitsForItsTime() {
        String old = c.leader();
        String candidate = otherThan(old);
        Duration delay = c.budgets.ttl();
        long startedAt = System.nanoTime();
        Fault sw = c.nemesis.start(c.fault("sw-at", Map.of("kind", "switchover", "candidate", candidate, "scheduled_at", "10s")));
        assertThat(sw.detail()).containsEntry("http_status", 202);
        assertThat(c.leader()).as("nothing changes before the scheduled time").isEqualTo(old);
        String next = c.awaitNewLeader(old, delay.plus(c.budgets.failover()).plus(c.budgets.ttl()));
        assertThat(next).isEqualTo(candidate);
        assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void aFailoverToANamedCandidateMakesItTheLeader() {
        String old = c.leader();
        String candidate = otherThan(old);
        c.nemesis.start(c.fault("fo", Map.of("kind", "failover", "candidate", candidate)));
        assertThat(c.awaitNewLeader(old, c.budgets.failover())).isEqualTo(candidate);
    }

    @Test
    void aConfigChangeShowsInConfigAndItsHealRestoresTheOldValue() {
        long ttlBefore = c.cluster.rest(c.leader()).getJson("/config").path("ttl").asLong();
        Fault change = c.nemesis.start(c.fault("cfg", Map.of("kind", "config", "set", Map.of("ttl", 20))));
        assertThat(c.cluster.rest(c.leader()).getJson("/config").path("ttl").asLong()).isEqualTo(20);
        c.nemesis.heal(change);
        assertThat(c.cluster.rest(c.leader()).getJson("/config").path("ttl").asLong()).isEqualTo(ttlBefore);
    }

    @Test
    void aRestartAndAReinitGiveTheMemberANewPostmaster() {
        String replica = otherThan(c.leader());
        String before = postmasterStart(replica);
        c.nemesis.start(c.fault("restart", Map.of("kind", "pg-restart", "target", replica)));
        String afterRestart = postmasterStart(replica);
        assertThat(afterRestart).isNotEqualTo(before);

        c.nemesis.start(c.fault("reinit", Map.of("kind", "reinit", "target", replica)));
        c.awaitStreaming(replica, c.leader(), c.budgets.rejoin());
        assertThat(postmasterStart(replica)).isNotEqualTo(afterRestart);
    }

    private static String postmasterStart(String node) {
        return c.cluster.rest(node).getJson("/patroni").path("postmaster_start_time").asText();
    }
}
