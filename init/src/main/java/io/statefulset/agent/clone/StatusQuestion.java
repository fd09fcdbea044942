package io.statefulset.agent.clone;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.NotSslRecordException;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.BackupProtocol;
import io.statefulset.agent.common.protocol.PeerStatus;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Asks one peer {@code GET /status} once connected and turns whatever comes back into one {@link PeerReport}: a
 * status, an HTTP error with the first line of its text (a TLS port answers plain HTTP with how to connect), the
 * tutorial's backup stream ({@link TransferEvent#LEGACY_DONOR} from the {@link DonorReplySniffer}), a failed TLS
 * handshake, or a close without an answer. The first verdict wins; the connection closes after it.
 */
final class StatusQuestion extends SimpleChannelInboundHandler<FullHttpResponse> {
    private static final int MAX_QUOTE = 200;

    private final HostPort peer;
    private final CompletableFuture<PeerReport> report;
    private boolean active;

    StatusQuestion(HostPort peer, CompletableFuture<PeerReport> report) {
        this.peer = peer;
        this.report = report;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        active = true;
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                BackupProtocol.STATUS_PATH, Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, peer.toString())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.USER_AGENT, BackupRequest.USER_AGENT);
        ctx.writeAndFlush(request);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        int code = response.status().code();
        String body = response.content().toString(StandardCharsets.UTF_8);
        if (code != 200) {
            String first = quote(body.lines().findFirst().orElse("").strip());
            finish(ctx, PeerReport.unreadable(peer, "/status answered " + code
                    + (first.isEmpty() ? " (an agent without /status?)" : ": " + first)));
            return;
        }
        finish(ctx, PeerStatus.parse(body).map(s -> PeerReport.answered(peer, s))
                .orElseGet(() -> PeerReport.unreadable(peer, "/status answer is not a status: " + quote(body))));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == TransferEvent.LEGACY_DONOR) {
            finish(ctx, PeerReport.legacySidecar(peer));
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        finish(ctx, failed(cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (active) finish(ctx, PeerReport.unreadable(peer, "closed the connection without answering /status"));
        ctx.fireChannelInactive();
    }

    private void finish(ChannelHandlerContext ctx, PeerReport r) {
        report.complete(r);
        ctx.close();
    }

    private PeerReport failed(Throwable cause) {
        if (find(cause, NotSslRecordException.class) != null) {
            return PeerReport.unreadable(peer, "TLS handshake failed: the peer answered with something that is not TLS");
        }
        // The TLS refusal (DonorTls.Handshake), an agent without TLS (PlaintextAnswer) and the "neither HTTP nor
        // xbstream" verdict (DonorReplySniffer) say what is wrong and what to check in their message.
        DonorFailedException said = find(cause, DonorFailedException.class);
        if (said != null) return PeerReport.unreadable(peer, said.getMessage());
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return PeerReport.unreadable(peer, quote(message));
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) return type.cast(c);
        }
        return null;
    }

    /** What a peer sent may be anything: printable characters only, and not much of it. */
    private static String quote(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > MAX_QUOTE ? printable.substring(0, MAX_QUOTE) + "..." : printable;
    }
}
