package io.statefulset.agent.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The test link carries bytes unchanged both ways and passes a close on, as a TCP path to a killed mysqld does. */
class ShapedLinkTest {
    @Test
    void bytesArriveUnchangedAndTheDonorsCloseReachesTheRecipient() throws Exception {
        byte[] payload = new byte[3 << 20];
        new Random(7).nextBytes(payload);
        try (ServerSocket donor = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ShapedLink link = new ShapedLink(donor.getLocalPort(), 64L << 20)) {
            // The "donor" answers a 4-byte request with the payload, then closes: a mysqld killed mid-stream.
            CompletableFuture<byte[]> asked = CompletableFuture.supplyAsync(() -> {
                try (Socket s = donor.accept()) {
                    byte[] request = new DataInputStream(s.getInputStream()).readNBytes(4);
                    s.getOutputStream().write(payload);
                    return request;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            link.unthrottle();
            try (Socket recipient = new Socket(InetAddress.getLoopbackAddress(), link.port())) {
                recipient.setSoTimeout(30_000);
                recipient.getOutputStream().write(new byte[] {1, 2, 3, 4});
                DataInputStream in = new DataInputStream(recipient.getInputStream());
                byte[] got = new byte[payload.length];
                in.readFully(got);
                assertArrayEquals(payload, got);
                assertArrayEquals(new byte[] {1, 2, 3, 4}, asked.get(30, TimeUnit.SECONDS));
                assertEquals(-1, in.read(), "the donor's close reaches the recipient");
            }
        }
    }

    @Test
    void aDonorThatIsDownClosesTheRecipientsConnection() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (ShapedLink link = new ShapedLink(closedPort, 1L << 20);
             Socket recipient = new Socket(InetAddress.getLoopbackAddress(), link.port())) {
            recipient.setSoTimeout(30_000);
            int read;
            try {
                read = recipient.getInputStream().read();
            } catch (IOException reset) {
                read = -1;
            }
            assertEquals(-1, read, "a refused dial ends the recipient's connection");
        }
    }
}
