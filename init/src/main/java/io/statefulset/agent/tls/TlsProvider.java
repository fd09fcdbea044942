package io.statefulset.agent.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which TLS engine Netty's {@code SslHandler} uses, for both sides of port 3307: BoringSSL (netty-tcnative) where
 * its native library loads, else the JDK's. The JDK's AES-GCM needs the C2 compiler's intrinsics, which the agent's
 * JVM flags (C1 only, for memory) switch off: measured 7 MB/s against 92 MB/s plaintext; BoringSSL does AES-GCM
 * in native code whatever the JIT.
 */
public final class TlsProvider {
    private static final Logger log = LoggerFactory.getLogger(TlsProvider.class);

    private TlsProvider() {}

    public static SslProvider get() {
        return Holder.PROVIDER;
    }

    /** "BoringSSL" (OpenSSL's version string) or "JDK", for the start line. */
    public static String describe() {
        return get() == SslProvider.OPENSSL ? OpenSsl.versionString() : "JDK";
    }

    private static final class Holder {
        static final SslProvider PROVIDER = choose();

        private static SslProvider choose() {
            if (OpenSsl.isAvailable()) return SslProvider.OPENSSL;
            log.warn("TLS falls back to the JDK's engine (slow under the agent's C1-only JVM): BoringSSL is not"
                    + " available here: {}", OpenSsl.unavailabilityCause().toString());
            return SslProvider.JDK;
        }
    }
}
