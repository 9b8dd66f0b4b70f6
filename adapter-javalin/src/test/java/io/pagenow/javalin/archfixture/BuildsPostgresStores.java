package io.pagenow.javalin.archfixture;

import io.pagenow.postgres.PostgresConfig;
import io.pagenow.postgres.PostgresStores;

/** Breaks "stores come in through the composition root" on purpose: a class other than Main opening PostgreSQL. */
public final class BuildsPostgresStores {
    public PostgresStores open(PostgresConfig config) {
        return PostgresStores.open(config);
    }
}
