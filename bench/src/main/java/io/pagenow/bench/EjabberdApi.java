package io.pagenow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ejabberd's HTTP API ({@code /api} on loopback), what the bench provisions and inspects it
 * through: users and rosters before a step, its sessions after one.
 */
final class EjabberdApi {

    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    EjabberdApi(int port) {
        this.port = port;
    }

    CompletableFuture<HttpResponse<String>> call(String command, String json) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/" + command))
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void expectOk(HttpResponse<String> response, String what) {
        if (response.statusCode() != 200 || response.body().contains("\"status\":\"error\"")) {
            throw new IllegalStateException("ejabberd's API " + what + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** Registers every user, and makes each friendship a mutual subscription (both rosters). */
    void provision(Population population) {
        Wire.forEachBounded(population.users(), 16, user -> call("register",
                "{\"user\":\"" + user + "\",\"host\":\"" + Ejabberd.DOMAIN + "\",\"password\":\"" + Ejabberd.PASSWORD + "\"}")
                .thenAccept(r -> expectOk(r, "register " + user)));
        List<String[]> directed = new ArrayList<>();
        for (String[] pair : population.friendships()) {
            directed.add(pair);
            directed.add(new String[] {pair[1], pair[0]});
        }
        Wire.forEachBounded(directed, 16, pair -> call("add_rosteritem",
                "{\"localuser\":\"" + pair[0] + "\",\"localhost\":\"" + Ejabberd.DOMAIN + "\",\"user\":\"" + pair[1]
                        + "\",\"host\":\"" + Ejabberd.DOMAIN + "\",\"nick\":\"" + pair[1]
                        + "\",\"group\":\"friends\",\"subs\":\"both\"}")
                .thenAccept(r -> expectOk(r, "add_rosteritem " + pair[0] + " " + pair[1])));
    }

    /** Sessions ejabberd holds now (its {@code connected_users_number}). */
    long sessions() {
        HttpResponse<String> response = call("connected_users_number", "{}").join();
        expectOk(response, "connected_users_number");
        return Long.parseLong(response.body().replaceAll("\\D", ""));
    }

    /**
     * Waits until ejabberd has ended every session, or until their number has not fallen for 15 s
     * (some of its WebSocket sessions outlive their closed socket), at
     * most {@code timeout}; returns how many are left.
     */
    long awaitNoSessions(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long left = sessions();
        long lastFall = System.nanoTime();
        while (left > 0 && System.nanoTime() < deadline && System.nanoTime() - lastFall < 15_000_000_000L) {
            pause();
            long now = sessions();
            if (now < left) {
                lastFall = System.nanoTime();
            }
            left = now;
        }
        return left;
    }

    /** Ends every session of these users ({@code kick_user}). */
    void kick(List<String> users) {
        Wire.forEachBounded(users, 16, user -> call("kick_user",
                "{\"user\":\"" + user + "\",\"host\":\"" + Ejabberd.DOMAIN + "\"}").thenAccept(r -> expectOk(r, "kick_user " + user)));
    }

    /** Between two polls of ejabberd's state, which it announces no event for. */
    static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
