package io.statefulset.agent.clone;

import static io.statefulset.agent.clone.DonorWire.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.protocol.PeerStatus;
import io.statefulset.agent.common.tls.TlsFiles;
import io.statefulset.agent.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /status question's pipeline ({@link StatusPipeline}) with and without TLS, on an EmbeddedChannel. */
class StatusQuestionTest {
    private static final HostPort PEER = new HostPort("mysql-1.mysql", 3307);
    private static final String TLS_REFUSAL = "this port requires TLS (serve runs with --tls-cert-file): connect with"
            + " https:// and the CA of the agent's certificate (curl --cacert ca.crt; init --tls-ca-file)\n";

    private final CompletableFuture<PeerReport> report = new CompletableFuture<>();
    @TempDir
    Path dir;

    private EmbeddedChannel channel(Optional<DonorTls> tls) {
        return new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                StatusPipeline.install(ch.pipeline(), PEER, tls, report);
            }
        });
    }

    private DonorTls tls() throws Exception {
        Path ca = TestPki.ca("agent-ca").writeCa(dir);
        return DonorTls.load(new TlsFiles(Optional.empty(), Optional.empty(), Optional.of(ca)));
    }

    private static String outbound(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) sb.append(b.toString(StandardCharsets.ISO_8859_1));
        return sb.toString();
    }

    private static ByteBuf answer(int code, String reason, String body) {
        return Unpooled.wrappedBuffer(ascii("HTTP/1.1 " + code + " " + reason + "\r\ncontent-type: text/plain\r\ncontent-length: "
                + body.length() + "\r\nconnection: close\r\n\r\n" + body));
    }

    private PeerReport verdict() {
        PeerReport r = report.getNow(null);
        assertNotNull(r, "the question has its verdict");
        return r;
    }

    @Test
    void asksGetStatusAndReadsTheAnswer() {
        EmbeddedChannel ch = channel(Optional.empty());
        String request = outbound(ch);
        assertTrue(request.startsWith("GET /status HTTP/1.1\r\n"), request);
        assertTrue(request.contains("host: mysql-1.mysql:3307\r\n"), request);
        PeerStatus status = new PeerStatus(PeerStatus.REPLICA, true, true, OptionalLong.of(3), "0-100-9", false);
        ch.writeInbound(answer(200, "OK", status.text()));
        assertEquals(PeerReport.answered(PEER, status), verdict());
        assertFalse(ch.isOpen(), "closed after the answer");
    }

    @Test
    void aTlsPortsAnswerToPlainHttpIsUnreadableAndQuotesTheFix() {
        EmbeddedChannel ch = channel(Optional.empty());
        ch.writeInbound(answer(400, "Bad Request", TLS_REFUSAL));
        PeerReport r = verdict();
        assertTrue(r.unreadable(), r.toString());
        assertTrue(r.problem().startsWith("/status answered 400: this port requires TLS (serve runs with --tls-cert-file)"),
                r.problem());
    }

    @Test
    void anAnswerThatIsNotAStatusIsUnreadable() {
        EmbeddedChannel ch = channel(Optional.empty());
        ch.writeInbound(answer(200, "OK", "<html>hello</html>"));
        assertTrue(verdict().unreadable());
        assertTrue(verdict().problem().contains("not a status: <html>hello</html>"), verdict().problem());
    }

    @Test
    void theTutorialsSidecarIsReportedAsSuch() {
        EmbeddedChannel ch = channel(Optional.empty());
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("XBSTCK01\0\0\0\0backup bytes")));
        assertTrue(verdict().legacy(), verdict().toString());
        assertTrue(verdict().unreadable(), "a sidecar is a pod with data: not absent");
    }

    @Test
    void somethingElseOnThePortIsUnreadable() {
        EmbeddedChannel ch = channel(Optional.empty());
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("SSH-2.0-OpenSSH_9.2\r\n")));
        assertTrue(verdict().unreadable());
        assertTrue(verdict().problem().contains("neither HTTP nor xbstream (first bytes 'SSH-2.0-')"), verdict().problem());
    }

    @Test
    void aCloseWithoutAnAnswerIsUnreadable() {
        EmbeddedChannel ch = channel(Optional.empty());
        ch.close();
        assertTrue(verdict().unreadable());
        assertEquals("closed the connection without answering /status", verdict().problem());
    }

    @Test
    void withTlsTheQuestionStartsWithAHandshakeNotPlaintext() throws Exception {
        EmbeddedChannel ch = channel(Optional.of(tls()));
        String first = outbound(ch);
        assertFalse(first.isEmpty(), "the ClientHello went out");
        assertEquals(0x16, first.charAt(0), "a TLS handshake record");
        assertFalse(first.contains("GET /status"), "no plaintext before the handshake");
        assertFalse(report.isDone(), "waiting for the server's hello");
    }

    @Test
    void withTlsAPlainHttpAnswerIsAHandshakeFailureThatSaysThePeerRunsWithoutTls() throws Exception {
        EmbeddedChannel ch = channel(Optional.of(tls()));
        outbound(ch);
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")));
        PeerReport r = verdict();
        assertTrue(r.unreadable(), r.toString());
        assertTrue(r.problem().startsWith("TLS handshake failed: " + PEER + " answered in plain HTTP, its agent runs without TLS"), r.problem());
    }

    @Test
    void withTlsTheSidecarsStreamIsStillRecognised() throws Exception {
        EmbeddedChannel ch = channel(Optional.of(tls()));
        outbound(ch);
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("XBSTCK01\0\0\0\0backup bytes")));
        assertTrue(verdict().legacy(), verdict().toString());
    }
}
