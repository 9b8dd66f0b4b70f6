package io.pagenow.lambda;

import io.pagenow.config.SharedVariablesContract;

import java.util.HashMap;
import java.util.Map;

/** The shared table, read as the Lambda functions read it. */
class LambdaSharedVariablesTest extends SharedVariablesContract {

    @Override
    protected Shared read(Map<String, String> environment) {
        LambdaConfig config = LambdaConfig.from(environment);
        LambdaConfig.Database db = config.database();
        return new Shared(config.clientOrigins(), java.util.Optional.ofNullable(db.user()),
                java.util.Optional.ofNullable(db.password()), db.poolSize(), db.socialGraphCacheTtl(),
                config.redis().keyPrefix(), config.presenceTimeout(), config.floodControl().burst(),
                config.floodControl().refillPerSecond(), config.toString());
    }

    @Override
    protected Map<String, String> required() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", "jdbc:postgresql://db:5432/app");
        env.put("REDIS_URL", "redis://cache:6379");
        env.put("AUTH_ISSUER", "https://issuer.example.com/pool");
        env.put("AUTH_JWKS_URL", "https://issuer.example.com/pool/.well-known/jwks.json");
        env.put("AWS_REGION", "us-west-2");
        return env;
    }
}
