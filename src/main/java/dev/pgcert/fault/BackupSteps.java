package dev.pgcert.fault;

/** The backup and disaster steps, registered in {@link FaultRegistry#standard()}. Each needs a topology with {@code backup:}. */
final class BackupSteps {
    private BackupSteps() {}

    static void register(FaultRegistry r) {
        r.register("backup", "type: full|diff|incr (default full), repo (default 1)",
                p -> new BackupStep(p.id(), p.parse("type", "full", BackupStep.Type::parse), (int) p.whole("repo", 1, 1, 2)));
        r.register("destroy-cluster", "no parameters: kills every node and empties every data volume; the repository stays",
                p -> new DestroyClusterStep(p.id()));
        r.register("bad-statement", "statement: delete|drop (default delete): a restore point, then the statement on the ledger",
                p -> new BadStatementStep(p.id(), p.parse("statement", "delete", BadStatementStep.Statement::parse)));
        r.register("restore", "to: latest|restore-point|time (default latest), within (default 1h)",
                p -> new RestoreStep(p.id(), p.parse("to", "latest", RestoreStep.To::parse),
                        p.duration("within", RestoreStep.DEFAULT_WITHIN)));
        r.register("ballast", "size (default 10MB): grows the database by about that much before a backup",
                p -> new BallastStep(p.id(), p.parse("size", "10MB", BallastStep::parseSize)));
        r.register("archive-outage", "repo (default 1): the repository's archive unwritable until healed",
                p -> new ArchiveOutageStep(p.id(), (int) p.whole("repo", 1, 1, 2)));
    }
}
