package io.statefulset.agent.replication;

import io.statefulset.agent.common.fs.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A small file in the data dir that records a step of the replication setup, so that a restarted sidecar knows
 * what it already did. Two are used: {@link #CONFIGURED} ("done, never again"), written after {@code START SLAVE}
 * succeeded, and {@link #PENDING} ("this agent is configuring"), written before the first statement, so that a
 * replica found configured-but-stopped after a crash can be told apart from one that someone else configured.
 * Both live in the data dir so that they go away with it (a re-clone starts from scratch) and are written
 * atomically (temp file, fsync, rename, fsync of the directory).
 */
public final class ReplicationMarker {
    public static final String CONFIGURED = ".agent-replication-configured";
    public static final String PENDING = ".agent-replication-pending";

    private final Path file;

    private ReplicationMarker(Path file) {
        this.file = file;
    }

    public static ReplicationMarker configured(Path dataDir) {
        return new ReplicationMarker(dataDir.resolve(CONFIGURED));
    }

    public static ReplicationMarker pending(Path dataDir) {
        return new ReplicationMarker(dataDir.resolve(PENDING));
    }

    public Path path() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** @return empty when there is no marker; an unreadable or hand-made marker reads as an entry without fields */
    public Optional<Entry> read() {
        if (!Files.exists(file)) return Optional.empty();
        try {
            return Optional.of(Entry.parse(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new ReplicationSetupException("cannot read " + file + ": " + e.getMessage() + " (check the data dir volume)", e);
        }
    }

    public void write(Entry entry) {
        try {
            AtomicFile.write(file, entry.text().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ReplicationSetupException("cannot write " + file + ": " + e.getMessage()
                    + " (the data dir must be writable by the sidecar)", e);
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new ReplicationSetupException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * What a marker says. {@code serverId} ties it to the server that wrote it: a marker that came along with a
     * copied data dir belongs to another server and is not trusted.
     *
     * @param serverId empty for a marker made by hand ({@code touch}), which is honoured as "leave replication alone"
     */
    public record Entry(Optional<Instant> writtenAt, OptionalLong serverId, String source, String position) {
        public static Entry of(long serverId, String source, String position) {
            return new Entry(Optional.of(Instant.now()), OptionalLong.of(serverId), source, position);
        }

        String text() {
            return "# mysql-statefulset-agent: replication setup record. Delete this file (with STOP SLAVE; RESET SLAVE ALL)\n"
                    + "# to make `serve` set replication up again from the clone's info file.\n"
                    + "written_at=" + writtenAt.map(Instant::toString).orElse("") + "\n"
                    + "server_id=" + (serverId.isPresent() ? Long.toString(serverId.getAsLong()) : "") + "\n"
                    + "source=" + oneLine(source) + "\n"
                    + "position=" + oneLine(position) + "\n";
        }

        static Entry parse(String text) {
            Map<String, String> fields = new HashMap<>();
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
            Optional<Instant> at;
            try {
                at = Optional.ofNullable(fields.get("written_at")).filter(s -> !s.isEmpty()).map(Instant::parse);
            } catch (DateTimeParseException e) {
                at = Optional.empty();
            }
            OptionalLong id = OptionalLong.empty();
            String idText = fields.getOrDefault("server_id", "");
            if (idText.matches("\\d{1,18}")) id = OptionalLong.of(Long.parseLong(idText));
            return new Entry(at, id, fields.getOrDefault("source", ""), fields.getOrDefault("position", ""));
        }

        private static String oneLine(String s) {
            return s.replace('\n', ' ').replace('\r', ' ');
        }

        /** Written by the server with {@code serverId}, or by hand. */
        public boolean belongsTo(long currentServerId) {
            return serverId.isEmpty() || serverId.getAsLong() == currentServerId;
        }
    }
}
