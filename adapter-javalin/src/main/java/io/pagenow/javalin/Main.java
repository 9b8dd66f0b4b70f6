package io.pagenow.javalin;

import ch.qos.logback.classic.LoggerContext;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import io.pagenow.core.memory.InMemoryConversationStore;
import io.pagenow.core.memory.InMemoryPresenceStore;
import io.pagenow.core.memory.InMemorySocialGraph;
import io.pagenow.core.presence.port.out.PresenceStore;
import io.pagenow.core.social.port.out.SocialGraph;
import io.pagenow.db.DatabaseUrl;
import io.pagenow.postgres.PostgresConfig;
import io.pagenow.postgres.PostgresStores;
import io.pagenow.redis.RedisConfig;
import io.pagenow.redis.RedisLive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The server's composition root: the only place that reads the environment and chooses
 * implementations. With nothing configured it runs on the embedded default.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        bridgeJavaUtilLogging();
        ServerConfig config;
        Stores stores;
        try {
            config = ServerConfig.fromEnvironment(System.getenv());
            stores = stores(config);
        } catch (IllegalArgumentException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        } catch (IllegalStateException e) {
            // A failed migration: the database was left as it was.
            System.err.println("Start failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        PageNowServer server = new PageNowServer(config, stores, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopLogging();
        }, "shutdown"));
        server.start();
        System.out.println(banner(config, server.port()));
    }

    /**
     * Sends java.util.logging, and System.Logger which defaults to it (Caffeine logs its refresh
     * failures there), to SLF4J: one format for every line instead of JUL's two-line records and
     * 55-line traces mixed into the logfmt lines.
     */
    static void bridgeJavaUtilLogging() {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    /** Writes out the events the asynchronous appender still holds (logback.xml), before the JVM exits. */
    private static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    /**
     * The stores the configuration asks for: PostgreSQL for what lasts when {@code DATABASE_URL} is
     * set, Redis for what is live when {@code REDIS_URL} is set, memory for the rest.
     *
     * @throws IllegalArgumentException when a URL is malformed (before anything is opened)
     * @throws IllegalStateException    when the migrations fail
     */
    static Stores stores(ServerConfig config) {
        // Every URL is checked before anything is opened, so a typo fails the start cleanly.
        Optional<PostgresConfig> postgresConfig = config.database().map(Main::postgresConfig);
        Optional<RedisConfig> redisConfig = redisConfig(config);

        List<Stores.ReadinessCheck> readiness = new ArrayList<>();
        List<Stores.Chore> chores = new ArrayList<>();
        // Redis closes first: its close tells the other nodes at once that this one is gone.
        List<AutoCloseable> closeHooks = new ArrayList<>();

        ConversationStore conversations;
        SocialGraph graph;
        PostgresStores postgres = null;
        if (postgresConfig.isPresent()) {
            postgres = PostgresStores.open(postgresConfig.get());
            conversations = postgres.conversations();
            graph = postgres.socialGraph();
            readiness.add(new Stores.ReadinessCheck("postgres", postgres::ready));
            LOG.atInfo().addKeyValue("database", postgresConfig.get())
                    .log("conversations and the social graph in PostgreSQL");
        } else {
            conversations = new InMemoryConversationStore();
            graph = memoryGraph(config);
        }

        PresenceStore presence;
        ConnectionRegistry connections;
        UnaryOperator<ClientPush> pushRoute;
        Stores.LiveState liveState = null;
        if (redisConfig.isPresent()) {
            RedisLive redis;
            try {
                redis = RedisLive.connect(redisConfig.get());
            } catch (RuntimeException e) {
                if (postgres != null) {
                    postgres.close();
                }
                throw e;
            }
            presence = redis.presenceStore();
            connections = redis.registry();
            pushRoute = redis::relay;
            readiness.add(new Stores.ReadinessCheck("redis", redis::ready));
            chores.add(new Stores.Chore("remove connections of dead nodes", redis::removeConnectionsOfDeadNodes));
            closeHooks.add(redis);
            liveState = new Stores.LiveState(redis::onLiveStateLost, redis::registeredHere);
        } else {
            presence = new InMemoryPresenceStore();
            connections = new InMemoryConnectionRegistry();
            pushRoute = UnaryOperator.identity();
        }
        if (postgres != null) {
            closeHooks.add(postgres);
        }
        if (readiness.isEmpty()) {
            readiness.add(new Stores.ReadinessCheck("memory", () -> true));
        }
        return liveState == null
                ? new Stores(conversations, graph, presence, connections, pushRoute, readiness, chores, closeHooks)
                : new Stores(conversations, graph, presence, connections, pushRoute, readiness, chores, closeHooks,
                        liveState);
    }

    static Optional<RedisConfig> redisConfig(ServerConfig config) {
        return config.redis().map(redis -> RedisConfig.of(redis.url(), redis.keyPrefix())
                .withNodeId(config.nodeId()).withPoolSize(redis.poolSize()));
    }

    static PostgresConfig postgresConfig(ServerConfig.DatabaseSettings database) {
        DatabaseUrl url = DatabaseUrl.parse(database.url(), database.user(), database.password());
        return new PostgresConfig(url.jdbcUrl(), url.user(), url.password(), database.poolSize(), database.migrate())
                .withSocialGraphCacheTtl(database.socialGraphCacheTtl());
    }

    /** Without a database: the seed file, the demo graph in development mode, or nobody. */
    private static SocialGraph memoryGraph(ServerConfig config) {
        if (config.seedFile().isPresent()) {
            LOG.atInfo().addKeyValue("file", config.seedFile().get()).log("social graph loaded from SEED_FILE");
            return SeedFile.load(config.seedFile().get());
        }
        if (config.developmentMode()) {
            return InMemorySocialGraph.demo();
        }
        LOG.warn("No database and no SEED_FILE: the social graph is empty, nobody has friends");
        return InMemorySocialGraph.builder().build();
    }

    static String banner(ServerConfig config, int port) {
        String host = config.host().equals("0.0.0.0") ? "localhost" : config.host();
        String base = "http://" + host + ":" + port;
        StringBuilder text = new StringBuilder()
                .append("PageNow server listening on ").append(base).append('\n');
        if (config.webClient()) {
            text.append("  Web client: open ").append(base).append("/ in a browser\n");
        }
        text.append("  WebSockets: ws://").append(host).append(':').append(port).append("/chat?Authorization=<token>")
                .append("  ws://").append(host).append(':').append(port).append("/presence?Authorization=<token>\n")
                .append("  Health: ").append(base).append("/health  ").append(base).append("/ready  ")
                .append(base).append("/metrics\n")
                .append("  Stores: conversations and users ")
                .append(config.database().isPresent() ? "in PostgreSQL" : "in memory")
                .append(", connections and presence ")
                .append(config.redis().isPresent() ? "in Redis (node " + config.nodeId() + ")" : "in memory")
                .append('\n');
        if (config.developmentMode()) {
            String users = config.database().isPresent() ? "users from the database"
                    : config.seedFile().isPresent() ? "users from SEED_FILE" : "demo users alice, bob, carol, dave";
            text.append("\n*** DEVELOPMENT MODE: local token issuer, ").append(users).append(" ***\n")
                    .append("  Get a token:  curl -s -X POST ").append(base)
                    .append("/dev/token -d '{\"userId\":\"alice\"}'\n")
                    .append("  Set AUTH_JWKS_URL + AUTH_ISSUER or COGNITO_REGION + COGNITO_POOL_ID for real tokens.\n");
        }
        return text.toString();
    }
}
