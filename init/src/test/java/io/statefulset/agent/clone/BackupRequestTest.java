package io.statefulset.agent.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.statefulset.agent.common.identity.HostPort;
import io.statefulset.agent.common.secret.Secret;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupRequestTest {
    private static final HostPort DONOR = new HostPort("mysql-1.mysql", 3307);

    private static FullHttpRequest sent(Optional<Secret> token) {
        EmbeddedChannel ch = new EmbeddedChannel(new BackupRequest(DONOR, token));
        assertNull(ch.pipeline().get(BackupRequest.class), "sent once, then out of the way");
        FullHttpRequest request = ch.readOutbound();
        assertNull(ch.readOutbound(), "one request per connection");
        return request;
    }

    @Test
    void getBackupAsksForTrailersAndOneShotConnection() {
        FullHttpRequest r = sent(Optional.empty());
        assertEquals(HttpMethod.GET, r.method());
        assertEquals("/backup", r.uri());
        assertEquals(HttpVersion.HTTP_1_1, r.protocolVersion());
        assertEquals("mysql-1.mysql:3307", r.headers().get(HttpHeaderNames.HOST));
        assertEquals("trailers", r.headers().get(HttpHeaderNames.TE));
        assertEquals("close", r.headers().get(HttpHeaderNames.CONNECTION));
        assertEquals("mysql-statefulset-agent init", r.headers().get(HttpHeaderNames.USER_AGENT));
        assertFalse(r.headers().contains(HttpHeaderNames.AUTHORIZATION), "no token, no Authorization header");
        r.release();
    }

    @Test
    void aTokenIsSentAsBearer() {
        FullHttpRequest r = sent(Optional.of(Secret.of("t0ken", "test")));
        assertEquals("Bearer t0ken", r.headers().get(HttpHeaderNames.AUTHORIZATION));
        r.release();
    }
}
