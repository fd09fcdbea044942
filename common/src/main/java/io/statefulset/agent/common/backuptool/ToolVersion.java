package io.statefulset.agent.common.backuptool;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backup tool's version, from {@code <tool> --version}: "xtrabackup version 8.0.35-30 based on MySQL server
 * 8.0.35" gives Percona 8.0.35, "mariadb-backup based on MariaDB server 10.11.19-MariaDB" gives MariaDB 10.11.19.
 * The flavour comes from the output, not from the program's name, which a wrapper script may change.
 *
 * @param percona whether it is Percona XtraBackup (else MariaDB's fork or unknown)
 */
public record ToolVersion(boolean percona, int major, int minor, int patch) implements Comparable<ToolVersion> {
    private static final Pattern TRIPLE = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final long TIMEOUT_SECONDS = 10;

    public static Optional<ToolVersion> parse(String versionOutput) {
        Matcher m = TRIPLE.matcher(versionOutput);
        if (!m.find()) return Optional.empty();
        boolean percona = versionOutput.contains("xtrabackup version") && !versionOutput.contains("MariaDB");
        try {
            return Optional.of(new ToolVersion(percona, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Runs {@code <tool> --version}; empty when it cannot run, hangs or prints no version. The output goes to a file,
     * not a pipe: a wrapper script's child may hold a pipe open long after the version is printed.
     */
    public static Optional<ToolVersion> detect(BackupTool tool, Map<String, String> env) {
        Path out = null;
        Process p = null;
        try {
            out = Files.createTempFile("backup-tool-version-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(tool.executable().toString(), "--version").redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(env);
            p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            Optional<ToolVersion> version = Optional.empty();
            // Done at the exit, or as soon as a version line is out (a wrapper may linger after printing it).
            while (version.isEmpty() && System.nanoTime() < deadline) {
                boolean exited = p.waitFor(20, TimeUnit.MILLISECONDS);
                version = read(out);
                if (exited) break;
            }
            return version;
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (p != null) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file of a few bytes; the OS cleans tmp
                }
            }
        }
    }

    private static Optional<ToolVersion> read(Path out) throws IOException {
        try (InputStream in = Files.newInputStream(out)) {
            String text = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            return text.contains("\n") ? parse(text) : Optional.empty();
        }
    }

    public boolean atLeast(int major, int minor, int patch) {
        return compareTo(new ToolVersion(percona, major, minor, patch)) >= 0;
    }

    @Override
    public int compareTo(ToolVersion o) {
        if (major != o.major) return Integer.compare(major, o.major);
        if (minor != o.minor) return Integer.compare(minor, o.minor);
        return Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return (percona ? "xtrabackup " : "") + major + "." + minor + "." + patch;
    }
}
