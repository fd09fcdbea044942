package io.statefulset.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RebuildFenceTest {
    @TempDir
    Path conf;

    @Test
    void raisedItIsAMysqldSectionBindingTheLoopbackAddressAndLiftedItIsGone() throws Exception {
        RebuildFence fence = RebuildFence.in(conf);
        assertFalse(fence.lift(), "nothing to lift");
        fence.raise();
        List<String> settings = Files.readAllLines(fence.path()).stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals(List.of("[mysqld]", "bind-address=127.0.0.1"), settings);
        assertTrue(fence.path().getFileName().toString().endsWith(".cnf"), "!includedir reads only *.cnf");
        assertTrue(fence.lift());
        assertFalse(fence.present());
    }

    @Test
    void initsConfDirIsTheOneWithServerIdCnf() throws Exception {
        RebuildFence fence = RebuildFence.in(conf);
        assertFalse(fence.confDirFilledByInit());
        Files.writeString(conf.resolve(ServerIdCnf.FILE_NAME), "[mysqld]\nserver-id=100\n");
        assertTrue(fence.confDirFilledByInit());
    }

    @Test
    void aCloneRanIntoADataDirThatHoldsMysqlsCloneState() throws Exception {
        Path data = conf.resolve("data");
        Files.createDirectories(data);
        assertFalse(RebuildFence.cloneRanInto(data));
        Files.createDirectories(data.resolve(RebuildFence.CLONE_STATE_DIR));
        assertTrue(RebuildFence.cloneRanInto(data));
    }
}
