package io.pagenow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The load generator's XMPP-over-WebSocket mode: the same {@link BenchSocket} as the server's own
 * wire protocol, with an XMPP session on it. A socket counts as open once the session is usable:
 * stream opened, SASL PLAIN accepted, stream restarted, resource bound and initial presence sent
 * (the point at which our server's socket, authenticated by its token at the upgrade, is usable
 * too).
 */
final class XmppClient implements AutoCloseable {

    /** Called on a socket thread for every stanza after the session is up, in arrival order. */
    @FunctionalInterface
    interface Handler {
        void onStanza(BenchSocket socket, Xmpp.Stanza stanza, long receivedNanos);

        /**
         * {@code handler} for the stanzas named {@code name} that are no error; an error of that
         * name is counted in {@code errors}, any other stanza ignored.
         */
        static Handler of(String name, Errors errors, Handler handler) {
            return (socket, stanza, now) -> {
                if (!name.equals(stanza.name())) {
                    return;
                }
                if ("error".equals(stanza.type())) {
                    errors.add(name + " error " + stanza.child());
                    return;
                }
                handler.onStanza(socket, stanza, now);
            };
        }
    }

    private final URI uri;
    private final String domain;
    private final ExecutorService executor;
    private final HttpClient[] clients;

    XmppClient(int port, String domain, int clients, int threads) {
        this.uri = URI.create("ws://127.0.0.1:" + port + "/ws");
        this.domain = domain;
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "xmpp-client");
            t.setDaemon(true);
            return t;
        });
        this.clients = new HttpClient[clients];
        for (int i = 0; i < clients; i++) {
            this.clients[i] = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(30)).build();
        }
    }

    String domain() {
        return domain;
    }

    String jid(String user) {
        return user + "@" + domain;
    }

    /**
     * Opens a socket and logs {@code user} in as {@code resource}; completes when the session is
     * usable, fails with what the server answered otherwise.
     */
    CompletableFuture<BenchSocket> open(String user, String password, String resource, int index,
                                        Handler handler, Errors errors) {
        Login login = new Login(user, password, resource, handler);
        BenchSocket socket = new BenchSocket(user, login, errors);
        clients[Math.floorMod(index, clients.length)].newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(120))
                .subprotocols(Xmpp.SUBPROTOCOL)
                .buildAsync(uri, socket)
                .whenComplete((ws, e) -> {
                    if (e != null) {
                        login.ready.completeExceptionally(e);
                    } else {
                        socket.attach(ws);
                        socket.send(Xmpp.open(domain));
                    }
                });
        return login.ready.thenApply(ignored -> socket);
    }

    /** The session's set-up, one step per stanza, then the scenario's handler. */
    private final class Login implements BenchSocket.Handler {
        final String user;
        final String password;
        final String resource;
        final Handler handler;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        boolean authenticated;

        Login(String user, String password, String resource, Handler handler) {
            this.user = user;
            this.password = password;
            this.resource = resource;
            this.handler = handler;
        }

        @Override
        public void onFrame(BenchSocket socket, String text, long receivedNanos) {
            Xmpp.Stanza stanza = Xmpp.parse(text);
            if (ready.isDone()) {
                handler.onStanza(socket, stanza, receivedNanos);
                return;
            }
            switch (stanza.name()) {
                case "open" -> {
                    // features follow
                }
                case "features" -> socket.send(authenticated ? Xmpp.bind("bind", resource)
                        : Xmpp.authPlain(user, password));
                case "success" -> {
                    authenticated = true;
                    socket.send(Xmpp.open(domain));
                }
                case "iq" -> {
                    if ("bind".equals(stanza.id()) && "result".equals(stanza.type())) {
                        socket.send(Xmpp.presence(null));
                        ready.complete(null);
                    } else {
                        ready.completeExceptionally(new IllegalStateException("bind answered " + stanza.type()));
                    }
                }
                default -> ready.completeExceptionally(new IllegalStateException(
                        "login answered <" + stanza.name() + (stanza.child() == null ? "" : "><" + stanza.child()) + ">"));
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
