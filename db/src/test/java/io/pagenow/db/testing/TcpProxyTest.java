package io.pagenow.db.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay the outage tests put in front of a server, frozen and thawed, over an echo server. */
class TcpProxyTest {

    /** How long a read waits for an echo that must come: a bound on waiting, not a timing claim. */
    private static final int ECHO_WAIT_MILLIS = 10_000;
    /** How long a frozen connection is watched for a byte that must not come. */
    private static final int SILENCE_MILLIS = 300;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void startEchoServerBehindAProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket client = echo.accept();
                    threads.execute(() -> echoAll(client));
                } catch (IOException e) {
                    // Closed at the end of the test.
                }
            }
        });
        proxy = TcpProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
        threads.shutdownNow();
    }

    @Test
    void aFrozenProxyKeepsConnectionsOpenAndSilentBothWaysUntilThawed() throws IOException {
        try (Socket open = connect()) {
            assertEquals('a', roundTrip(open, 'a'));

            proxy.freeze();
            write(open, 'b');
            try (Socket opened = connect()) {
                write(opened, 'c');
                assertSilent(open);
                assertSilent(opened);

                proxy.thaw();
                assertEquals('b', read(open), "what was held while frozen arrives after the thaw");
                assertEquals('c', read(opened), "a connection opened while frozen relays after the thaw");
            }
            assertEquals('d', roundTrip(open, 'd'));
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), ECHO_WAIT_MILLIS);
        return socket;
    }

    private static int roundTrip(Socket socket, char c) throws IOException {
        write(socket, c);
        return read(socket);
    }

    private static void write(Socket socket, char c) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(String.valueOf(c).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static int read(Socket socket) throws IOException {
        socket.setSoTimeout(ECHO_WAIT_MILLIS);
        return socket.getInputStream().read();
    }

    private static void assertSilent(Socket socket) throws IOException {
        socket.setSoTimeout(SILENCE_MILLIS);
        InputStream in = socket.getInputStream();
        assertThrows(SocketTimeoutException.class, in::read, "nothing is relayed while frozen");
        assertTrue(!socket.isClosed(), "the connection stays open while frozen");
    }

    private static void echoAll(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            int b;
            while ((b = in.read()) >= 0) {
                out.write(b);
                out.flush();
            }
        } catch (IOException e) {
            // The client or the test went away.
        }
    }
}
