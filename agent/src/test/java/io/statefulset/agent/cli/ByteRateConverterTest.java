package io.statefulset.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ByteRateConverterTest {
    private final ByteRateConverter converter = new ByteRateConverter();

    @Test
    void decimalUnitsAsLinkSpeedsAreWrittenAndBinaryOnesOnRequest() {
        assertEquals(0L, converter.convert("0"));
        assertEquals(100_000_000L, converter.convert("100M"));
        assertEquals(1_000_000_000L, converter.convert("1G"));
        assertEquals(500_000L, converter.convert("500k"));
        assertEquals(64L << 20, converter.convert("64Mi"));
        assertEquals(100_000_000L, converter.convert("100MB/s"));
        assertEquals(12345L, converter.convert("12345"));
    }

    @Test
    void anythingElseIsRefusedWithAnExample() {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert("fast"));
        assertTrue(e.getMessage().contains("like 100M, 1G or 500K"), e.getMessage());
        assertThrows(TypeConversionException.class, () -> converter.convert("-5M"));
    }

    @Test
    void badCompressionFlagsAreUsageErrorsNamingTheFlag() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, Main.run(new String[] {"serve", "--compression", "gzip"}, Map.of(), System.out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--compression must be auto, zstd, lz4 or none, got 'gzip'"), err.toString());
        err.reset();
        assertEquals(2, Main.run(new String[] {"serve", "--compression-level", "30"}, Map.of(), System.out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--compression-level must be 1-19"), err.toString());
        err.reset();
        assertEquals(2, Main.run(new String[] {"serve", "--backup-parallel", "0"}, Map.of(), System.out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--backup-parallel must be at least 1"), err.toString());
    }
}
