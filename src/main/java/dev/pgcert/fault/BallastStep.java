package dev.pgcert.fault;

import dev.pgcert.yaml.Units;

/**
 * {@code {kind: ballast, size: 500MB}}: grows the database by about {@code size} (a table {@code pgcert_ballast}
 * of 1 kB rows of hex text, which compresses about as well as ordinary data), so a backup and its restore are
 * measured at a given size. Not undone: the data stays, as a real database's would.
 */
final class BallastStep extends BackupStepBase {
    static final long ROW_BYTES = 1024;

    private final long bytes;

    BallastStep(String id, long bytes) {
        super(id, "ballast");
        this.bytes = bytes;
    }

    static long parseSize(String text) {
        long size = Units.parseSize(text).orElseThrow(() -> new FaultException("size '" + text + "': expected "
                + Units.SIZE_EXAMPLES));
        if (size < ROW_BYTES) {
            throw new FaultException("size " + text + " is less than one ballast row (" + ROW_BYTES + " bytes)");
        }
        return size;
    }

    @Override
    protected void inject(FaultContext context) {
        long rows = bytes / ROW_BYTES;
        long begin = System.nanoTime();
        String node = attempt(id(), () -> repository(context).onPrimary(
                "CREATE TABLE IF NOT EXISTS pgcert_ballast (id bigserial PRIMARY KEY, filler text NOT NULL); "
                        + "INSERT INTO pgcert_ballast (filler) SELECT repeat(md5(g::text || random()::text), 31) "
                        + "FROM generate_series(1, " + rows + ") g"));
        resolvedTo(node);
        note("rows", rows);
        note("bytes", rows * ROW_BYTES);
        note("fill_ms", (System.nanoTime() - begin) / 1_000_000);
    }

    @Override
    protected void repair(FaultContext context) {
        // The data stays.
    }
}
