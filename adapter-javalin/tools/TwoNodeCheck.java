import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks two server nodes in development mode share their users' events: alice on node 1 sends a
 * message and shares a page, bob's sockets on node 2 must receive both. JDK only, so it runs as
 * {@code java adapter-javalin/tools/TwoNodeCheck.java http://127.0.0.1:8081 http://127.0.0.1:8082}.
 * Exits 0 when both arrived, 1 otherwise.
 */
public class TwoNodeCheck {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        String node1 = args.length > 0 ? args[0] : "http://127.0.0.1:8081";
        String node2 = args.length > 1 ? args[1] : "http://127.0.0.1:8082";
        // Each node in development mode has its own issuer: a token is good on the node that made it.
        String alice = token(node1, "alice");
        String bob = token(node2, "bob");

        Socket bobChat = Socket.open(node2, "/chat", bob);
        Socket bobPresence = Socket.open(node2, "/presence", bob);
        Socket aliceChat = Socket.open(node1, "/chat", alice);
        Socket alicePresence = Socket.open(node1, "/presence", alice);

        String created = post(node1, "/conversation", alice, "{\"recipientIdArr\":[\"bob\"],\"isGroup\":false}");
        String conversationId = field(created, "conversationId");
        String text = "hello from node 1, " + UUID.randomUUID();
        aliceChat.send("{\"action\":\"send-message\",\"tempMessageId\":\"" + UUID.randomUUID()
                + "\",\"conversationId\":\"" + conversationId + "\",\"content\":\"" + text + "\"}");
        boolean message = bobChat.awaitContaining(text);
        System.out.println((message ? "OK  " : "FAIL") + " new-message sent on node 1 reached bob's socket on node 2");

        alicePresence.send("{\"action\":\"update-presence\",\"url\":\"https://github.com/pagenow\",\"title\":\"PageNow\"}");
        boolean presence = bobPresence.awaitContaining("\"userId\":\"alice\",\"url\":\"https://github.com/pagenow\"");
        System.out.println((presence ? "OK  " : "FAIL") + " alice's page on node 1 reached bob's presence socket on node 2"
                + (presence ? "" : " (are alice and bob friends in friendship_table?)"));
        System.exit(message && presence ? 0 : 1);
    }

    private static String token(String node, String userId) throws Exception {
        return field(post(node, "/dev/token", null, "{\"userId\":\"" + userId + "\"}"), "token");
    }

    private static String post(String node, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST " + node + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    /** A WebSocket that queues the text frames it receives. */
    private static final class Socket implements WebSocket.Listener {
        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Socket open(String node, String path, String token) throws Exception {
            Socket listener = new Socket();
            URI uri = URI.create(node.replaceFirst("^http", "ws") + path + "?Authorization="
                    + URLEncoder.encode(token, StandardCharsets.UTF_8));
            listener.socket = HTTP.newWebSocketBuilder().buildAsync(uri, listener).get(5, TimeUnit.SECONDS);
            return listener;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void send(String frame) throws Exception {
            socket.sendText(frame, true).get(5, TimeUnit.SECONDS);
        }

        /** Whether a frame containing {@code text} arrives within 5 seconds. */
        boolean awaitContaining(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (long left = 5_000_000_000L; left > 0; left = deadline - System.nanoTime()) {
                String frame = frames.poll(left, TimeUnit.NANOSECONDS);
                if (frame != null && frame.contains(text)) {
                    return true;
                }
            }
            return false;
        }
    }
}
