package io.statefulset.agent.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Bytes per second: {@code 0}, {@code 500K}, {@code 100M}, {@code 1G} (decimal, as link speeds and the agent's
 * MB/s are), {@code 64Mi} (binary); an optional {@code B} or {@code B/s} after the unit.
 */
final class ByteRateConverter implements ITypeConverter<Long> {
    private static final Pattern RATE = Pattern.compile("(\\d+)\\s*([kKmMgG]i?)?(?:B(?:/s)?)?");

    @Override
    public Long convert(String value) {
        Matcher m = RATE.matcher(value.trim());
        if (!m.matches()) throw new TypeConversionException("must be bytes per second like 100M, 1G or 500K (0 = no cap), got '" + value + "'");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toUpperCase();
        long factor = switch (unit) {
            case "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "KI" -> 1L << 10;
            case "MI" -> 1L << 20;
            case "GI" -> 1L << 30;
            default -> 1L;
        };
        return Math.multiplyExact(n, factor);
    }
}
