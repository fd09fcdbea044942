package io.statefulset.agent.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per failed TLS handshake (wrong CA, expired or missing client certificate), naming the client. */
final class TlsHandshakeLog extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeLog.class);

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
                ctx.pipeline().remove(this);
            } else {
                Throwable root = e.cause();
                while (root.getCause() != null && root.getCause() != root) root = root.getCause();
                log.info("TLS handshake from {} failed: {}", ctx.channel().remoteAddress(),
                        root.getMessage() != null ? root.getMessage() : root.toString());
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }
}
