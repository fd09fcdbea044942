package io.statefulset.agent.backup;

import io.statefulset.agent.common.backuptool.ProgramPath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Widens the pipe between the backup tool and the JVM from Linux's default 64 KiB to 1 MiB. mariadb-backup writes
 * its stream in writes of ~2.4 MB; through a 64 KiB pipe it sleeps and wakes dozens of times per write, and the
 * donor side tops out well below what the tool can read (measured in bench/results/findings.md: the tool alone
 * 182-294 MB/s through 64 KiB, 421-464 MB/s through 1 MiB; clones 11-13 % faster). Java cannot {@code fcntl} a
 * pipe, so the tool is started by {@code perl} (Essential in Debian and Ubuntu, present in every agent image),
 * which sets {@code F_SETPIPE_SZ} on its stdout and then {@code exec}s the tool: same pid, same argv, nothing
 * stays in between. Without perl the tool is started directly, as before.
 */
final class WidePipe {
    /** Linux {@code F_SETPIPE_SZ}; a failure (not a pipe, above /proc/sys/fs/pipe-max-size) is ignored. */
    private static final String SCRIPT =
            "fcntl(STDOUT, 1031, 1048576); exec { $ARGV[0] } @ARGV or die \"cannot run $ARGV[0]: $!\\n\"";

    private WidePipe() {}

    static List<String> wrap(List<String> argv, Map<String, String> env) {
        Optional<Path> perl = ProgramPath.find("perl", env);
        if (perl.isEmpty()) return argv;
        List<String> wrapped = new ArrayList<>(List.of(perl.get().toString(), "-e", SCRIPT, "--"));
        wrapped.addAll(argv);
        return wrapped;
    }
}
