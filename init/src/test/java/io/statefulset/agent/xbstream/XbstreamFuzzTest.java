package io.statefulset.agent.xbstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.statefulset.agent.common.fs.FileTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The stream comes from a donor: another machine. On any bytes, pushed in slices of any size, the extractor ends
 * either with the documented stream error ({@link XbstreamException}) or with a complete extraction; whatever
 * happens, nothing is written outside the target directory and nothing in it is a link. Memory is bounded by the
 * extraction settings: a length field that asks for more is refused before anything is allocated for it (a run
 * under a small heap would fail with OutOfMemoryError otherwise).
 *
 * <p>Regression inputs (replayed by every test run): {@code src/test/resources/.../XbstreamFuzzTestInputs/}.
 * Longer fuzzing: {@code bin/fuzz}.
 */
class XbstreamFuzzTest {
    private static final ExtractionSettings SETTINGS = new ExtractionSettings(8192, 2, 1, false);
    private static final Path ROOT;
    static {
        try {
            ROOT = Files.createTempDirectory("xbstream-fuzz-");
            ROOT.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void anyStreamExtractsCompletelyOrFailsInsideTheTarget(FuzzedDataProvider data) throws IOException {
        int slice = data.consumeInt(1, 70_000);
        byte[] stream = data.consumeRemainingAsBytes();
        Path target = ROOT.resolve("target");
        FileTree.delete(target);
        Files.createDirectories(target);
        boolean complete = false;
        try (XbstreamExtractor extractor = new XbstreamExtractor(target, SETTINGS)) {
            ByteBuffer buf = ByteBuffer.allocate(slice);
            for (int at = 0; at < stream.length; at += slice) {
                buf.clear();
                buf.put(stream, at, Math.min(slice, stream.length - at)).flip();
                extractor.write(buf);
            }
            extractor.finish();
            assertEquals(stream.length, extractor.bytesConsumed(), "a complete extraction consumed every byte");
            complete = true;
        } catch (XbstreamException refused) {
            assertFalse(refused.getMessage().isBlank());
        }
        try (Stream<Path> top = Files.list(ROOT)) {
            assertEquals(List.of(target), top.toList(), "nothing written beside the target (complete: " + complete + ")");
        }
        Path real = target.toRealPath();
        try (Stream<Path> all = Files.walk(target)) {
            for (Path p : all.toList()) {
                assertFalse(Files.isSymbolicLink(p), "no link in the target: " + p);
                assertTrue(p.toRealPath(LinkOption.NOFOLLOW_LINKS).startsWith(real), "inside the target: " + p);
            }
        }
    }
}
