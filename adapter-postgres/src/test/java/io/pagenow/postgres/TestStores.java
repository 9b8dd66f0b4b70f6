package io.pagenow.postgres;

import io.pagenow.db.testing.TestSchema;

import java.time.Duration;

/** Stores on a schema of their own (migrated from empty), both closed and dropped by {@link #close()}. */
final class TestStores implements AutoCloseable {

    final TestSchema schema;
    final PostgresStores stores;

    private TestStores(TestSchema schema, PostgresStores stores) {
        this.schema = schema;
        this.stores = stores;
    }

    static TestStores open(String label) {
        return open(label, 8, PostgresConfig.DEFAULT_CONNECTION_TIMEOUT, PostgresConfig.DEFAULT_STATEMENT_TIMEOUT);
    }

    static TestStores open(String label, int poolSize, Duration connectionTimeout, Duration statementTimeout) {
        TestSchema schema = TestSchema.create(label);
        try {
            return new TestStores(schema, PostgresStores.open(new PostgresConfig(schema.jdbcUrl(), schema.user(),
                    schema.password(), poolSize, true, connectionTimeout, statementTimeout)));
        } catch (RuntimeException e) {
            schema.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            stores.close();
        } finally {
            schema.close();
        }
    }
}
