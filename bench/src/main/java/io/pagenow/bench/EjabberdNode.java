package io.pagenow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One ejabberd as it is laid out on disk and addressed by {@code ejabberdctl}: its directory
 * (configuration, logs, spool), its HTTP port, its Erlang node name and, in the {@code mam}
 * variant, the database of its message archive ({@code null} for none).
 */
record EjabberdNode(String variant, Path dir, int port, String name, Psql archive) {

    static final String CTL = "/usr/sbin/ejabberdctl";
    static final String SCHEMA = "/usr/share/ejabberd/sql/pg.sql";

    /**
     * Lays out a node in {@code where}: its configuration on a free port, its archive's database
     * created from ejabberd's own schema, everything owned by the package's user.
     */
    static EjabberdNode configure(String variant, Path where, Psql archive) throws IOException {
        Path dir = where.toAbsolutePath();
        Files.createDirectories(dir.resolve("spool"));
        int port = ServerProcess.freePort();
        String name = "pagenow-bench-" + variant + "-" + ProcessHandle.current().pid() + "@localhost";
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
        return new EjabberdNode(variant, dir, port, name, archive);
    }

    /** {@code ejabberdctl} with this node's files and name, running {@code command}. */
    List<String> ctl(String command) {
        return List.of(CTL, "--config-dir", dir.toString(), "--config", dir.resolve("ejabberd.yml").toString(),
                "--ctl-config", dir.resolve("ejabberdctl.cfg").toString(), "--logs", dir.toString(),
                "--spool", dir.resolve("spool").toString(), "--node", name, command);
    }

    /** Where the foreground process's own output goes. */
    Path consoleLog() {
        return dir.resolve("console.log");
    }
}
