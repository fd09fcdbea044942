package io.statefulset.agent.clone;

import io.statefulset.agent.common.fs.AtomicFile;
import io.statefulset.agent.common.fs.Fsync;
import io.statefulset.agent.common.identity.HostPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code init} hands to {@code serve} when it chose the CLONE plugin: "seed this server by CLONE from this
 * donor mysqld". A file in the data dir because that is the only volume both containers share and keep across pod
 * restarts; its name starts with '.' because {@code mysqld --initialize} (MySQL 8.0, measured on 8.0.33) ignores
 * such entries in an otherwise empty data dir, so the mysql container still initialises a fresh server beside it.
 * serve deletes it only once {@code clone_status} says Completed.
 *
 * @param purpose what the clone is for: a new replica, or a primary whose volume was lost
 * @param donor   the donor's mysqld, as CLONE INSTANCE FROM connects to it
 */
public record SeedNote(Purpose purpose, HostPort donor) {
    public static final String FILE = ".agent-seed-by-clone";

    public enum Purpose {
        /** A replica with an empty data dir: clone it, then replicate by GTID. */
        REPLICA("replica"),
        /** Ordinal 0 with an empty data dir while peers hold data: clone it, then make it the primary again. */
        REBUILD_PRIMARY("rebuild-primary");

        private final String word;

        Purpose(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        static Purpose parse(String text) {
            for (Purpose p : values()) if (p.word.equals(text)) return p;
            throw new IllegalArgumentException("unknown purpose '" + text + "'");
        }
    }

    public static Path path(Path dataDir) {
        return dataDir.resolve(FILE);
    }

    public void write(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        String text = "# written by agent init: agent serve seeds this server with CLONE INSTANCE FROM the donor below,\n"
                + "# then deletes this file (docs/clone-plugin.md)\n"
                + "purpose=" + purpose.word() + "\n"
                + "donor=" + donor + "\n";
        AtomicFile.write(path(dataDir), text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @return empty when there is no note
     * @throws IOException naming the file when it is there but unreadable or not a note (delete it, or re-create the
     *                     data dir)
     */
    public static Optional<SeedNote> read(Path dataDir) throws IOException {
        Path p = path(dataDir);
        String text;
        try {
            text = Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Map<String, String> f = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq > 0) f.put(line.substring(0, eq).trim().toLowerCase(Locale.ROOT), line.substring(eq + 1).trim());
        }
        try {
            return Optional.of(new SeedNote(Purpose.parse(f.getOrDefault("purpose", "")),
                    HostPort.parse(f.getOrDefault("donor", ""), 3306)));
        } catch (IllegalArgumentException e) {
            throw new IOException(p + " is not a clone hand-over from agent init (" + e.getMessage() + "): delete it, and"
                    + " the next init decides again", e);
        }
    }

    /** Removes the note of {@code dataDir}, if any, durably. */
    public static void delete(Path dataDir) throws IOException {
        if (Files.deleteIfExists(path(dataDir))) Fsync.path(dataDir);
    }

    public String describe() {
        return (purpose == Purpose.REPLICA ? "seed this replica" : "rebuild the primary") + " by CLONE from " + donor;
    }
}
