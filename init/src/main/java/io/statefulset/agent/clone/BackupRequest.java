package io.statefulset.agent.clone;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.BackupProtocol;
import io.statefulset.agent.common.secret.Secret;
import java.util.Optional;

/** Sends {@code GET /backup} (with trailers asked for and the bearer token, if any) once connected, then leaves. */
final class BackupRequest extends ChannelInboundHandlerAdapter {
    static final String USER_AGENT = "mysql-statefulset-agent init";

    private final HostPort donor;
    private final Optional<Secret> token;

    BackupRequest(HostPort donor, Optional<Secret> token) {
        this.donor = donor;
        this.token = token;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                BackupProtocol.BACKUP_PATH, Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, donor.toString())
                .set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.USER_AGENT, USER_AGENT);
        token.ifPresent(t -> request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + t.reveal()));
        // A legacy donor never reads the request; a failed write shows up as a failed read, which words it better.
        ctx.writeAndFlush(request);
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }
}
