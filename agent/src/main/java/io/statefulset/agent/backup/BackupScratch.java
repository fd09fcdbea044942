package io.statefulset.agent.backup;

import io.statefulset.agent.common.secret.Secret;
import io.statefulset.agent.common.fs.FileTree;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup's private directory (mode 0700): the defaults file with the password (0600) and the tool's
 * {@code --target-dir} and {@code --tmpdir}. Deleted as a whole when the backup ends, however it ends; one left by a
 * killed serve is deleted by the next serve's {@link #removeStale}.
 *
 * <p>A dir is in use while its lock file beside it ({@code <dir>.lock}) is locked ({@link FileChannel#lock}) by the
 * process that made it: locked before the dir exists, unlocked and deleted after the dir is gone. The kernel drops
 * the lock when the process dies, however it dies (SIGKILL, OOM killer), so a dir whose lock can be taken is one no
 * live serve uses. Not a PID in the dir's name, even with the process's start time: in a container every serve is
 * PID 1 (or another low PID) again after a restart, and serves in different PID namespaces can share one TMPDIR, so
 * a PID can name a live stranger or look dead for a serve that is not; a lock is held through the open file, in any
 * namespace. The lock file is beside the dir, not in it, so that the dir's whole life lies inside the lock's: a lock
 * file inside would be missing for a moment at the dir's start and end, and a sweep could not tell those moments
 * from a dir that was abandoned. A lock file alone is left: it may be a serve's between making the two, and it is
 * empty (a kill in those microseconds leaves one).
 *
 * <p>These are POSIX record locks, which belong to the process, not to a channel: a second channel of this JVM
 * cannot test one ({@link OverlappingFileLockException}), and closing that channel silently drops the lock the
 * first one holds. So this JVM never opens the lock file of a dir it holds: it knows them ({@link #HELD}), and
 * creating and sweeping are serialised within it.
 */
final class BackupScratch {
    private static final Logger log = LoggerFactory.getLogger(BackupScratch.class);
    static final String PREFIX = "agent-backup-";
    static final String LOCK_SUFFIX = ".lock";
    private static final FileAttribute<?> OWNER_ONLY_DIR = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<?> OWNER_ONLY_FILE = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    /** The file keys (device and inode, immune to path spellings) of the lock files this JVM holds. */
    private static final Set<Object> HELD = ConcurrentHashMap.newKeySet();
    private static final Object JVM_GUARD = new Object();

    private final Path root;
    private final Path lockFile;
    private final Object key;
    private final FileChannel lock;

    private BackupScratch(Path root, Path lockFile, Object key, FileChannel lock) {
        this.root = root;
        this.lockFile = lockFile;
        this.key = key;
        this.lock = lock;
    }

    static BackupScratch create(Path parent, Optional<Secret> password) throws IOException {
        Files.createDirectories(parent);
        BackupScratch scratch = locked(parent);
        try {
            Files.createDirectory(scratch.root, OWNER_ONLY_DIR);
            Files.createDirectory(scratch.targetDir());
            Files.createDirectory(scratch.tmpDir());
            Path defaults = Files.createFile(scratch.defaultsFile(), OWNER_ONLY_FILE);
            Files.writeString(defaults, defaultsText(password), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return scratch;
        } catch (IOException | RuntimeException e) {
            scratch.delete();
            throw e;
        }
    }

    /** A held lock file, its dir not made yet. */
    private static BackupScratch locked(Path parent) throws IOException {
        synchronized (JVM_GUARD) {
            Path lockFile = Files.createTempFile(parent, PREFIX, LOCK_SUFFIX, OWNER_ONLY_FILE);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            try {
                channel.lock();
                Object key = fileKey(lockFile);
                HELD.add(key);
                return new BackupScratch(dirOf(lockFile), lockFile, key, channel);
            } catch (IOException | RuntimeException e) {
                channel.close();
                Files.deleteIfExists(lockFile);
                throw e;
            }
        }
    }

    /** A {@code [client]} group (read by mariadb-backup and xtrabackup) with the password quoted and escaped. */
    static String defaultsText(Optional<Secret> password) {
        StringBuilder sb = new StringBuilder("# written by mysql-statefulset-agent for one backup, deleted after it\n[client]\n");
        password.filter(p -> !p.isEmpty()).ifPresent(p -> sb.append("password=\"").append(escape(p.reveal())).append("\"\n"));
        return sb.toString();
    }

    // The option-file parser unescapes \\ \" \n \r \t inside a quoted value; '#' and spaces are safe once quoted.
    private static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    Path root() {
        return root;
    }

    Path defaultsFile() {
        return root.resolve("client.cnf");
    }

    Path targetDir() {
        return root.resolve("target");
    }

    Path tmpDir() {
        return root.resolve("tmp");
    }

    void delete() throws IOException {
        try {
            FileTree.delete(root);
            Files.deleteIfExists(lockFile);
        } catch (IOException e) {
            throw new IOException("could not delete backup scratch dir " + root + ": " + e.getMessage(), e);
        } finally {
            synchronized (JVM_GUARD) {
                lock.close();
                HELD.remove(key);
            }
        }
    }

    /** What a sweep found: the names of the dirs it removed, and per dir it could not remove, its name and why. */
    record Sweep(List<String> removed, List<String> failed) {}

    /**
     * Removes the scratch dirs in {@code parent} that no live process holds, with their lock files: call it when
     * serve starts, before it takes backups. Anything else in {@code parent} (files, symlinks, dirs of other names or
     * owners) is left.
     */
    static Sweep removeStale(Path parent) {
        List<String> removed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        if (!Files.isDirectory(parent)) return new Sweep(removed, failed);
        synchronized (JVM_GUARD) {
            List<Path> dirs;
            int ownUid;
            try (Stream<Path> entries = Files.list(parent)) {
                dirs = entries.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                        .sorted().toList();
                ownUid = ownUid();
            } catch (IOException e) {
                log.warn("could not look for stale backup scratch dirs in {}: {}", parent, e.getMessage());
                return new Sweep(removed, List.of(parent + ": " + e.getMessage()));
            }
            for (Path dir : dirs) {
                try {
                    if (removeIfStale(dir, ownUid)) removed.add(dir.getFileName().toString());
                } catch (IOException e) {
                    failed.add(dir.getFileName() + ": " + e.getMessage());
                    log.warn("could not remove stale backup scratch dir {} (it may hold a MySQL password): {}; delete it by hand",
                            dir, e.getMessage());
                }
            }
        }
        if (!removed.isEmpty()) {
            log.info("removed {} stale backup scratch dir(s) left by a killed serve ({})", removed.size(), String.join(", ", removed));
        }
        return new Sweep(List.copyOf(removed), List.copyOf(failed));
    }

    /** Removes {@code dir} and its lock file when no live process holds the lock. */
    private static boolean removeIfStale(Path dir, int ownUid) throws IOException {
        Path lockFile = dir.resolveSibling(dir.getFileName() + LOCK_SUFFIX);
        FileChannel channel;
        try {
            // Another user's entry is not ours to judge, and its owner could swap a subdir for a symlink while we delete.
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && uid(dir) != ownUid) return false;
            if (uid(lockFile) != ownUid || HELD.contains(fileKey(lockFile))) return false;
            channel = FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            // Its serve just deleted both; or a dir without a lock file, abandoned for good: a serve makes the lock file
            // before the dir and deletes it after the dir (agents before the lock files made none).
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS) || Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) return false;
            FileTree.delete(dir);
            return true;
        }
        try (channel) {
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return false; // this JVM holds it under a key HELD did not catch; in use all the same
            }
            if (held == null) return false; // a live process holds it
            // Taken after its serve deleted and released it: that serve finished, nothing is stale.
            if (!Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) return false;
            boolean existed = Files.exists(dir, LinkOption.NOFOLLOW_LINKS); // gone if killed between deleting the two
            FileTree.delete(dir);
            Files.delete(lockFile);
            return existed;
        }
    }

    private static Path dirOf(Path lockFile) {
        String name = lockFile.getFileName().toString();
        return lockFile.resolveSibling(name.substring(0, name.length() - LOCK_SUFFIX.length()));
    }

    private static Object fileKey(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /** The user this process runs as: {@code /proc/self} is owned by it (Linux, where serve runs). */
    private static int ownUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    private static int uid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }
}
