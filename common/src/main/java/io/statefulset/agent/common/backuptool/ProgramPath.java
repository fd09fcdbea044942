package io.statefulset.agent.common.backuptool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Where a program is, the way a shell finds it: a path as given, else the first executable file on PATH. */
public final class ProgramPath {
    private ProgramPath() {}

    public static Optional<Path> find(String name, Map<String, String> env) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) && !Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        for (String dir : searchPath(env).split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    public static String searchPath(Map<String, String> env) {
        return env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    }
}
