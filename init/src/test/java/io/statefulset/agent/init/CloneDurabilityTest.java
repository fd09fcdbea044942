package io.statefulset.agent.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statefulset.agent.clone.CloneStaging;
import io.statefulset.agent.testing.BackupStream;
import io.statefulset.agent.testing.DatabaseServer;
import io.statefulset.agent.testing.DatabaseServerExtension;
import io.statefulset.agent.testing.TestDonor;
import io.statefulset.agent.testing.TestDonor.Script;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A clone of a few thousand files is durable by the rules in the README, checked on the system calls a real
 * {@code init} (and the {@code --prepare} it runs) makes, recorded with strace: before {@code mysql/} is renamed into
 * the data dir, every file's last write is followed by a sync that covers it (an fsync of it, or a syncfs of its
 * file system) and every directory's last change of entries by an fsync of that directory.
 */
class CloneDurabilityTest {
    static final int TABLES = 1500;
    static final String TRACED = "openat,creat,write,pwrite64,writev,pwritev,pwritev2,ftruncate,fallocate,fsync,fdatasync,"
            + "syncfs,sync,rename,renameat,renameat2,mkdir,mkdirat,unlink,unlinkat,rmdir,execve";
    private static final Pattern CALL = Pattern.compile("^(\\d+) +(\\w+)\\((.*)\\) += (-?\\d+)");
    private static final Pattern FD_PATH = Pattern.compile("^-?\\d+<([^>]*)>");
    /** A path argument, with the directory descriptor before it when the call has one. */
    private static final Pattern PATH_ARG = Pattern.compile("(?:(?:AT_FDCWD|-?\\d+<([^>]*)>), )?\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern EXITED = Pattern.compile("^(\\d+) \\+\\+\\+ exited with");

    @RegisterExtension
    DatabaseServerExtension servers = new DatabaseServerExtension();

    @Test
    void everyFileAndDirectoryIsSyncedBeforeMysqlAppears() throws Exception {
        DatabaseServer donor = servers.start(100);
        List<String> ddl = new ArrayList<>(List.of("CREATE DATABASE many"));
        for (int t = 1; t <= TABLES; t++) {
            ddl.add("CREATE TABLE many.t" + t + " (id INT PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB");
            ddl.add("INSERT INTO many.t" + t + " VALUES (" + t + ", 'row of table " + t + "')");
        }
        donor.execute(ddl.toArray(String[]::new));
        Path work = servers.tempDir("durable-");
        Path stream = BackupStream.capture(donor, work.resolve("backup.xbstream"));
        InitFixture init = new InitFixture(Files.createDirectories(work.resolve("init")));
        Path trace = work.resolve("strace.txt");
        try (TestDonor source = TestDonor.start(stream, Script.http())) {
            // No --seccomp-bpf: with it strace sometimes missed every call of the spawned children (prepare, sync).
            List<String> command = new ArrayList<>(List.of("strace", "-f", "-q", "-y", "-s", "0",
                    "-e", "trace=" + TRACED, "-o", trace.toString()));
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), InitProcessMain.class.getName(), "mysql-1",
                    init.configMap.toString(), init.conf.toString(), init.data.toString(), source.address().toString(), "60"));
            Path log = work.resolve("init.log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "init under strace finished");
            assertEquals(0, p.exitValue(), Files.readString(log));
        }

        Trace t = Trace.read(trace, init.data);
        assertTrue(t.mysqlRename >= 0, "the hand-over renamed mysql/ into the data dir");
        // strace -f now and then misses a spawned child's calls on a loaded machine (seen in CI-like runs, about one in
        // several): without the prepare run in the trace the judgement below would be vacuous for prepare's writes, so
        // such a run proves nothing either way.
        org.junit.jupiter.api.Assumptions.assumeTrue(t.lastToolExit > 0,
                "strace did not record the prepare run (its execve or exit): this trace cannot judge durability");
        List<String> files = new ArrayList<>();
        List<String> dirs = new ArrayList<>(List.of(Trace.DATA_DIR));
        try (Stream<Path> walk = Files.walk(init.data)) {
            for (Path p : walk.toList()) {
                if (p.equals(init.data)) continue;
                String key = init.data.relativize(p).toString();
                if (key.startsWith(".agent-")) continue; // init's own bookkeeping, not part of the clone
                if (Files.isDirectory(p)) dirs.add(key);
                else files.add(key);
            }
        }
        assertTrue(files.size() >= 2 * TABLES, "a clone of a few thousand files: " + files.size());
        List<String> unsynced = new ArrayList<>();
        for (String f : files) {
            long lastWrite = Math.max(t.lastWrite.getOrDefault(f, -1L), t.lastToolExit);
            if (!t.syncedBetween(f, lastWrite, t.mysqlRename, true)) unsynced.add("file " + f + " (last write at line " + lastWrite + ")");
        }
        for (String d : dirs) {
            Long change = t.lastEntryChange.get(d);
            if (change != null && !t.syncedBetween(d, change, t.mysqlRename, false)) {
                unsynced.add("directory " + d + " (entries changed at line " + change + ")");
            }
        }
        assertEquals(List.of(), unsynced.subList(0, Math.min(10, unsynced.size())),
                unsynced.size() + " of " + (files.size() + dirs.size()) + " not durable before mysql/ appeared (line "
                        + t.mysqlRename + "; syncfs calls " + t.syncfs.stream().map(s -> s[0] + "-" + s[1]).toList()
                        + ", prepare exited at line " + t.lastToolExit + ")");
    }

    /** What the strace log says, by path relative to the data dir (the staging area's data/ mapped onto it). */
    static final class Trace {
        static final String DATA_DIR = "/";
        final Map<String, Long> lastWrite = new HashMap<>();
        /** entry changes up to the mysql/ rename (the staging area's removal after it changes the data dir again) */
        final Map<String, Long> lastEntryChange = new HashMap<>();
        private final Map<String, List<Long>> entryChanges = new HashMap<>();
        final Map<String, List<long[]>> fsyncs = new HashMap<>();
        final List<long[]> syncfs = new ArrayList<>();
        long mysqlRename = -1;
        long lastToolExit = -1;
        private final Path dataDir;
        private final Path staged;

        private Trace(Path dataDir) {
            this.dataDir = dataDir;
            this.staged = dataDir.resolve(CloneStaging.DIR).resolve("data");
        }

        static Trace read(Path file, Path dataDir) throws Exception {
            Trace t = new Trace(dataDir);
            Map<String, String> pending = new HashMap<>();
            Map<String, Long> pendingAt = new HashMap<>();
            Set<String> toolPids = new HashSet<>();
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                int space = line.indexOf(' ');
                if (space < 0) continue;
                String pid = line.substring(0, space);
                long entry = i;
                // the backup tool's process, however strace splits its execve line
                if (line.contains(" execve(\"") && (line.contains("mariadb-backup\"") || line.contains("mariabackup\"")
                        || line.contains("xtrabackup\""))) {
                    toolPids.add(pid);
                }
                if (line.endsWith("<unfinished ...>")) {
                    pending.put(pid, line.substring(0, line.length() - "<unfinished ...>".length()));
                    pendingAt.put(pid, (long) i);
                    continue;
                }
                int resumed = line.indexOf(" resumed>");
                if (line.startsWith(pid + " <... ") && resumed > 0 && pending.containsKey(pid)) {
                    line = pending.remove(pid) + line.substring(resumed + " resumed>".length());
                    entry = pendingAt.remove(pid);
                }
                Matcher exited = EXITED.matcher(line);
                if (exited.find() && toolPids.contains(exited.group(1))) t.lastToolExit = i;
                Matcher m = CALL.matcher(line);
                if (!m.find() || m.group(4).startsWith("-")) continue;
                t.call(m.group(2), m.group(3), entry, i);
            }
            t.entryChanges.forEach((dir, at) -> at.stream().filter(i -> i < t.mysqlRename).max(Long::compare)
                    .ifPresent(last -> t.lastEntryChange.put(dir, last)));
            return t;
        }

        private void call(String name, String args, long entry, long exit) {
            switch (name) {
                case "write", "pwrite64", "writev", "pwritev", "pwritev2", "ftruncate", "fallocate" -> {
                    String key = key(fdPath(args));
                    if (key != null) lastWrite.merge(key, exit, Math::max);
                }
                case "fsync", "fdatasync" -> {
                    String key = key(fdPath(args));
                    if (key != null) fsyncs.computeIfAbsent(key, k -> new ArrayList<>()).add(new long[] {entry, exit});
                }
                case "syncfs" -> {
                    String path = fdPath(args);
                    if (path != null && Path.of(path).startsWith(dataDir)) syncfs.add(new long[] {entry, exit});
                }
                case "openat", "creat" -> {
                    if (!name.equals("creat") && !args.contains("O_CREAT")) return;
                    List<Path> s = paths(args);
                    if (s.isEmpty()) return;
                    Path p = s.get(0);
                    changed(p.getParent(), exit);
                    String key = key(p.toString());
                    if (key != null) lastWrite.merge(key, exit, Math::max);
                }
                case "mkdir", "mkdirat", "unlink", "unlinkat", "rmdir" -> {
                    List<Path> s = paths(args);
                    if (!s.isEmpty()) changed(s.get(0).getParent(), exit);
                }
                case "rename", "renameat", "renameat2" -> {
                    List<Path> s = paths(args);
                    if (s.size() < 2) return;
                    Path from = s.get(0);
                    Path to = s.get(1);
                    changed(from.getParent(), exit);
                    changed(to.getParent(), exit);
                    String fromKey = key(from.toString());
                    String toKey = key(to.toString());
                    if (fromKey != null && toKey != null && !fromKey.equals(toKey) && lastWrite.containsKey(fromKey)) {
                        lastWrite.merge(toKey, lastWrite.get(fromKey), Math::max);
                    }
                    if (to.equals(dataDir.resolve(CloneStaging.MYSQL_DIR)) && mysqlRename < 0) mysqlRename = entry;
                }
                default -> { }
            }
        }

        /** Whether a sync of {@code key} (or, for a file, a syncfs) started after {@code after} and ended before {@code before}. */
        boolean syncedBetween(String key, long after, long before, boolean file) {
            List<long[]> candidates = new ArrayList<>(fsyncs.getOrDefault(key, List.of()));
            if (file) candidates.addAll(syncfs);
            for (long[] s : candidates) {
                if (s[0] > after && s[1] < before) return true;
            }
            return false;
        }

        private void changed(Path dir, long at) {
            if (dir == null) return;
            String key = key(dir.toString());
            if (key != null) entryChanges.computeIfAbsent(key, k -> new ArrayList<>()).add(at);
        }

        /**
         * The path arguments, resolved against their directory descriptor, else against the working directory: the
         * prepare runs in the staging dir, and the agent uses absolute paths.
         */
        private List<Path> paths(String args) {
            List<Path> out = new ArrayList<>();
            Matcher m = PATH_ARG.matcher(args);
            while (m.find()) {
                Path base = m.group(1) != null ? Path.of(m.group(1)) : staged;
                out.add(base.resolve(m.group(2)).normalize());
            }
            return out;
        }

        /** Relative to the data dir; the staging area's data/ stands for the data dir's content; others are null. */
        private String key(String path) {
            if (path == null) return null;
            Path p = Path.of(path).normalize();
            if (p.equals(dataDir)) return DATA_DIR;
            if (p.startsWith(staged)) return staged.relativize(p).toString();
            if (p.startsWith(dataDir) && !p.getName(dataDir.getNameCount()).toString().startsWith(CloneStaging.DIR)) {
                return dataDir.relativize(p).toString();
            }
            return null;
        }

        private static String fdPath(String args) {
            Matcher m = FD_PATH.matcher(args);
            return m.find() ? m.group(1) : null;
        }
    }
}
