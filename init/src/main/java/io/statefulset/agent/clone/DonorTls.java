package io.statefulset.agent.clone;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.statefulset.agent.common.backuptool.FailureCause;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.tls.PemCredentials;
import io.statefulset.agent.common.tls.TlsFiles;
import io.statefulset.agent.tls.TlsProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS towards the donor: its certificate must be signed by {@code --tls-ca-file} and name the donor as init dialled
 * it ({@code mysql-0.mysql}, checked the way HTTPS checks a host name); with {@code --tls-cert-file} init presents
 * its own certificate (mutual TLS). Read once: an init runs for minutes, not for a rotation.
 */
public final class DonorTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext context;

    private DonorTls(SslContext context) {
        this.context = context;
    }

    /** @throws IllegalArgumentException a file is unreadable or unusable; the message names it */
    public static DonorTls load(TlsFiles files) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(TlsProvider.get()).protocols(PROTOCOLS)
                    .trustManager(PemCredentials.certificates(Files.readAllBytes(files.ca().orElseThrow()), "--tls-ca-file"));
            if (files.presentsCertificate()) {
                PemCredentials own = PemCredentials.parse(Files.readAllBytes(files.cert().get()), Files.readAllBytes(files.key().get()));
                b.keyManager(own.key(), own.chain());
            }
            return new DonorTls(b.build());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("init's TLS files (" + files.all() + ") are unusable: " + e.getMessage(), e);
        }
    }

    /**
     * Puts {@code tls} (the {@link SslHandler}) and {@code tls-handshake} ({@link Handshake}) at the end of a new
     * connection's pipeline: the clone and the {@code /status} question go through the same TLS.
     */
    void install(ChannelPipeline pipeline, HostPort donor) {
        pipeline.addLast(DonorPipeline.TLS, handler(pipeline.channel().alloc(), donor))
                .addLast(DonorPipeline.TLS_HANDSHAKE, new Handshake(donor));
    }

    private SslHandler handler(ByteBufAllocator alloc, HostPort donor) {
        SslHandler handler = context.newHandler(alloc, donor.host(), donor.port());
        SSLEngine engine = handler.engine();
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(p);
        return handler;
    }

    /**
     * After the {@link SslHandler}: a TLS failure before the donor's first answer becomes one clear
     * {@link DonorFailedException}. With TLS 1.3 the donor judges init's certificate after init's side of the
     * handshake is done, so its refusal arrives as an alert after the completion event: the first byte of the answer,
     * not the event, ends this handler's watch.
     */
    static final class Handshake extends ChannelInboundHandlerAdapter {
        private final HostPort donor;
        private boolean done;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            done = true;
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
        }

        Handshake(HostPort donor) {
            this.donor = donor;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e && !done && !e.isSuccess()) {
                done = true;
                ctx.fireExceptionCaught(failure(e.cause()));
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!done && hasSslCause(cause)) {
                done = true;
                ctx.fireExceptionCaught(failure(cause));
                return;
            }
            ctx.fireExceptionCaught(cause);
        }

        private DonorFailedException failure(Throwable cause) {
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            return new DonorFailedException(FailureCause.REFUSED, "TLS handshake with donor " + donor + " failed (" + root.getMessage()
                    + "): the donor's certificate must be signed by --tls-ca-file and name " + donor.host()
                    + "; with mutual TLS the donor must trust init's --tls-cert-file; a donor without TLS cannot be used", cause);
        }

        private static boolean hasSslCause(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) if (c instanceof SSLException) return true;
            return false;
        }
    }
}
