package io.pagenow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * ejabberd, the peer the server is compared with, as the Debian package installs it: started by
 * the bench with a configuration it writes (one virtual host, loopback only, XMPP over WebSocket
 * on {@code /ws}, its HTTP API on {@code /api} for provisioning, no traffic shaper), users and
 * rosters provisioned through that API, stopped at the end. In the {@code mam} variant
 * {@code mod_mam} archives every chat message in PostgreSQL, in a database of its own that the
 * bench creates from ejabberd's own schema and drops after.
 */
final class Ejabberd implements AutoCloseable {

    static final String CTL = "/usr/sbin/ejabberdctl";
    static final String SCHEMA = "/usr/share/ejabberd/sql/pg.sql";
    static final String DOMAIN = "bench.local";
    static final String PASSWORD = "bench-password";
    /** mod_mam's connections to PostgreSQL, as many as our server's pool (the profile's db clients). */
    static final int SQL_POOL_SIZE = 10;

    private final String variant;
    private final Path dir;
    private final int port;
    private final String node;
    private final Psql archive;
    private final Process process;
    private final Path pidFile;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Ejabberd(String variant, Path dir, int port, String node, Psql archive, Process process, Path pidFile) {
        this.variant = variant;
        this.dir = dir;
        this.port = port;
        this.node = node;
        this.archive = archive;
        this.process = process;
        this.pidFile = pidFile;
    }

    static boolean installed() {
        return Files.isExecutable(Path.of(CTL));
    }

    /**
     * Writes the configuration and starts ejabberd in the foreground under {@code launcher}
     * (e.g. {@code taskset -c 0}); {@code archive} is the database for {@code mod_mam}, or
     * {@code null} for no archive.
     */
    static Ejabberd start(String variant, Path where, Psql archive, List<String> launcher, Path pidFile) {
        Path dir = where.toAbsolutePath();
        try {
            Files.createDirectories(dir.resolve("spool"));
            int port = ServerProcess.freePort();
            String node = "pagenow-bench-" + variant + "-" + ProcessHandle.current().pid() + "@localhost";
            if (archive != null) {
                archive.recreateDatabase();
                archive.sql(Files.readString(Path.of(SCHEMA)));
            }
            Files.writeString(dir.resolve("ejabberd.yml"), EjabberdConfig.yaml(port, archive));
            // The Erlang distribution port on loopback too; ports for every socket of the idle scenario.
            Files.writeString(dir.resolve("ejabberdctl.cfg"),
                    "INET_DIST_INTERFACE=127.0.0.1\nERL_MAX_PORTS=65536\nERL_PROCESSES=1000000\n");
            Files.writeString(dir.resolve("inetrc"), "{lookup, [file, native]}.\n{host, {127,0,0,1}, [\"localhost\"]}.\n");
            // ejabberdctl run as root switches to the package's user, who must own what it writes.
            Command.run(List.of("chown", "-R", "ejabberd:ejabberd", dir.toString()), Duration.ofSeconds(30));
            List<String> command = new ArrayList<>(launcher);
            // As the package's user already: ejabberdctl run by root would switch with su, whose
            // PAM limits leave the VM 1,024 open files; this way it inherits the generator's
            // limit, as our server does.
            command.addAll(List.of("setpriv", "--reuid=ejabberd", "--regid=ejabberd", "--init-groups"));
            command.addAll(ctl(dir, node, "foreground"));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("HOME", "/var/lib/ejabberd"); // its Erlang cookie
            Process process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            Ejabberd server = new Ejabberd(variant, dir, port, node, archive, process, pidFile);
            server.remember(process.pid(), true);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start ejabberd", e);
        }
    }

    private static List<String> ctl(Path dir, String node, String command) {
        return List.of(CTL, "--config-dir", dir.toString(), "--config", dir.resolve("ejabberd.yml").toString(),
                "--ctl-config", dir.resolve("ejabberdctl.cfg").toString(), "--logs", dir.toString(),
                "--spool", dir.resolve("spool").toString(), "--node", node, command);
    }

    String variant() {
        return variant;
    }

    int port() {
        return port;
    }

    Psql archive() {
        return archive;
    }

    /** The Erlang VM itself (ejabberdctl runs it under su and a shell): the process measured. */
    long pid() {
        return process.descendants()
                .filter(p -> p.info().command().map(c -> c.contains("beam")).orElse(false))
                .findFirst().map(ProcessHandle::pid)
                .orElseThrow(() -> new IllegalStateException("no Erlang VM under ejabberdctl"));
    }

    /** Waits until the HTTP API answers; fails if ejabberd exits first. */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ejabberd exited with " + process.exitValue() + " while starting (see "
                        + dir.resolve("console.log") + ")");
            }
            try {
                if (api("status", "{}").get(5, TimeUnit.SECONDS).statusCode() == 200) {
                    remember(pid(), true);
                    return;
                }
            } catch (Exception e) {
                // not listening yet
            }
            try {
                // Polling a process we started for its port: there is no event to wait on.
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("ejabberd did not answer on its HTTP API within " + timeout);
    }

    /** Registers every user, and makes each friendship a mutual subscription (both rosters). */
    void provision(Population population) {
        Wire.forEachBounded(population.users(), 16, user -> api("register",
                "{\"user\":\"" + user + "\",\"host\":\"" + DOMAIN + "\",\"password\":\"" + PASSWORD + "\"}")
                .thenAccept(r -> expectOk(r, "register " + user)));
        List<String[]> directed = new ArrayList<>();
        for (String[] pair : population.friendships()) {
            directed.add(pair);
            directed.add(new String[] {pair[1], pair[0]});
        }
        Wire.forEachBounded(directed, 16, pair -> api("add_rosteritem",
                "{\"localuser\":\"" + pair[0] + "\",\"localhost\":\"" + DOMAIN + "\",\"user\":\"" + pair[1]
                        + "\",\"host\":\"" + DOMAIN + "\",\"nick\":\"" + pair[1] + "\",\"group\":\"friends\",\"subs\":\"both\"}")
                .thenAccept(r -> expectOk(r, "add_rosteritem " + pair[0] + " " + pair[1])));
    }

    /**
     * Starts mod_mam's connection pool before any traffic. ejabberd 23.01 starts it on the first
     * SQL query and tells it started as soon as its supervisor's name is registered, before the
     * workers are: the first concurrent queries of a run then crash mod_mam's hook ("not an
     * already existing atom" ejabberd_sql_bench.local_N) and that message is delivered but not
     * archived. One query through the HTTP API (removing the archive of a user who has none),
     * then waiting until every worker is connected, takes that start out of the measurement.
     */
    void startArchivePool(String anyUser, Duration timeout) {
        if (archive == null) {
            return;
        }
        expectOk(api("remove_mam_for_user", "{\"user\":\"" + anyUser + "\",\"host\":\"" + DOMAIN + "\"}").join(),
                "remove_mam_for_user " + anyUser);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (archiveConnections() < SQL_POOL_SIZE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("mod_mam's pool had " + archiveConnections() + " of " + SQL_POOL_SIZE
                        + " connections to PostgreSQL after " + timeout);
            }
            pause();
        }
    }

    private long archiveConnections() {
        return Long.parseLong(archive.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND pid <> pg_backend_pid();").strip());
    }

    /** Sessions ejabberd holds now (its {@code connected_users_number}). */
    long sessions() {
        HttpResponse<String> response = api("connected_users_number", "{}").join();
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
        Wire.forEachBounded(users, 16, user -> api("kick_user",
                "{\"user\":\"" + user + "\",\"host\":\"" + DOMAIN + "\"}").thenAccept(r -> expectOk(r, "kick_user " + user)));
    }

    private static void pause() {
        try {
            // Polling a server's state that it announces no event for.
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void expectOk(HttpResponse<String> response, String what) {
        if (response.statusCode() != 200 || response.body().contains("\"status\":\"error\"")) {
            throw new IllegalStateException("ejabberd's API " + what + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    CompletableFuture<HttpResponse<String>> api(String command, String json) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/" + command))
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Stops ejabberd (its own stop command, then the process tree if it lingers) and drops its archive. */
    @Override
    public void close() {
        long beam;
        try {
            beam = pid();
        } catch (RuntimeException e) {
            beam = -1;
        }
        Command.run(ctl(dir, node, "stop"), Map.of(), null, Duration.ofSeconds(60));
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (beam > 0) {
            ProcessHandle.of(beam).ifPresent(ProcessHandle::destroyForcibly);
            remember(beam, false);
        }
        remember(process.pid(), false);
        if (archive != null) {
            try {
                archive.dropDatabase();
            } catch (RuntimeException e) {
                System.err.println("could not drop ejabberd's archive database: " + e.getMessage());
            }
        }
    }

    /** Keeps bench/run's pid file listing what is alive, for its trap. */
    private void remember(long pid, boolean add) {
        ServerProcess.remember(pidFile, pid, add);
    }
}
