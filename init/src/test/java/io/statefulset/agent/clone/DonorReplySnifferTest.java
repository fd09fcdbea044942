package io.statefulset.agent.clone;

import static io.statefulset.agent.clone.DonorWire.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.statefulset.agent.common.identity.HostPort;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DonorReplySnifferTest {
    private final Recorder recorder = new Recorder();
    /** Stands in for the HTTP codec: the sniffer only needs something named {@code http} to keep or remove. */
    private final EmbeddedChannel ch = new EmbeddedChannel();

    DonorReplySnifferTest() {
        ch.pipeline().addLast("sniffer", new DonorReplySniffer(new HostPort("db-0", 3307)))
                .addLast(DonorPipeline.HTTP_CODEC, new ChannelInboundHandlerAdapter())
                .addLast(recorder);
    }

    private String received() {
        StringBuilder sb = new StringBuilder();
        for (Object m : recorder.messages) {
            ByteBuf b = (ByteBuf) m;
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void anHttpReplyKeepsTheCodecAndPassesEveryByte() {
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("HTTP/1.1 200 OK\r\n")));
        assertNull(ch.pipeline().get("sniffer"), "the sniffer leaves once it has decided");
        assertNotNull(ch.pipeline().get(DonorPipeline.HTTP_CODEC));
        assertEquals(List.of(), recorder.events);
        assertEquals("HTTP/1.1 200 OK\r\n", received());
    }

    @Test
    void theLegacyMagicRemovesTheCodecAndAnnouncesALegacyDonorBeforeItsFirstByte() {
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("XBSTCK01")), Unpooled.wrappedBuffer(ascii("rest")));
        assertNull(ch.pipeline().get(DonorPipeline.HTTP_CODEC));
        assertNull(ch.pipeline().get("sniffer"));
        assertEquals(List.of(TransferEvent.LEGACY_DONOR), recorder.events);
        assertEquals("XBSTCK01rest", received());
    }

    @Test
    void fewerThanEightBytesDecideNothingYet() {
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("XBST")));
        assertNotNull(ch.pipeline().get("sniffer"));
        assertEquals(List.of(), recorder.messages);
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("CK01")));
        assertEquals(List.of(TransferEvent.LEGACY_DONOR), recorder.events);
        assertEquals("XBSTCK01", received());
    }

    @Test
    void anythingElseIsRefusedNamingItsFirstBytesPrintably() {
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'J', 0, 0, 0, 10, '5', '.', '5', '.'}));
        assertEquals(1, recorder.exceptions.size());
        Throwable cause = recorder.exceptions.get(0).getCause();
        DonorFailedException e = assertInstanceOf(DonorFailedException.class, cause);
        assertEquals("donor db-0:3307 answered neither HTTP nor xbstream (first bytes 'J\\x00\\x00\\x00\\x0a5.5'): is --donor"
                + " pointing at the agent's backup port (3307)?", e.getMessage());
        assertTrue(recorder.messages.isEmpty(), "a stranger's bytes are not passed on");
    }
}
