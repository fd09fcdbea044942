package io.statefulset.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RebuildFenceTest {
    @TempDir
    Path base;
    Path conf;
    Path data;
    RebuildFence fence;

    @BeforeEach
    void dirs() throws Exception {
        conf = Files.createDirectories(base.resolve("conf.d"));
        data = Files.createDirectories(base.resolve("data"));
        fence = RebuildFence.of(conf, data);
    }

    @Test
    void raisedItIsAMysqldSectionBindingTheLoopbackAddress() throws Exception {
        fence.raise();
        List<String> settings = Files.readAllLines(fence.path()).stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals(List.of("[mysqld]", "bind-address=127.0.0.1"), settings);
        assertTrue(fence.path().getFileName().toString().endsWith(".cnf"), "!includedir reads only *.cnf");
        assertFalse(fence.liftedForClone());
    }

    @Test
    void liftedForACloneItIsGoneAndTheDataDirSaysSoUntilRaisedAgainOrCleared() throws Exception {
        fence.raise();
        assertTrue(fence.liftForClone());
        assertFalse(fence.present());
        assertTrue(fence.liftedForClone(), "kept in the data dir, which a new pod keeps");
        assertTrue(Files.readString(data.resolve(RebuildFence.LIFTED)).startsWith("serve lifted"));
        assertTrue(data.resolve(RebuildFence.LIFTED).getFileName().toString().startsWith("."), "mysqld ignores dot-files");

        fence.raise();
        assertTrue(fence.present());
        assertFalse(fence.liftedForClone(), "a failed clone: fenced again, no mark");

        fence.liftForClone();
        assertFalse(fence.clear(), "nothing left to remove in the conf dir");
        assertFalse(fence.liftedForClone());
    }

    @Test
    void initsConfDirIsTheOneWithServerIdCnf() throws Exception {
        assertFalse(fence.confDirFilledByInit());
        Files.writeString(conf.resolve(ServerIdCnf.FILE_NAME), "[mysqld]\nserver-id=100\n");
        assertTrue(fence.confDirFilledByInit());
    }
}
