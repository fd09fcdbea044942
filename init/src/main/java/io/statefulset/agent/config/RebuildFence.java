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
 * (1236 "could not find next log"), which MySQL does not retry. {@code init} raises it beside the hand-over note;
 * {@code serve}, which reaches mysqld over the loopback address, lifts it just before the CLONE, so that the restart
 * that finishes the clone listens on every address with the cloned data.
 *
 * <p>That serve lifted it for a clone is kept in the data dir ({@link #LIFTED}), not in the conf dir: the conf dir is
 * an emptyDir that a new pod starts without, and the next init must not fence a server that a clone is filling or
 * has filled (its replicas could never reach it). A clone that did not complete drops the mark and raises the fence
 * again, so that a restart before the next attempt, or a new pod's init, fences the empty server again.
 */
public final class RebuildFence {
    public static final String FILE_NAME = "agent-rebuild-fence.cnf";
    /** A dot-file, like the hand-over note: mysqld ignores it in its data dir. */
    static final String LIFTED = ".agent-rebuild-fence-lifted";
    private static final String TEXT = """
            # Written by agent init: mysql-0 is being rebuilt by serve's CLONE from a replica (docs/clone-plugin.md).
            # Until the clone, only this pod reaches the empty server; serve deletes this file just before the CLONE.
            [mysqld]
            bind-address=127.0.0.1
            """;

    private final Path confDir;
    private final Path dataDir;

    private RebuildFence(Path confDir, Path dataDir) {
        this.confDir = confDir;
        this.dataDir = dataDir;
    }

    /** @param confDir the conf dir mysqld includes, as this container mounts it; {@code dataDir} mysqld's data dir */
    public static RebuildFence of(Path confDir, Path dataDir) {
        return new RebuildFence(confDir, dataDir);
    }

    public Path path() {
        return confDir.resolve(FILE_NAME);
    }

    public boolean present() {
        return Files.exists(path());
    }

    /** Whether serve lifted it for a clone that has not failed since. */
    public boolean liftedForClone() {
        return Files.exists(dataDir.resolve(LIFTED));
    }

    /** Whether this is the conf dir init fills ({@link ServerIdCnf} is always there): serve checks its mount. */
    public boolean confDirFilledByInit() {
        return Files.isRegularFile(confDir.resolve(ServerIdCnf.FILE_NAME));
    }

    /** init's side: fences the empty server; and serve's after a clone that did not complete. */
    public void raise() throws IOException {
        // Mark first: a crash between the two leaves neither, and the next init raises the fence.
        Files.deleteIfExists(dataDir.resolve(LIFTED));
        AtomicFile.write(path(), TEXT.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * serve's side, just before the CLONE.
     *
     * @return whether there was a fence to lift
     */
    public boolean liftForClone() throws IOException {
        // Mark first: a crash between the two leaves both, and the next init lifts the fence, as this was about to.
        AtomicFile.write(dataDir.resolve(LIFTED), "serve lifted the rebuild fence for a CLONE\n".getBytes(StandardCharsets.UTF_8));
        return remove();
    }

    /**
     * No rebuild by CLONE pending (or done): no fence, no mark.
     *
     * @return whether there was a fence to remove
     */
    public boolean clear() throws IOException {
        boolean was = remove();
        Files.deleteIfExists(dataDir.resolve(LIFTED));
        return was;
    }

    private boolean remove() throws IOException {
        boolean was = Files.deleteIfExists(path());
        if (was) Fsync.path(confDir);
        return was;
    }
}
