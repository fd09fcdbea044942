package io.statefulset.agent.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The port with TLS on: the first bytes decide (Netty's {@link OptionalSslHandler}). A TLS record gets the
 * {@link SslHandler} of the certificate current now; anything else gets a plain-text 400 that says to use TLS, and
 * the connection closes. No plaintext fallback, no raw stream.
 */
final class TlsOnly extends OptionalSslHandler {
    private static final Logger log = LoggerFactory.getLogger(TlsOnly.class);
    static final String NAME = "tls";
    static final String REFUSAL = "this port requires TLS (serve runs with --tls-cert-file): connect with https://"
            + " and the CA of the agent's certificate (curl --cacert ca.crt; init --tls-ca-file)\n";

    private final ServerTls tls;

    TlsOnly(ServerTls tls) {
        // The context passed here is never used: newSslHandler takes the current one, which may have been reloaded.
        super(tls.watched().loaded());
        this.tls = tls;
    }

    @Override
    protected SslHandler newSslHandler(ChannelHandlerContext context, SslContext ignored) {
        return tls.newHandler(context.alloc());
    }

    @Override
    protected String newSslHandlerName() {
        return NAME;
    }

    @Override
    protected ChannelHandler newNonSslHandler(ChannelHandlerContext context) {
        log.info("refused a plaintext connection from {}: this port requires TLS", context.channel().remoteAddress());
        return new PlaintextRefusal();
    }

    /** Answers the first plaintext bytes once, then closes; nothing after it in the pipeline sees them. */
    private static final class PlaintextRefusal extends ChannelInboundHandlerAdapter {
        private boolean answered;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (answered) return;
            answered = true;
            byte[] body = REFUSAL.getBytes(StandardCharsets.US_ASCII);
            ByteBuf reply = Unpooled.copiedBuffer(("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);
            ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
