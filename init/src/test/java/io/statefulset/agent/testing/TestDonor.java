package io.statefulset.agent.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * A donor for tests that serves a stored backup stream (a real mariadb-backup output) over real sockets, either as
 * the agent's HTTP protocol (chunked body, trailers) or raw like the tutorial's ncat sidecar, with scripted faults:
 * stop after N bytes by dropping the connection or by going silent, failed status, wrong CRC, 401, 503.
 */
public final class TestDonor implements AutoCloseable {
    public enum Mode { HTTP, RAW }

    /** How a reply ends once {@link Script#limit} bytes are sent. */
    public enum Ending {
        /** HTTP: last chunk with trailers; RAW: close (EOF is the end). */
        NORMAL,
        /** Drop the connection with nothing more: a donor killed mid-stream. */
        DROP,
        /** Send nothing more and keep the connection open: a frozen donor. */
        STALL
    }

    /**
     * @param token       required bearer token (401 without it)
     * @param busyReplies how many first requests get 503 + {@code Retry-After: 1}
     * @param limit       bytes of the stream to send before {@code ending}
     * @param status      the status trailer; with {@code error} as X-Backup-Error
     * @param corruptCrc  send a CRC32C trailer that does not match
     */
    public record Script(Mode mode, Optional<String> token, int busyReplies, long limit, Ending ending,
                         String status, Optional<String> error, boolean corruptCrc) {
        public static Script http() {
            return new Script(Mode.HTTP, Optional.empty(), 0, Long.MAX_VALUE, Ending.NORMAL,
                    BackupProtocol.STATUS_SUCCESS, Optional.empty(), false);
        }

        public static Script raw() {
            return http().mode(Mode.RAW);
        }

        public Script mode(Mode m) {
            return new Script(m, token, busyReplies, limit, ending, status, error, corruptCrc);
        }

        public Script token(String t) {
            return new Script(mode, Optional.of(t), busyReplies, limit, ending, status, error, corruptCrc);
        }

        public Script busy(int replies) {
            return new Script(mode, token, replies, limit, ending, status, error, corruptCrc);
        }

        public Script stopAfter(long bytes, Ending how) {
            return new Script(mode, token, busyReplies, bytes, how, status, error, corruptCrc);
        }

        public Script failed(String errorText) {
            return new Script(mode, token, busyReplies, limit, ending, BackupProtocol.STATUS_FAILED, Optional.of(errorText), corruptCrc);
        }

        public Script wrongCrc() {
            return new Script(mode, token, busyReplies, limit, ending, status, error, true);
        }
    }

    private static final int PIECE = 64 << 10;

    private final Path stream;
    private final Script script;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final Channel server;

    private TestDonor(Path stream, Script script) throws InterruptedException {
        this.stream = stream;
        this.script = script;
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (script.mode() == Mode.HTTP) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new HttpReply());
                        } else {
                            ch.pipeline().addLast(new RawReply());
                        }
                    }
                });
        this.server = b.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    public static TestDonor start(Path stream, Script script) throws InterruptedException {
        return new TestDonor(stream, script);
    }

    public HostPort address() {
        return new HostPort("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort());
    }

    /** Backup requests (HTTP) or connections (RAW) answered so far. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class HttpReply extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            FullHttpRequest request = (FullHttpRequest) msg;
            try {
                int n = requests.incrementAndGet();
                String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
                if (!request.uri().equals(BackupProtocol.BACKUP_PATH)) {
                    reply(ctx, HttpResponseStatus.NOT_FOUND);
                } else if (script.token().isPresent() && !("Bearer " + script.token().get()).equals(auth)) {
                    reply(ctx, HttpResponseStatus.UNAUTHORIZED);
                } else if (n <= script.busyReplies()) {
                    HttpResponse busy = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SERVICE_UNAVAILABLE);
                    busy.headers().set(HttpHeaderNames.RETRY_AFTER, "1").set(HttpHeaderNames.CONTENT_LENGTH, 0);
                    ctx.writeAndFlush(busy).addListener(ChannelFutureListener.CLOSE);
                } else {
                    HttpResponse ok = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    ok.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                            .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                            .set(BackupProtocol.SIZE_ESTIMATE_HEADER, size());
                    ctx.writeAndFlush(ok);
                    new Sender(ctx.channel(), true).next();
                }
            } finally {
                ReferenceCountUtil.release(request);
            }
        }

        private void reply(ChannelHandlerContext ctx, HttpResponseStatus status) {
            HttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private final class RawReply extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            requests.incrementAndGet();
            new Sender(ctx.channel(), false).next();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg); // like ncat: whatever the client says is ignored
        }
    }

    private long size() {
        try {
            return java.nio.file.Files.size(stream);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the stream piece by piece, each after the previous one left, so memory stays small. */
    private final class Sender {
        private final Channel channel;
        private final boolean http;
        private final CRC32C crc = new CRC32C();
        private final long end = Math.min(script.limit(), size());
        private long sent;

        Sender(Channel channel, boolean http) {
            this.channel = channel;
            this.http = http;
        }

        void next() {
            if (!channel.isActive()) return;
            if (sent >= end) {
                finish();
                return;
            }
            ByteBuf piece = read((int) Math.min(PIECE, end - sent));
            crc.update(piece.nioBuffer());
            sent += piece.readableBytes();
            Object msg = http ? new DefaultHttpContent(piece) : piece;
            channel.writeAndFlush(msg).addListener(f -> {
                if (f.isSuccess()) next();
            });
        }

        private ByteBuf read(int n) {
            try (FileChannel ch = FileChannel.open(stream, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(n);
                while (buf.hasRemaining() && ch.read(buf, sent + buf.position()) > 0) {
                    // read until full
                }
                buf.flip();
                return Unpooled.wrappedBuffer(buf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void finish() {
            if (script.ending() == Ending.STALL) return;
            if (script.ending() == Ending.DROP || !http) {
                // FIN and nothing more, as for a killed donor process. Half-close, not close: closing a socket with
                // an unread request in its buffer sends RST, which would test another failure than the one meant.
                ((SocketChannel) channel).shutdownOutput();
                return;
            }
            LastHttpContent last = new DefaultLastHttpContent();
            last.trailingHeaders()
                    .set(BackupProtocol.STATUS_TRAILER, script.status())
                    .set(BackupProtocol.BYTES_TRAILER, Long.toString(sent))
                    .set(BackupProtocol.CRC32C_TRAILER, BackupProtocol.crc32cHex((int) crc.getValue() ^ (script.corruptCrc() ? 1 : 0)));
            script.error().ifPresent(e -> last.trailingHeaders().set(BackupProtocol.ERROR_TRAILER, e));
            channel.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
