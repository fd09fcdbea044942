package io.statefulset.agent.clone;

import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.fs.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The donor failures a clone went through before it succeeded, by cause, left in the data dir by {@code init} for
 * {@code serve} (which starts later in the same pod) to export as {@code mysql_agent_clone_donor_failures{cause}}.
 * One {@code cause=count} line each; mysqld ignores a dot file in its data dir.
 */
public final class CloneFailureRecord {
    public static final String FILE = ".agent-donor-failures";
    /** A record is a few lines; anything bigger is not ours. */
    private static final long MAX_BYTES = 4096;

    private CloneFailureRecord() {}

    public static void write(Path dataDir, Map<FailureCause, Integer> failures) throws IOException {
        String text = failures.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().label() + "=" + e.getValue() + "\n").collect(Collectors.joining());
        AtomicFile.write(dataDir.resolve(FILE), text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the counts; empty when there is no readable record (no clone, or a data dir from elsewhere) */
    public static Map<FailureCause, Integer> read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        Map<FailureCause, Integer> counts = new EnumMap<>(FailureCause.class);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_BYTES) return counts;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq < 0) continue;
                Optional<FailureCause> cause = FailureCause.ofLabel(line.substring(0, eq).strip());
                try {
                    int n = Integer.parseInt(line.substring(eq + 1).strip());
                    if (cause.isPresent() && n >= 0) counts.merge(cause.get(), n, Integer::sum);
                } catch (NumberFormatException e) {
                    // not a count: skip the line, keep the others
                }
            }
        } catch (IOException e) {
            return new EnumMap<>(FailureCause.class);
        }
        return counts;
    }
}
