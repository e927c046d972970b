package dev.pgcert.load;

import java.nio.file.Path;

/**
 * How a load run ended.
 *
 * @param exitCode  the load JVM's exit code (0: Gatling finished; after {@link RunningLoad#stop()}
 *                  Gatling may report the early stop as a failure)
 * @param stopped   whether it was stopped before its duration was over
 * @param progress  the last progress line
 * @param history   the history file
 * @param log       the load JVM's stdout and stderr
 * @param report    Gatling's HTML report directory (with index.html), or null if none was written
 */
public record LoadResult(int exitCode, boolean stopped, LoadProgress progress, Path history, Path log, Path report) {}
