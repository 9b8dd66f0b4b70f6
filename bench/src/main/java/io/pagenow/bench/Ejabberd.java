package io.pagenow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ejabberd, the peer the server is compared with, as the Debian package installs it: started by
 * the bench with a configuration it writes (one virtual host, loopback only, XMPP over WebSocket
 * on {@code /ws}, its HTTP API on {@code /api} for provisioning, no traffic shaper), users and
 * rosters provisioned through that API ({@link EjabberdApi}), stopped at the end. In the
 * {@code mam} variant {@code mod_mam} archives every chat message in PostgreSQL, in a database of
 * its own that the bench creates from ejabberd's own schema and drops after ({@link EjabberdNode}).
 */
final class Ejabberd implements AutoCloseable {

    static final String DOMAIN = "bench.local";
    static final String PASSWORD = "bench-password";
    /** mod_mam's connections to PostgreSQL, as many as our server's pool (the profile's db clients). */
    static final int SQL_POOL_SIZE = 10;

    private final EjabberdNode node;
    private final Process process;
    private final Path pidFile;
    private final EjabberdApi api;

    private Ejabberd(EjabberdNode node, Process process, Path pidFile) {
        this.api = new EjabberdApi(node.port());
        this.node = node;
        this.process = process;
        this.pidFile = pidFile;
    }

    static boolean installed() {
        return Files.isExecutable(Path.of(EjabberdNode.CTL));
    }

    /**
     * Writes the configuration and starts ejabberd in the foreground under {@code launcher}
     * (e.g. {@code taskset -c 0}); {@code archive} is the database for {@code mod_mam}, or
     * {@code null} for no archive.
     */
    static Ejabberd start(String variant, Path where, Psql archive, List<String> launcher, Path pidFile) {
        try {
            EjabberdNode node = EjabberdNode.configure(variant, where, archive);
            List<String> command = new ArrayList<>(launcher);
            // As the package's user already: ejabberdctl run by root would switch with su, whose
            // PAM limits leave the VM 1,024 open files; this way it inherits the generator's
            // limit, as our server does.
            command.addAll(List.of("setpriv", "--reuid=ejabberd", "--regid=ejabberd", "--init-groups"));
            command.addAll(node.ctl("foreground"));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("HOME", "/var/lib/ejabberd"); // its Erlang cookie
            Process process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(node.consoleLog().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            Ejabberd server = new Ejabberd(node, process, pidFile);
            server.remember(process.pid(), true);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start ejabberd", e);
        }
    }

    int port() {
        return node.port();
    }

    Psql archive() {
        return node.archive();
    }

    EjabberdApi api() {
        return api;
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
                        + node.consoleLog() + ")");
            }
            try {
                if (api.call("status", "{}").get(5, TimeUnit.SECONDS).statusCode() == 200) {
                    remember(pid(), true);
                    return;
                }
            } catch (Exception e) {
                // not listening yet
            }
            // Polling a process we started for its port: there is no event to wait on.
            EjabberdApi.pause();
        }
        throw new IllegalStateException("ejabberd did not answer on its HTTP API within " + timeout);
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
        if (node.archive() == null) {
            return;
        }
        EjabberdApi.expectOk(api.call("remove_mam_for_user", "{\"user\":\"" + anyUser + "\",\"host\":\"" + DOMAIN + "\"}")
                .join(), "remove_mam_for_user " + anyUser);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (archiveConnections() < SQL_POOL_SIZE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("mod_mam's pool had " + archiveConnections() + " of " + SQL_POOL_SIZE
                        + " connections to PostgreSQL after " + timeout);
            }
            EjabberdApi.pause();
        }
    }

    private long archiveConnections() {
        return Long.parseLong(node.archive().sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND pid <> pg_backend_pid();").strip());
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
        Command.run(node.ctl("stop"), Map.of(), null, Duration.ofSeconds(60));
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
        if (node.archive() != null) {
            try {
                node.archive().dropDatabase();
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
