package io.pagenow.lambda;

import io.pagenow.postgres.PostgresConfig;
import io.pagenow.postgres.PostgresStores;
import io.pagenow.redis.RedisConfig;
import io.pagenow.redis.RedisLive;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Opens the stores a container runs on: PostgreSQL for what lasts, Redis for what is live. It
 * opens them at init and again after each SnapStart restore.
 */
final class StoresOpener implements Supplier<Stores> {

    /** One invocation at a time per container: a few connections are plenty. */
    private static final int REDIS_POOL_SIZE = 4;

    private final LambdaConfig config;

    StoresOpener(LambdaConfig config) {
        this.config = config;
    }

    /**
     * Opens PostgreSQL on a thread of its own while Redis opens on this one: each is mostly class
     * loading (Jdbi's some 600 classes, Jedis's 300) and a round trip or two, and neither needs the
     * other, so a cold start waits for the slower one only.
     */
    @Override
    public Stores get() {
        LambdaConfig.Database db = config.database();
        // Migrations are a release step (the db module's migrate command), never a cold start's.
        CompletableFuture<PostgresStores> opening = CompletableFuture.supplyAsync(() -> PostgresStores.open(
                new PostgresConfig(db.jdbcUrl(), db.user(), db.password(), db.poolSize(), false)
                        .withSocialGraphCacheTtl(db.socialGraphCacheTtl())), task -> {
                            Thread thread = new Thread(task, "postgres-open");
                            thread.setDaemon(true);
                            thread.start();
                        });
        RedisLive redis;
        try {
            redis = RedisLive.connect(RedisConfig.of(config.redis().url().toString(), config.redis().keyPrefix())
                    .withNodeId(LambdaContainer.NODE_ID).withPoolSize(REDIS_POOL_SIZE));
        } catch (RuntimeException e) {
            opening.thenAccept(PostgresStores::close);
            throw e;
        }
        PostgresStores postgres;
        try {
            postgres = opening.join();
        } catch (CompletionException e) {
            redis.close();
            // As thrown on this thread: a ConfigurationException keeps its message for the init error.
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return new Stores(postgres.conversations(), postgres.socialGraph(), redis.registry(), redis.presenceStore(),
                List.of(redis, postgres));
    }
}
