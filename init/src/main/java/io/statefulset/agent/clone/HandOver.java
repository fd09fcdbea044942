package io.statefulset.agent.clone;

import io.statefulset.agent.common.fs.FileTree;
import io.statefulset.agent.common.fs.Fsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a prepared clone from the staging area into the data dir so that {@code mysql/}, the directory mysqld and
 * the tutorial take for "initialised", appears only once everything else is in place and on disk. Every step is a
 * rename within one filesystem, so the hand-over is idempotent: run again after a crash, it moves what is left.
 */
public final class HandOver {
    private static final Logger log = LoggerFactory.getLogger(HandOver.class);

    /** Told before each rename; tests throw from it to stop the hand-over at every possible point. */
    public interface Steps {
        Steps NONE = entry -> {};

        void moving(Path stagedEntry) throws IOException;
    }

    private final Steps steps;

    public HandOver() {
        this(Steps.NONE);
    }

    public HandOver(Steps steps) {
        this.steps = steps;
    }

    /** @return how many top-level entries were moved by this call */
    public int run(Path staged, Path dataDir) throws IOException {
        // Only outside damage removes it; then there is nothing left to move, and a data dir still without mysql/
        // is cloned again by the next init.
        if (!Files.isDirectory(staged, LinkOption.NOFOLLOW_LINKS)) return 0;
        List<Path> entries;
        try (Stream<Path> list = Files.list(staged)) {
            entries = new ArrayList<>(list.sorted().toList());
        }
        Path stagedMysql = staged.resolve(CloneStaging.MYSQL_DIR);
        boolean mysqlPending = entries.remove(stagedMysql);
        if (mysqlPending) {
            // Something else's mysql/ (outside damage) must not make the data dir look finished before we are.
            replaceDebris(dataDir.resolve(CloneStaging.MYSQL_DIR));
        }
        int moved = 0;
        for (Path entry : entries) {
            move(entry, dataDir);
            moved++;
        }
        // Everything but mysql/ is in place: make those renames durable before the one that declares completion.
        Fsync.path(dataDir);
        Fsync.path(staged);
        if (mysqlPending) {
            move(stagedMysql, dataDir);
            moved++;
            Fsync.path(dataDir);
            Fsync.path(staged);
        }
        return moved;
    }

    private void move(Path entry, Path dataDir) throws IOException {
        Path target = dataDir.resolve(entry.getFileName().toString());
        steps.moving(entry);
        replaceDebris(target);
        Files.move(entry, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void replaceDebris(Path target) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            log.warn("hand-over: replacing {} that was already in the data dir (not from this clone)", target);
            FileTree.delete(target);
        }
    }
}
