package dev.pgcert.cli;

import dev.pgcert.yaml.YamlMap;
import java.util.List;
import java.util.Optional;

/** The kinds of file {@code pgcert validate} understands, tried in order. */
final class FileKinds {

    static final List<FileKind> ALL = List.of(new TopologyFileKind(), new ScenarioFileKind());

    private FileKinds() {}

    static Optional<FileKind> of(YamlMap root) {
        return ALL.stream().filter(k -> k.recognizes(root)).findFirst();
    }

    static String markers() {
        return String.join(", ", ALL.stream().map(FileKind::markers).toList());
    }
}
