package io.statefulset.agent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A {@code GET /backup} client that reads the status line and then stops reading, as a frozen receiver does: the
 * donor's stream backs up into the socket buffers. {@link #finish()} reads the rest to the end.
 */
public final class PausedDownload implements AutoCloseable {
    private static final int TAIL = 4096;

    private final Socket socket;
    private final InputStream in;
    private final String statusLine;

    private PausedDownload(Socket socket, String statusLine) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.statusLine = statusLine;
    }

    /** @param tls a client context for a TLS port, or null for plain TCP */
    public static PausedDownload start(SSLContext tls, String host, int port, String... headers) throws IOException {
        Socket s = tls != null ? tls.getSocketFactory().createSocket() : new Socket();
        // A small receive buffer, so that the donor's side backs up soon once the client stops reading.
        s.setReceiveBufferSize(32 * 1024);
        s.connect(new InetSocketAddress(host, port), 5000);
        if (s instanceof SSLSocket ssl) ssl.startHandshake();
        s.setSoTimeout(60_000);
        StringBuilder req = new StringBuilder("GET /backup HTTP/1.1\r\nHost: " + host + "\r\n");
        for (String h : headers) req.append(h).append("\r\n");
        req.append("\r\n");
        OutputStream out = s.getOutputStream();
        out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder line = new StringBuilder();
        InputStream in = s.getInputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') line.append((char) b);
        return new PausedDownload(s, line.toString().strip());
    }

    /** This client's port, as the donor's log lines name it ("/127.0.0.1:<port>"). */
    public String localPort() {
        return Integer.toString(socket.getLocalPort());
    }

    public String statusLine() {
        return statusLine;
    }

    /** Reads everything up to the donor's close. */
    public Finished finish() throws IOException {
        byte[] buf = new byte[64 * 1024];
        byte[] tail = new byte[0];
        long total = 0;
        int n;
        try {
            while ((n = in.read(buf)) >= 0) {
                total += n;
                byte[] joined = Arrays.copyOf(tail, tail.length + n);
                System.arraycopy(buf, 0, joined, tail.length, n);
                tail = Arrays.copyOfRange(joined, Math.max(0, joined.length - TAIL), joined.length);
            }
        } catch (IOException e) {
            return new Finished(total, new String(tail, StandardCharsets.ISO_8859_1), e.toString());
        }
        return new Finished(total, new String(tail, StandardCharsets.ISO_8859_1), "");
    }

    /** @param tail the last bytes read (the chunked trailers of an HTTP backup), @param error a read failure, if any */
    public record Finished(long bytes, String tail, String error) {
        public boolean succeeded() {
            return error.isEmpty() && tail.contains("X-Backup-Status: success");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
