package io.statefulset.agent.common.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret file as Kubernetes updates it, read through the one watcher ({@code common.watch.Reloadable}). */
class SecretSourceTest {
    @TempDir
    Path dir;

    @Test
    void aChangedFileIsUsedAndTheRotationHeardOfWithoutTheValues() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "first\n");
        SecretSource source = SecretSource.file(file, "the test token");
        List<String> heard = new ArrayList<>();
        source.onRotation((before, after) -> heard.add(before.reveal() + "->" + after.reveal()));
        var loadedAt = source.loadedAt();

        Files.writeString(file, "second\n");
        source.watched().orElseThrow().refresh();

        assertEquals("second", source.current().reveal());
        assertEquals(List.of("first->second"), heard);
        assertTrue(!source.loadedAt().isBefore(loadedAt));
    }

    @Test
    void theSameContentWrittenAgainIsNoRotation() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "same\n");
        SecretSource source = SecretSource.file(file, "the test token");
        List<String> heard = new ArrayList<>();
        source.onRotation((before, after) -> heard.add("rotated"));
        Files.writeString(file, "same\n");
        source.watched().orElseThrow().refresh();
        assertEquals(List.of(), heard);
    }

    @Test
    void aSymlinkSwappedVolumeIsSeen() throws Exception {
        // The kubelet's layout: token -> ..data/token, ..data -> ..v1; an update swaps ..data in one rename.
        Files.createDirectory(dir.resolve("..v1"));
        Files.writeString(dir.resolve("..v1/token"), "old");
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..v1"));
        Files.createSymbolicLink(dir.resolve("token"), Path.of("..data/token"));
        SecretSource source = SecretSource.file(dir.resolve("token"), "the test token");

        Files.createDirectory(dir.resolve("..v2"));
        Files.writeString(dir.resolve("..v2/token"), "new");
        Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v2"));
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        source.watched().orElseThrow().refresh();

        assertEquals("new", source.current().reveal());
    }

    @Test
    void anEmptyNewFileKeepsTheLastGoodSecretAndSaysWhyOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "good\n");
        SecretSource source = SecretSource.file(file, "the test token");
        String log = captureErr(() -> {
            Files.writeString(file, "\n");
            for (int i = 0; i < 3; i++) source.watched().orElseThrow().refresh();
            assertEquals("good", source.current().reveal());
            Files.writeString(file, "better\n");
            source.watched().orElseThrow().refresh();
        });
        assertEquals(1, log.lines().filter(l -> l.contains("cannot be used: the file is empty")).count(), log);
        assertEquals("better", source.current().reveal(), "a good file after a bad one is used");
        assertFalse(log.contains("good") && log.contains("better"), "no secret in the log: " + log);
    }

    @Test
    void anUnreadableNewFileKeepsTheLastGoodSecretAndSaysWhyOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "good\n");
        SecretSource source = SecretSource.file(file, "the test token");
        String log = captureErr(() -> {
            Files.delete(file);
            for (int i = 0; i < 3; i++) source.watched().orElseThrow().refresh();
            assertEquals("good", source.current().reveal());
        });
        assertEquals(1, log.lines().filter(l -> l.contains("cannot read " + file)).count(), log);
    }

    @Test
    void anEmptyFileAtStartIsRefusedNamingTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecretSource.file(file, "the test token"));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("is empty"), e.getMessage());
    }

    private interface Action {
        void run() throws Exception;
    }

    private static String captureErr(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
