package io.statefulset.agent.replication.infofile;

import io.statefulset.agent.replication.ReplicationSetupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the position a clone left in the data dir. A non-empty slave info file wins over the binlog info file: a
 * backup taken on a replica also has a binlog info file, but its coordinates are that replica's own binlog, which
 * the new replica's source (the primary) does not have. MariaDB 11.1+ writes {@code mariadb_backup_*} names, older
 * tools {@code xtrabackup_*}; both are looked for, the newer names first.
 */
public final class BackupInfoFiles {
    public static final List<String> SLAVE_INFO = List.of("mariadb_backup_slave_info", "xtrabackup_slave_info");
    public static final List<String> BINLOG_INFO = List.of("mariadb_backup_binlog_info", "xtrabackup_binlog_info");
    /** Real files are under 1 KiB; a GTID set of many servers stays far below this. */
    static final int MAX_BYTES = 64 * 1024;

    private BackupInfoFiles() {}

    /** @return empty when the data dir holds no info file (it was not cloned by a backup tool) */
    public static Optional<ClonePosition> read(Path dataDir) {
        for (String name : SLAVE_INFO) {
            Path file = dataDir.resolve(name);
            if (Files.isRegularFile(file)) {
                String text = text(file);
                if (!text.isBlank()) return Optional.of(SlaveInfoParser.parse(name, text));
            }
        }
        for (String name : BINLOG_INFO) {
            Path file = dataDir.resolve(name);
            if (Files.isRegularFile(file)) return Optional.of(BinlogInfoParser.parse(name, text(file)));
        }
        return Optional.empty();
    }

    private static String text(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new ReplicationSetupException("cannot read " + file + ": " + e.getMessage()
                    + " (check the data dir volume and its permissions)", e);
        }
        String name = file.getFileName().toString();
        if (bytes.length > MAX_BYTES) {
            throw new InvalidInfoFileException(name, 1, "the file is larger than " + MAX_BYTES + " bytes", "a few lines");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInfoFileException(name, 1, "the file is not text (invalid UTF-8)", "the text the backup tool writes");
        }
    }
}
