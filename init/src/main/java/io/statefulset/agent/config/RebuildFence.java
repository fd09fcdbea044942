package io.statefulset.agent.config;

import io.statefulset.agent.common.fs.AtomicFile;
import io.statefulset.agent.common.fs.Fsync;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the fresh server of a primary rebuilt by CLONE out of the replicas' reach until it holds the clone: a cnf in
 * the conf dir that mysqld includes, binding it to the loopback address. Without it a replica whose IO thread
 * reconnects in the second between the fresh server's start and {@code CLONE INSTANCE} stays connected to the empty
 * server, and when the clone replaces that server's binary logs under the dump thread the replica stops with 13114
 * (1236 "could not find next log"), which MySQL does not retry. {@code init} writes it beside the hand-over note;
 * {@code serve}, which reaches mysqld over the loopback address, lifts it just before the CLONE, so that the restart
 * that finishes the clone listens on every address with the cloned data.
 */
public final class RebuildFence {
    public static final String FILE_NAME = "agent-rebuild-fence.cnf";
    private static final String TEXT = """
            # Written by agent init: mysql-0 is being rebuilt by serve's CLONE from a replica (docs/clone-plugin.md).
            # Until the clone, only this pod reaches the empty server; serve deletes this file just before the CLONE.
            [mysqld]
            bind-address=127.0.0.1
            """;

    /**
     * What MySQL's CLONE creates in the recipient's data dir when it starts copying and keeps afterwards (the state
     * behind {@code performance_schema.clone_status}; seen on 8.0.33).
     */
    static final String CLONE_STATE_DIR = "#clone";

    private final Path confDir;

    private RebuildFence(Path confDir) {
        this.confDir = confDir;
    }

    public static RebuildFence in(Path confDir) {
        return new RebuildFence(confDir);
    }

    public Path path() {
        return confDir.resolve(FILE_NAME);
    }

    public boolean present() {
        return Files.exists(path());
    }

    /** Whether this is the conf dir init fills ({@link ServerIdCnf} is always there): serve checks its mount. */
    public boolean confDirFilledByInit() {
        return Files.isRegularFile(confDir.resolve(ServerIdCnf.FILE_NAME));
    }

    /** Whether a CLONE has run into this data dir (completed or not): then serve has lifted the fence already. */
    public static boolean cloneRanInto(Path dataDir) {
        return Files.isDirectory(dataDir.resolve(CLONE_STATE_DIR));
    }

    public void raise() throws IOException {
        AtomicFile.write(path(), TEXT.getBytes(StandardCharsets.UTF_8));
    }

    /** @return whether there was a fence to lift */
    public boolean lift() throws IOException {
        boolean was = Files.deleteIfExists(path());
        if (was) Fsync.path(confDir);
        return was;
    }
}
