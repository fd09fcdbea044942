package io.statefulset.agent.http;

import java.time.Duration;
import java.util.Optional;

/**
 * How the port treats connections before they reach a route.
 *
 * @param tls            TLS on the port (and only TLS: a plaintext client is refused), if configured
 * @param legacyWait     present with {@code --legacy-raw-stream}: a client silent this long gets the raw stream
 * @param requestTimeout a connection without a complete request this long after it opened, or after its last answer,
 *                       is closed (slow senders, idle keep-alive connections, port scans)
 * @param maxConnections open connections beyond this are closed at once
 */
public record PortSettings(Optional<ServerTls> tls, Optional<Duration> legacyWait, Duration requestTimeout,
                           int maxConnections) {}
