package io.statefulset.agent.clone;

import io.statefulset.agent.common.fs.FileTree;
import io.statefulset.agent.common.fs.Fsync;
import io.statefulset.agent.common.fs.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The staging area of a clone, inside the data dir so that the hand-over is a set of same-filesystem renames (the
 * data dir itself is often a volume mount point and cannot be renamed):
 * <pre>
 *   &lt;data-dir&gt;/.agent-clone/state      "receiving" or "prepared": the only thing recovery trusts
 *   &lt;data-dir&gt;/.agent-clone/data/      the backup is extracted and prepared here
 *   &lt;data-dir&gt;/.agent-clone/prepare.log
 * </pre>
 * The area is born complete (built as {@code .agent-clone.new}, then renamed) and dies in one step (renamed to
 * {@code .agent-clone.done}, then deleted), so a {@code .agent-clone} without a readable state is impossible except by
 * outside damage, and the two temporary names are garbage whenever they are found.
 */
public final class CloneStaging {
    public static final String DIR = ".agent-clone";
    static final String CREATING = ".agent-clone.new";
    static final String DISCARDING = ".agent-clone.done";
    static final String STATE_FILE = "state";
    static final String DATA = "data";
    static final String PREPARE_LOG = "prepare.log";
    static final String RECEIVING = "receiving";
    static final String PREPARED = "prepared";
    /** What mysqld and the tutorial take for "this data dir is initialised". */
    public static final String MYSQL_DIR = "mysql";
    /** Created by mkfs on a volume's root; not ours to delete. */
    static final String LOST_FOUND = "lost+found";

    private final Path dataDir;

    public CloneStaging(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path root() {
        return dataDir.resolve(DIR);
    }

    /** Where the backup is extracted and prepared. */
    public Path data() {
        return root().resolve(DATA);
    }

    Path prepareLog() {
        return root().resolve(PREPARE_LOG);
    }

    /** Removes what an interrupted create or discard left behind; neither holds anything of value. */
    void removeLeftovers() throws IOException {
        FileTree.delete(dataDir.resolve(CREATING));
        FileTree.delete(dataDir.resolve(DISCARDING));
    }

    /** Reads the state from disk (call {@link #removeLeftovers()} first). */
    public DataDirState inspect() throws IOException {
        if (Files.isDirectory(root(), LinkOption.NOFOLLOW_LINKS)) {
            return PREPARED.equals(readState()) ? DataDirState.PREPARED : DataDirState.INTERRUPTED;
        }
        return Files.isDirectory(dataDir.resolve(MYSQL_DIR), LinkOption.NOFOLLOW_LINKS)
                ? DataDirState.INITIALISED : DataDirState.EMPTY;
    }

    private String readState() {
        try {
            List<String> lines = Files.readAllLines(root().resolve(STATE_FILE), StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : lines.get(0).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Empties the data dir (but {@code lost+found} and what {@link SetAside} keeps) before a clone. Only called when
     * there is no {@code mysql/}, so nothing here is a database: it is debris of an earlier attempt, and stale
     * top-level files (an old {@code xtrabackup_slave_info}) would mislead replication setup if they survived next to
     * a new clone.
     *
     * @return the names removed
     */
    public List<String> clearDataDir() throws IOException {
        if (dataDir.getParent() == null) {
            throw new IOException("refusing to clear " + dataDir + ": --data-dir must be mysqld's data dir, not a filesystem root");
        }
        Files.createDirectories(dataDir);
        List<String> removed = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dataDir)) {
            for (Path p : entries.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.equals(LOST_FOUND) || name.equals(SetAside.DIR)) continue;
                FileTree.delete(p);
                removed.add(name);
            }
        }
        if (!removed.isEmpty()) Fsync.path(dataDir);
        return removed;
    }

    /** Creates the staging area in state "receiving", with an empty {@code data/}. */
    void create() throws IOException {
        Path building = dataDir.resolve(CREATING);
        FileTree.delete(building);
        Files.createDirectories(building.resolve(DATA));
        AtomicFile.write(building.resolve(STATE_FILE), (RECEIVING + "\n").getBytes(StandardCharsets.UTF_8));
        Fsync.path(building.resolve(DATA));
        Fsync.path(building);
        Files.move(building, root(), StandardCopyOption.ATOMIC_MOVE);
        Fsync.path(dataDir);
    }

    /** Empties {@code data/} after a failed donor, so that the next one starts from nothing. */
    void resetData() throws IOException {
        FileTree.delete(data());
        FileTree.delete(prepareLog());
        Files.createDirectories(data());
    }

    /**
     * The commit point: from here on a restarted init finishes the hand-over instead of cloning again. Callers
     * fsync {@code data/} first, so that "prepared" never describes files still in the page cache.
     */
    void markPrepared(String origin) throws IOException {
        AtomicFile.write(root().resolve(STATE_FILE),
                (PREPARED + "\n" + origin.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Removes the staging area in one atomic step (the rename), then its remains. */
    void discard() throws IOException {
        if (!Files.exists(root(), LinkOption.NOFOLLOW_LINKS)) return;
        Path dying = dataDir.resolve(DISCARDING);
        FileTree.delete(dying);
        Files.move(root(), dying, StandardCopyOption.ATOMIC_MOVE);
        Fsync.path(dataDir);
        FileTree.delete(dying);
    }
}
