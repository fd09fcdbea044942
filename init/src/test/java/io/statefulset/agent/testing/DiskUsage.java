package io.statefulset.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What files take on disk (st_blocks, as {@code du} counts it), which Java's file attributes do not show. */
public final class DiskUsage {
    private DiskUsage() {}

    /** Allocated bytes of each file, in order. */
    public static List<Long> allocated(List<Path> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("stat", "-c", "%b %B"));
        for (Path f : files) command.add(f.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("stat failed: " + out);
        List<Long> sizes = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            String[] f = line.trim().split(" ");
            sizes.add(Long.parseLong(f[0]) * Long.parseLong(f[1]));
        }
        return sizes;
    }

    public static long allocated(Path file) throws IOException, InterruptedException {
        return allocated(List.of(file)).get(0);
    }
}
