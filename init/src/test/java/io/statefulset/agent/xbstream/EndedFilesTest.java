package io.statefulset.agent.xbstream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EndedFilesTest {
    @Test
    void remembersEveryPathAddedThroughManyGrowthsAndNoOther() {
        EndedFiles ended = new EndedFiles();
        for (int i = 0; i < 200_000; i++) ended.add("db" + (i % 7) + "/t" + i + ".ibd");
        ended.add("db0/t5.ibd"); // a second add changes nothing
        for (int i = 0; i < 200_000; i++) assertTrue(ended.mightContain("db" + (i % 7) + "/t" + i + ".ibd"), "t" + i);
        int falsePositives = 0;
        for (int i = 200_000; i < 400_000; i++) {
            if (ended.mightContain("db" + (i % 7) + "/t" + i + ".ibd")) falsePositives++;
        }
        assertTrue(falsePositives == 0, falsePositives + " paths never added were reported (64-bit fingerprints)");
        assertFalse(new EndedFiles().mightContain(""));
    }
}
