package io.statefulset.agent.clone;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * Where the body goes once received: the extraction, which runs off the event loop ({@link ExtractionFeed}). The
 * handlers see only this, so that their rules are testable without a disk or a thread.
 */
interface BodyFeed {
    /** Takes ownership of {@code buf}. */
    void offer(ByteBuf buf);

    /** Whether the socket may be read again: fewer bytes wait than the feed's high-water mark. */
    boolean hasRoom();

    /** Runs {@code resume} once (on any thread) when there is room again. */
    void pauseUntilDrained(Runnable resume);

    /** Fails at the first extraction error; completes only after {@link #finish()}. */
    CompletableFuture<Void> completion();

    /** No more data: completes when everything offered is extracted and every file closed. */
    CompletableFuture<Void> finish();

    /** Files the extraction wrote and closed so far. */
    int filesCompleted();
}
