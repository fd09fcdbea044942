package io.statefulset.agent.backup;

import io.netty.handler.codec.compression.Zstd;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code serve --compression} and {@code --compression-level}, and the choice they make for one request.
 *
 * <p>{@code auto}: no compression when the client is on this host (loopback, or the donor's own address), where
 * the "link" is a memory copy faster than any compressor; lz4 otherwise, the fastest of the two both ways, so that
 * compression stays ahead of links up to several Gbit/s (numbers in docs/benchmark.md), else zstd, else none.
 *
 * @param mode      what to use when the client accepts it
 * @param zstdLevel zstd's level (1 = fastest), for {@code zstd}
 */
public record WireCompression(Mode mode, int zstdLevel) {
    public static final int DEFAULT_ZSTD_LEVEL = 1;
    public static final int MAX_ZSTD_LEVEL = 19;

    public enum Mode { AUTO, ZSTD, LZ4, NONE }

    public static final WireCompression NONE = new WireCompression(Mode.NONE, DEFAULT_ZSTD_LEVEL);

    public WireCompression {
        if (zstdLevel < 1 || zstdLevel > MAX_ZSTD_LEVEL) {
            throw new IllegalArgumentException("--compression-level must be 1-" + MAX_ZSTD_LEVEL + " (zstd's levels; 1 is"
                    + " the fastest), got " + zstdLevel);
        }
        if (mode == Mode.ZSTD && !Zstd.isAvailable()) {
            throw new IllegalArgumentException("--compression zstd: zstd's native library does not load on this platform ("
                    + Zstd.cause() + "); use --compression lz4 or auto");
        }
    }

    /** Parses {@code auto|zstd|lz4|none}. */
    public static Mode parseMode(String text) {
        try {
            return Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--compression must be auto, zstd, lz4 or none, got '" + text + "'");
        }
    }

    /**
     * The coding for one {@code /backup} answer.
     *
     * @param acceptEncoding the request's {@code Accept-Encoding}, or null
     * @param chunked        the answer is chunked (HTTP/1.1): an HTTP/1.0 client gets the body as is
     * @param client         the client's address
     * @param local          this end's address of the connection
     */
    BodyEncoding choose(String acceptEncoding, boolean chunked, InetAddress client, InetAddress local) {
        Set<String> accepted = accepted(acceptEncoding);
        if (!chunked) return BodyEncoding.IDENTITY;
        return switch (mode) {
            case NONE -> BodyEncoding.IDENTITY;
            case ZSTD -> accepted.contains(BodyEncoding.ZSTD.token()) ? BodyEncoding.ZSTD : BodyEncoding.IDENTITY;
            case LZ4 -> accepted.contains(BodyEncoding.LZ4.token()) ? BodyEncoding.LZ4 : BodyEncoding.IDENTITY;
            case AUTO -> {
                if (client == null || client.isLoopbackAddress() || client.equals(local)) yield BodyEncoding.IDENTITY;
                if (accepted.contains(BodyEncoding.LZ4.token())) yield BodyEncoding.LZ4;
                if (accepted.contains(BodyEncoding.ZSTD.token()) && Zstd.isAvailable()) yield BodyEncoding.ZSTD;
                yield BodyEncoding.IDENTITY;
            }
        };
    }

    /** The codings a client named without {@code q=0}, lower case. */
    static Set<String> accepted(String acceptEncoding) {
        if (acceptEncoding == null) return Set.of();
        return Stream.of(acceptEncoding.split(","))
                .map(String::trim)
                .filter(part -> !part.isEmpty() && !refused(part))
                .map(part -> part.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    private static boolean refused(String part) {
        String[] params = part.split(";");
        for (int i = 1; i < params.length; i++) {
            String p = params[i].trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2).trim()) <= 0;
                } catch (NumberFormatException e) {
                    return true; // an unreadable weight is no agreement
                }
            }
        }
        return false;
    }

    /** For logs. */
    public String describe() {
        return mode == Mode.ZSTD ? "zstd level " + zstdLevel : mode.name().toLowerCase(Locale.ROOT);
    }
}
