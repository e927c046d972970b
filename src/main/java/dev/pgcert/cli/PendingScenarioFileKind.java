package dev.pgcert.cli;

import dev.pgcert.yaml.Problems;
import dev.pgcert.yaml.YamlDocument;
import dev.pgcert.yaml.YamlMap;

/**
 * Recognizes scenario files ({@code topology:} and {@code phases:}) so they get a clear message
 * until the scenario loader provides a real validator; replace this in {@link FileKinds} then.
 */
final class PendingScenarioFileKind implements FileKind {

    @Override
    public String name() {
        return "scenario";
    }

    @Override
    public String markers() {
        return "a scenario has 'topology' and 'phases'";
    }

    @Override
    public boolean recognizes(YamlMap root) {
        return root.has("phases") || root.has("topology");
    }

    @Override
    public Result validate(YamlDocument document) {
        Problems problems = document.problems();
        problems.error(document.root().location(), "", "this looks like a scenario file; this build of pgcert "
                + "cannot validate scenario files yet");
        problems.throwIfErrors();
        throw new IllegalStateException("unreachable");
    }
}
