package io.statefulset.agent.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.statefulset.agent.common.tls.PemCredentials;
import io.statefulset.agent.common.tls.TlsFiles;
import io.statefulset.agent.common.watch.Reloadable;
import io.statefulset.agent.tls.TlsProvider;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The port's TLS: certificate, key and (for mutual TLS) the clients' CA, reloaded when the files change. Each new
 * connection gets an engine of the context current at its accept, so a running backup keeps its session across a
 * rotation and the next connection presents the new certificate.
 */
public final class ServerTls {
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    /** A connection storm re-reads the files at most this often; the poller looks in between. */
    private static final Duration CHECK_ON_USE = Duration.ofSeconds(1);
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final Reloadable<SslContext> context;
    private final boolean mutual;

    private ServerTls(Reloadable<SslContext> context, boolean mutual) {
        this.context = context;
        this.mutual = mutual;
    }

    /** @throws IllegalArgumentException a file is unreadable, not PEM, or the key does not belong to the certificate */
    public static ServerTls load(TlsFiles files) {
        boolean mutual = files.ca().isPresent();
        Reloadable<SslContext> context = Reloadable.load("the TLS certificate", files.all(),
                contents -> build(PemCredentials.parse(contents.get(0), contents.get(1)),
                        mutual ? PemCredentials.certificates(contents.get(2), "the CA file") : null),
                CHECK_ON_USE);
        context.onChange((before, after) -> log.info("TLS certificate reloaded from {}: new connections present it,"
                + " running ones keep theirs", files.cert().orElseThrow()));
        return new ServerTls(context, mutual);
    }

    private static SslContext build(PemCredentials own, java.security.cert.X509Certificate[] clientCa) throws Exception {
        SslContextBuilder b = SslContextBuilder.forServer(own.key(), own.chain())
                .sslProvider(TlsProvider.get()).protocols(PROTOCOLS);
        // OPTIONAL, not REQUIRE: kubelet's HTTPS probes present no certificate and must still reach /healthz and
        // /readyz; a certificate that is presented must be valid, and /backup demands one (HttpRoutes).
        if (clientCa != null) b.trustManager(clientCa).clientAuth(ClientAuth.OPTIONAL);
        return b.build();
    }

    SslHandler newHandler(ByteBufAllocator alloc) {
        return context.current().newHandler(alloc);
    }

    public boolean mutual() {
        return mutual;
    }

    public Reloadable<SslContext> watched() {
        return context;
    }
}
