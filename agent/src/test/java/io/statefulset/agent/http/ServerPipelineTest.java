package io.statefulset.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerPipelineTest {
    private static final Duration LEGACY_WAIT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private final FakeRoutes routes = new FakeRoutes();

    private EmbeddedChannel connection(boolean legacyRawStream) throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        new ServerPipeline(new PortSettings(Optional.empty(), legacyRawStream ? Optional.of(LEGACY_WAIT) : Optional.empty(),
                REQUEST_TIMEOUT, 512), routes, FakeRoutes.healthyPrimary(), Runnable::run).install(ch.pipeline());
        ch.freezeTime();
        ch.register();
        return ch;
    }

    private static List<String> handlers(EmbeddedChannel ch) {
        List<String> names = ch.pipeline().names();
        return names.subList(0, names.size() - 1); // Netty's tail
    }

    @Test
    void aNewConnectionGetsHttpAtOnceBehindTheLimitAndTheDeadline() throws Exception {
        EmbeddedChannel ch = connection(false);
        assertEquals(List.of(ServerPipeline.CONNECTION_LIMIT, ServerPipeline.REQUEST_DEADLINE, ServerPipeline.HTTP_CODEC, ServerPipeline.BODY_ENCODER,
                ServerPipeline.HTTP_AGGREGATOR, ServerPipeline.ROUTES), handlers(ch));
    }

    @Test
    void aSilentClientIsClosedAtTheDeadlineAndStartsNothing() throws Exception {
        EmbeddedChannel ch = connection(false);
        ch.advanceTimeBy(LEGACY_WAIT.toMillis() + 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isActive(), "past the tutorial's 500 ms nothing happens");
        ch.advanceTimeBy(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isActive(), "closed at --request-timeout");
        assertEquals(List.of(), routes.rawClients);
    }

    @Test
    void anAnsweredKeepAliveConnectionGetsTheFullTimeoutAgain() throws Exception {
        EmbeddedChannel ch = connection(false);
        ch.advanceTimeBy(REQUEST_TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.writeInbound(Unpooled.copiedBuffer("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n", StandardCharsets.US_ASCII));
        ((ByteBuf) ch.readOutbound()).release();
        ch.advanceTimeBy(REQUEST_TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isActive(), "the clock restarted with the answer");
        ch.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isActive(), "an idle keep-alive connection is closed");
    }

    @Test
    void withTheLegacyRawStreamANewConnectionOnlyListensForItsFirstByte() throws Exception {
        assertEquals(List.of(ServerPipeline.CONNECTION_LIMIT, ServerPipeline.REQUEST_DEADLINE, ServerPipeline.SNIFFER),
                handlers(connection(true)));
    }

    @Test
    void aClientThatSpeaksGetsTheHttpHandlersAndItsAnswer() throws Exception {
        EmbeddedChannel ch = connection(true);
        ch.writeInbound(Unpooled.copiedBuffer("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n", StandardCharsets.US_ASCII));
        assertEquals(List.of(ServerPipeline.CONNECTION_LIMIT, ServerPipeline.REQUEST_DEADLINE, ServerPipeline.HTTP_CODEC, ServerPipeline.BODY_ENCODER,
                ServerPipeline.HTTP_AGGREGATOR, ServerPipeline.ROUTES), handlers(ch));
        ByteBuf reply = ch.readOutbound();
        assertTrue(reply.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200 OK\r\n"));
        reply.release();
    }

    @Test
    void withTheLegacyRawStreamASilentClientIsHandedToTheRawStreamAndTheDeadlineStops() throws Exception {
        EmbeddedChannel ch = connection(true);
        ch.advanceTimeBy(LEGACY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(List.of(ch), routes.rawClients);
        assertEquals(List.of(ServerPipeline.CONNECTION_LIMIT, ServerPipeline.REQUEST_DEADLINE), handlers(ch));
        ch.advanceTimeBy(REQUEST_TIMEOUT.toMillis() * 10, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isActive(), "a raw stream may run for hours");
    }
}
