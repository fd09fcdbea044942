package io.statefulset.agent.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLPeerUnverifiedException;

/** Whether the connection's TLS peer presented a certificate the handshake verified against --tls-ca-file. */
final class ClientCertificate {
    private ClientCertificate() {}

    static boolean verified(ChannelPipeline pipeline) {
        SslHandler tls = pipeline.get(SslHandler.class);
        if (tls == null) return false;
        try {
            return tls.engine().getSession().getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException none) {
            return false;
        }
    }
}
