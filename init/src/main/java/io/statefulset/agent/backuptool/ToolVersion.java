package io.statefulset.agent.backuptool;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backup tool's version, from {@code <tool> --version}: "xtrabackup version 8.0.35-30 based on MySQL server
 * 8.0.35" gives 8.0.35, "mariadb-backup based on MariaDB server 10.11.19-MariaDB" gives 10.11.19.
 */
public record ToolVersion(int major, int minor, int patch) implements Comparable<ToolVersion> {
    private static final Pattern TRIPLE = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final long TIMEOUT_SECONDS = 10;

    public static Optional<ToolVersion> parse(String versionOutput) {
        Matcher m = TRIPLE.matcher(versionOutput);
        if (!m.find()) return Optional.empty();
        try {
            return Optional.of(new ToolVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Runs {@code <tool> --version}; empty when it cannot run, hangs or prints no version. */
    public static Optional<ToolVersion> detect(BackupTool tool, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(tool.executable().toString(), "--version").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readNBytes(4096);
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public boolean atLeast(int major, int minor, int patch) {
        return compareTo(new ToolVersion(major, minor, patch)) >= 0;
    }

    @Override
    public int compareTo(ToolVersion o) {
        if (major != o.major) return Integer.compare(major, o.major);
        if (minor != o.minor) return Integer.compare(minor, o.minor);
        return Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
