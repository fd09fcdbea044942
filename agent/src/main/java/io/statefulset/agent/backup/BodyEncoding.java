package io.statefulset.agent.backup;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.compression.Lz4FrameEncoder;
import io.netty.handler.codec.compression.ZstdEncoder;
import io.statefulset.agent.common.protocol.BackupProtocol;

/** The backup body's content-coding on the wire, and Netty's encoder for it. */
enum BodyEncoding {
    IDENTITY(BackupProtocol.ENCODING_IDENTITY),
    ZSTD(BackupProtocol.ENCODING_ZSTD),
    LZ4(BackupProtocol.ENCODING_LZ4);

    /** Netty's default zstd block; each block is one zstd frame, so larger blocks only cost memory. */
    private static final int ZSTD_BLOCK = 64 * 1024;
    /** ZstdEncoder's bound on its output buffer. */
    private static final int ZSTD_MAX_ENCODE = 1 << 20;

    private final String token;

    BodyEncoding(String token) {
        this.token = token;
    }

    /** Its {@code Content-Encoding} name. */
    String token() {
        return token;
    }

    /** A fresh encoder for one body; {@code zstdLevel} only matters to zstd. */
    ChannelHandler newEncoder(int zstdLevel) {
        return switch (this) {
            case ZSTD -> new ZstdEncoder(zstdLevel, ZSTD_BLOCK, ZSTD_MAX_ENCODE);
            case LZ4 -> new Lz4FrameEncoder();
            case IDENTITY -> throw new IllegalStateException("identity has no encoder");
        };
    }

    /** For logs: "zstd-1", "lz4", "identity". */
    String describe(int zstdLevel) {
        return this == ZSTD ? token + "-" + zstdLevel : token;
    }
}
