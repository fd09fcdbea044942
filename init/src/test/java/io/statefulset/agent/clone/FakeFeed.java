package io.statefulset.agent.clone;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;

/** A {@link BodyFeed} that keeps what it is offered in memory; the test decides room and completion. */
final class FakeFeed implements BodyFeed {
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final CompletableFuture<Void> completion = new CompletableFuture<>();
    boolean room = true;
    boolean finished;
    int files;
    Runnable resume;

    @Override
    public void offer(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        received.writeBytes(bytes);
    }

    @Override
    public boolean hasRoom() {
        return room;
    }

    @Override
    public void pauseUntilDrained(Runnable resume) {
        this.resume = resume;
    }

    @Override
    public CompletableFuture<Void> completion() {
        return completion;
    }

    @Override
    public CompletableFuture<Void> finish() {
        finished = true;
        return completion;
    }

    @Override
    public int filesCompleted() {
        return files;
    }
}
