package io.statefulset.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerPipelineTest {
    private final FakeRoutes routes = new FakeRoutes();
    private final EmbeddedChannel ch = new EmbeddedChannel(false, false);

    ServerPipelineTest() throws Exception {
        new ServerPipeline(Duration.ofSeconds(2), routes, FakeRoutes.healthyPrimary(), Runnable::run).install(ch.pipeline());
        ch.freezeTime();
        ch.register();
    }

    private List<String> handlers() {
        List<String> names = ch.pipeline().names();
        return names.subList(0, names.size() - 1); // Netty's tail
    }

    @Test
    void aNewConnectionOnlyListensForItsFirstByte() {
        assertEquals(List.of(ServerPipeline.SNIFFER), handlers());
    }

    @Test
    void aClientThatSpeaksGetsTheHttpHandlersAndItsAnswer() {
        ch.writeInbound(Unpooled.copiedBuffer("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n", StandardCharsets.US_ASCII));
        assertEquals(List.of(ServerPipeline.HTTP_CODEC, ServerPipeline.HTTP_AGGREGATOR, ServerPipeline.ROUTES), handlers());
        ByteBuf reply = ch.readOutbound();
        assertTrue(reply.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200 OK\r\n"));
        reply.release();
    }

    @Test
    void aSilentClientIsHandedToTheRawStream() {
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(List.of(ch), routes.rawClients);
        assertEquals(List.of(), handlers());
    }
}
