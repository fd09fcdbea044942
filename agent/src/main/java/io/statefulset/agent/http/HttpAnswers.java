package io.statefulset.agent.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.statefulset.agent.health.PlainResponse;
import java.nio.charset.StandardCharsets;

/** The complete small answers of the port (errors, refusals, health), built one way for every route. */
public final class HttpAnswers {
    private HttpAnswers() {}

    public static FullHttpResponse full(PlainResponse r, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.copiedBuffer(r.body(), StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        return response;
    }

    public static FullHttpResponse text(HttpResponseStatus status, String body, boolean keepAlive) {
        return full(new PlainResponse(status.code(), PlainResponse.TEXT, body), keepAlive);
    }

    public static FullHttpResponse empty(HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        HttpUtil.setContentLength(response, 0);
        HttpUtil.setKeepAlive(response, false);
        return response;
    }
}
