package io.statefulset.agent.backup;

import io.statefulset.agent.http.HttpAnswers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.util.OptionalLong;

/**
 * {@code 200}, chunked, the xbstream as the body, the verdict in trailers (docs/architecture.md "Wire protocol"). An
 * HTTP/1.0 client cannot take chunks or trailers: it gets the body until the connection closes.
 */
final class HttpBackupSink implements BackupSink {
    private static final String TRAILER_NAMES = String.join(", ", BackupProtocol.STATUS_TRAILER,
            BackupProtocol.ERROR_TRAILER, BackupProtocol.CAUSE_TRAILER, BackupProtocol.BYTES_TRAILER, BackupProtocol.CRC32C_TRAILER);

    private final Channel channel;
    private final boolean chunked;

    HttpBackupSink(Channel channel, HttpVersion requestVersion) {
        this.channel = channel;
        this.chunked = requestVersion.compareTo(HttpVersion.HTTP_1_1) >= 0;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public String mode() {
        return "http";
    }

    @Override
    public void refuse(String reason) {
        channel.writeAndFlush(HttpAnswers.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, reason, false))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void begin(OptionalLong sizeEstimate) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (chunked) {
            head.headers()
                    .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                    .set(HttpHeaderNames.TRAILER, TRAILER_NAMES);
        }
        sizeEstimate.ifPresent(size -> head.headers().set(BackupProtocol.SIZE_ESTIMATE_HEADER, size));
        channel.writeAndFlush(head);
    }

    @Override
    public ChannelFuture write(ByteBuf chunk) {
        return channel.writeAndFlush(new DefaultHttpContent(chunk));
    }

    @Override
    public ChannelFuture finish(BackupOutcome outcome) {
        LastHttpContent last = chunked ? new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER) : LastHttpContent.EMPTY_LAST_CONTENT;
        if (chunked) {
            last.trailingHeaders()
                    .set(BackupProtocol.STATUS_TRAILER, outcome.succeeded() ? BackupProtocol.STATUS_SUCCESS : BackupProtocol.STATUS_FAILED)
                    .set(BackupProtocol.BYTES_TRAILER, Long.toString(outcome.bytes()))
                    .set(BackupProtocol.CRC32C_TRAILER, BackupProtocol.crc32cHex(outcome.crc32c()));
            if (!outcome.error().isEmpty()) last.trailingHeaders().set(BackupProtocol.ERROR_TRAILER, outcome.error());
            outcome.cause().ifPresent(c -> last.trailingHeaders().set(BackupProtocol.CAUSE_TRAILER, c.label()));
        }
        return channel.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }
}
