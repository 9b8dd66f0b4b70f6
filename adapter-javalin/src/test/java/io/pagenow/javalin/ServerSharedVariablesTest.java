package io.pagenow.javalin;

import io.pagenow.config.SharedVariablesContract;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The shared table, read as the server reads it. */
class ServerSharedVariablesTest extends SharedVariablesContract {

    @Override
    protected Shared read(Map<String, String> environment) {
        ServerConfig config = ServerConfig.fromEnvironment(environment);
        ServerConfig.DatabaseSettings db = config.database().orElseThrow();
        return new Shared(config.clientOrigins(), Optional.ofNullable(db.user()), Optional.ofNullable(db.password()),
                db.poolSize(), db.socialGraphCacheTtl(), config.redis().orElseThrow().keyPrefix(),
                config.presenceTimeout(), config.floodControl().burst(), config.floodControl().refillPerSecond(),
                config.toString());
    }

    @Override
    protected Map<String, String> required() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", "jdbc:postgresql://db:5432/app");
        env.put("REDIS_URL", "redis://cache:6379");
        return env;
    }
}
