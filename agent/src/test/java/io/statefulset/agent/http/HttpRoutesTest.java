package io.statefulset.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.statefulset.agent.common.protocol.PeerStatus;
import io.statefulset.agent.health.HealthEndpoints;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** The routes behind Netty's server codec and aggregator, as {@link AgentServer} installs them, on the wire. */
class HttpRoutesTest {
    private final FakeRoutes backup = new FakeRoutes();
    private final List<String> backups = backup.httpBackups;
    private final HealthEndpoints health = FakeRoutes.healthyPrimary();
    /** The probe executor, run by hand: answers are written when the test says mysqld has answered. */
    private final Queue<Runnable> probes = new ArrayDeque<>();

    private EmbeddedChannel server(Executor executor) {
        return new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(16 * 1024),
                new HttpRoutes(backup, health, executor, false));
    }

    private EmbeddedChannel server() {
        return server(Runnable::run);
    }

    private static void send(EmbeddedChannel ch, String wire) {
        ch.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1));
    }

    private static String get(String path, String... headers) {
        return "GET " + path + " HTTP/1.1\r\nhost: x\r\n" + String.join("", headers) + "\r\n";
    }

    /** Sends {@code wire} and returns everything answered so far. */
    private static String ask(EmbeddedChannel ch, String wire) {
        send(ch, wire);
        return answered(ch);
    }

    private static String answered(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void anUnknownPathIs404NamingTheEndpointsAndKeepsTheConnection() {
        EmbeddedChannel ch = server();
        String reply = ask(ch, get("/state"));
        assertTrue(reply.startsWith("HTTP/1.1 404 Not Found\r\n"), reply);
        assertTrue(reply.endsWith("no such endpoint: /state (try /backup, /healthz, /readyz, /status, /metrics)\n"), reply);
        assertTrue(ch.isOpen(), "HTTP/1.1 keep-alive is honoured");
    }

    @Test
    void statusTellsPeersTheRoleTheGtidPositionHowItCanSeedAndWhetherABackupRuns() {
        String idle = ask(server(), get("/status"));
        assertTrue(idle.startsWith("HTTP/1.1 200 OK\r\n"), idle);
        PeerStatus before = PeerStatus.parse(idle.substring(idle.indexOf("\r\n\r\n") + 4)).orElseThrow();
        assertEquals(new PeerStatus(PeerStatus.PRIMARY, true, false, OptionalLong.empty(), "0-100-42", false,
                new PeerStatus.Seeding(true, true, 13306)), before);

        ask(server(), get("/backup"));
        String busy = ask(server(), get("/status"));
        assertTrue(busy.contains("\r\n\r\nrole=primary\n") && busy.contains("\nbackup_running=yes\n"), busy);
    }

    @Test
    void aMethodOtherThanGetIs405WithAllow() {
        EmbeddedChannel ch = server();
        String reply = ask(ch, "POST /backup HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n");
        assertTrue(reply.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), reply);
        assertTrue(reply.contains("allow: GET\r\n"), reply);
        assertTrue(reply.endsWith("POST is not allowed on /backup; use GET\n"), reply);
        assertEquals(List.of(), backups);
    }

    @Test
    void aMalformedRequestIs400AndCloses() {
        EmbeddedChannel ch = server();
        String reply = ask(ch, get("/healthz", "content-length: lots\r\n"));
        assertTrue(reply.startsWith("HTTP/1.1 400 Bad Request\r\n"), reply);
        assertFalse(ch.isOpen());
    }

    @Test
    void theQueryStringIsNotPartOfThePath() {
        EmbeddedChannel ch = server();
        assertTrue(ask(ch, get("/healthz?verbose=1")).startsWith("HTTP/1.1 200 OK\r\n"));
    }

    @Test
    void pipelinedHealthRequestsAreAnsweredInOrder() {
        EmbeddedChannel ch = server();
        String reply = ask(ch, get("/healthz") + get("/metrics"));
        int healthz = reply.indexOf("\r\n\r\nok");
        int metrics = reply.indexOf("content-type: text/plain; version=0.0.4");
        assertTrue(healthz > 0 && metrics > healthz, reply);
        assertTrue(ch.isOpen());
    }

    @Test
    void connectionCloseIsHonouredAfterTheAnswer() {
        EmbeddedChannel ch = server();
        assertTrue(ask(ch, get("/readyz", "connection: close\r\n")).startsWith("HTTP/1.1 200 OK\r\n"));
        assertFalse(ch.isOpen());
    }

    @Test
    void aClientThatHalfClosesAfterItsRequestGetsTheAnswerThenTheClose() {
        EmbeddedChannel ch = server(probes::add);
        send(ch, get("/healthz"));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertTrue(ch.isOpen(), "the answer is still being computed");
        probes.poll().run();
        assertTrue(answered(ch).startsWith("HTTP/1.1 200 OK\r\n"));
        assertFalse(ch.isOpen(), "`printf ... | ncat` style clients are closed once answered");
    }

    @Test
    void aHalfCloseWithNothingPendingClosesAtOnce() {
        EmbeddedChannel ch = server();
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertFalse(ch.isOpen());
    }

    @Test
    void backupHandsTheConnectionToTheRouteAndIgnoresRequestsPipelinedBehindIt() {
        EmbeddedChannel ch = server();
        send(ch, get("/backup") + get("/healthz"));
        assertEquals(List.of("/backup"), backups);
        assertNull(ch.readOutbound(), "the stream owns the connection; nothing is answered for the pipelined request");
        assertTrue(ch.isOpen());
    }

    @Test
    void aBackupClientThatHalfClosesIsTakenAsGone() {
        EmbeddedChannel ch = server();
        send(ch, get("/backup"));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertFalse(ch.isOpen());
    }

    @Test
    void probesPilingUpAre503AndClose() {
        EmbeddedChannel ch = server(task -> {
            throw new RejectedExecutionException("queue full");
        });
        String reply = ask(ch, get("/readyz"));
        assertTrue(reply.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), reply);
        assertTrue(reply.endsWith("health checks are backed up: mysqld is not answering in time\n"), reply);
        assertFalse(ch.isOpen());
    }

    @Test
    void aConnectionErrorCloses() {
        EmbeddedChannel ch = server();
        ch.pipeline().fireExceptionCaught(new java.io.IOException("Connection reset by peer"));
        assertFalse(ch.isOpen());
    }
}
