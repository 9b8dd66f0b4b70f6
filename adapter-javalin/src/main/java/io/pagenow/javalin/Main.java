package io.pagenow.javalin;

import io.pagenow.core.memory.InMemorySocialGraph;
import io.pagenow.core.social.SocialGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * The server's composition root: the only place that reads the environment and chooses
 * implementations. With nothing configured it runs on the embedded default.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        PageNowServer server = new PageNowServer(config, stores(config), Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "shutdown"));
        server.start();
        System.out.println(banner(config, server.port()));
    }

    /** The stores: in memory until the PostgreSQL and Redis adapters are wired in here. */
    static Stores stores(ServerConfig config) {
        SocialGraph graph;
        if (config.seedFile().isPresent()) {
            graph = SeedFile.load(config.seedFile().get());
            LOG.atInfo().addKeyValue("file", config.seedFile().get()).log("social graph loaded from SEED_FILE");
        } else if (config.developmentMode()) {
            graph = InMemorySocialGraph.demo();
        } else {
            graph = InMemorySocialGraph.builder().build();
            LOG.warn("No database and no SEED_FILE: the social graph is empty, nobody has friends");
        }
        return Stores.inMemory(graph);
    }

    static String banner(ServerConfig config, int port) {
        String host = config.host().equals("0.0.0.0") ? "localhost" : config.host();
        String base = "http://" + host + ":" + port;
        StringBuilder text = new StringBuilder()
                .append("PageNow server listening on ").append(base).append('\n')
                .append("  WebSockets: ws://").append(host).append(':').append(port).append("/chat?Authorization=<token>")
                .append("  ws://").append(host).append(':').append(port).append("/presence?Authorization=<token>\n")
                .append("  Health: ").append(base).append("/health  ").append(base).append("/ready  ")
                .append(base).append("/metrics\n");
        if (config.developmentMode()) {
            text.append("\n*** DEVELOPMENT MODE: in-memory stores, local token issuer, ")
                    .append(config.seedFile().isPresent() ? "users from SEED_FILE" : "demo users alice, bob, carol, dave")
                    .append(" ***\n")
                    .append("  Get a token:  curl -s -X POST ").append(base)
                    .append("/dev/token -d '{\"userId\":\"alice\"}'\n")
                    .append("  Set AUTH_JWKS_URL + AUTH_ISSUER or COGNITO_REGION + COGNITO_POOL_ID for real tokens.\n");
        }
        return text.toString();
    }
}
