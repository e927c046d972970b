package dev.pgcert.check;

import dev.pgcert.check.MetricCatalog.Kind;
import dev.pgcert.history.Event;
import dev.pgcert.history.History;
import dev.pgcert.history.Op;
import dev.pgcert.history.Values;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Backup and point-in-time recovery, judged from the history and the ledger (the final read). It reads the
 * backup steps' fault events ({@code backup}, {@code destroy-cluster}, {@code bad-statement}, {@code restore}),
 * the archive observer's {@code archive} events and the writes.
 *
 * <ul>
 * <li>{@code rpo}: for a whole-cluster disaster, the seconds between the last acknowledged write that survived
 *     (every acknowledged write before it survived too) and the disaster; {@code lost}, {@code lost_keys}: the
 *     acknowledged writes before the restore that are not in the final read.</li>
 * <li>{@code rto}: from the disaster (destroy-cluster, or bad-statement) to the first acknowledged write invoked
 *     after the restore destroyed the old data; {@code stages.*}: restore (pgBackRest's restore command),
 *     replay (its end to PostgreSQL out of recovery), patroni (to Patroni's {@code /primary}), routing (to that
 *     first write), and {@code restore_step}: the whole step.</li>
 * <li>{@code archive_lag}, {@code archive_lag_bytes}: the most the archive trailed the primary
 *     ({@code pg_stat_archiver}); {@code archive_failures}: failed archive attempts seen.</li>
 * <li>{@code restore_exact}: for a point-in-time restore, how many keys are wrong: acknowledged before the
 *     restore point yet missing, plus written after it (before the restore) yet present;
 *     {@code restore_missing_keys}, {@code restore_extra_keys}, {@code restore_checked}.</li>
 * <li>{@code duration}, {@code size}, {@code repo_size}: the longest backup's seconds, and the largest
 *     database and repository sizes of a backup.</li>
 * </ul>
 * INVALID when a point-in-time restore is not exact, or a backup or restore step failed; UNKNOWN without any
 * backup step or archive observation, or without the final read a disaster needs; VALID otherwise (what a
 * design may lose is the scenario's limit on {@code rpo}, not a contradiction).
 */
public final class BackupChecker implements Checker {
    public static final String NAME = "backup";
    static final int MAX_LISTED = 1000;
    static final String ARCHIVE = "archive";

    private static final Declaration DECLARATION = Declaration.of(NAME, Category.BACKUP)
            .metrics(Kind.TIME, "rpo").metrics(Kind.COUNT, "lost").metrics(Kind.LIST, "lost_keys")
            .metrics(Kind.TIME, "rto", "restore_step").nested(Kind.TIME, "stages")
            .metrics(Kind.TIME, "archive_lag").metrics(Kind.BYTES, "archive_lag_bytes").metrics(Kind.COUNT, "archive_failures")
            .metrics(Kind.COUNT, "restore_exact", "restore_checked").metrics(Kind.LIST, "restore_missing_keys", "restore_extra_keys")
            .metrics(Kind.TIME, "duration").metrics(Kind.BYTES, "size", "repo_size").metrics(Kind.COUNT, "backups");

    @Override
    public Declaration declaration() {
        return DECLARATION;
    }

    /** One step's start event, flattened: kind, id, when it began and returned, its detail, and its error if any. */
    private record Step(String kind, String id, long nanos, long returned, Map<String, Object> detail, String error) {
        Long nanosOf(String key) {
            return Values.longValue(detail, key);
        }
    }

    @Override
    public CheckResult check(History h) {
        List<Step> steps = steps(h);
        List<Event> archive = h.byF(ARCHIVE);
        if (steps.isEmpty() && archive.isEmpty()) {
            return CheckResult.unknown(NAME, "No backup step and no archive observation in the history: nothing to judge.");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> found = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        List<String> unknown = new ArrayList<>();

        steps.stream().filter(s -> s.error() != null).forEach(s ->
                invalid.add(s.kind() + " step " + s.id() + " failed: " + s.error()));
        backups(steps, m, found);
        archiveLag(archive, m, found);

        Optional<Step> destroy = steps.stream().filter(s -> s.kind().equals("destroy-cluster") && s.error() == null).findFirst();
        Optional<Step> bad = steps.stream().filter(s -> s.kind().equals("bad-statement") && s.error() == null).findFirst();
        Optional<Step> restore = steps.stream().filter(s -> s.kind().equals("restore") && s.error() == null).findFirst();
        Optional<Event> finalRead = h.byF(Event.Fn.FINAL_READ, Event.Type.OK).stream().reduce((a, b) -> b);
        boolean disaster = destroy.isPresent() || bad.isPresent();
        if (disaster && finalRead.isEmpty()) {
            unknown.add("no final read: what survived the restore is unknown");
        }
        List<Op> writes = h.ops(Event.Fn.WRITE);
        Set<Object> present = new HashSet<>();
        finalRead.ifPresent(e -> Values.list(e.value(), "keys").forEach(k -> present.add(Values.key(k))));

        long disasterNanos = destroy.or(() -> bad).map(Step::nanos).orElse(0L);
        if (destroy.isPresent() && finalRead.isPresent()) {
            long restoreStart = restore.map(Step::nanos).orElse(Long.MAX_VALUE);
            rpo(writes, present, destroy.get().nanos(), restoreStart, m, found);
        }
        if (restore.isPresent() && disaster) {
            rto(writes, restore.get(), disasterNanos, m, found, unknown);
        }
        if (bad.isPresent() && restore.isPresent() && finalRead.isPresent()
                && !"latest".equals(restore.get().detail().get("to"))) {
            restoreExact(writes, present, bad.get(), restore.get(), m, found, invalid);
        }

        String text = String.join(" ", found);
        if (!invalid.isEmpty()) {
            return new CheckResult(NAME, Verdict.INVALID, m, String.join(" ", invalid) + (text.isEmpty() ? "" : " " + text));
        }
        if (!unknown.isEmpty()) {
            return new CheckResult(NAME, Verdict.UNKNOWN, m, "Cannot judge: " + String.join("; ", unknown) + ". " + text);
        }
        return new CheckResult(NAME, Verdict.VALID, m, text);
    }

    private static List<Step> steps(History h) {
        List<Step> steps = new ArrayList<>();
        for (Event e : h.byF(Event.Fn.FAULT)) {
            Map<String, Object> v = e.value();
            String kind = Values.string(v, "kind");
            if (!"start".equals(Values.string(v, "phase")) || kind == null || !isBackupStep(kind)) {
                continue;
            }
            Map<String, Object> detail = Values.map(v.get("detail"));
            Long returned = Values.longValue(detail, "returned_nanos");
            steps.add(new Step(kind, Values.string(v, "id"), e.nanos(), returned == null ? e.nanos() : returned, detail,
                    Values.string(detail, "error")));
        }
        return steps;
    }

    static boolean isBackupStep(String kind) {
        return switch (kind) {
            case "backup", "destroy-cluster", "bad-statement", "restore", "archive-outage", "ballast" -> true;
            default -> false;
        };
    }

    private static void backups(List<Step> steps, Map<String, Object> m, List<String> found) {
        List<Step> backups = steps.stream().filter(s -> s.kind().equals("backup") && s.error() == null).toList();
        if (backups.isEmpty()) {
            return;
        }
        double longest = 0;
        long size = 0;
        long repoSize = 0;
        for (Step b : backups) {
            Long seconds = Values.longValue(b.detail(), "command_ms");
            longest = Math.max(longest, seconds == null ? 0 : seconds / 1000.0);
            size = Math.max(size, orZero(Values.longValue(b.detail(), "database_bytes")));
            repoSize = Math.max(repoSize, orZero(Values.longValue(b.detail(), "repo_bytes")));
        }
        m.put("backups", backups.size());
        m.put("duration", longest);
        m.put("size", size);
        m.put("repo_size", repoSize);
        found.add(backups.size() + " backup(s), the longest " + Format.seconds(longest) + ", database " + size
                + " bytes, in the repository " + repoSize + " bytes.");
    }

    private static void archiveLag(List<Event> archive, Map<String, Object> m, List<String> found) {
        if (archive.isEmpty()) {
            return;
        }
        double seconds = 0;
        long bytes = 0;
        long failedFirst = Long.MAX_VALUE;
        long failedLast = 0;
        for (Event e : archive) {
            seconds = Math.max(seconds, orZero(Values.doubleValue(e.value(), "lag_seconds")));
            bytes = Math.max(bytes, orZero(Values.longValue(e.value(), "lag_bytes")));
            Long failed = Values.longValue(e.value(), "failed_count");
            if (failed != null) {
                failedFirst = Math.min(failedFirst, failed);
                failedLast = Math.max(failedLast, failed);
            }
        }
        m.put("archive_lag", seconds);
        m.put("archive_lag_bytes", bytes);
        m.put("archive_failures", failedFirst == Long.MAX_VALUE ? 0 : failedLast - failedFirst);
        found.add("The archive trailed the primary by at most " + Format.seconds(seconds) + " and " + bytes + " bytes.");
    }

    private static void rpo(List<Op> writes, Set<Object> present, long disaster, long restoreStart,
                            Map<String, Object> m, List<String> found) {
        List<Op> acked = new ArrayList<>(writes.stream()
                .filter(w -> w.isOk() && w.startNanos() < restoreStart && Values.key(w.get("key")) != null).toList());
        acked.sort(Comparator.comparingLong(Op::endNanos));
        List<Object> lost = new ArrayList<>();
        Long lastSurvived = null;
        for (Op w : acked) {
            Object key = Values.key(w.get("key"));
            if (!present.contains(key)) {
                lost.add(key);
            } else if (lost.isEmpty()) {
                lastSurvived = w.endNanos();
            }
        }
        lost.sort(Values::compareKeys);
        m.put("lost", lost.size());
        m.put("lost_keys", List.copyOf(lost.subList(0, Math.min(lost.size(), MAX_LISTED))));
        if (lastSurvived == null) {
            found.add("No acknowledged write before the disaster survived (" + lost.size() + " lost).");
            return;
        }
        double rpo = Math.max(0, (disaster - lastSurvived) / 1e9);
        m.put("rpo", rpo);
        found.add("RPO " + Format.seconds(rpo) + ": the last acknowledged write that survived (with all before it) was "
                + Format.seconds(rpo) + " before the disaster; " + lost.size() + " of " + acked.size()
                + " acknowledged writes were lost" + (lost.isEmpty() ? "." : " (first: " + preview(lost) + ")."));
    }

    private static void rto(List<Op> writes, Step restore, long disaster, Map<String, Object> m, List<String> found,
                            List<String> unknown) {
        long destroyed = Optional.ofNullable(restore.nanosOf("destroyed_nanos")).orElse(restore.nanos());
        Optional<Op> first = writes.stream().filter(w -> w.isOk() && w.startNanos() > destroyed)
                .min(Comparator.comparingLong(Op::endNanos));
        m.put("restore_step", (restore.returned() - restore.nanos()) / 1e9);
        Map<String, Object> stages = new LinkedHashMap<>();
        Long begin = Values.longValue(restore.detail(), "restore_begin_ms");
        Long end = Values.longValue(restore.detail(), "restore_end_ms");
        Long promoted = Values.longValue(restore.detail(), "promoted_ms");
        Long leader = Values.longValue(restore.detail(), "leader_ms");
        if (begin != null && end != null) stages.put("restore", (end - begin) / 1000.0);
        if (end != null && promoted != null) stages.put("replay", (promoted - end) / 1000.0);
        if (promoted != null && leader != null) stages.put("patroni", (leader - promoted) / 1000.0);
        if (first.isEmpty()) {
            unknown.add("no write was acknowledged after the restore");
            m.put("stages", stages);
            return;
        }
        double rto = (first.get().endNanos() - disaster) / 1e9;
        if (leader != null) {
            stages.put("routing", Math.max(0, (first.get().endNanos() - restore.nanos()) / 1e9 - leader / 1000.0));
        }
        m.put("rto", rto);
        m.put("stages", stages);
        found.add("RTO " + Format.seconds(rto) + ": the first write acknowledged by the restored cluster came "
                + Format.seconds(rto) + " after the disaster (stages " + stages + ").");
    }

    private static void restoreExact(List<Op> writes, Set<Object> present, Step bad, Step restore,
                                     Map<String, Object> m, List<String> found, List<String> invalid) {
        Long pointBegin = bad.nanosOf("point_begin_nanos");
        Long pointEnd = bad.nanosOf("point_end_nanos");
        if (pointBegin == null || pointEnd == null) {
            return;
        }
        long destroyed = Optional.ofNullable(restore.nanosOf("destroyed_nanos")).orElse(restore.nanos());
        List<Object> missing = new ArrayList<>();
        List<Object> extra = new ArrayList<>();
        int checked = 0;
        for (Op w : writes) {
            Object key = Values.key(w.get("key"));
            if (key == null) {
                continue;
            }
            if (w.isOk() && w.endNanos() < pointBegin) {
                checked++;
                if (!present.contains(key)) missing.add(key);
            } else if (w.startNanos() > pointEnd && w.startNanos() < restore.nanos()) {
                // Written after the target and before the restore began: the restore must not have it.
                checked++;
                if (present.contains(key)) extra.add(key);
            }
        }
        missing.sort(Values::compareKeys);
        extra.sort(Values::compareKeys);
        int wrong = missing.size() + extra.size();
        m.put("restore_exact", wrong);
        m.put("restore_checked", checked);
        m.put("restore_missing_keys", List.copyOf(missing.subList(0, Math.min(missing.size(), MAX_LISTED))));
        m.put("restore_extra_keys", List.copyOf(extra.subList(0, Math.min(extra.size(), MAX_LISTED))));
        String target = String.valueOf(restore.detail().getOrDefault("to", "restore-point"));
        if (wrong == 0) {
            found.add("The point-in-time restore (to " + target + ") landed exactly on its target: " + checked
                    + " keys checked, every one written before it present, none written after it.");
        } else {
            invalid.add("The point-in-time restore (to " + target + ") missed its target: " + missing.size()
                    + " keys acknowledged before it are missing" + (missing.isEmpty() ? "" : " (first: " + preview(missing) + ")")
                    + ", " + extra.size() + " keys written after it are present" + (extra.isEmpty() ? "" : " (first: " + preview(extra) + ")") + ".");
        }
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static double orZero(Double v) {
        return v == null ? 0 : v;
    }

    private static String preview(List<Object> keys) {
        List<String> first = keys.stream().limit(5).map(String::valueOf).toList();
        return String.join(", ", first) + (keys.size() > 5 ? ", ..." : "");
    }
}
