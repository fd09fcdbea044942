package io.statefulset.agent.health;

/** A small complete HTTP answer, kept free of Netty so that health logic is tested without a server. */
public record PlainResponse(int status, String contentType, String body) {
    public static final String TEXT = "text/plain; charset=utf-8";

    public static PlainResponse text(int status, String body) {
        return new PlainResponse(status, TEXT, body.endsWith("\n") ? body : body + "\n");
    }
}
