package io.statefulset.agent.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * What the port hands to the backup feature: {@code GET /backup}, the tutorial's silent raw client, and the stop.
 * The server knows nothing of backups beyond this, so that the backup package depends on the server and not back.
 */
public interface BackupRoute {
    /** An HTTP {@code GET /backup}; the route owns the connection from here on. */
    void serveHttp(ChannelHandlerContext ctx, FullHttpRequest request);

    /**
     * A fresh handler for a new HTTP connection, between the HTTP codec and the aggregator: it encodes the backup
     * answer's body in the coding the route picks (compression), and passes every other answer as it is.
     */
    ChannelHandler newBodyEncoder();

    /** A client that sent nothing within the legacy wait (the tutorial's {@code ncat --recv-only}). */
    void serveRaw(Channel channel);

    /** A backup is being streamed now (what {@code /status} tells peers that pick a donor). */
    boolean running();

    /** The backup tool is installed: {@code /backup} can stream (what {@code /status} tells peers). */
    boolean toolInstalled();

    /** Aborts a running backup, telling its client why, and waits up to {@code graceMillis} for it to end. */
    void shutdown(long graceMillis) throws InterruptedException;
}
