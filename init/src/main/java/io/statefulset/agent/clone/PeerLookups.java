package io.statefulset.agent.clone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Name lookups of peers, off the caller's thread: a lookup can hang for the resolver's full timeout (20 s with an
 * unreachable nameserver), so callers wait with a deadline and drop what outlives it, which then finishes on
 * these daemon threads.
 */
final class PeerLookups {
    static final Executor EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "peer-lookup");
        t.setDaemon(true);
        return t;
    });

    private PeerLookups() {}

    /** Completes with the address, or exceptionally with the {@link UnknownHostException}. */
    static CompletableFuture<InetAddress> resolve(String host) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new CompletionException(e);
            }
        }, EXECUTOR);
    }
}
